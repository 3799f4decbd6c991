package gh

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"testing"
)

// SupportCounts reads the 👍 count from the reaction summary of the issues list, page by page,
// and stops as soon as every number asked for is found.
func TestSupportCounts(t *testing.T) {
	c, mux := setup(t)
	pages := 0
	mux.HandleFunc("/repos/kcmo/requests/issues", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		q := r.URL.Query()
		if q.Get("state") != "all" || q.Get("per_page") != "100" || q.Get("sort") != "updated" {
			t.Errorf("query %s", r.URL.RawQuery)
		}
		pages++
		switch q.Get("page") {
		case "", "1":
			w.Header().Set("Link", `<`+"http://"+r.Host+`/api/repos/kcmo/requests/issues?page=2>; rel="next"`)
			fmt.Fprint(w, `[{"number": 12, "reactions": {"+1": 4, "-1": 9, "heart": 2}},
				{"number": 7, "pull_request": {"url": "x"}, "reactions": {"+1": 0}},
				{"number": 3, "reactions": {"+1": 99}}]`)
		case "2":
			w.Header().Set("Link", `<`+"http://"+r.Host+`/api/repos/kcmo/requests/issues?page=3>; rel="next"`)
			fmt.Fprint(w, `[{"number": 5, "pull_request": {"url": "y"}, "reactions": {"+1": 2}}]`)
		default:
			t.Errorf("asked for page %s after every number was found", q.Get("page"))
			fmt.Fprint(w, `[]`)
		}
	})
	got, err := c.SupportCounts(context.Background(), []int{12, 7, 5})
	if err != nil {
		t.Fatal(err)
	}
	if want := map[int]int{12: 4, 7: 0, 5: 2}; !reflect.DeepEqual(got, want) {
		t.Errorf("counts %v, want %v", got, want)
	}
	if pages != 2 {
		t.Errorf("%d pages read, want 2", pages)
	}
	// Nothing asked, nothing read.
	if got, err := c.SupportCounts(context.Background(), nil); err != nil || len(got) != 0 || pages != 2 {
		t.Errorf("no numbers: %v %v after %d pages", got, err, pages)
	}
}

// A number GitHub does not list is left out, after the last page.
func TestSupportCountsMissing(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/repos/kcmo/requests/issues", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `[{"number": 1, "reactions": {"+1": 1}}]`)
	})
	got, err := c.SupportCounts(context.Background(), []int{1, 404})
	if err != nil || !reflect.DeepEqual(got, map[int]int{1: 1}) {
		t.Errorf("%v %v", got, err)
	}
}
