package website

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBrowserPagination opens a list split into pages of 4 from disk (file:), as a person
// would: the page links work without the script, the search box loads the index only when it
// is used, finds a request on another page, and clearing it brings the page back. axe finds
// nothing serious on the pages, at a phone's width and a desktop's.
func TestBrowserPagination(t *testing.T) {
	bin := chromiumBinary(t)
	dir := sampleDocket(t)
	total := len(validDocket(t, dir).Folders)
	out := buildSitePaged(t, dir, nil, 4)
	pages := (total + 3) / 4
	tb := startChromium(t, bin).newTab(t)
	for _, pr := range tb.open(filepath.Join(out, "index.html")) {
		t.Error(pr)
	}
	indexLoaded := `(performance.getEntriesByType('resource').some(function (e) { return e.name.endsWith('/search-index.js'); }) || typeof window.docketIndex !== 'undefined')`
	var loaded bool
	tb.eval(indexLoaded, &loaded)
	if loaded {
		t.Error("the list loaded the search index before anyone searched")
	}

	// Next, then previous, by the links themselves.
	tb.eval(`document.querySelector('#pager a[rel="next"]').click(); true`)
	tb.problems(true)
	tb.waitFor(`location.pathname.endsWith('/page-2.html') && document.readyState === 'complete'`)
	var got struct {
		Current, Status, Title string
		Rows                   int
	}
	tb.eval(`({current: document.querySelector('#pager a[aria-current="page"]').textContent,
		status: document.querySelector('#pager p').textContent, title: document.title,
		rows: document.querySelectorAll('#requests tbody tr').length})`, &got)
	if got.Current != "Page 2" || got.Status != fmt.Sprintf("Page 2 of %d", pages) || !strings.HasPrefix(got.Title, fmt.Sprintf("All requests, page 2 of %d", pages)) || got.Rows != 4 {
		t.Errorf("page 2: %+v", got)
	}
	tb.eval(`document.querySelector('#pager a[rel="prev"]').click(); true`)
	tb.problems(true)
	tb.waitFor(`location.pathname.endsWith('/index.html') && document.readyState === 'complete'`)

	// A search finds a request that is not on the first page, from the index loaded now.
	var onPage []string
	tb.eval(`Array.prototype.map.call(document.querySelectorAll('#requests tbody .id'), function (e) { return e.textContent; })`, &onPage)
	var target string
	for _, f := range validDocket(t, dir).Folders {
		if !strings.Contains(strings.Join(onPage, " "), f.ID) {
			target = f.ID
			break
		}
	}
	tb.eval(`(function () { var q = document.getElementById('q'); q.value = ` + jsString(target) + `; q.dispatchEvent(new Event('input')); return true; })()`)
	tb.waitFor(`document.getElementById('count').textContent === 'Showing 1 of ` + fmt.Sprint(total) + ` requests.'`)
	var found struct {
		IDs    []string
		Href   string
		Pager  bool
		Loaded bool
	}
	tb.eval(`({ids: Array.prototype.map.call(document.querySelectorAll('#requests tbody .id'), function (e) { return e.textContent; }),
		href: document.querySelector('#requests tbody th a').getAttribute('href'),
		pager: document.getElementById('pager').hidden, loaded: `+indexLoaded+`})`, &found)
	if len(found.IDs) != 1 || found.IDs[0] != target || found.Href != "requests/"+target+"/index.html" || !found.Pager || !found.Loaded {
		t.Errorf("searching %s: %+v", target, found)
	}
	// The state is in the address; clearing the search brings the page's rows and links back.
	tb.waitFor(`location.hash.indexOf('q=') === 1`)
	tb.eval(`(function () { var q = document.getElementById('q'); q.value = ''; q.dispatchEvent(new Event('input')); return true; })()`)
	tb.waitFor(`!document.getElementById('pager').hidden && document.querySelectorAll('#requests tbody tr').length === 4 && document.getElementById('count').textContent.indexOf('Page 1 of') > 0`)

	// Filtering by a status on the page of all requests finds every request of that status.
	tb.eval(`(function () { var s = document.getElementById('f-status'); s.value = 'approved'; s.dispatchEvent(new Event('change')); return true; })()`)
	tb.waitFor(`location.hash === '#status=approved'`)
	var statuses []string
	tb.eval(`Array.prototype.map.call(document.querySelectorAll('#requests tbody tr'), function (r) { return r.getAttribute('data-status'); })`, &statuses)
	var approved int
	tb.eval(`parseInt(document.querySelector('.facets a[href$="status/approved/index.html"] .n').textContent, 10)`, &approved)
	// At most a page of matches is drawn, and the count says how many there are.
	var count string
	tb.eval(`document.getElementById('count').textContent`, &count)
	wantCount := fmt.Sprintf("Showing %d of %d requests.", approved, total)
	if approved > 4 {
		wantCount = fmt.Sprintf("%d of %d requests match; showing the first 4. Add words to narrow the search.", approved, total)
	}
	if approved == 0 || len(statuses) != min(approved, 4) || count != wantCount {
		t.Errorf("filtering by approved shows %d rows and says %q; %d are approved", len(statuses), count, approved)
	}
	for _, s := range statuses {
		if s != "approved" {
			t.Errorf("filtering by approved shows a %s request", s)
		}
	}

	axe, err := os.ReadFile(filepath.Join("..", "..", "site", "test", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		requireTool(t, "axe-core is not installed (run npm ci in site/test)")
	}
	for _, width := range []int{390, 1366} {
		tb.call("Emulation.setDeviceMetricsOverride", map[string]any{"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 500}, nil)
		for _, p := range []string{"index.html", "page-2.html", listPageName(pages)} {
			tb.open(filepath.Join(out, p))
			for _, v := range tb.axe(axe) {
				if v.Impact == "serious" || v.Impact == "critical" {
					t.Errorf("%s at %d px: %s (%s): %s at %v", p, width, v.ID, v.Impact, v.Help, v.Nodes)
				}
			}
			var lay struct {
				Overflow int
				Small    []string
			}
			tb.eval(layoutProbe, &lay)
			if lay.Overflow > 0 {
				t.Errorf("%s at %d px: %d px wider than the window", p, width, lay.Overflow)
			}
			for _, s := range lay.Small {
				t.Errorf("%s at %d px: %s", p, width, s)
			}
		}
		// The rows the script draws from the index pass too.
		tb.open(filepath.Join(out, "index.html"))
		tb.eval(`(function () { var q = document.getElementById('q'); q.value = 'a'; q.dispatchEvent(new Event('input')); return true; })()`)
		tb.waitFor(`document.getElementById('pager').hidden && document.getElementById('count').textContent.indexOf('requests match') > 0`)
		for _, v := range tb.axe(axe) {
			if v.Impact == "serious" || v.Impact == "critical" {
				t.Errorf("search results at %d px: %s (%s): %s at %v", width, v.ID, v.Impact, v.Help, v.Nodes)
			}
		}
	}
	tb.call("Emulation.clearDeviceMetricsOverride", nil, nil)
}

// When the search index cannot be loaded (a file missing from a copy of the site, a network
// error), the search and filters fall back to the page's own rows, say so, and do not ask for
// the index again at every keystroke.
func TestBrowserSearchIndexMissing(t *testing.T) {
	bin := chromiumBinary(t)
	dir := sampleDocket(t)
	out := buildSitePaged(t, dir, nil, 4)
	if err := os.Remove(filepath.Join(out, SearchIndex)); err != nil {
		t.Fatal(err)
	}
	tb := startChromium(t, bin).newTab(t)
	for _, pr := range tb.open(filepath.Join(out, "index.html")) {
		t.Error(pr)
	}
	var onPage []string
	tb.eval(`Array.prototype.map.call(document.querySelectorAll('#requests tbody .id'), function (e) { return e.textContent; })`, &onPage)
	if len(onPage) != 4 {
		t.Fatalf("the first page lists %q", onPage)
	}
	search := func(s string) {
		tb.eval(`(function () { var q = document.getElementById('q'); q.value = ` + jsString(s) + `; q.dispatchEvent(new Event('input')); return true; })()`)
	}
	search(onPage[1])
	tb.waitFor(`document.getElementById('count').textContent.indexOf('only this page is searched') > 0`)
	var got struct {
		Count   string
		Shown   []string
		Pager   bool
		Scripts int
	}
	state := `({count: document.getElementById('count').textContent,
		shown: Array.prototype.filter.call(document.querySelectorAll('#requests tbody tr'), function (r) { return !r.hidden; }).map(function (r) { return r.querySelector('.id').textContent; }),
		pager: document.getElementById('pager').hidden,
		scripts: document.querySelectorAll('script[src$="search-index.js"]').length})`
	tb.eval(state, &got)
	if len(got.Shown) != 1 || got.Shown[0] != onPage[1] || got.Pager || got.Scripts != 1 ||
		!strings.Contains(got.Count, "Showing 1 of 4 requests.") || !strings.Contains(got.Count, "page links below still reach every request") {
		t.Errorf("searching %s without the index: %+v", onPage[1], got)
	}
	search("no request is called this")
	tb.waitFor(`document.getElementById('count').textContent.indexOf('Showing 0 of 4') > 0`)
	tb.eval(state, &got)
	if len(got.Shown) != 0 || got.Scripts != 1 {
		t.Errorf("a second search without the index: %+v", got)
	}
}
