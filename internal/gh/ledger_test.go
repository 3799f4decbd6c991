package gh

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestPullRequestOfCommit(t *testing.T) {
	c, mux := setup(t)
	gets := 0
	mux.HandleFunc("/repos/kcmo/requests/commits/aaa/pulls", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		fmt.Fprint(w, `[
			{"number": 3, "base": {"ref": "other"}, "merged_at": "2026-11-20T10:00:00Z", "merge_commit_sha": "aaa"},
			{"number": 4, "base": {"ref": "main"}, "merge_commit_sha": "aaa"},
			{"number": 6, "base": {"ref": "main"}, "merged_at": "2026-11-29T10:00:00Z", "merge_commit_sha": "zzz"},
			{"number": 5, "base": {"ref": "main"}, "merged_at": "2026-11-29T16:00:00Z", "merge_commit_sha": "aaa"}
		]`)
	})
	mux.HandleFunc("/repos/kcmo/requests/commits/bbb/pulls", func(w http.ResponseWriter, r *http.Request) {
		// A rebase: the commit is the pull request's own; none has it as merge commit.
		fmt.Fprint(w, `[
			{"number": 6, "base": {"ref": "main"}, "merged_at": "2026-11-29T10:00:00Z", "merge_commit_sha": "zzz"},
			{"number": 5, "base": {"ref": "main"}, "merged_at": "2026-11-29T16:00:00Z", "merge_commit_sha": "yyy"}
		]`)
	})
	mux.HandleFunc("/repos/kcmo/requests/commits/ccc/pulls", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `[{"number": 8, "base": {"ref": "main"}}]`) // open, never merged
	})
	mux.HandleFunc("/repos/kcmo/requests/pulls/5", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		gets++
		fmt.Fprint(w, `{"number": 5, "user": {"login": "maria"}, "created_at": "2026-11-27T22:30:00Z",
			"merged_at": "2026-11-29T16:00:00Z", "merged_by": {"login": "clerk"}}`)
	})
	mux.HandleFunc("/repos/kcmo/requests/pulls/6", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"number": 6, "user": {"login": "dan"}, "created_at": "2026-11-28T10:00:00Z", "merged_at": "2026-11-29T10:00:00Z"}`)
	})
	ctx := context.Background()
	got, err := c.PullRequestOfCommit(ctx, "aaa", "main")
	if err != nil {
		t.Fatal(err)
	}
	want := Merge{Number: 5, Author: "maria", OpenedAt: time.Date(2026, 11, 27, 22, 30, 0, 0, time.UTC),
		MergedAt: time.Date(2026, 11, 29, 16, 0, 0, 0, time.UTC), MergedBy: "clerk"}
	if got == nil || *got != want {
		t.Fatalf("PullRequestOfCommit(aaa) = %+v, want %+v", got, want)
	}
	if again, err := c.PullRequestOfCommit(ctx, "aaa", "main"); err != nil || again.Number != 5 || gets != 1 {
		t.Errorf("second call: %+v, %v; pull request read %d times, want once", again, err, gets)
	}
	if got, err := c.PullRequestOfCommit(ctx, "bbb", "main"); err != nil || got == nil || got.Number != 6 || got.MergedBy != "" {
		t.Errorf("a rebased commit: %+v, %v; want #6, merged first, by nobody GitHub names", got, err)
	}
	if got, err := c.PullRequestOfCommit(ctx, "ccc", "main"); err != nil || got != nil {
		t.Errorf("a commit of no merged pull request: %+v, %v; want nil, nil", got, err)
	}
}

func TestPullRequestOfCommitSaysWhatFailed(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/repos/kcmo/requests/commits/ddd/pulls", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"message": "Bad credentials"}`, http.StatusUnauthorized)
	})
	_, err := c.PullRequestOfCommit(context.Background(), "ddd", "main")
	if err == nil || !strings.Contains(err.Error(), "commit ddd") || !strings.Contains(err.Error(), "did not accept the token") {
		t.Errorf("err = %v", err)
	}
}

func TestStaffAnswered(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/repos/kcmo/requests/issues/7/comments", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		fmt.Fprint(w, `[
			{"user": {"login": "maria"}, "created_at": "2026-11-20T10:00:00Z"},
			{"user": {"login": "github-actions[bot]"}, "created_at": "2026-11-20T10:01:00Z"},
			{"user": {"login": "Staff-Ann"}, "created_at": "2026-11-24T10:00:00Z"}
		]`)
	})
	mux.HandleFunc("/repos/kcmo/requests/pulls/7/reviews", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		fmt.Fprint(w, `[{"user": {"login": "staff-bo"}, "submitted_at": "2026-11-23T22:00:00Z"}]`)
	})
	mux.HandleFunc("/repos/kcmo/requests/issues/8/comments", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `[{"user": {"login": "staff-ann"}, "created_at": "2026-11-21T10:00:00Z"}]`)
	})
	mux.HandleFunc("/repos/kcmo/requests/pulls/8/reviews", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `[]`)
	})
	staff := func(l string) bool { return strings.EqualFold(l, "staff-ann") || l == "staff-bo" }
	got, err := c.StaffAnswered(context.Background(), 7, "maria", staff)
	if err != nil || !got.Equal(time.Date(2026, 11, 23, 22, 0, 0, 0, time.UTC)) {
		t.Errorf("StaffAnswered(7) = %v, %v; want the review of 23 November", got, err)
	}
	// A staff member's own pull request is not answered by its author's comments.
	if got, err := c.StaffAnswered(context.Background(), 8, "staff-ann", staff); err != nil || !got.IsZero() {
		t.Errorf("StaffAnswered(8) = %v, %v; want zero", got, err)
	}
}

// A pull request docket intake made from an issue speaks for the issue: the requester asked when
// the issue was opened.
func TestPullRequestOfCommitFromIntake(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/repos/kcmo/requests/commits/eee/pulls", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `[{"number": 9, "base": {"ref": "main"}, "merged_at": "2026-11-29T16:00:00Z", "merge_commit_sha": "eee"}]`)
	})
	mux.HandleFunc("/repos/kcmo/requests/pulls/9", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"number": 9, "user": {"login": "github-actions[bot]", "type": "Bot"}, "created_at": "2026-11-26T10:00:00Z",
			"head": {"ref": "docket-intake/issue-3", "repo": {"full_name": "kcmo/requests"}},
			"merged_at": "2026-11-29T16:00:00Z", "merged_by": {"login": "staff-ann"}}`)
	})
	mux.HandleFunc("/repos/kcmo/requests/issues/3", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"number": 3, "user": {"login": "maria"}, "created_at": "2026-11-25T21:00:00Z"}`)
	})
	got, err := c.PullRequestOfCommit(context.Background(), "eee", "main")
	want := Merge{Number: 9, Issue: 3, Author: "maria", OpenedAt: time.Date(2026, 11, 25, 21, 0, 0, 0, time.UTC),
		MergedAt: time.Date(2026, 11, 29, 16, 0, 0, 0, time.UTC), MergedBy: "staff-ann"}
	if err != nil || got == nil || *got != want {
		t.Errorf("PullRequestOfCommit(eee) = %+v, %v; want %+v", got, err, want)
	}
}
