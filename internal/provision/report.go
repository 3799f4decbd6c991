package provision

import (
	"fmt"
	"strings"

	"github.com/opendata-docket/docket/internal/report"
)

// HeldMarker is hidden in the one tracking issue that lists the changes not acted on.
const HeldMarker = "<!-- docket:held -->"

// HeldByRequest is the Held input of Compute: request id → why, the first reason of each.
func HeldByRequest(held []Held) map[string]string {
	out := map[string]string{}
	for _, h := range held {
		if _, ok := out[h.Request]; !ok {
			out[h.Request] = fmt.Sprintf("held: %s changed %s, and %s; no key is issued, delivered, reinstated or widened until the file changes again through a pull request that passes docket's check (suspensions, revocations, expiry and leaks still apply)", short(h.Commit), h.Path, h.Why)
		}
	}
	return out
}

func short(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}

// HeldIssue is the body of the tracking issue: every change not acted on, and what to do.
func HeldIssue(held []Held) string {
	var b strings.Builder
	b.WriteString(HeldMarker + "\n")
	if len(held) == 0 {
		b.WriteString("docket provision acts on every change again: nothing is held.\n")
		return b.String()
	}
	b.WriteString("docket provision acts only on changes that pass the same check as a pull request. These changes on the default branch do not, so nothing that gives access is done for their requests (no key issued, delivered, reinstated, or given more scopes, calls or days) until the file is changed again through a pull request that passes. What takes access away still applies: suspensions, revocations, expiry and leaked keys:\n\n")
	b.WriteString("| request | file | commit | why |\n|---|---|---|---|\n")
	for _, h := range held {
		fmt.Fprintf(&b, "| %s | `%s` | %s | %s |\n", h.Request, h.Path, short(h.Commit), mdCell(h.Why))
	}
	return b.String()
}

// Markdown is a run's job summary: the plan, what waits, and the changes not acted on.
func Markdown(p *Plan, held []Held, applied bool) string {
	var b strings.Builder
	b.WriteString("### docket provision\n\n")
	switch {
	case len(p.Changes) == 0:
		b.WriteString("No changes: the keys match the decisions in force.\n\n")
	case applied:
		fmt.Fprintf(&b, "Applied: %s.\n\n", p.Summary())
	default:
		fmt.Fprintf(&b, "Plan (not applied): %s.\n\n", p.Summary())
	}
	if lines := p.Lines(); len(lines) > 0 {
		b.WriteString("```\n" + strings.ReplaceAll(report.Printable(strings.Join(lines, "\n")), "```", "'''") + "\n```\n\n")
	}
	if len(held) > 0 {
		b.WriteString(strings.TrimPrefix(HeldIssue(held), HeldMarker+"\n") + "\n")
	}
	return b.String()
}

// mdCell makes text inert in a GitHub Markdown table cell: no secrets or invisible characters
// (report.Printable), no HTML, emphasis, links or mentions. Check messages quote what was
// written in files, which anyone may have written.
func mdCell(s string) string {
	var b strings.Builder
	for _, r := range report.Printable(s) {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '\n', '\r':
			b.WriteByte(' ')
		case '@':
			b.WriteString("@\u200b") // no mentions
		case '\\', '`', '*', '_', '[', ']', '(', ')', '#', '!', '|', '~', '{', '}', '$', ':':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
