// Package secrets finds credentials in text a pull request adds: docket's own API keys (by
// their checksum) and the common token formats of other services. A match is reported by kind
// and position only; the secret itself is never repeated in any output.
package secrets

import (
	"regexp"
	"slices"
	"strings"

	"github.com/opendata-docket/docket/internal/keys"
)

// Match is one secret found: where it starts and what it looks like.
type Match struct {
	Line, Col int // from 1
	Kind      string
}

var patterns = []struct {
	kind string
	re   *regexp.Regexp
}{
	{"GitHub token", regexp.MustCompile(`\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b`)},
	{"GitHub token", regexp.MustCompile(`\bgithub_pat_[A-Za-z0-9_]{82}\b`)},
	{"AWS access key", regexp.MustCompile(`\b(AKIA|ASIA)[0-9A-Z]{16}\b`)},
	{"private key", regexp.MustCompile(`-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----`)},
	{"age secret key", regexp.MustCompile(`AGE-SECRET-KEY-1[0-9A-Z]{58}`)},
	{"Slack token", regexp.MustCompile(`\bxox[abprs]-[0-9A-Za-z-]{10,}`)},
	{"Google API key", regexp.MustCompile(`\bAIza[0-9A-Za-z_\-]{35}\b`)},
	{"Stripe secret key", regexp.MustCompile(`\b[rs]k_live_[0-9A-Za-z]{20,}\b`)},
}

type hit struct {
	start, end int
	kind       string
}

// find returns every secret in text, ordered by where it starts.
func find(text string) []hit {
	var hits []hit
	for _, m := range keys.Find(text) {
		hits = append(hits, hit{m[0], m[1], "API key issued by docket"})
	}
	for _, p := range patterns {
		for _, m := range p.re.FindAllStringIndex(text, -1) {
			hits = append(hits, hit{m[0], m[1], p.kind})
		}
	}
	slices.SortFunc(hits, func(a, b hit) int { return a.start - b.start })
	return hits
}

// Scan returns every secret in text, in order.
func Scan(text string) []Match {
	hits := find(text)
	out := make([]Match, 0, len(hits))
	for _, h := range hits {
		line := 1 + strings.Count(text[:h.start], "\n")
		col := h.start - strings.LastIndexByte(text[:h.start], '\n')
		out = append(out, Match{Line: line, Col: col, Kind: h.kind})
	}
	return out
}

// Redact replaces every secret in text with [redacted], so that a message quoting what a
// requester wrote never repeats a secret they pasted by mistake.
func Redact(text string) string {
	hits := find(text)
	if len(hits) == 0 {
		return text
	}
	var b strings.Builder
	pos := 0
	for _, h := range hits {
		if h.start < pos {
			continue // overlaps one already redacted
		}
		b.WriteString(text[pos:h.start])
		b.WriteString("[redacted]")
		pos = h.end
	}
	b.WriteString(text[pos:])
	return b.String()
}
