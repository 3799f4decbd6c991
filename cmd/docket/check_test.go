package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opendata-docket/docket/internal/docket/dockettest"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/opendata-docket/docket/internal/gitrepo/gittest"
)

// checkRepo makes a repository on disk whose main holds the test configuration, and whose pr
// branch adds requests/bus-feed/request.yaml by maria.
func checkRepo(t *testing.T, extra ...string) string {
	t.Helper()
	config := []byte(dockettest.Config)
	req := checkRequest(t)
	dir := t.TempDir()
	r, err := gittest.Disk(dir)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	snap := gittest.Text(".github/docket.yml", string(config))
	base, err := gittest.Commit(r, "main", snap, t0, "base")
	if err != nil {
		t.Fatal(err)
	}
	head := snap.With("requests/bus-feed/request.yaml", req).With(extra...)
	if _, err := gittest.Commit(r, "pr", head, t0.Add(time.Hour), "pr", base.Hash); err != nil {
		t.Fatal(err)
	}
	return dir
}

// checkRequest is a valid request by maria: the shared API-access request.
func checkRequest(t *testing.T) string {
	t.Helper()
	return dockettest.By(dockettest.APIRequest, "maria")
}

// With a token, docket check asks GitHub which ids older open pull requests claim: the first
// pull request to claim an id with a valid request in its author's name keeps it, and a later
// one cannot take it away. A claim whose request is not valid, or names someone else, holds
// nothing.
func TestCheckAsksGitHubForClaimedIDs(t *testing.T) {
	g := commentEnv(t)
	g.pulls = `[{"number": 5, "user": {"login": "mallory"}, "head": {"sha": "h5"}},
		{"number": 6, "user": {"login": "mallory"}, "head": {"sha": "h6"}},
		{"number": 7, "user": {"login": "maria"}, "head": {"sha": "h7"}},
		{"number": 9, "user": {"login": "dan"}, "head": {"sha": "h9"}}]`
	g.files = map[int]string{
		5: `[{"filename": "requests/car-feed/request.yaml", "status": "added"}]`,
		6: `[{"filename": "requests/bike-feed/request.yaml", "status": "added"}]`,
		7: `[{"filename": "requests/bus-feed/request.yaml", "status": "added"}]`,
		9: `[{"filename": "requests/bus-feed/request.yaml", "status": "added"}]`,
	}
	req := checkRequest(t)
	g.contents = map[string]string{
		"h5:requests/car-feed/request.yaml":  "kind: nothing\n",
		"h6:requests/bike-feed/request.yaml": req, // names maria, not mallory
		"h7:requests/bus-feed/request.yaml":  req,
	}
	// Pull request 9 would take car-feed and bike-feed, which 5 and 6 do not really claim.
	if dir := checkRepo(t, "requests/car-feed/request.yaml", req, "requests/bike-feed/request.yaml", req); true {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), []string{"check", "--repo", dir, "--base", "main", "--head", "pr", "--actor", "maria", "--pr", "9"}, &stdout, &stderr)
		if got := stdout.String(); code != 1 || strings.Contains(got, "car-feed") || strings.Contains(got, "bike-feed") || !strings.Contains(got, "bus-feed is already taken by pull request #7") {
			t.Errorf("exit %d; stdout:\n%s", code, got)
		}
	}
	dir := checkRepo(t)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"check", "--repo", dir, "--base", "main", "--head", "pr", "--actor", "maria", "--pr", "9"}, &stdout, &stderr)
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr: %s", code, stderr.String())
	}
	want := "requests/bus-feed/request.yaml:1:1: the id bus-feed is already taken by pull request #7; rename your folder to another id\n"
	if stdout.String() != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout.String(), want)
	}
	if strings.Contains(stderr.String(), "no GITHUB_TOKEN") {
		t.Error("docket said there was no token")
	}

	// Pull request 7, which claimed the id first, is not blocked by the later 9; --comment
	// posts the result and labels.
	stdout.Reset()
	stderr.Reset()
	code = run(context.Background(), []string{"check", "--repo", dir, "--base", "main", "--head", "pr", "--actor", "maria", "--pr", "7", "--comment"}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d, want 0; stdout: %s stderr: %s", code, stdout.String(), stderr.String())
	}
	if len(g.comments) != 1 || !strings.Contains(g.comments[0]["body"].(string), "ready for staff review") {
		t.Errorf("comments: %v", g.comments)
	}
	if strings.Join(g.labels, ",") != "request" {
		t.Errorf("labels = %v", g.labels)
	}
	if !strings.Contains(stderr.String(), "docket: comment created on pull request #7; labels added: request; removed: none") {
		t.Errorf("stderr: %s", stderr.String())
	}
}

// In Actions, docket check judges against the base branch as the clone has it now
// (refs/remotes/origin/<base>), not the event's base commit, which GitHub does not move when
// the branch moves; without that ref it says what it compared with.
func TestCheckEventUsesTheBranchAsItIsNow(t *testing.T) {
	g := &fakeGitHub{t: t}
	dir, before, after := movingBase(t, g)
	event := filepath.Join(t.TempDir(), "event.json")
	payload := `{"pull_request": {"number": 7, "base": {"sha": "` + before + `", "ref": "main"}, "head": {"sha": "` + g.head + `"}, "user": {"login": "maria"}}}`
	if err := os.WriteFile(event, []byte(payload), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GITHUB_EVENT_PATH", event)
	t.Setenv("GITHUB_TOKEN", "")
	t.Setenv("GITHUB_STEP_SUMMARY", "")

	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"check", "--repo", dir}, &stdout, &stderr); code != 0 || !strings.Contains(stderr.String(), "refs/remotes/origin/main is not in the clone") {
		t.Errorf("without the remote branch: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	r, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Storer.SetReference(plumbing.NewHashReference("refs/remotes/origin/main", plumbing.NewHash(after))); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	stderr.Reset()
	if code := run(context.Background(), []string{"check", "--repo", dir}, &stdout, &stderr); code != 1 || !strings.Contains(stdout.String(), "this request can no longer be edited: it is acknowledged") {
		t.Errorf("with the remote branch: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
}
