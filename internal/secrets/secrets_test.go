package secrets

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/opendata-docket/docket/internal/keys"
	"github.com/opendata-docket/docket/internal/secrets/secretstest"
)

func TestScan(t *testing.T) {
	key, err := keys.New("kcod")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join([]string{
		"title: fine",
		"token: " + key,
		"gh: ghp_" + strings.Repeat("A1b2", 9),
		"aws: AKIA" + strings.Repeat("Z", 16),
		"-----BEGIN OPENSSH PRIVATE KEY-----",
		"age: AGE-SECRET-KEY-1" + strings.Repeat("Q", 58),
		"not a key: kcod_" + strings.Repeat("a", 36),
		"not a token: ghp_short",
	}, "\n")
	want := []Match{
		{2, 8, "API key issued by docket"},
		{3, 5, "GitHub token"},
		{4, 6, "AWS access key"},
		{5, 1, "private key"},
		{6, 6, "age secret key"},
	}
	if got := Scan(text); !reflect.DeepEqual(got, want) {
		t.Errorf("Scan:\n got %+v\nwant %+v", got, want)
	}
	if got := Scan("plain text with kcod_ and AKIA and ghp_ but no secrets"); len(got) != 0 {
		t.Errorf("false positives: %+v", got)
	}
}

func TestRedact(t *testing.T) {
	key, _ := keys.New("kcod")
	gh := "ghp_" + strings.Repeat("A1b2", 9)
	in := `not "` + key + `"; also ` + gh + ` and kcod_` + strings.Repeat("a", 36)
	want := `not "[redacted]"; also [redacted] and kcod_` + strings.Repeat("a", 36)
	if got := Redact(in); got != want {
		t.Errorf("Redact:\n got %q\nwant %q", got, want)
	}
	if got := Redact("nothing here"); got != "nothing here" {
		t.Errorf("Redact changed clean text: %q", got)
	}
}

// Every format Scan knows has an example in secretstest, which the tests that paste secrets into
// docket's outputs use; Scan finds each example as its kind, and Redact removes all of it.
func TestEveryKindHasAnExample(t *testing.T) {
	examples := secretstest.Examples()
	for i, p := range patterns {
		found := false
		for _, ex := range examples {
			found = found || (ex.Kind == p.kind && p.re.MatchString(ex.Secret))
		}
		if !found {
			t.Errorf("pattern %d (%s) has no example in secretstest", i, p.kind)
		}
	}
	for _, ex := range examples {
		for _, text := range []string{ex.Secret, "x: " + ex.Secret + "\n", secretstest.OneLine(ex.Secret)} {
			if m := Scan(text); len(m) != 1 || m[0].Kind != ex.Kind {
				t.Errorf("Scan(%s example) = %+v", ex.Kind, m)
			}
		}
		// Redact finds secrets also run together with other text, or cut short by a quote.
		for _, text := range []string{ex.Secret, "a" + ex.Secret + "b", "x_" + ex.Secret + "_y", strconvQuote(ex.Secret), secretstest.OneLine(ex.Secret)} {
			if leak := secretstest.Leak(Redact(text), 12); leak != "" {
				t.Errorf("Redact(%s in %q) leaves %q", ex.Kind, text, leak)
			}
		}
	}
	if kinds := Kinds(); len(kinds) != 8 || kinds[0] != KindDocketKey {
		t.Errorf("Kinds() = %q", kinds)
	}
}

func strconvQuote(s string) string { return strconv.Quote(s) }

// The example of the issue: an age secret key pasted where a recipient goes, quoted in a message
// that cuts values at 60 characters. Cutting first left 44 of its 58 characters.
func TestShortenRedactsBeforeCutting(t *testing.T) {
	for _, ex := range secretstest.Examples() {
		for _, n := range []int{1, 12, 20, 40, 60, 100} {
			got := Shorten("value: "+ex.Secret+" and more text after it", n)
			if leak := secretstest.Leak(got, 12); leak != "" {
				t.Errorf("Shorten(%s, %d) = %q leaks %q", ex.Kind, n, got, leak)
			}
			if utf8.RuneCountInString(got) > n+1 {
				t.Errorf("Shorten(%s, %d) = %q is longer than %d characters and the mark", ex.Kind, n, got, n)
			}
		}
	}
	if got := Shorten("short", 60); got != "short" {
		t.Errorf("Shorten changed short text: %q", got)
	}
	if got := Shorten("ééééé", 3); got != "ééé…" {
		t.Errorf("Shorten cut inside a character: %q", got)
	}
}

