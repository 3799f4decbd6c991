// Package secrets finds credentials in text a pull request adds: docket's own API keys (by
// their checksum) and the common token formats of other services. A match is reported by kind
// and position only; the secret itself is never repeated in any output: Redact removes every
// secret from text before it is shown, and Shorten cuts text only after redacting it, so that a
// cut never leaves part of a secret that Redact would then no longer recognise.
package secrets

import (
	"cmp"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/opendata-docket/docket/internal/keys"
)

// Match is one secret found: where it starts and what it looks like.
type Match struct {
	Line, Col int // from 1
	Kind      string
}

// KindDocketKey is the kind of a key docket issued.
const KindDocketKey = "API key issued by docket"

// privateKey matches a whole PEM private key, from its header to its footer (or to the end of
// the text when the footer is missing), so that redacting it removes the key's body too.
const privateKey = `-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----(?s:.*?)(-----END ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----|$)`

// patterns find secrets in files; the word boundaries keep random text from matching. loose
// finds the same secrets anywhere, even run together with other text, for Redact: removing too
// much from a message costs little, leaving a secret in it costs a revocation.
var patterns = []struct {
	kind      string
	re, loose *regexp.Regexp
}{
	{"GitHub token", regexp.MustCompile(`\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b`), regexp.MustCompile(`(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}`)},
	{"GitHub token", regexp.MustCompile(`\bgithub_pat_[A-Za-z0-9_]{82}\b`), regexp.MustCompile(`github_pat_[A-Za-z0-9_]{82,}`)},
	{"AWS access key", regexp.MustCompile(`\b(AKIA|ASIA)[0-9A-Z]{16}\b`), regexp.MustCompile(`(AKIA|ASIA)[0-9A-Z]{16,}`)},
	{"private key", regexp.MustCompile(privateKey), regexp.MustCompile(privateKey)},
	{"age secret key", regexp.MustCompile(`AGE-SECRET-KEY-1[0-9A-Z]{58}`), regexp.MustCompile(`AGE-SECRET-KEY-1[0-9A-Za-z]{58,}`)},
	{"Slack token", regexp.MustCompile(`\bxox[abprs]-[0-9A-Za-z-]{10,}`), regexp.MustCompile(`xox[abprs]-[0-9A-Za-z-]{10,}`)},
	{"Google API key", regexp.MustCompile(`\bAIza[0-9A-Za-z_\-]{35}\b`), regexp.MustCompile(`AIza[0-9A-Za-z_\-]{35,}`)},
	{"Stripe secret key", regexp.MustCompile(`\b[rs]k_live_[0-9A-Za-z]{20,}\b`), regexp.MustCompile(`[rs]k_live_[0-9A-Za-z]{20,}`)},
}

// Kinds lists every kind of secret Scan reports, docket's own keys first.
func Kinds() []string {
	out := []string{KindDocketKey}
	for _, p := range patterns {
		if !slices.Contains(out, p.kind) {
			out = append(out, p.kind)
		}
	}
	return out
}

// markers are literal strings at least one of which every secret contains; text without any of
// them needs no regular expression (docket keys are found by their checksum, after "_").
var markers = []string{"_", "AKIA", "ASIA", "PRIVATE KEY", "AGE-SECRET-KEY-1", "xox", "AIza"}

func mayContain(text string) bool {
	for _, m := range markers {
		if strings.Contains(text, m) {
			return true
		}
	}
	return false
}

type hit struct {
	start, end int
	kind       string
}

// find returns every secret in text, ordered by where it starts.
func find(text string, loose bool) []hit {
	if !mayContain(text) {
		return nil
	}
	if loose {
		hits := looseKeys(text)
		for _, p := range patterns {
			for _, m := range p.loose.FindAllStringIndex(text, -1) {
				hits = append(hits, hit{m[0], m[1], p.kind})
			}
		}
		slices.SortFunc(hits, func(a, b hit) int { return a.start - b.start })
		return hits
	}
	var hits []hit
	// Every secret but a private key is a run of letters, digits, _ and - at least minRun
	// long; Go's regular expressions are slow on patterns that start with \b, so they are run
	// on such runs only, which random bytes and ordinary text seldom have. The character before
	// a run is not a word character, so \b means the same at its start as in the whole text.
	for start := 0; start < len(text); {
		if !tokenByte[text[start]] {
			start++
			continue
		}
		end := start
		for end < len(text) && tokenByte[text[end]] {
			end++
		}
		if end-start >= minRun {
			for _, skip := range escapeSkips(text, start, end) {
				at := start + skip
				run := text[at:end]
				for _, m := range keys.Find(run) {
					hits = append(hits, hit{at + m[0], at + m[1], KindDocketKey})
				}
				for _, p := range patterns {
					if p.kind == "private key" {
						continue
					}
					for _, m := range p.re.FindAllStringIndex(run, -1) {
						hits = append(hits, hit{at + m[0], at + m[1], p.kind})
					}
				}
			}
		}
		start = end
	}
	if strings.Contains(text, "PRIVATE KEY") {
		for _, m := range pemKey.FindAllStringIndex(text, -1) {
			hits = append(hits, hit{m[0], m[1], "private key"})
		}
	}
	// A run read from two starts finds some secrets twice, once with the escape's letter in
	// front ("nkcod_…" after \n): keep the one that starts after the escape.
	slices.SortFunc(hits, func(a, b hit) int { return cmp.Or(a.end-b.end, strings.Compare(a.kind, b.kind), b.start-a.start) })
	hits = slices.CompactFunc(hits, func(a, b hit) bool { return a.end == b.end && a.kind == b.kind })
	slices.SortFunc(hits, func(a, b hit) int { return a.start - b.start })
	return hits
}

