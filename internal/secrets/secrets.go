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

// Scan returns every secret in text, in order.
func Scan(text string) []Match {
	type hit struct {
		off  int
		kind string
	}
	var hits []hit
	for _, m := range keys.Find(text) {
		hits = append(hits, hit{m[0], "API key issued by docket"})
	}
	for _, p := range patterns {
		for _, m := range p.re.FindAllStringIndex(text, -1) {
			hits = append(hits, hit{m[0], p.kind})
		}
	}
	slices.SortFunc(hits, func(a, b hit) int { return a.off - b.off })
	out := make([]Match, 0, len(hits))
	for _, h := range hits {
		line := 1 + strings.Count(text[:h.off], "\n")
		col := h.off - strings.LastIndexByte(text[:h.off], '\n')
		out = append(out, Match{Line: line, Col: col, Kind: h.kind})
	}
	return out
}
