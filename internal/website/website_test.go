package website

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opendata-docket/docket/internal/gh"
	"golang.org/x/net/html"
)

const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'"

func sampleDocket(t *testing.T) string {
	dir := copyDocket(t, filepath.Join("..", ".."))
	withHistory(t, dir)
	return dir
}

func hostileDocket(t *testing.T) string {
	dir := copyDocket(t, filepath.Join("testdata", "hostile"))
	withHistory(t, dir)
	return dir
}

// readSite returns every file of a built site by its slash path.
func readSite(t *testing.T, out string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(out, p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestDeterministic(t *testing.T) {
	dir := sampleDocket(t)
	a, b := readSite(t, buildSite(t, dir, nil)), readSite(t, buildSite(t, dir, nil))
	if len(a) != len(b) || len(a) < 50 {
		t.Fatalf("two builds wrote %d and %d files", len(a), len(b))
	}
	for p, x := range a {
		if !bytes.Equal(x, b[p]) {
			t.Errorf("%s differs between two builds of the same state", p)
		}
	}
}

// TestPagesAreSafe checks every HTML page of a site built from hostile requests: the only
// script is the site's own, no element has an event handler, every link is relative or http,
// https or mailto, and the Content-Security-Policy is on every page. The browser test proves
// the same by running the pages.
func TestPagesAreSafe(t *testing.T) {
	files := readSite(t, buildSite(t, hostileDocket(t), nil))
	pages := 0
	for p, b := range files {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		pages++
		sawCSP := false
		z := html.NewTokenizer(bytes.NewReader(b))
		inScript := false
		for {
			tt := z.Next()
			if tt == html.ErrorToken {
				break
			}
			tok := z.Token()
			switch tt {
			case html.TextToken:
				if inScript && strings.TrimSpace(tok.Data) != "" {
					t.Errorf("%s: inline script %q", p, tok.Data)
				}
			case html.EndTagToken:
				if tok.Data == "script" {
					inScript = false
				}
			case html.StartTagToken, html.SelfClosingTagToken:
				switch tok.Data {
				case "script":
					inScript = true
					if src := attr(tok, "src"); !strings.HasSuffix(src, "assets/app.js") || strings.Contains(src, ":") {
						t.Errorf("%s: script %q", p, src)
					}
				case "img", "iframe", "object", "embed", "style", "base", "form", "frame", "link":
					if tok.Data == "link" && (attr(tok, "rel") == "stylesheet" && strings.HasSuffix(attr(tok, "href"), "assets/style.css") || attr(tok, "rel") == "canonical" || attr(tok, "rel") == "alternate") {
						break
					}
					t.Errorf("%s: unexpected <%s> %v", p, tok.Data, tok.Attr)
				case "svg":
					if p != "stats/index.html" {
						t.Errorf("%s: <svg> outside the statistics page", p)
					}
				case "meta":
					if attr(tok, "http-equiv") == "Content-Security-Policy" && attr(tok, "content") == csp {
						sawCSP = true
					}
				}
				for _, a := range tok.Attr {
					if strings.HasPrefix(strings.ToLower(a.Key), "on") || a.Key == "style" || a.Key == "srcdoc" {
						t.Errorf("%s: <%s %s=%q>", p, tok.Data, a.Key, a.Val)
					}
					if a.Key == "href" || a.Key == "src" || a.Key == "action" || a.Key == "formaction" {
						if u, err := url.Parse(a.Val); err != nil || (u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "mailto") {
							t.Errorf("%s: <%s %s=%q>", p, tok.Data, a.Key, a.Val)
						}
					}
				}
			}
		}
		if !sawCSP {
			t.Errorf("%s: no Content-Security-Policy", p)
		}
	}
	if pages < 20 {
		t.Errorf("only %d pages", pages)
	}
	page := string(files["requests/xss-dataset/index.html"])
	for _, want := range []string{
		"&lt;script&gt;window.pwned=1&lt;/script&gt;",                  // the title, as text
		"{{template &#34;x&#34;}}",                                     // template syntax, as text
		"&lt;a href=&quot;javascript:window.pwned=1&quot;&gt;raw link", // raw HTML, as text
		`<a href="https://example.org/ok" rel="nofollow ugc noopener">fine link</a>`,
		`<a href="https://tracker.example/pixel.gif" rel="nofollow ugc noopener">tracker</a>`,
		"<p><strong>A heading that should not outrank the page</strong></p>",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the hostile request's page lacks %s", want)
		}
	}
	var rows [][]string
	rows, err := csv.NewReader(bytes.NewReader(files["requests.csv"])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows {
		for _, c := range row {
			if c != "" && strings.ContainsRune("=+-@", rune(c[0])) {
				t.Errorf("requests.csv has a cell a spreadsheet would run: %q", c)
			}
		}
	}
	if bytes.Contains(files["requests.json"], []byte("<script")) {
		t.Error("requests.json has an unescaped <script")
	}
}

func attr(tok html.Token, key string) string {
	for _, a := range tok.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// TestLinks follows every relative link from index.html: each must lead to a file of the site,
// and every request page, guide and listing must be reached.
func TestLinks(t *testing.T) {
	files := readSite(t, buildSite(t, sampleDocket(t), nil))
	seen := map[string]bool{"index.html": true}
	queue := []string{"index.html"}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		z := html.NewTokenizer(bytes.NewReader(files[p]))
		for tt := z.Next(); tt != html.ErrorToken; tt = z.Next() {
			tok := z.Token()
			for _, a := range tok.Attr {
				if a.Key != "href" && a.Key != "src" {
					continue
				}
				u, err := url.Parse(a.Val)
				if err != nil || u.Scheme != "" || u.Host != "" || u.Path == "" {
					continue
				}
				if strings.HasPrefix(u.Path, "/") {
					t.Errorf("%s: absolute internal link %q; links must be relative", p, a.Val)
					continue
				}
				target := path.Clean(path.Join(path.Dir(p), u.Path))
				if strings.HasSuffix(u.Path, "/") {
					t.Errorf("%s: link %q to a folder does not open from the file system; link index.html", p, a.Val)
				}
				if _, ok := files[target]; !ok {
					t.Errorf("%s: broken link %q", p, a.Val)
					continue
				}
				if !seen[target] {
					seen[target] = true
					queue = append(queue, target)
				}
			}
		}
	}
	for p := range files {
		if (strings.HasSuffix(p, ".html") && p != "404.html") || strings.HasSuffix(p, ".json") || strings.HasSuffix(p, ".xml") || strings.HasSuffix(p, ".csv") {
			if !seen[p] {
				t.Errorf("%s cannot be reached from index.html", p)
			}
		}
	}
}

func TestTimelineAndCounters(t *testing.T) {
	files := readSite(t, buildSite(t, sampleDocket(t), nil))
	var recs []jsonRecord
	if err := json.Unmarshal(files["requests.json"], &recs); err != nil {
		t.Fatal(err)
	}
	byID := map[string]jsonRecord{}
	for _, r := range recs {
		byID[r.ID] = r
	}
	// The appealed sample was submitted a week before its denial and appealed later.
	r := byID["ems-response-times-research"]
	var changes []string
	for _, e := range r.Timeline {
		changes = append(changes, e.Change)
	}
	if strings.Join(changes, " ") != "submitted denied appealed" || r.DaysToDecision == nil || *r.DaysToDecision != 7 || r.Status != "appealed" {
		t.Errorf("ems-response-times-research: timeline %v, days to decision %v, status %s", changes, r.DaysToDecision, r.Status)
	}
	page := string(files["requests/ems-response-times-research/index.html"])
	for _, want := range []string{">Appealed</span>", "Days to decision", "What happens next", "The evaluation criteria", "Data sensitivity and privacy"} {
		if !strings.Contains(page, want) {
			t.Errorf("request page lacks %q", want)
		}
	}
	// A requester who gave a name and no organisation is shown by name, not as "individual".
	if index := string(files["index.html"]); !strings.Contains(index, `<td data-label="Requester">Evelyn Brooks</td>`) {
		t.Error("the index does not show the individual requester's name")
	}
	stats := string(files["stats/index.html"])
	if !strings.Contains(stats, `<h2 id="by-status">Requests by status</h2>`) || !strings.Contains(stats, `<div class="bars" role="img" aria-labelledby="by-status by-status-desc">`) {
		t.Error("the status chart is not named by its heading")
	}
	if !strings.Contains(string(files["feed.xml"]), "<title>New request: “Incident-level EMS response times") {
		t.Error("the feed has no entry for a new request")
	}
}

func TestHistoryUnavailable(t *testing.T) {
	dir := copyDocket(t, filepath.Join("testdata", "hostile"))
	files := readSite(t, buildSite(t, dir, &Input{HistoryNote: "the repository is a shallow clone"}))
	if !strings.Contains(string(files["requests/xss-api/index.html"]), "The timeline is not available: the repository is a shallow clone.") {
		t.Error("a request page does not say why there is no timeline")
	}
}

func TestPendingPullRequests(t *testing.T) {
	dir := copyDocket(t, filepath.Join("testdata", "hostile"))
	pr := gh.PendingRequest{Number: 42, Title: "Bus feed <script>window.pwned=1</script>", Author: "maria", URL: "https://github.com/kcmo/requests/pull/42",
		Created: time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC), IDs: []string{"bus-feed", "xss-api"}}
	files := readSite(t, buildSite(t, dir, &Input{Pending: []gh.PendingRequest{pr}, Source: "https://github.com/kcmo/requests"}))
	index := string(files["index.html"])
	if !strings.Contains(index, `<a href="https://github.com/kcmo/requests/pull/42">Proposed request bus-feed</a>`) {
		t.Error("the pending pull request is not listed by its id, linked to the pull request")
	}
	if strings.Contains(index, "Bus feed") {
		t.Error("the unreviewed title of a pull request is on the site")
	}
	// The clock starts when the requester asks: it counts as one more request, and an open one.
	without := readSite(t, buildSite(t, copyDocket(t, filepath.Join("testdata", "hostile")), &Input{}))
	total := regexp.MustCompile(`<span class="count-n">(\d+)</span> <span class="count-label">requests in all`)
	a, b := total.FindStringSubmatch(string(files["stats/index.html"])), total.FindStringSubmatch(string(without["stats/index.html"]))
	if a == nil || b == nil || a[1] != strconv.Itoa(atoi(t, b[1])+1) {
		t.Errorf("the pending pull request is not counted as a request: %v with it, %v without", a, b)
	}
	if strings.Count(index, "pull/42") != 1 {
		t.Error("a pull request that adds an id already merged must not be listed again")
	}
	if _, ok := files["requests/bus-feed/index.html"]; ok {
		t.Error("a pending request has no page of its own; it links to its pull request")
	}
}

func TestRefusesForeignOutput(t *testing.T) {
	out := t.TempDir()
	if err := os.WriteFile(filepath.Join(out, "precious.txt"), []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := prepareOut(out); err == nil || !strings.Contains(err.Error(), "was not made by docket build") {
		t.Errorf("prepareOut = %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "precious.txt")); err != nil {
		t.Error("a folder not made by docket build was emptied")
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
