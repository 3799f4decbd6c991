package main

import (
	"bytes"
	"context"
	"fmt"
	"github.com/opendata-docket/docket/internal/docket/dockettest"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBuildListsPendingPullRequests runs docket build against an httptest GitHub: with
// GITHUB_TOKEN and GITHUB_REPOSITORY set, open pull requests that add requests are shown as
// submitted, linked to the pull request.
func TestBuildListsPendingPullRequests(t *testing.T) {
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	check := func(r *http.Request) {
		if r.Method != http.MethodGet {
			t.Errorf("%s %s: only reads are allowed", r.Method, r.URL)
		}
		if got := r.Header.Get("Authorization"); got != "Bearer test-token" {
			t.Errorf("Authorization = %q", got)
		}
	}
	mux.HandleFunc("/api/repos/kcmo/requests/pulls", func(w http.ResponseWriter, r *http.Request) {
		check(r)
		fmt.Fprint(w, `[{"number": 7, "title": "Request: bus <feed>", "html_url": "https://github.com/kcmo/requests/pull/7",
			"created_at": "2026-03-01T10:00:00Z", "user": {"login": "maria"}}]`)
	})
	mux.HandleFunc("/api/repos/kcmo/requests/pulls/7/files", func(w http.ResponseWriter, r *http.Request) {
		check(r)
		fmt.Fprint(w, `[{"filename": "requests/bus-feed/request.yaml", "status": "added"}]`)
	})
	for _, p := range []string{"/api/repos/kcmo/requests/issues/7/comments", "/api/repos/kcmo/requests/pulls/7/reviews"} {
		mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
			check(r)
			fmt.Fprint(w, `[]`) // nobody has answered yet
		})
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("unexpected request %s %s", r.Method, r.URL)
		http.NotFound(w, r)
	})

	dir := t.TempDir()
	config := []byte(dockettest.Config)
	if err := os.MkdirAll(filepath.Join(dir, ".github"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".github", "docket.yml"), config, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GITHUB_TOKEN", "test-token")
	t.Setenv("GITHUB_REPOSITORY", "kcmo/requests")
	t.Setenv("GITHUB_API_URL", srv.URL+"/api/")
	t.Setenv("GITHUB_SERVER_URL", "https://github.com")
	out := filepath.Join(t.TempDir(), "site")
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"build", "--repo", dir, "--out", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "(1 request, 1 open pull request)") || strings.Contains(stderr.String(), "GITHUB_TOKEN") {
		t.Errorf("stderr: %s", stderr.String())
	}
	index, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	// The pull request's title is anyone's to write and nobody has reviewed it: the site names
	// the proposed request by its id.
	if !strings.Contains(string(index), `<a href="https://github.com/kcmo/requests/pull/7">Proposed request bus-feed</a>`) || strings.Contains(string(index), "bus &lt;feed&gt;") {
		t.Errorf("the pull request is not on the index as a proposed request:\n%s", index)
	}
	if !strings.Contains(string(index), `status-submitted">Submitted</span>`) {
		t.Error("the pending request is not shown as submitted")
	}
	csv, _ := os.ReadFile(filepath.Join(out, "requests.csv"))
	if !strings.Contains(string(csv), "bus-feed,Proposed request bus-feed,,submitted,maria,") {
		t.Errorf("requests.csv:\n%s", csv)
	}
}

// TestBuildWithoutTokenSaysSoOnce: without a token the build says so once and goes on.
func TestBuildWithoutTokenSaysSoOnce(t *testing.T) {
	t.Setenv("GITHUB_TOKEN", "")
	t.Setenv("GITHUB_REPOSITORY", "")
	dir := t.TempDir()
	config := []byte(dockettest.Config)
	_ = os.MkdirAll(filepath.Join(dir, ".github"), 0o755)
	if err := os.WriteFile(filepath.Join(dir, ".github", "docket.yml"), config, 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"build", "--repo", dir, "--out", filepath.Join(t.TempDir(), "s")}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if n := strings.Count(stderr.String(), "GITHUB_TOKEN and GITHUB_REPOSITORY are not both set"); n != 1 {
		t.Errorf("said %d times: %s", n, stderr.String())
	}
}