func TestRedactOverlapping(t *testing.T) {
	// The AWS key overlaps the end of the loose GitHub match: everything of both goes.
	gh := "ghp_" + strings.Repeat("A1b2", 9)
	in := "x " + gh + "AKIA" + strings.Repeat("Q", 16) + " y"
	if got := Redact(in); got != "x [redacted] y" {
		t.Errorf("Redact = %q", got)
	}
}

// naive is find without the shortcut of scanning runs only: every pattern on the whole text.
func naive(text string) []hit {
	var hits []hit
	for _, m := range keys.Find(text) {
		hits = append(hits, hit{m[0], m[1], KindDocketKey})
	}
	for _, p := range patterns {
		for _, m := range p.re.FindAllStringIndex(text, -1) {
			hits = append(hits, hit{m[0], m[1], p.kind})
		}
	}
	slices.SortStableFunc(hits, func(a, b hit) int { return a.start - b.start })
	return hits
}

// FuzzFindMatchesNaive checks that scanning only runs of token characters finds exactly what
// every pattern finds on the whole text.
func FuzzFindMatchesNaive(f *testing.F) {
	for _, ex := range secretstest.Examples() {
		for _, around := range []string{" ", "\x00", "\xff", "é", ".", "-", "_", "a", "\n"} {
			f.Add(around + ex.Secret + around + secretstest.OneLine(ex.Secret) + around)
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		got, want := find(text, false), naive(text)
		sortHits := func(h []hit) {
			slices.SortFunc(h, func(a, b hit) int {
				if a.start != b.start {
					return a.start - b.start
				}
				return strings.Compare(a.kind, b.kind)
			})
		}
		sortHits(got)
		sortHits(want)
		if strings.ContainsAny(text, "\\%") {
			// After an escape find also looks past the escape's letters (TestSecretsAfterEscapes):
			// it finds at least what the patterns find in the whole text.
			for _, w := range want {
				if !slices.ContainsFunc(got, func(g hit) bool { return g.kind == w.kind && g.start <= w.start && g.end >= w.end }) {
					t.Errorf("find(%q) = %v, missing %v", text, got, w)
				}
			}
			return
		}
		if !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Errorf("find(%q) = %v, want %v", text, got, want)
		}
	})
}

// A token pasted after an escape is found as the token it is: after \n in JSON, \t, a \u0020 or
// \x20 escape, or a percent-escape in an address. Text without an escape is read as before.
func TestSecretsAfterEscapes(t *testing.T) {
	for _, ex := range secretstest.Examples() {
		if ex.Kind == "private key" {
			continue
		}
		for _, wrap := range []string{
			`{"outputs": ["export TOKEN\n%s\n"]}`,
			`"a\t%s"`,
			`say \u0020%s`,
			`say \x20%s`,
			`https://example.org/cb?next=%%2Fapi%%3Ftoken%%3D%s`,
			`token%%3A%s&x=1`,
		} {
			text := fmt.Sprintf(wrap, ex.Secret)
			got := Scan(text)
			if len(got) != 1 || got[0].Kind != ex.Kind {
				t.Errorf("%s in %q: found %v", ex.Kind, wrap, got)
			}
		}
	}
}

// A message that repeats part of a secret from its source loses that part, whatever cut it.
func TestRedactFrom(t *testing.T) {
	for _, ex := range secretstest.Examples() {
		source := "title: 'token " + ex.Secret + "'s dashboard'\n"
		body := ex.Secret[len(ex.Secret)/3:]
		msg := "the apostrophe in \"" + body + "'s\" ends the text; the rest of it: " + ex.Secret[:len(ex.Secret)/2]
		got := RedactFrom(msg, source)
		for i := 0; i+12 <= len(ex.Secret); i++ {
			if strings.Contains(got, ex.Secret[i:i+12]) {
				t.Errorf("%s: %q repeats %q", ex.Kind, got, ex.Secret[i:i+12])
				break
			}
		}
		if !strings.Contains(got, "the apostrophe in") {
			t.Errorf("%s: the message lost its words: %q", ex.Kind, got)
		}
	}
	if got := RedactFrom("nothing secret here", "no secret either"); got != "nothing secret here" {
		t.Errorf("RedactFrom changed a message with no secret: %q", got)
	}
}
