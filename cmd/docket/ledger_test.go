package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/opendata-docket/docket/internal/gitrepo/gittest"
	"github.com/opendata-docket/docket/internal/ledger"
)

// ledgerGitHub answers "list pull requests associated with a commit" and "get a pull request"
// for the commits a test merged through pull requests; every other commit was pushed directly.
type ledgerGitHub struct {
	t       *testing.T
	mu      sync.Mutex
	prs     map[string]string // commit → the pull request's JSON
	asked   []string          // commits asked about, in order
	support int               // the 👍 reactions on pull request #5
}

func (g *ledgerGitHub) server() *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("/repos/kcmo/requests/commits/{sha}/pulls", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.Header.Get("Authorization") != "Bearer t0ken" {
			g.t.Errorf("%s %s with %q: only authenticated reads", r.Method, r.URL, r.Header.Get("Authorization"))
		}
		g.mu.Lock()
		defer g.mu.Unlock()
		sha := r.PathValue("sha")
		g.asked = append(g.asked, sha)
		if pr, ok := g.prs[sha]; ok {
			fmt.Fprintf(w, "[%s]", pr)
			return
		}
		fmt.Fprint(w, "[]")
	})
	mux.HandleFunc("/repos/kcmo/requests/pulls/{n}", func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		defer g.mu.Unlock()
		for _, pr := range g.prs {
			if strings.Contains(pr, `"number": `+r.PathValue("n")+",") {
				fmt.Fprint(w, pr)
				return
			}
		}
		http.NotFound(w, r)
	})
	mux.HandleFunc("GET /repos/kcmo/requests/issues", func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		defer g.mu.Unlock()
		fmt.Fprintf(w, `[{"number": 5, "pull_request": {"url": "x"}, "reactions": {"+1": %d}}, {"number": 4, "reactions": {"+1": 50}}]`, g.support)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		g.t.Errorf("unexpected request %s %s", r.Method, r.URL)
		http.NotFound(w, r)
	})
	return httptest.NewServer(mux)
}

