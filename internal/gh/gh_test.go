package gh

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
)

// setup starts a test GitHub API server in the style of go-github's own tests: a mux to
// register handlers on, and a client pointed at it.
func setup(t *testing.T) (*Client, *http.ServeMux) {
	t.Helper()
	mux := http.NewServeMux()
	apiHandler := http.NewServeMux()
	apiHandler.Handle("/api/", http.StripPrefix("/api", mux))
	apiHandler.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("unexpected request to %s %s", r.Method, r.URL)
		http.Error(w, "not handled", http.StatusNotImplemented)
	})
	srv := httptest.NewServer(apiHandler)
	t.Cleanup(srv.Close)
	c, err := New("test-token", "kcmo/requests", srv.URL+"/api/")
	if err != nil {
		t.Fatal(err)
	}
	return c, mux
}

func testMethod(t *testing.T, r *http.Request, want string) {
	t.Helper()
	if r.Method != want {
		t.Errorf("method = %s, want %s", r.Method, want)
	}
	if got := r.Header.Get("Authorization"); got != "Bearer test-token" {
		t.Errorf("Authorization = %q", got)
	}
}

func TestPendingRequests(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/repos/kcmo/requests/pulls", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		if q := r.URL.Query(); q.Get("state") != "open" {
			t.Errorf("state = %q, want open", q.Get("state"))
		}
		if r.URL.Query().Get("page") == "2" {
			fmt.Fprint(w, `[{"number": 9, "title": "Docs", "user": {"login": "someone"}}]`)
			return
		}
		w.Header().Set("Link", `<`+"http://"+r.Host+r.URL.Path+`?page=2>; rel="next"`)
		fmt.Fprint(w, `[
			{"number": 7, "title": "Request: bus feed", "html_url": "https://github.com/kcmo/requests/pull/7",
			 "created_at": "2026-11-01T10:00:00Z", "updated_at": "2026-11-02T10:00:00Z", "user": {"login": "maria"}},
			{"number": 8, "title": "Fix my request", "user": {"login": "dan"}}
		]`)
	})
	mux.HandleFunc("/repos/kcmo/requests/pulls/7/files", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		fmt.Fprint(w, `[
			{"filename": "requests/bus-feed/request.yaml", "status": "added"},
			{"filename": "requests/bus-feed/notes.md", "status": "added"},
			{"filename": "requests/Bad_Id/request.yaml", "status": "added"}
		]`)
	})
	mux.HandleFunc("/repos/kcmo/requests/pulls/8/files", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `[{"filename": "requests/sidewalks/request.yaml", "status": "modified"}]`)
	})
	mux.HandleFunc("/repos/kcmo/requests/pulls/9/files", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `[{"filename": "README.md", "status": "modified"}]`)
	})
	got, err := c.PendingRequests(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("got %d pending requests, want 1: %+v", len(got), got)
	}
	p := got[0]
	if p.Number != 7 || p.Author != "maria" || p.URL != "https://github.com/kcmo/requests/pull/7" || !reflect.DeepEqual(p.IDs, []string{"bus-feed"}) || p.Created.IsZero() {
		t.Errorf("unexpected pending request: %+v", p)
	}
}

func TestErrorsAreExplained(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/repos/kcmo/requests/pulls", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"message": "Bad credentials"}`, http.StatusUnauthorized)
	})
	_, err := c.PendingRequests(context.Background())
	if err == nil || !strings.Contains(err.Error(), "GitHub did not accept the token") {
		t.Errorf("error = %v", err)
	}
}

func TestNewRejectsBadRepository(t *testing.T) {
	for _, r := range []string{"", "owner", "/name", "owner/", "a/b/c"} {
		if _, err := New("", r, ""); err == nil {
			t.Errorf("New accepted repository %q", r)
		}
	}
}
