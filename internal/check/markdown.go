package check

import (
	"fmt"
	"strings"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/report"
)

// CommentMarker is hidden in docket check's comment on a pull request, so each run finds and
// updates the one comment (gh.Client.UpsertComment) instead of adding another.
const CommentMarker = "<!-- docket:check -->"

// maxRows bounds the findings and files listed, so a huge pull request still gets a readable
// comment within GitHub's size limit.
const maxRows = 50

// Markdown renders the report for the job summary and the pull request comment. Every text in a
// report may come from a requester, so all of it is escaped: it cannot add links, images,
// HTML, mentions or table cells of its own.
func (r *Report) Markdown() string {
	var b strings.Builder
	b.WriteString(CommentMarker + "\n")
	errs := r.Errors()
	warns := len(r.Findings) - errs
	switch {
	case errs > 0:
		fmt.Fprintf(&b, "### ❌ docket found %s to fix\n\n", docket.Count(errs, "problem", "problems"))
		b.WriteString("Fix what is listed below and push again: this check runs on every push, and this comment updates itself.\n\n")
	case len(r.Changes) == 0 && len(r.Findings) == 0:
		// Not a green tick: checking the wrong revision looks just like this.
		b.WriteString("### docket: this pull request changes no files\n\nThere is nothing to check, and merging it changes nothing.\n\n")
	case r.Staff:
		b.WriteString("### ✅ docket: nothing blocks this pull request\n\n")
	default:
		b.WriteString("### ✅ docket: ready for staff review\n\n")
		b.WriteString("Staff will review this pull request; when they merge it, it becomes part of the public record.\n\n")
	}
	if len(r.Findings) > 0 {
		b.WriteString("| | file | line | problem |\n|---|---|---|---|\n")
		for i, f := range r.Findings {
			if i == maxRows {
				fmt.Fprintf(&b, "| | | | and %d more: run `docket check` or see the annotations |\n", len(r.Findings)-maxRows)
				break
			}
			icon := "❌"
			if f.Severity != "error" {
				icon = "⚠️"
			}
			msg := f.Message
			if f.Field != "" {
				msg = f.Field + ": " + msg
			}
			fmt.Fprintf(&b, "| %s | %s | %d | %s |\n", icon, escape(f.Path), f.Line, escape(msg))
		}
		if warns > 0 && errs == 0 {
			b.WriteString("\nWarnings do not block merging; staff will weigh them.\n")
		}
		b.WriteString("\n")
	}
	list(&b, "What merging does", r.Effects)
	list(&b, "Notes", r.Notes)
	if len(r.Changes) > 0 {
		fmt.Fprintf(&b, "<details><summary>%s changed</summary>\n\n| file | change | kind |\n|---|---|---|\n", docket.Count(len(r.Changes), "file", "files"))
		for i, c := range r.Changes {
			if i == maxRows {
				fmt.Fprintf(&b, "| and %d more | | |\n", len(r.Changes)-maxRows)
				break
			}
			fmt.Fprintf(&b, "| %s | %s | %s |\n", escape(c.Path), escape(string(c.Action)), escape(string(c.Area)))
		}
		b.WriteString("\n</details>\n\n")
	}
	role := "requester"
	if r.Staff {
		role = "staff"
	}
	footer := fmt.Sprintf("<sub>Checked by docket for %s (%s); %s validated.</sub>\n", escape(r.Actor), role, docket.Count(r.Checked, "request folder", "request folders"))
	body := b.String()
	if len(body)+len(footer) > maxBody {
		// GitHub refuses comments over 65,536 characters; a cut comment still says the most.
		cut := strings.LastIndexByte(body[:maxBody-len(footer)-200], '\n')
		body = body[:cut+1] + "\n… the rest is cut to fit a comment; see the job summary and the annotations.\n\n"
	}
	return body + footer
}

// maxBody keeps the comment under GitHub's limit of 65,536 characters, with room to spare.
const maxBody = 60000

// list writes a headed list of at most maxRows items.
func list(b *strings.Builder, heading string, items []string) {
	if len(items) == 0 {
		return
	}
	b.WriteString("#### " + heading + "\n\n")
	for i, it := range items {
		if i == maxRows {
			fmt.Fprintf(b, "- and %d more\n", len(items)-maxRows)
			break
		}
		b.WriteString("- " + escape(it) + "\n")
	}
	b.WriteString("\n")
}

// escape makes untrusted text inert in GitHub Markdown, inside a table cell or a list item:
// no secrets and no invisible characters (report.Printable, first, as a backslash added
// below could hide a secret from it), no HTML, no emphasis or links, no mentions, and web
// addresses are not turned into links. A report read back from an artifact may have been
// written by anyone, so this is done here too.
func escape(s string) string {
	s = autolinks.Replace(report.Printable(s))
	var b strings.Builder
	for _, r := range s {
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
			b.WriteString("@\u200b") // no mentions: a zero-width space stops GitHub linking it
		case '\\', '`', '*', '_', '[', ']', '(', ')', '#', '!', '|', '~', '{', '}', '$':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// autolinks breaks what GitHub would link by itself with a zero-width space.
var autolinks = strings.NewReplacer("://", "\u200b://", "www.", "www\u200b.", "WWW.", "WWW\u200b.")
