package website

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// renderedLink is a link in rendered untrusted Markdown and the host written after it.
type renderedLink struct{ href, label, hint string }

var linkRE = regexp.MustCompile(`(?s)<a href="([^"]*)"[^>]*>(.*?)</a>(?: <bdi class="link-host" dir="ltr">\(([^)]*)\)</bdi>)?`)

func renderedLinks(out string) []renderedLink {
	var ls []renderedLink
	for _, m := range linkRE.FindAllStringSubmatch(out, -1) {
		ls = append(ls, renderedLink{html.UnescapeString(m[1]), html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(m[2], "")), m[3]})
	}
	return ls
}

// TestLinksGoWhereTheySay tries each way an address can be read differently by a browser and
// by Go. Each either is no link at all, or links to a canonical address whose host is shown,
// after it or as its own text.
func TestLinksGoWhereTheySay(t *testing.T) {
	md := newMarkdown(true)
	type link = renderedLink
	for _, tc := range []struct {
		in   string
		want []link // hint "" means the label shows the host
	}{
		// The example: Go reads no host, Chromium goes to evil.example.
		{"[https://data.kcmo.org/apply](https:///evil.example/apply)", nil},
		{`[x](https:\\evil.example/a)`, nil},
		{"[x](https:/evil.example)", nil},
		{"[x](https:evil.example)", nil},
		{"[x](//evil.example/x)", nil},
		{"[x](https://evil&#9;.example/)", nil},
		{"[x](https://evil&#10;.example/)", nil},
		{"[x](https://evil.example/&#x202e;txt.exe)", nil},
		{"[x](https://ev&#xad;il.example/)", nil},
		{"[x](<https://evil.example/a b>)", nil},
		{"[x](https://user@evil.example/)", nil},
		{"[data.kcmo.org](https://data.kcmo.org@evil.example/)", nil},
		{"[data.kcmo.org](https://data.kcmo.org&#64;evil.example/)", nil},
		{"[data.kcmo.org](https://data.kcmo.org%40evil.example/)", nil},
		{"[x](https://%65vil.example/)", nil},
		{"[x](https://evil%2Eexample/)", nil},
		{"[x](https://[::1]/)", nil},
		{"[x](https://[::ffff:7f00:1]/)", nil},
		{"[x](http://0x7f.1/)", nil},
		{"[x](http://2130706433/)", nil},
		{"[x](http://127.1/)", nil},
		{"[x](http://0177.0.0.1/)", nil},
		{"[x](http://evil.0x10/)", nil},
		{"[x](https://evil.example./)", nil},
		{"[x](https://evil..example/)", nil},
		{"[x](https://evil.example:99999/)", nil},
		{"[x](https://evil.example:44a/)", nil},
		{"[x](https://xn--evil-.example/)", nil},
		{"[x](https://xn--zz.example/)", nil},
		{"[x](https://evil_host.example/)", nil},
		{"[x](ftp://evil.example/)", nil},
		{"[x](mailto:evil@evil.example?cc=city@kcmo.org)", nil},
		{"[x](mailto:a@b.example,c@evil.example)", nil},
		{"<https:///evil.example/apply>", nil},
		{`<https:\\evil.example>`, nil},
		{"<https://user@evil.example>", nil},
		{"[data.kcmo.org][r]\n\n[r]: https:///evil.example/apply", nil},
		{"![https://data.kcmo.org](https:///evil.example/p.png)", nil},

		// Links that stay links, canonical, with the host the browser goes to.
		{"[x](HTTPS://EVIL.EXAMPLE/Path)", []link{{"https://evil.example/Path", "x", "evil.example"}}},
		{"[x](https&#58;//evil.example/)", []link{{"https://evil.example/", "x", "evil.example"}}},
		{`[x](https:\/\/evil.example/a)`, []link{{"https://evil.example/a", "x", "evil.example"}}},
		{"[x](https://evil.example:443/a)", []link{{"https://evil.example/a", "x", "evil.example"}}},
		{"[x](http://evil.example:80)", []link{{"http://evil.example", "x", "evil.example"}}},
		{"[x](https://evil.example:08443/)", []link{{"https://evil.example:8443/", "x", "evil.example:8443"}}},
		{"[evil.example](https://evil.example:8443/)", []link{{"https://evil.example:8443/", "evil.example", "evil.example:8443"}}},
		{"[x](https://127.0.0.1/)", []link{{"https://127.0.0.1/", "x", "127.0.0.1"}}},
		{"[pаypal.com](https://pаypal.com/)", []link{{"https://xn--pypal-4ve.com/", "pаypal.com", "xn--pypal-4ve.com"}}},
		{"[x](https://xn--pypal-4ve.com/)", []link{{"https://xn--pypal-4ve.com/", "x", "xn--pypal-4ve.com"}}},
		{"[faß.example](https://faß.example/)", []link{{"https://xn--fa-hia.example/", "faß.example", "xn--fa-hia.example"}}},
		{"[x](https://evil。example/)", []link{{"https://evil.example/", "x", "evil.example"}}},
		{"[x](https://ＥＶＩＬ.example/)", []link{{"https://evil.example/", "x", "evil.example"}}},
		{"[x](https://evil.example/ü?q=\"<>)", []link{{"https://evil.example/%C3%BC?q=%22%3C%3E", "x", "evil.example"}}},
		{"[https://data.kcmo.org/apply](https://evil.example/apply)", []link{{"https://evil.example/apply", "https://data.kcmo.org/apply", "evil.example"}}},
		{"[www.kcmo.gov](https://kcmo.gov/)", []link{{"https://kcmo.gov/", "www.kcmo.gov", "kcmo.gov"}}},
		{"[data.kcmo.org:443](https://data.kcmo.org/)", []link{{"https://data.kcmo.org/", "data.kcmo.org:443", "data.kcmo.org"}}},
		{"[data.kcmo\n.org](https://data.kcmo.org/)", []link{{"https://data.kcmo.org/", "data.kcmo\n.org", "data.kcmo.org"}}},
		{"[&#x202e;gro.omck.atad](https://evil.example/)", []link{{"https://evil.example/", "\u202egro.omck.atad", "evil.example"}}},
		{"[\u212aansas.example](https://kansas.example/)", []link{{"https://kansas.example/", "\u212aansas.example", "kansas.example"}}},
		{"[data.kcmo.org][r]\n\n[r]: https://evil.example/x", []link{{"https://evil.example/x", "data.kcmo.org", "evil.example"}}},
		{"![https://data.kcmo.org](https://evil.example/p.png)", []link{{"https://evil.example/p.png", "https://data.kcmo.org", "evil.example"}}},
		{"![](https://evil.example/p.png)", []link{{"https://evil.example/p.png", "image: https://evil.example/p.png", "evil.example"}}},
		{"[write to us](mailto:open@kcmo.org)", []link{{"mailto:open@kcmo.org", "write to us", "open@kcmo.org"}}},
		{"[open@kcmo.org](mailto:evil@evil.example)", []link{{"mailto:evil@evil.example", "open@kcmo.org", "evil@evil.example"}}},

		// Links whose text shows where they go need no more.
		{"[data.kcmo.org/d/1](https://data.kcmo.org/d/1)", []link{{"https://data.kcmo.org/d/1", "data.kcmo.org/d/1", ""}}},
		{"[HTTPS://Data.KCMO.org](https://data.kcmo.org)", []link{{"https://data.kcmo.org", "HTTPS://Data.KCMO.org", ""}}},
		{"<HTTPS://DATA.KCMO.ORG/x>", []link{{"https://data.kcmo.org/x", "HTTPS://DATA.KCMO.ORG/x", ""}}},
		{"see https://data.kcmo.org/x today", []link{{"https://data.kcmo.org/x", "https://data.kcmo.org/x", ""}}},
		{"see www.kcmo.gov today", []link{{"http://www.kcmo.gov", "www.kcmo.gov", ""}}},
		{"write to <open@kcmo.org>", []link{{"mailto:open@kcmo.org", "open@kcmo.org", ""}}},
		{"write to open@kcmo.org", []link{{"mailto:open@kcmo.org", "open@kcmo.org", ""}}},
		{"[mailto:Open@kcmo.org](mailto:open@kcmo.org)", []link{{"mailto:open@kcmo.org", "mailto:Open@kcmo.org", ""}}},
	} {
		out := string(md.HTML(tc.in))
		got := renderedLinks(out)
		if strings.Count(out, "<a ") != len(got) {
			t.Errorf("%q: a link the test cannot read: %s", tc.in, out)
			continue
		}
		if len(got) != len(tc.want) {
			t.Errorf("%q:\n got links %q\nwant %q\n(%s)", tc.in, got, tc.want, out)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%q:\n got %q\nwant %q", tc.in, got[i], tc.want[i])
			}
		}
		checkShownHosts(t, tc.in, out)
	}
}

