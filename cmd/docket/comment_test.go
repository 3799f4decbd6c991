package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"github.com/opendata-docket/docket/internal/docket/dockettest"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/opendata-docket/docket/internal/gitrepo/gittest"
)

// fakeGitHub serves the endpoints docket comment uses, for pull request 7 of kcmo/requests
// whose head is at commit "abc123", and records what was written.
type fakeGitHub struct {
	t        *testing.T
	head     string // the pull request's head commit
	base     string // the pull request's base commit
	statuses []map[string]any
	comments []map[string]any
	labels   []string
	writes   int
	pulls    string            // the open pull requests, as GitHub lists them
	files    map[int]string    // the files of each pull request
	contents map[string]string // file contents by "ref:path"
	tips     map[string]string // branch tips now; a branch not named is at base
}

func (g *fakeGitHub) server() *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /repos/kcmo/requests/pulls/7", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer t0ken" {
			g.t.Errorf("Authorization = %q", r.Header.Get("Authorization"))
		}
		json.NewEncoder(w).Encode(map[string]any{"number": 7, "state": "open",
			"head": map[string]any{"sha": cmp.Or(g.head, "abc123")}, "base": map[string]any{"sha": g.base, "ref": "main"},
			"user": map[string]any{"login": "maria"}})
	})
	mux.HandleFunc("GET /repos/kcmo/requests/pulls", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(cmp.Or(g.pulls, "[]")))
	})
	mux.HandleFunc("GET /repos/kcmo/requests/pulls/{n}/files", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		w.Write([]byte(cmp.Or(g.files[n], "[]")))
	})
	mux.HandleFunc("GET /repos/kcmo/requests/branches/{branch}", func(w http.ResponseWriter, r *http.Request) {
		sha := cmp.Or(g.tips[r.PathValue("branch")], g.base)
		json.NewEncoder(w).Encode(map[string]any{"name": r.PathValue("branch"), "commit": map[string]any{"sha": sha}})
	})
	mux.HandleFunc("GET /repos/kcmo/requests/contents/{path...}", func(w http.ResponseWriter, r *http.Request) {
		data, ok := g.contents[r.URL.Query().Get("ref")+":"+r.PathValue("path")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"type": "file", "encoding": "base64", "size": len(data),
			"path": r.PathValue("path"), "content": base64.StdEncoding.EncodeToString([]byte(data))})
	})
	mux.HandleFunc("GET /repos/kcmo/requests/issues/7/comments", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(g.comments)
	})
	mux.HandleFunc("POST /repos/kcmo/requests/issues/7/comments", func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		json.NewDecoder(r.Body).Decode(&body)
		g.writes++
		c := map[string]any{"id": len(g.comments) + 1, "body": body["body"], "user": map[string]any{"login": "github-actions[bot]", "type": "Bot"}}
		g.comments = append(g.comments, c)
		json.NewEncoder(w).Encode(c)
	})
	mux.HandleFunc("PATCH /repos/kcmo/requests/issues/comments/{id}", func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		json.NewDecoder(r.Body).Decode(&body)
		g.writes++
		g.comments[0]["body"] = body["body"]
		json.NewEncoder(w).Encode(g.comments[0])
	})
	mux.HandleFunc("GET /repos/kcmo/requests/issues/7/labels", func(w http.ResponseWriter, r *http.Request) {
		var out []map[string]string
		for _, l := range g.labels {
			out = append(out, map[string]string{"name": l})
		}
		json.NewEncoder(w).Encode(out)
	})
	mux.HandleFunc("POST /repos/kcmo/requests/issues/7/labels", func(w http.ResponseWriter, r *http.Request) {
		var add []string
		json.NewDecoder(r.Body).Decode(&add)
		g.writes++
		g.labels = append(g.labels, add...)
		w.Write([]byte(`[]`))
	})
	mux.HandleFunc("POST /repos/kcmo/requests/statuses/{sha}", func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		json.NewDecoder(r.Body).Decode(&body)
		body["sha"] = r.PathValue("sha")
		g.writes++
		g.statuses = append(g.statuses, body)
		w.Write([]byte(`{}`))
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		g.t.Errorf("unexpected request %s %s", r.Method, r.URL.Path)
		http.NotFound(w, r)
	})
	return httptest.NewServer(mux)
}

func commentEnv(t *testing.T) *fakeGitHub {
	g := &fakeGitHub{t: t}
	srv := g.server()
	t.Cleanup(srv.Close)
	t.Setenv("GITHUB_TOKEN", "t0ken")
	t.Setenv("GITHUB_REPOSITORY", "kcmo/requests")
	t.Setenv("GITHUB_API_URL", srv.URL)
	return g
}