// TestLedgerRecordAndBuild records the ledger from GitHub into the docket-state branch of a
// remote (a bare repository on disk), run after run, and builds the site from it: the request
// whose pull request was opened on 27 November and merged on 29 November is submitted on the
// 27th.
func TestLedgerRecordAndBuild(t *testing.T) {
	cfg, err := os.ReadFile(filepath.Join("testdata", "config.yml"))
	if err != nil {
		t.Fatal(err)
	}
	cfgText := strings.Replace(string(cfg), "program:\n", "program:\n  time_zone: America/Chicago\n", 1)
	g := &ledgerGitHub{t: t, prs: map[string]string{}, support: 3}
	srv := g.server()
	t.Cleanup(srv.Close)
	t.Setenv("GITHUB_TOKEN", "t0ken")
	t.Setenv("GITHUB_REPOSITORY", "kcmo/requests")
	t.Setenv("GITHUB_API_URL", srv.URL)
	t.Setenv("GITHUB_REF_NAME", "main")

	remote := filepath.Join(t.TempDir(), "remote.git")
	if _, err := git.PlainInit(remote, true); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	r, err := gittest.Disk(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{remote}}); err != nil {
		t.Fatal(err)
	}
	if err := r.Storer.SetReference(plumbing.NewSymbolicReference(plumbing.HEAD, "refs/heads/main")); err != nil {
		t.Fatal(err)
	}
	var parents []plumbing.Hash
	commit := func(files gittest.Snapshot, when time.Time) string {
		t.Helper()
		c, err := gittest.Commit(r, "main", files, when, "change", parents...)
		if err != nil {
			t.Fatal(err)
		}
		parents = []plumbing.Hash{c.Hash}
		for p, f := range files {
			os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755)
			os.WriteFile(filepath.Join(dir, p), []byte(f.Data), 0o644)
		}
		return c.Hash.String()
	}
	run1 := func(args ...string) (int, string, string) {
		t.Helper()
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), append([]string{"ledger", "record", "--repo", dir}, args...), &stdout, &stderr)
		return code, stdout.String(), stderr.String()
	}

	files := gittest.Text(".github/docket.yml", cfgText)
	commit(files, time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)) // pushed directly; no request
	files = files.With("requests/bus-feed/request.yaml", provisionRequest)
	c2 := commit(files, time.Date(2026, 11, 29, 16, 0, 0, 0, time.UTC))
	g.prs[c2] = `{"number": 5, "base": {"ref": "main"}, "merge_commit_sha": "` + c2 + `", "user": {"login": "maria"},
		"created_at": "2026-11-27T15:00:00Z", "merged_at": "2026-11-29T16:00:00Z", "merged_by": {"login": "staff-ann"}}`

	// A dry run asks GitHub and writes nothing.
	code, out, errText := run1("--dry-run")
	if code != 0 || !strings.Contains(out, "+ bus-feed: #5 by @maria, opened 2026-11-27T15:00:00Z, merged 2026-11-29T16:00:00Z by @staff-ann") ||
		!strings.Contains(errText, "dry run: 1 commit asked about, 1 change recorded, 0 commits pushed without a pull request") {
		t.Fatalf("dry run: exit %d\n%s%s", code, out, errText)
	}
	if _, err := remoteFile(t, remote, ledger.FileName); err == nil {
		t.Fatal("a dry run wrote the ledger")
	}

	code, out, errText = run1()
	if code != 0 || !strings.Contains(errText, "no ledger yet") {
		t.Fatalf("first run: exit %d\n%s%s", code, out, errText)
	}
	l, err := ledger.Decode([]byte(mustRemoteFile(t, remote, ledger.FileName)))
	if err != nil {
		t.Fatal(err)
	}
	if pr := l.ByCommit("bus-feed", c2); pr == nil || pr.Number != 5 || pr.Author != "maria" || pr.MergedBy != "staff-ann" || l.RecordedThrough != c2 {
		t.Fatalf("ledger after the first run: %+v", l)
	}
	if s := l.Support["bus-feed"]; s.Number != 5 || s.Count != 3 || len(l.Support) != 1 {
		t.Errorf("support after the first run: %+v", l.Support)
	}

	// The next run asks only about what is new.
	g.asked = nil
	if code, out, errText = run1(); code != 0 || len(g.asked) != 0 || !strings.Contains(errText, "nothing new") {
		t.Fatalf("second run asked about %v: exit %d\n%s%s", g.asked, code, out, errText)
	}
	// New support with no new commit is recorded.
	g.support = 7
	if code, out, errText = run1(); code != 0 || len(g.asked) != 0 || strings.Contains(errText, "nothing new") {
		t.Fatalf("a run after new support: exit %d\n%s%s", code, out, errText)
	}
	if l, err := ledger.Decode([]byte(mustRemoteFile(t, remote, ledger.FileName))); err != nil || l.Support["bus-feed"].Count != 7 {
		t.Fatalf("support after new reactions: %+v %v", l, err)
	}
	files = files.With("requests/bus-feed/decision.yaml", "outcome: acknowledged\ndecided_by: staff-ann\ndate: 2026-11-30\nestimated_review_days: 10\n")
	c3 := commit(files, time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)) // 30 November, 20:00 in Kansas City
	if code, out, errText = run1(); code != 0 || len(g.asked) != 1 || g.asked[0] != c3 || !strings.Contains(errText, "1 commit pushed without a pull request") ||
		strings.Contains(errText, "not on the default branch") {
		t.Fatalf("third run asked about %v: exit %d\n%s%s", g.asked, code, out, errText)
	}

	// The site reads the ledger from the state branch.
	site := filepath.Join(t.TempDir(), "site")
	var stdout, stderr bytes.Buffer
	t.Setenv("GITHUB_TOKEN", "") // no open pull requests to list
	if code := run(context.Background(), []string{"build", "--repo", dir, "--out", site, "--as-of", "2026-12-01"}, &stdout, &stderr); code != 0 {
		t.Fatalf("build: exit %d: %s%s", code, stdout.String(), stderr.String())
	}
	if strings.Contains(stderr.String(), "no ledger") {
		t.Errorf("the build did not read the ledger: %s", stderr.String())
	}
	page, err := os.ReadFile(filepath.Join(site, "requests", "bus-feed", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), `<dt>Submitted</dt><dd><time datetime="2026-11-27">`) {
		t.Errorf("the request is not submitted on the day its pull request was opened:\n%s", page)
	}
	for _, want := range []string{`<span class="count-n">7</span> <span class="count-label">people support this request</span>`, `href="https://github.com/kcmo/requests/pull/5"`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the request page lacks %s", want)
		}
	}
	csv, _ := os.ReadFile(filepath.Join(site, "requests.csv"))
	// Submitted on the 27th, answered on the evening of the 30th in Kansas City (1 December in
	// UTC): 3 days to the first response, open 4 days on 1 December.
	if !strings.Contains(string(csv), ",2026-11-27,,2026-11-30,,3,,4,false,") {
		t.Errorf("requests.csv:\n%s", csv)
	}
}

func TestLedgerNeedsRecordAndToken(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"ledger"}, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), "needs the word record") {
		t.Errorf("docket ledger: exit %d: %s", code, stderr.String())
	}
	t.Setenv("GITHUB_TOKEN", "")
	stderr.Reset()
	if code := run(context.Background(), []string{"ledger", "record", "--branch", "main", "--repo", t.TempDir()}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "GITHUB_TOKEN and GITHUB_REPOSITORY are not both set") {
		t.Errorf("without a token: exit %d: %s", code, stderr.String())
	}
}
