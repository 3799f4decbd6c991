package check

import (
	"fmt"
	"strings"
	"testing"

	"github.com/opendata-docket/docket/internal/secrets/secretstest"
)

// Names that do not look like what they are are refused anywhere in the tree, and every output
// shows them escaped.
func TestInvisibleCharactersInNames(t *testing.T) {
	invisible := "file names may not contain invisible characters, odd spaces or characters that change the direction of text (this one has U+%04X), because they make a name look like another; rename the file"
	control := "file names may not contain control characters or line breaks; rename the file"
	for _, tc := range []struct {
		path, shown, want string
	}{
		{".github/workflows/docs-\u202etxt.yml", `.github/workflows/docs-\u202etxt.yml`, fmt.Sprintf(invisible, 0x202E)},
		{"docs/\u2066isolate\u2069.md", `docs/\u2066isolate\u2069.md`, fmt.Sprintf(invisible, 0x2066)},
		{"requests/open/re\u200bquest.yaml", `requests/open/re\u200bquest.yaml`, fmt.Sprintf(invisible, 0x200B)},
		{"site/a\u200db.css", `site/a\u200db.css`, fmt.Sprintf(invisible, 0x200D)},
		{"site/\ufeffbom.css", `site/\ufeffbom.css`, fmt.Sprintf(invisible, 0xFEFF)},
		{"site/soft\u00adhyphen.css", `site/soft\u00adhyphen.css`, fmt.Sprintf(invisible, 0xAD)},
		{"README\u00a0.md", `README\u00a0.md`, fmt.Sprintf(invisible, 0xA0)},
		{"docs/ideographic\u3000space.md", `docs/ideographic\u3000space.md`, fmt.Sprintf(invisible, 0x3000)},
		{"docs/hangul\u3164filler.md", `docs/hangul\u3164filler.md`, fmt.Sprintf(invisible, 0x3164)},
		{"docs/variation\ufe0f.md", `docs/variation\ufe0f.md`, fmt.Sprintf(invisible, 0xFE0F)},
		{"docs/tag\U000E0041.md", `docs/tag\U000e0041.md`, fmt.Sprintf(invisible, 0xE0041)},
		{"docs/line\u2028sep.md", `docs/line\u2028sep.md`, control},
		{"docs/esc\x1b[31m.md", `docs/esc\x1b[31m.md`, control},
		{"docs/latin1-caf\xe9.md", `docs/latin1-caf\xe9.md`, "file names must be UTF-8 text; rename the file"},
	} {
		res := run(t, base.With(tc.path, "x\n"), "staff-ann", Options{})
		want := tc.path + ":1:1: " + tc.want
		if got := errorsOf(res); len(got) == 0 || got[0] != want {
			t.Errorf("%q:\n got %q\nwant %q", tc.path, got, want)
		}
		var js strings.Builder
		rep := res.Report(1, "abc")
		if err := rep.WriteJSON(&js); err != nil {
			t.Fatal(err)
		}
		md := rep.Markdown()
		for name, out := range map[string]string{"json": js.String(), "markdown": md} {
			if strings.Contains(out, tc.path) {
				t.Errorf("%s shows %q unescaped", name, tc.path)
			}
		}
		if !strings.Contains(js.String(), strings.ReplaceAll(tc.shown, `\`, `\\`)) {
			t.Errorf("json does not show %s:\n%s", tc.shown, js.String())
		}
		if !strings.Contains(md, strings.ReplaceAll(strings.ReplaceAll(tc.shown, `\`, `\\`), "[", `\[`)) {
			t.Errorf("markdown does not show %s:\n%s", tc.shown, md)
		}
	}
	// Plain names in other scripts, and emoji, are fine.
	if got := errorsOf(run(t, base.With("docs/café-東京-✓.md", "x\n"), "staff-ann", Options{})); len(got) != 0 {
		t.Errorf("a plain name was refused: %q", got)
	}
}

// The report and its Markdown never repeat a secret a name or a note holds, even when the
// report was written by someone else (it is read back from an artifact).
func TestReportNeverRepeatsASecret(t *testing.T) {
	for _, ex := range secretstest.Examples() {
		s := secretstest.OneLine(ex.Secret)
		rep := &Report{Version: reportVersion, PullRequest: 1, HeadSHA: s, Actor: s,
			Changes:  []Change{{Path: "docs/" + s, Action: "added", Area: Area(s), ID: s}},
			Effects:  []string{"Merging submits " + s},
			Notes:    []string{"Changes outside requests/: docs/" + s},
			Findings: nil,
		}
		if leak := secretstest.Leak(rep.Markdown(), 12); leak != "" {
			t.Errorf("%s: the Markdown of a report leaks %q", ex.Kind, leak)
		}
		res := &Result{Actor: s, Changes: rep.Changes, Effects: rep.Effects, Notes: rep.Notes}
		var js strings.Builder
		if err := res.Report(1, s).WriteJSON(&js); err != nil {
			t.Fatal(err)
		}
		if leak := secretstest.Leak(js.String(), 12); leak != "" {
			t.Errorf("%s: the JSON report leaks %q", ex.Kind, leak)
		}
	}
}