func writeFile(t *testing.T, data string) string {
	p := filepath.Join(t.TempDir(), "report.json")
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// forgedReport is what a pull request that rewrote check.yml could upload: all clear, staff,
// no labels. docket comment must use only its number.
const forgedReport = `{"version": 1, "pull_request": 7, "head_sha": "abc123", "actor": "maria", "staff": true, "ok": true,
  "checked": 1, "changes": [], "findings": [], "effects": ["Merging approves everything"], "notes": [], "labels": []}`

// prepare makes a repository whose pr branch adds a request by maria, and points the fake
// pull request at it.
func prepare(t *testing.T, g *fakeGitHub, extra ...string) string {
	dir := checkRepo(t, extra...)
	r, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	for name, p := range map[string]*string{"main": &g.base, "pr": &g.head} {
		ref, err := r.Reference(plumbing.NewBranchReferenceName(name), true)
		if err != nil {
			t.Fatal(err)
		}
		*p = ref.Hash().String()
	}
	return dir
}

func TestCommentChecksWithTrustedCode(t *testing.T) {
	g := commentEnv(t)
	// The pull request also writes its own approval; the forged report says all is well.
	dir := prepare(t, g, "requests/bus-feed/decision.yaml", "outcome: withdrawn\ndecided_by: somebody-else\ndate: 2026-11-20\n")
	p := writeFile(t, forgedReport)
	for i := range 2 {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), []string{"comment", "--repo", dir, "--report", p, "--head-sha", g.head}, &stdout, &stderr)
		if code != 0 {
			t.Fatalf("run %d: exit %d: %s", i+1, code, stderr.String())
		}
	}
	if len(g.comments) != 1 {
		t.Fatalf("%d comments, want 1 updated in place", len(g.comments))
	}
	body := g.comments[0]["body"].(string)
	if !strings.Contains(body, "docket found") || strings.Contains(body, "Merging approves everything") {
		t.Errorf("the comment follows the forged report, not the check:\n%s", body)
	}
	if strings.Join(g.labels, ",") != "request,decision" {
		t.Errorf("labels = %v, want request,decision", g.labels)
	}
	if len(g.statuses) != 2 || g.statuses[1]["state"] != "failure" || g.statuses[1]["context"] != "docket" || g.statuses[1]["sha"] != g.head {
		t.Errorf("statuses = %v", g.statuses)
	}
}

func TestCommentPassesACleanPullRequest(t *testing.T) {
	g := commentEnv(t)
	dir := prepare(t, g)
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"comment", "--repo", dir, "--pr", "7", "--head-sha", g.head}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if len(g.statuses) != 1 || g.statuses[0]["state"] != "success" {
		t.Errorf("statuses = %v", g.statuses)
	}
	if body := g.comments[0]["body"].(string); !strings.Contains(body, "ready for staff review") || strings.Contains(body, "<script") {
		t.Errorf("comment:\n%s", body)
	}
}

func TestCommentRefusesAnotherCommit(t *testing.T) {
	g := commentEnv(t)
	dir := prepare(t, g)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"comment", "--repo", dir, "--pr", "7", "--head-sha", "fffff"}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "pull request #7 is at "+g.head[:12]+", not fffff; nothing was posted") {
		t.Errorf("exit %d: %s", code, stderr.String())
	}
	if g.writes != 0 {
		t.Error("something was written to GitHub")
	}
}

func TestCommentRefusesForgedLabels(t *testing.T) {
	g := commentEnv(t)
	forged := strings.Replace(forgedReport, `"labels": []`, `"labels": ["approved-by-staff"]`, 1)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"comment", "--report", writeFile(t, forged), "--head-sha", "abc123"}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), `the report asks for the label "approved-by-staff", which docket does not manage`) {
		t.Errorf("exit %d: %s", code, stderr.String())
	}
	if g.writes != 0 {
		t.Error("something was written to GitHub")
	}
}

// When the commits are missing, the comment and status say docket could not check, so an old
// "ready" comment does not stay.
func TestCommentSaysWhenItCannotCheck(t *testing.T) {
	g := commentEnv(t)
	prepare(t, g)
	empty := t.TempDir()
	if _, err := gittest.Disk(empty); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"comment", "--repo", empty, "--pr", "7", "--head-sha", g.head}, &stdout, &stderr)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if len(g.comments) != 1 || !strings.Contains(g.comments[0]["body"].(string), "docket could not check this pull request") {
		t.Errorf("comments = %v", g.comments)
	}
	if len(g.statuses) != 1 || g.statuses[0]["state"] != "error" {
		t.Errorf("statuses = %v", g.statuses)
	}
}

func TestCommentDryRun(t *testing.T) {
	g := commentEnv(t)
	dir := prepare(t, g)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"comment", "--repo", dir, "--pr", "7", "--head-sha", g.head, "--dry-run"}, &stdout, &stderr)
	if code != 0 || !strings.Contains(stderr.String(), "docket: dry run: comment would be created on pull request #7; labels to add: request; to remove: none") {
		t.Errorf("exit %d: %s", code, stderr.String())
	}
	if g.writes != 0 {
		t.Error("a dry run wrote to GitHub")
	}
}

