package website

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// A list longer than a page is split into pages linked without JavaScript: a nav with its own
// label, rel=prev and rel=next, the current page marked, "Page n of N", and every request on
// exactly one page.
func TestListPages(t *testing.T) {
	dir := sampleDocket(t)
	r := validDocket(t, dir)
	out := buildSitePaged(t, dir, nil, 4)
	n := len(r.Folders)
	pages := (n + 3) / 4
	if pages < 3 {
		t.Fatalf("the sample docket has %d requests; the test needs at least 3 pages of 4", n)
	}
	seen := map[string]int{}
	row := regexp.MustCompile(`<a href="requests/([^/]+)/index.html">`)
	for i := 1; i <= pages; i++ {
		name := listPageName(i)
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatalf("page %d of the list: %v", i, err)
		}
		page := string(b)
		for _, m := range row.FindAllStringSubmatch(page, -1) {
			seen[m[1]]++
		}
		for _, want := range []string{
			`<nav id="pager" class="pager" aria-label="Pages of this list">`,
			`<p>Page ` + itoa(i) + ` of ` + itoa(pages) + `</p>`,
			`<a href="` + name + `" aria-current="page"><span class="visually-hidden">Page </span>` + itoa(i) + `</a>`,
			`data-index="search-index.js"`,
		} {
			if !strings.Contains(page, want) {
				t.Errorf("%s lacks %s", name, want)
			}
		}
		if hasPrev := strings.Contains(page, `<a href="`+listPageName(i-1)+`" rel="prev">`); hasPrev != (i > 1) {
			t.Errorf("%s: a link to the previous page: %v", name, hasPrev)
		}
		if hasNext := strings.Contains(page, `<a href="`+listPageName(i+1)+`" rel="next">`); hasNext != (i < pages) {
			t.Errorf("%s: a link to the next page: %v", name, hasNext)
		}
		if i > 1 && !strings.Contains(page, "<title>All requests, page "+itoa(i)+" of "+itoa(pages)+" · ") {
			t.Errorf("%s: its title does not say which page it is", name)
		}
	}
	if len(seen) != n {
		t.Errorf("the pages list %d requests of %d", len(seen), n)
	}
	for id, c := range seen {
		if c != 1 {
			t.Errorf("%s is on %d pages", id, c)
		}
	}
	// A list that fits on one page has no page links and needs no index.
	one := buildSitePaged(t, dir, nil, 100)
	b, _ := os.ReadFile(filepath.Join(one, "index.html"))
	if strings.Contains(string(b), `id="pager"`) || strings.Contains(string(b), "data-index") {
		t.Error("a list on one page has page links or loads the search index")
	}
	// The index has every request.
	ix, err := os.ReadFile(filepath.Join(out, SearchIndex))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range r.Folders {
		if !strings.Contains(string(ix), `["`+f.ID+`",`) {
			t.Errorf("%s lacks %s", SearchIndex, f.ID)
		}
	}
}

func TestPageLinks(t *testing.T) {
	var got []string
	for _, l := range pageLinks(10, 40) {
		if l.Gap {
			got = append(got, "…")
		} else if l.Current {
			got = append(got, "["+itoa(l.Num)+"]")
		} else {
			got = append(got, itoa(l.Num))
		}
	}
	if s := strings.Join(got, " "); s != "1 … 8 9 [10] 11 12 … 40" {
		t.Errorf("page links of page 10 of 40: %s", s)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
