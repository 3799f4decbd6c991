package website

import (
	"strings"
	"testing"
)

func TestUntrustedMarkdown(t *testing.T) {
	md := newMarkdown(true)
	for _, tc := range []struct {
		in      string
		want    []string // substrings of the output
		mustNot []string
	}{
		{"<script>alert(1)</script>", []string{"&lt;script&gt;alert(1)&lt;/script&gt;"}, []string{"<script"}},
		{"hi <img src=x onerror=alert(1)> there", []string{"&lt;img src=x onerror=alert(1)&gt;"}, []string{"<img"}},
		{`"><img src=x onerror=alert(1)>`, []string{"&lt;img"}, []string{"<img"}},
		{"[click](javascript:alert(1))", []string{"click"}, []string{"href", "javascript"}},
		{"[click](JaVaScRiPt:alert(1))", []string{"click"}, []string{"href"}},
		{"[click](java\tscript:alert(1))", []string{"click"}, []string{"href"}},
		{"[click](data:text/html;base64,PHNjcmlwdD4=)", []string{"click"}, []string{"href"}},
		{"[click](/etc/passwd)", []string{"click"}, []string{"href"}},
		{"[click](//evil.example/x)", []string{"click"}, []string{"href"}},
		{"<javascript:alert(1)>", []string{"javascript:alert(1)"}, []string{"href"}},
		{"<vbscript:msgbox>", []string{"vbscript:msgbox"}, []string{"href"}},
		{"![alt text](javascript:alert(1))", []string{"alt text"}, []string{"<img", "href"}},
		{"![a pixel](https://tracker.example/p.gif)", []string{`<a href="https://tracker.example/p.gif"`, "a pixel"}, []string{"<img"}},
		{"[ok](https://data.kcmo.org/x)", []string{`<a href="https://data.kcmo.org/x" rel="nofollow ugc noopener">ok</a>`}, nil},
		{"<https://data.kcmo.org>", []string{`href="https://data.kcmo.org"`}, nil},
		{"write to <open@kcmo.org>", []string{`href="mailto:open@kcmo.org"`}, nil},
		{"see www.kcmo.gov today", []string{`href="http://www.kcmo.gov"`}, nil},
		{"# Big\n\ntext", []string{"<p><strong>Big</strong></p>"}, []string{"<h"}},
		{"## Decision\n\n**Approved**", []string{"<p><strong>Decision</strong></p>"}, []string{"<h2", "<h5"}},
		{"[https://www.kcmo.gov/apply](https://evil.example/x)", []string{`">https://www.kcmo.gov/apply</a> <bdi class="link-host" dir="ltr">(evil.example)</bdi>`}, nil},
		{"[download the key](https://evil.example/k)", []string{`">download the key</a> <bdi class="link-host" dir="ltr">(evil.example)</bdi>`}, nil},
		{"[the portal](https://data.kcmo.org/)", []string{`">the portal</a> <bdi class="link-host" dir="ltr">(data.kcmo.org)</bdi>`}, nil},
		{"[data.kcmo.org/d/1](https://data.kcmo.org/d/1)", []string{`">data.kcmo.org/d/1</a>`}, []string{"(data.kcmo.org)", "link-host"}},
		{"{{template \"x\"}} {{.Secret}}", []string{"{{template &quot;x&quot;}} {{.Secret}}"}, nil},
		{"[x](https://a.example \"title\"><script>\")", nil, []string{"<script"}},
		{"<div onclick=alert(1)>\nhi\n</div>", []string{"&lt;div onclick=alert(1)&gt;"}, []string{"<div"}},
		{"<!-- comment --> and <?php x ?>", []string{"&lt;!-- comment --&gt;"}, []string{"<!--"}},
	} {
		got := string(md.HTML(tc.in))
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%q:\n got %s\nwant it to contain %s", tc.in, got, w)
			}
		}
		for _, w := range tc.mustNot {
			if strings.Contains(strings.ToLower(got), strings.ToLower(w)) {
				t.Errorf("%q:\n got %s\nmust not contain %s", tc.in, got, w)
			}
		}
	}
}

func TestTrustedMarkdownKeepsRelativeLinks(t *testing.T) {
	got := string(newMarkdown(false).HTML("[appeals](../appeals/index.html) <b>x</b>"))
	if !strings.Contains(got, `href="../appeals/index.html"`) || strings.Contains(got, "<b>") {
		t.Errorf("got %s", got)
	}
}

func FuzzUntrustedMarkdown(f *testing.F) {
	for _, s := range []string{"<script>x</script>", "[a](javascript:b)", "![i](data:x)", "<a:b>", "# h\n\n> q"} {
		f.Add(s)
	}
	md := newMarkdown(true)
	for _, s := range []string{"[https://data.kcmo.org](https:///evil.example)", "<https://a@b.example>", "[x](https://ex&#9;ample.org)", "[a][b]\n\n[b]: HTTPS://ＥＸ.example:0443/", "![a](https://xn--pypal-4ve.com)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// Every link goes to the host it shows (after it, or as its text).
		checkShownHosts(t, s, string(md.HTML(s)))
		out := strings.ToLower(string(md.HTML(s)))
		for _, bad := range []string{"<script", "<img", "<iframe", "javascript:", "<style", "<svg", " onerror="} {
			if strings.Contains(out, bad) && !strings.Contains(strings.ToLower(s), bad) {
				t.Fatalf("%q rendered %q", s, out)
			}
			if strings.Contains(out, bad) && bad[0] == '<' {
				t.Fatalf("%q rendered a real %s tag: %q", s, bad, out)
			}
		}
		if strings.Contains(out, `href="`) {
			for _, part := range strings.Split(out, `href="`)[1:] {
				if !(strings.HasPrefix(part, "http://") || strings.HasPrefix(part, "https://") || strings.HasPrefix(part, "mailto:")) {
					t.Fatalf("%q rendered a link to %q", s, part)
				}
			}
		}
	})
}

// A few kilobytes of table syntax must not turn into megabytes of cells: wide tables are shown
// as text, and anything that still grows past the budget is shown as written.
func TestUntrustedMarkdownIsBounded(t *testing.T) {
	md := newMarkdown(true)
	bomb := strings.Repeat("|a", 3000) + "\n" + strings.Repeat("|-", 3000) + "\n" + strings.Repeat("a\n", 4000)
	if got := md.HTML(bomb); len(got) > 4*len(bomb) {
		t.Errorf("%d bytes of Markdown became %d bytes of HTML", len(bomb), len(got))
	}
	quotes := strings.Repeat(strings.Repeat(">", 500)+" x\n", 40)
	if got := md.HTML(quotes); len(got) > maxHTML+len(quotes)*2 {
		t.Errorf("nested quotes became %d bytes of HTML", len(got))
	}
	small := "| a | b |\n|---|---|\n| 1 | 2 |\n"
	if got := md.HTML(small); !strings.Contains(string(got), "<table>") {
		t.Errorf("a small table is no longer a table: %s", got)
	}
}

func TestSpreadsheetSafe(t *testing.T) {
	for in, want := range map[string]string{
		"=2+2":          "'=2+2",
		" =2+2":         "' =2+2",
		"\u00a0+1":      "'\u00a0+1",
		"\u200b@SUM(1)": "'\u200b@SUM(1)",
		"-":             "'-",
		"plain":         "plain",
		"a=b":           "a=b",
		"":              "",
	} {
		if got := spreadsheetSafe(in); got != want {
			t.Errorf("spreadsheetSafe(%q) = %q, want %q", in, got, want)
		}
	}
}