// movingBase makes the story of a requester's edit that was checked before staff decided: main
// has maria's request (before), the pr branch edits it, and then staff acknowledge it on main
// (after). GitHub's pull request still names before as its base.
func movingBase(t *testing.T, g *fakeGitHub) (dir, before, after string) {
	t.Helper()
	dir = checkRepo(t)
	r, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	main, err := r.Reference(plumbing.NewBranchReferenceName("main"), true)
	if err != nil {
		t.Fatal(err)
	}
	// Move the request onto main, then edit it on a new pr branch.
	req := checkRequest(t)
	config := []byte(dockettest.Config)
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	snap := gittest.Text(".github/docket.yml", string(config), "requests/bus-feed/request.yaml", req)
	b1, err := gittest.Commit(r, "main", snap, t0, "maria's request", main.Hash())
	if err != nil {
		t.Fatal(err)
	}
	edited := snap.With("requests/bus-feed/request.yaml", strings.Replace(req, "2000", "3000", 1))
	head, err := gittest.Commit(r, "pr", edited, t0.Add(time.Hour), "more traffic", b1.Hash)
	if err != nil {
		t.Fatal(err)
	}
	decided := snap.With("requests/bus-feed/decision.yaml", "outcome: acknowledged\ndecided_by: staff-ann\ndate: 2026-11-20\nestimated_review_days: 21\n")
	b2, err := gittest.Commit(r, "main", decided, t0.Add(2*time.Hour), "acknowledged", b1.Hash)
	if err != nil {
		t.Fatal(err)
	}
	g.base, g.head = b1.Hash.String(), head.Hash.String()
	g.tips = map[string]string{"main": b2.Hash.String()}
	return dir, b1.Hash.String(), b2.Hash.String()
}

// The gate judges a pull request against its base branch as it is now: an edit checked green
// before staff acknowledged the request turns red once they have, though GitHub still names
// the old base commit.
func TestCommentJudgesAgainstTheBranchAsItIsNow(t *testing.T) {
	g := commentEnv(t)
	dir, before, _ := movingBase(t, g)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"comment", "--repo", dir, "--pr", "7", "--head-sha", g.head}, &stdout, &stderr)
	if code != 0 || len(g.statuses) != 1 || g.statuses[0]["state"] != "failure" {
		t.Fatalf("exit %d, statuses %v: %s", code, g.statuses, stderr.String())
	}
	if body := g.comments[0]["body"].(string); !strings.Contains(body, "this request can no longer be edited: it is acknowledged") {
		t.Errorf("comment:\n%s", body)
	}
	// Judged against the commit GitHub names as the base, the same edit would pass.
	g.tips = map[string]string{"main": before}
	if code := run(context.Background(), []string{"comment", "--repo", dir, "--pr", "7", "--head-sha", g.head}, &stdout, &stderr); code != 0 || g.statuses[1]["state"] != "success" {
		t.Errorf("against the old base: exit %d, statuses %v", code, g.statuses)
	}
}

// After a push to main, docket comment --recheck checks again the open pull requests that touch
// a request folder the push changed, and only those.
func TestCommentRecheckAfterAPush(t *testing.T) {
	g := commentEnv(t)
	dir, before, after := movingBase(t, g)
	r, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Storer.SetReference(plumbing.NewHashReference(plumbing.HEAD, plumbing.NewHash(after))); err != nil {
		t.Fatal(err)
	}
	g.pulls = `[{"number": 7, "state": "open", "user": {"login": "maria"}, "head": {"sha": "` + g.head + `"}, "base": {"ref": "main", "sha": "` + before + `"}},
		{"number": 8, "state": "open", "user": {"login": "dan"}, "head": {"sha": "h8"}, "base": {"ref": "main", "sha": "` + before + `"}}]`
	g.files = map[int]string{
		7: `[{"filename": "requests/bus-feed/request.yaml", "status": "modified"}]`,
		8: `[{"filename": "requests/other/request.yaml", "status": "added"}]`,
	}
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"comment", "--recheck", "--repo", dir, "--branch", "main", "--before", before}, &stdout, &stderr)
	if code != 0 || len(g.statuses) != 1 || g.statuses[0]["sha"] != g.head || g.statuses[0]["state"] != "failure" {
		t.Fatalf("exit %d, statuses %v: %s", code, g.statuses, stderr.String())
	}
	if !strings.Contains(stderr.String(), "docket: checked again 1 open pull request into main") {
		t.Errorf("stderr: %s", stderr.String())
	}
	// A push that changed no request folder checks nothing again.
	stderr.Reset()
	code = run(context.Background(), []string{"comment", "--recheck", "--repo", dir, "--branch", "main", "--before", after}, &stdout, &stderr)
	if code != 0 || len(g.statuses) != 1 || !strings.Contains(stderr.String(), "changed no request folder") {
		t.Errorf("exit %d, statuses %v: %s", code, g.statuses, stderr.String())
	}
	// Bad usage.
	for _, args := range [][]string{{"--recheck", "--before", before, "--pr", "7"}, {"--recheck", "--branch", "main"}} {
		if code := run(context.Background(), append([]string{"comment"}, args...), &stdout, &stderr); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}
