package gh

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"testing"
)

func TestSSHKeys(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/users/maria/keys", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		if r.URL.Query().Get("page") == "2" {
			fmt.Fprint(w, `[{"id": 3, "key": "ssh-rsa AAAAB3"}]`)
			return
		}
		w.Header().Set("Link", `<http://`+r.Host+r.URL.Path+`?page=2>; rel="next"`)
		fmt.Fprint(w, `[{"id": 1, "key": "ssh-ed25519 AAAAC3"}, {"id": 2, "key": "  "}]`)
	})
	got, err := c.SSHKeys(context.Background(), "maria")
	if err != nil || !reflect.DeepEqual(got, []string{"ssh-ed25519 AAAAC3", "ssh-rsa AAAAB3"}) {
		t.Errorf("SSHKeys = %q, %v", got, err)
	}
}

func TestMergedPullRequest(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/repos/kcmo/requests/commits/abc123/pulls", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		fmt.Fprint(w, `[{"number": 5, "base": {"ref": "main"}},
			{"number": 6, "merged_at": "2026-11-20T10:00:00Z", "base": {"ref": "other"}},
			{"number": 7, "merged_at": "2026-11-20T10:00:00Z", "base": {"ref": "main"}, "user": {"login": "staff-ann"}}]`)
	})
	mux.HandleFunc("/repos/kcmo/requests/commits/def456/pulls", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `[]`)
	})
	if pr, err := c.MergedPullRequest(context.Background(), "abc123", "main"); err != nil || pr.Number != 7 || pr.Author != "staff-ann" {
		t.Errorf("MergedPullRequest = %+v, %v; want 7 (merged, into main) by staff-ann", pr, err)
	}
	if _, err := c.MergedPullRequest(context.Background(), "def456", "main"); !errors.Is(err, ErrNoPullRequest) {
		t.Errorf("a commit pushed directly: %v", err)
	}
}

// A delivery comment is found by its marker, only when a bot wrote it; a dry run posts nothing
// and says so.
func TestFindAndPostComment(t *testing.T) {
	c, mux := setup(t)
	s := &commentServer{t: t, comments: []map[string]any{
		{"id": 1, "body": "quoting <!-- docket:key x-1 -->", "user": map[string]any{"login": "mallory", "type": "User"}},
		{"id": 2, "body": "<!-- docket:key x-1 --> from another app", "user": map[string]any{"login": "mallory-app[bot]", "type": "Bot"}},
		{"id": 3, "body": "<!-- docket:key x-1 --> a user named like the bot", "user": map[string]any{"login": "github-actions[bot]", "type": "User"}},
	}}
	s.register(mux)
	ctx := context.Background()
	if _, ok, err := c.FindComment(ctx, 7, "<!-- docket:key x-1 -->"); ok || err != nil {
		t.Errorf("a quote by someone else (a person, another bot) was taken for the delivery: %v, %v", ok, err)
	}
	c.Login = "mallory-app[bot]"
	if _, ok, err := c.FindComment(ctx, 7, "<!-- docket:key x-1 -->"); !ok || err != nil {
		t.Errorf("the comment of the account docket posts as was not found: %v, %v", ok, err)
	}
	c.Login = ""
	c.dryRun = true
	if _, err := c.PostComment(ctx, 7, "<!-- docket:key x-1 --> body"); !errors.Is(err, ErrDryRun) || s.created != 0 {
		t.Errorf("a dry run: %v, %d created", err, s.created)
	}
	c.dryRun = false
	if _, err := c.PostComment(ctx, 7, "<!-- docket:key x-1 --> body"); err != nil || s.created != 1 {
		t.Fatalf("PostComment: %v", err)
	}
	if _, ok, err := c.FindComment(ctx, 7, "<!-- docket:key x-1 -->"); !ok || err != nil {
		t.Errorf("the bot's comment was not found: %v, %v", ok, err)
	}
	b, _ := json.Marshal(s.comments[3]["body"])
	if string(b) != `"\u003c!-- docket:key x-1 --\u003e body"` {
		t.Errorf("posted %s", b)
	}
}

func TestTrackIssue(t *testing.T) {
	c, mux := setup(t)
	const marker = "<!-- docket:held -->"
	issues := []map[string]any{
		{"number": 3, "body": "a person quoting " + marker, "state": "open", "user": map[string]any{"login": "mallory", "type": "User"}},
	}
	mux.HandleFunc("/repos/kcmo/requests/issues", func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case "GET":
			var open []map[string]any
			for _, is := range issues {
				if is["state"] == "open" {
					open = append(open, is)
				}
			}
			json.NewEncoder(w).Encode(open)
		case "POST":
			var body map[string]any
			json.NewDecoder(r.Body).Decode(&body)
			is := map[string]any{"number": 10 + len(issues), "title": body["title"], "body": body["body"], "state": "open", "user": map[string]any{"login": "github-actions[bot]", "type": "Bot"}}
			issues = append(issues, is)
			json.NewEncoder(w).Encode(is)
		}
	})
	mux.HandleFunc("PATCH /repos/kcmo/requests/issues/{n}", func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		json.NewDecoder(r.Body).Decode(&body)
		for _, is := range issues {
			if fmt.Sprint(is["number"]) == r.PathValue("n") {
				for k, v := range body {
					is[k] = v
				}
				json.NewEncoder(w).Encode(is)
				return
			}
		}
		t.Errorf("edit of unknown issue %s", r.PathValue("n"))
	})
	ctx := context.Background()
	for i, step := range []struct {
		body string
		open bool
		want string
	}{
		{marker + " nothing", false, "none"},
		{marker + " one change", true, "created"},
		{marker + " one change", true, "unchanged"},
		{marker + " two changes", true, "updated"},
		{marker + " all clear", false, "closed"},
	} {
		got, err := c.TrackIssue(ctx, marker, "Changes docket did not act on", step.body, step.open)
		if err != nil || got != step.want {
			t.Fatalf("step %d: TrackIssue = %q, %v; want %q", i+1, got, err, step.want)
		}
	}
	if len(issues) != 2 || issues[0]["body"] != "a person quoting "+marker || issues[1]["state"] != "closed" {
		t.Errorf("issues: %v", issues)
	}
}

// A pull request docket intake opened from an issue was merged on behalf of the issue's author:
// provisioning (which delivers to that author) sees them, not the Actions bot, as for the gate.
func TestMergedPullRequestFromIntake(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/repos/kcmo/requests/commits/abc123/pulls", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `[{"number": 8, "merged_at": "2026-11-20T10:00:00Z", "base": {"ref": "main"},
			"user": {"login": "github-actions[bot]", "type": "Bot"},
			"head": {"ref": "docket-intake/issue-5", "repo": {"full_name": "kcmo/requests"}}}]`)
	})
	mux.HandleFunc("/repos/kcmo/requests/issues/5", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"number": 5, "user": {"login": "maria"}}`)
	})
	if pr, err := c.MergedPullRequest(context.Background(), "abc123", "main"); err != nil || pr.Number != 8 || pr.Author != "maria" {
		t.Errorf("MergedPullRequest = %+v, %v; want 8 on behalf of maria", pr, err)
	}
}