// checkShownHosts checks, for every link in out, that the host written after it (or else its
// text) is the host Go reads in its address; the browser test checks the same against
// Chromium.
func checkShownHosts(t *testing.T, in, out string) {
	t.Helper()
	for _, l := range renderedLinks(out) {
		u, err := url.Parse(l.href)
		if err != nil {
			t.Errorf("%q: links to %q, which does not parse: %v", in, l.href, err)
			continue
		}
		goesTo := u.Host
		if u.Scheme == "mailto" {
			goesTo = asciiLower(u.Opaque)
		}
		shown := l.hint
		if shown == "" {
			shown = shownHost(l.label, u.Scheme == "mailto")
		}
		if u.User != nil || goesTo == "" || shown != goesTo {
			t.Errorf("%q: the link to %q shows %q", in, l.href, shown)
		}
	}
}

// proseBlocks returns the inner HTML of each `<div class="prose…">` of a page, in order.
func proseBlocks(page string) []string {
	var out []string
	for _, part := range strings.Split(page, `<div class="prose`)[1:] {
		end := strings.Index(part, "</div>")
		if end < 0 {
			end = len(part)
		}
		out = append(out, part[:end])
	}
	return out
}

// TestHostileLinksPage builds the hostile links fixture: none of the addresses a browser reads
// differently from Go is a link, and every link shows the host it goes to.
func TestHostileLinksPage(t *testing.T) {
	files := readSite(t, buildSite(t, hostileDocket(t), nil))
	page := string(files["requests/xss-links/index.html"])
	i := strings.Index(page, "How the data will be used")
	if i < 0 {
		t.Fatal("the links fixture has no integration text")
	}
	refused := proseBlocks(page[i:])[0]
	if strings.Contains(refused, "<a ") || !strings.Contains(refused, "evil.example") {
		t.Errorf("an address a browser reads differently from Go is a link:\n%s", refused)
	}
	links := 0
	for p, b := range files {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		for _, block := range proseBlocks(string(b)) {
			links += len(renderedLinks(block))
			checkShownHosts(t, p, block)
		}
	}
	if n := len(renderedLinks(proseBlocks(page)[0])); n < 25 {
		t.Errorf("only %d links in the fixture's purpose", n)
	}
}
