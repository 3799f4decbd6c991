package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/secrets/secretstest"
)

var sample = []docket.Finding{
	{Path: "requests/a,b:c/request.yaml", Line: 3, Col: 5, Field: "title", Message: "100% wrong\n::error::forged"},
	{Path: "requests/x/request.yaml", Line: 0, Col: 0, Message: "whole file", Severity: docket.Warning},
}

func TestGitHubEscapesWorkflowCommands(t *testing.T) {
	var b bytes.Buffer
	if err := GitHub(&b, sample); err != nil {
		t.Fatal(err)
	}
	want := "::error file=requests/a%2Cb%3Ac/request.yaml,line=3,col=5,title=docket::title: 100%25 wrong\\n::error::forged\n" +
		"::warning file=requests/x/request.yaml,line=1,col=1,title=docket::whole file\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	if strings.Count(b.String(), "\n") != len(sample) {
		t.Error("a finding spilled onto more than one line")
	}
}

func TestTextEscapesControlCharacters(t *testing.T) {
	var b bytes.Buffer
	f := []docket.Finding{{Path: "requests/\x1b[2Jx/request.yaml", Line: 1, Col: 1, Message: "bad"}}
	if err := Text(&b, f); err != nil {
		t.Fatal(err)
	}
	if want := "requests/\\x1b[2Jx/request.yaml:1:1: bad\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

func TestJSON(t *testing.T) {
	var b bytes.Buffer
	if err := JSON(&b, nil); err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(b.String()) != "[]" {
		t.Errorf("no findings: got %q, want []", b.String())
	}
	b.Reset()
	if err := JSON(&b, sample); err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0]["field"] != "title" || got[0]["line"] != 3.0 || got[1]["severity"] != "warning" || got[1]["line"] != 1.0 {
		t.Errorf("unexpected JSON: %s", b.String())
	}
}

func TestWriteUnknownFormat(t *testing.T) {
	if err := Write(&bytes.Buffer{}, "xml", sample); err == nil {
		t.Error("unknown format accepted")
	}
}

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"docs-\u202etxt.yml":            `docs-\u202etxt.yml`, // shows as docs-lmy.txt
		"a\u200bb\u200dc\ufeffd\u00ade": `a\u200bb\u200dc\ufeffd\u00ade`,
		"no\u00a0break\u3000space":      `no\u00a0break\u3000space`,
		"line\u2028para\u2029":          `line\u2028para\u2029`,
		"ansi\x1b[2J\ttab\nnl\x7f":      `ansi\x1b[2J\ttab\nnl\x7f`,
		"hangul\u3164filler\u2800":      `hangul\u3164filler\u2800`,
		"private\ue000use\U000e0041tag": `private\ue000use\U000e0041tag`,
		"bad\xffbyte\xc3":               `bad\xffbyte\xc3`,
		"plain café ✓ … ok":             "plain café ✓ … ok",
	} {
		got := Printable(in)
		if got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
		if again := Printable(got); again != got {
			t.Errorf("Printable is not idempotent on %q: %q", got, again)
		}
	}
}

// Every format removes secrets and escapes invisible characters, in paths, fields and messages.
func TestFormatsArePrintable(t *testing.T) {
	for _, ex := range secretstest.Examples() {
		secret := secretstest.OneLine(ex.Secret)
		f := []docket.Finding{{Path: "docs/\u202e" + secret + ".txt", Line: 1, Col: 1, Field: secret, Message: "not \"" + secret + "\"\u2066"}}
		for _, format := range Formats {
			var b bytes.Buffer
			if err := Write(&b, format, f); err != nil {
				t.Fatal(err)
			}
			if leak := secretstest.Leak(b.String(), 12); leak != "" {
				t.Errorf("%s: %s output leaks %q: %s", ex.Kind, format, leak, b.String())
			}
			if strings.ContainsAny(b.String(), "\u202e\u2066") || !strings.Contains(b.String(), `\u202e`) {
				t.Errorf("%s output does not escape invisible characters: %s", format, b.String())
			}
		}
	}
}