// escapeSkips says where secrets may start in the run text[start:end]: at its start, and, when
// the run follows an escape, after the escape's letters, so that a token pasted after a \n in
// JSON or a %3D in an address ("\nghp_…", "token%3Dghp_…") is found as the token it is.
func escapeSkips(text string, start, end int) []int {
	skips := []int{0}
	if start == 0 {
		return skips
	}
	run := text[start:end]
	hex := func(s string) bool {
		for _, c := range s {
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
		return true
	}
	switch text[start-1] {
	case '\\':
		switch {
		case run[0] == 'u' && len(run) > 5 && hex(run[1:5]):
			skips = append(skips, 5)
		case run[0] == 'x' && len(run) > 3 && hex(run[1:3]):
			skips = append(skips, 3)
		default:
			skips = append(skips, 1) // \n, \t, \r and the like
		}
	case '%':
		if len(run) > 2 && hex(run[:2]) {
			skips = append(skips, 2)
		}
	}
	return skips
}

// minRun is the length of the shortest secret of those made of tokenByte characters (a Slack
// token: xoxb- and ten more).
const minRun = 15

var tokenByte = func() (t [256]bool) {
	for _, c := range "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-" {
		t[c] = true
	}
	return t
}()

var pemKey = regexp.MustCompile(privateKey)

// keyBody is the part of a docket key after its prefix: 30 random characters and a checksum.
var keyBody = regexp.MustCompile(`_[0-9A-Za-z]{36}`)

// looseKeys finds docket keys by their checksum wherever they are, with their prefix.
func looseKeys(text string) []hit {
	var hits []hit
	for _, m := range keyBody.FindAllStringIndex(text, -1) {
		if !keys.Valid("kx" + text[m[0]:m[1]]) {
			continue
		}
		start := m[0]
		for start > 0 && m[0]-start < 10 && isKeyPrefix(text[start-1]) {
			start--
		}
		hits = append(hits, hit{start, m[1], KindDocketKey})
	}
	return hits
}

func isKeyPrefix(b byte) bool { return 'a' <= b && b <= 'z' || '0' <= b && b <= '9' }

// Scan returns every secret in text, in order.
func Scan(text string) []Match {
	hits := find(text, false)
	out := make([]Match, 0, len(hits))
	for _, h := range hits {
		line := 1 + strings.Count(text[:h.start], "\n")
		col := h.start - strings.LastIndexByte(text[:h.start], '\n')
		out = append(out, Match{Line: line, Col: col, Kind: h.kind})
	}
	return out
}

// Redact replaces every secret in text with [redacted], so that a message quoting what a
// requester wrote never repeats a secret they pasted by mistake. It finds secrets more eagerly
// than Scan: also run together with other text, or longer than the format says.
func Redact(text string) string {
	hits := find(text, true)
	if len(hits) == 0 {
		return text
	}
	var b strings.Builder
	pos := 0 // the end of what is written or redacted
	for _, h := range hits {
		switch {
		case h.end <= pos:
			continue // inside one already redacted
		case h.start >= pos:
			b.WriteString(text[pos:h.start])
			b.WriteString("[redacted]")
		}
		pos = h.end // overlapping the last one: redact up to its end too
	}
	b.WriteString(text[pos:])
	return b.String()
}

// Shorten redacts text and then cuts it to at most n characters, marking the cut with "…". Any
// code that shortens what a requester wrote for a message must use it: cutting first would leave
// part of a secret, too short for Redact to recognise, in the message.
func Shorten(text string, n int) string {
	text = Redact(text)
	if utf8.RuneCountInString(text) <= n {
		return text
	}
	r := []rune(text)
	return string(r[:n]) + "…"
}

// Named returns a kind with its indefinite article, as messages say it: "an AWS access key",
// "a GitHub token".
func Named(kind string) string {
	if kind != "" && strings.ContainsRune("AEIOUaeiou", rune(kind[0])) {
		return "an " + kind
	}
	return "a " + kind
}

// minPart is the shortest part of a secret RedactFrom removes: long enough that ordinary words
// are not taken for one, short enough that what is left of a secret is of no use.
const minPart = 8

// RedactFrom redacts text, and also every run of at least minPart characters of a secret that
// source holds. A message that quotes a word of what a requester wrote (cut at a "_" or "-", or
// decoded from an escape) can repeat a secret's body without the prefix Redact recognises it
// by; source is the text the message speaks of.
func RedactFrom(text, source string) string { return RedactParts(text, In(source)) }

// In returns the secrets in text, as Redact finds them, for RedactParts.
func In(text string) []string {
	var out []string
	for _, h := range find(text, true) {
		out = append(out, text[h.start:h.end])
	}
	return out
}

// RedactParts redacts text, and also every run of at least minPart characters of any of the
// secrets found (by In) in the text it speaks of.
func RedactParts(text string, found []string) string {
	text = Redact(text)
	for _, secret := range found {
		var b strings.Builder
		for i := 0; i < len(text); {
			if n := longestPart(text[i:], secret); n >= minPart {
				b.WriteString("[redacted]")
				i += n
				continue
			}
			b.WriteByte(text[i])
			i++
		}
		text = b.String()
	}
	return text
}

// longestPart returns the length of the longest prefix of s that occurs in secret.
func longestPart(s, secret string) int {
	n := 0
	for n < len(s) && strings.Contains(secret, s[:n+1]) {
		n++
	}
	return n
}
