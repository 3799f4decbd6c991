package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opendata-docket/docket/internal/docket/dockettest"
)

// syncBuffer is a bytes.Buffer safe to write from the server and read from the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor polls until cond holds. The deadline only stops a broken server from hanging the
// test; it is not a measure of speed.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func get(url string) string {
	resp, err := http.Get(url)
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// docket serve builds the site, serves it, and rebuilds it when a request changes.
func TestServeRebuildsOnChange(t *testing.T) {
	dir := t.TempDir()
	config := []byte(dockettest.Config)
	req := dockettest.APIRequest
	for name, data := range map[string]string{".github/docket.yml": string(config), "requests/feed/request.yaml": req} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--repo", dir, "--addr", "127.0.0.1:0"}, io.Discard, &stderr)
	}()

	addr := regexp.MustCompile(`serving (http://[^/]+/)`)
	waitFor(t, "the server to start", func() bool { return addr.MatchString(stderr.String()) })
	base := addr.FindStringSubmatch(stderr.String())[1]
	if page := get(base); !strings.Contains(page, "Daily 311 calls for a dashboard") {
		t.Fatalf("the index does not list the request:\n%.500s", page)
	}

	changed := strings.Replace(req, "Daily 311 calls for a dashboard", "Hourly 311 calls for a dashboard", 1)
	p := filepath.Join(dir, "requests", "feed", "request.yaml")
	if err := os.WriteFile(p, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(2 * time.Second)
	_ = os.Chtimes(p, later, later)
	waitFor(t, "the rebuilt site", func() bool { return strings.Contains(get(base), "Hourly 311 calls for a dashboard") })

	// No folder listings, and nothing for a name that is not localhost.
	if resp, err := http.Get(base + "assets/"); err != nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("a folder without index.html was listed: %v %v", resp, err)
	}
	hreq, _ := http.NewRequest("GET", base, nil)
	hreq.Host = "evil.example"
	if resp, err := http.DefaultClient.Do(hreq); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("a request for another host name was answered: %v %v", resp, err)
	}

	cancel()
	if code := <-done; code != 0 {
		t.Errorf("serve exited with %d: %s", code, stderr.String())
	}
}

// docket serve serves the site under the configured base URL's path, as it is published, and
// answers any address the site does not have, however deep, with the site's own 404 page and
// status 404; that page's style sheet and links work from every depth.
func TestServeNotFound(t *testing.T) {
	dir := t.TempDir()
	config := []byte(dockettest.Config)
	cfg := regexp.MustCompile(`(?m)^program:\n`).ReplaceAllString(string(config), "program:\n  base_url: https://city.example/open/requests/\n")
	if !strings.Contains(cfg, "base_url: https://city.example/open/requests/") {
		t.Fatal("the test configuration has no program section")
	}
	if err := os.MkdirAll(filepath.Join(dir, ".github"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".github", "docket.yml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--repo", dir, "--addr", "127.0.0.1:0"}, io.Discard, &stderr)
	}()
	addr := regexp.MustCompile(`serving (http://[^/]+)(/\S*)`)
	waitFor(t, "the server to start", func() bool { return addr.MatchString(stderr.String()) })
	m := addr.FindStringSubmatch(stderr.String())
	host, base := m[1], m[2]
	if base != "/open/requests/" {
		t.Fatalf("serving under %q, want the base URL's path /open/requests/", base)
	}

	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.Get(host + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != base {
		t.Errorf("/ answers %d to %q, want a redirect to %s", resp.StatusCode, resp.Header.Get("Location"), base)
	}
	if page := get(host + base); !strings.Contains(page, "<h1") {
		t.Errorf("the index is not served at %s:\n%.300s", base, page)
	}
	for _, p := range []string{base + "nothing-here", base + "a/b/c/", base + "requests/no-such-request/index.html", "/elsewhere/x", base + "assets/"} {
		resp, err := http.Get(host + p)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", p, resp.StatusCode)
		}
		if !strings.Contains(string(body), "Page not found") {
			t.Errorf("%s: not the site's 404 page:\n%.300s", p, body)
		}
		// The page's style sheet and links name the site's root, not a place relative to the
		// missing address.
		if !strings.Contains(string(body), `href="/open/requests/assets/style.css"`) || !strings.Contains(string(body), `href="/open/requests/index.html"`) {
			t.Errorf("%s: the 404 page's links depend on its depth:\n%.600s", p, body)
		}
	}
	if resp, err := http.Get(host + base + "assets/style.css"); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("the style sheet the 404 page names is not served: %v %v", resp, err)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("serve exited with %d: %s", code, stderr.String())
	}
}
