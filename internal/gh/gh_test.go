package gh

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
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
	c, err := New("test-token", "kcmo/requests", srv.URL+"/api/", false)
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
			 "created_at": "2026-11-01T10:00:00Z", "updated_at": "2026-11-02T10:00:00Z", "user": {"login": "maria"},
			 "head": {"sha": "0123abcd"}},
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
	if p.Number != 7 || p.Author != "maria" || p.HeadSHA != "0123abcd" || p.URL != "https://github.com/kcmo/requests/pull/7" || !reflect.DeepEqual(p.IDs, []string{"bus-feed"}) || p.Created.IsZero() || !p.Asked.Equal(p.Created) {
		t.Errorf("unexpected pending request: %+v", p)
	}
}

// RequestFile reads a request file at a pull request's head through the contents API, and
// refuses one larger than the caller will read without decoding it.
func TestRequestFile(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/repos/kcmo/requests/contents/requests/bus-feed/request.yaml", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		if ref := r.URL.Query().Get("ref"); ref != "0123abcd" {
			t.Errorf("ref = %q", ref)
		}
		fmt.Fprint(w, `{"type": "file", "encoding": "base64", "size": 12, "content": "a2luZDogZGF0YXNldAo=",
			"path": "requests/bus-feed/request.yaml"}`)
	})
	got, err := c.RequestFile(context.Background(), "0123abcd", "bus-feed", 1<<20)
	if err != nil || string(got) != "kind: dataset\n" {
		t.Errorf("RequestFile = %q, %v", got, err)
	}
	if _, err := c.RequestFile(context.Background(), "0123abcd", "bus-feed", 10); !errors.Is(err, ErrTooLarge) {
		t.Errorf("a file over the limit: %v", err)
	}
	if _, err := c.RequestFile(context.Background(), "0123abcd", "../../etc", 10); err == nil {
		t.Error("an id that is not one was asked for")
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
		if _, err := New("", r, "", false); err == nil {
			t.Errorf("New accepted repository %q", r)
		}
	}
}

func TestIsTeamMember(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/orgs/kcmo/teams/open-data/memberships/lee", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		fmt.Fprint(w, `{"state": "active", "role": "member"}`)
	})
	mux.HandleFunc("/orgs/kcmo/teams/open-data/memberships/pat", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"state": "pending", "role": "member"}`)
	})
	mux.HandleFunc("/orgs/kcmo/teams/open-data/memberships/maria", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"message": "Not Found"}`, http.StatusNotFound)
	})
	for login, want := range map[string]bool{"lee": true, "pat": false, "maria": false} {
		got, err := c.IsTeamMember(context.Background(), "kcmo/open-data", login)
		if err != nil || got != want {
			t.Errorf("IsTeamMember(%s) = %v, %v; want %v", login, got, err, want)
		}
	}
	if _, err := c.IsTeamMember(context.Background(), "no-slash", "lee"); err == nil {
		t.Error("a team without an organization was accepted")
	}
}

// commentServer keeps the comments of pull request 7 and serves the comment endpoints.
type commentServer struct {
	t        *testing.T
	comments []map[string]any
	created  int
	edited   int
}

func (s *commentServer) register(mux *http.ServeMux) {
	mux.HandleFunc("/repos/kcmo/requests/issues/7/comments", func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case "GET":
			json.NewEncoder(w).Encode(s.comments)
		case "POST":
			var body map[string]any
			if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
				s.t.Fatal(err)
			}
			s.created++
			c := map[string]any{"id": 100 + len(s.comments), "body": body["body"], "user": map[string]any{"login": "github-actions[bot]", "type": "Bot"}}
			s.comments = append(s.comments, c)
			json.NewEncoder(w).Encode(c)
		default:
			s.t.Errorf("unexpected %s", r.Method)
		}
	})
	mux.HandleFunc("/repos/kcmo/requests/issues/comments/", func(w http.ResponseWriter, r *http.Request) {
		testMethod(s.t, r, "PATCH")
		id, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/repos/kcmo/requests/issues/comments/"))
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			s.t.Fatal(err)
		}
		for _, c := range s.comments {
			if c["id"] == id {
				s.edited++
				c["body"] = body["body"]
				json.NewEncoder(w).Encode(c)
				return
			}
		}
		s.t.Errorf("edit of unknown comment %d", id)
	})
}

// CommentMarker is docket check's marker (check.CommentMarker), which gh does not import.
const CommentMarker = "<!-- docket:check -->"

func TestUpsertCommentUpdatesInPlace(t *testing.T) {
	c, mux := setup(t)
	s := &commentServer{t: t, comments: []map[string]any{
		// A person quoting the marker must not have their comment taken over.
		{"id": 1, "body": "look: " + CommentMarker, "user": map[string]any{"login": "mallory", "type": "User"}},
	}}
	s.register(mux)
	ctx := context.Background()
	for i, want := range []string{"created", "updated", "unchanged"} {
		body := CommentMarker + "\nrun " + strconv.Itoa(min(i, 1))
		got, err := c.UpsertComment(ctx, 7, CommentMarker, body)
		if err != nil || got != want {
			t.Fatalf("push %d: UpsertComment = %q, %v; want %q", i+1, got, err, want)
		}
	}
	if s.created != 1 || s.edited != 1 || len(s.comments) != 2 {
		t.Errorf("created %d, edited %d, %d comments: want one comment created and then edited", s.created, s.edited, len(s.comments))
	}
	if s.comments[0]["body"] != "look: "+CommentMarker {
		t.Error("the person's comment was changed")
	}
	if _, err := c.UpsertComment(ctx, 7, CommentMarker, "no marker"); err == nil {
		t.Error("a body without the marker was accepted")
	}
}

func TestDryRunChangesNothing(t *testing.T) {
	c, mux := setup(t)
	c.dryRun = true
	s := &commentServer{t: t}
	s.register(mux)
	mux.HandleFunc("/repos/kcmo/requests/issues/7/labels", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		fmt.Fprint(w, `[{"name": "request"}]`)
	})
	if got, err := c.UpsertComment(context.Background(), 7, CommentMarker, CommentMarker); err != nil || got != "created" {
		t.Errorf("UpsertComment = %q, %v", got, err)
	}
	added, removed, err := c.SetLabels(context.Background(), 7, []string{"decision"}, []string{"request", "decision"})
	if err != nil || !reflect.DeepEqual(added, []string{"decision"}) || !reflect.DeepEqual(removed, []string{"request"}) {
		t.Errorf("SetLabels = %v, %v, %v", added, removed, err)
	}
	if s.created != 0 || s.edited != 0 {
		t.Error("a dry run wrote to GitHub")
	}
}

func TestSetLabels(t *testing.T) {
	c, mux := setup(t)
	var removedPaths []string
	var addedBody []string
	mux.HandleFunc("/repos/kcmo/requests/issues/7/labels", func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case "GET":
			fmt.Fprint(w, `[{"name": "request"}, {"name": "good first issue"}, {"name": "needs-staff-review"}]`)
		case "POST":
			if err := json.NewDecoder(r.Body).Decode(&addedBody); err != nil {
				t.Fatal(err)
			}
			fmt.Fprint(w, `[]`)
		default:
			t.Errorf("unexpected %s", r.Method)
		}
	})
	mux.HandleFunc("/repos/kcmo/requests/issues/7/labels/", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "DELETE")
		removedPaths = append(removedPaths, strings.TrimPrefix(r.URL.Path, "/repos/kcmo/requests/issues/7/labels/"))
		fmt.Fprint(w, `[]`)
	})
	managed := []string{"request", "decision", "appeal", "enforcement", "needs-staff-review"}
	added, removed, err := c.SetLabels(context.Background(), 7, []string{"request", "decision"}, managed)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(added, []string{"decision"}) || !reflect.DeepEqual(addedBody, []string{"decision"}) {
		t.Errorf("added %v (sent %v), want [decision]", added, addedBody)
	}
	if !reflect.DeepEqual(removed, []string{"needs-staff-review"}) || !reflect.DeepEqual(removedPaths, []string{"needs-staff-review"}) {
		t.Errorf("removed %v (requests %v), want [needs-staff-review]; other labels must stay", removed, removedPaths)
	}
}

func TestPullRequest(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/repos/kcmo/requests/pulls/7", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		fmt.Fprint(w, `{"number": 7, "state": "open", "head": {"sha": "abc123"}, "base": {"sha": "def456", "ref": "main"}, "user": {"login": "maria"}}`)
	})
	pr, err := c.PullRequest(context.Background(), 7)
	if err != nil {
		t.Fatal(err)
	}
	want := PullRequest{Number: 7, State: "open", HeadSHA: "abc123", BaseSHA: "def456", BaseRef: "main", Author: "maria"}
	if *pr != want {
		t.Errorf("PullRequest = %+v, want %+v", *pr, want)
	}
}

func TestSetStatus(t *testing.T) {
	c, mux := setup(t)
	var got map[string]any
	mux.HandleFunc("/repos/kcmo/requests/statuses/abc123", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		if err := json.NewDecoder(r.Body).Decode(&got); err != nil {
			t.Fatal(err)
		}
		fmt.Fprint(w, `{}`)
	})
	if err := c.SetStatus(context.Background(), "abc123", "failure", strings.Repeat("x", 200), "https://example.org/run/1"); err != nil {
		t.Fatal(err)
	}
	if got["state"] != "failure" || got["context"] != "docket" || got["target_url"] != "https://example.org/run/1" || len([]rune(got["description"].(string))) != 140 {
		t.Errorf("status sent: %v", got)
	}
}

func TestBranchTip(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/repos/kcmo/requests/branches/main", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		fmt.Fprint(w, `{"name": "main", "commit": {"sha": "feedbeef"}}`)
	})
	if sha, err := c.BranchTip(context.Background(), "main"); err != nil || sha != "feedbeef" {
		t.Errorf("BranchTip = %q, %v", sha, err)
	}
}

// OpenPullRequests lists the pull requests into one branch with every path each one changes,
// the old name of a renamed file included.
func TestOpenPullRequests(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/repos/kcmo/requests/pulls", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		if q := r.URL.Query(); q.Get("state") != "open" || q.Get("base") != "main" {
			t.Errorf("query = %v", q)
		}
		fmt.Fprint(w, `[{"number": 7, "state": "open", "user": {"login": "maria"}, "head": {"sha": "h7"}, "base": {"ref": "main", "sha": "b7"}}]`)
	})
	mux.HandleFunc("/repos/kcmo/requests/pulls/7/files", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `[{"filename": "requests/a/request.yaml", "status": "modified"},
			{"filename": "requests/c/request.yaml", "previous_filename": "requests/b/request.yaml", "status": "renamed"}]`)
	})
	got, err := c.OpenPullRequests(context.Background(), "main")
	if err != nil {
		t.Fatal(err)
	}
	want := []OpenPullRequest{{PullRequest: PullRequest{Number: 7, State: "open", HeadSHA: "h7", BaseSHA: "b7", BaseRef: "main", Author: "maria"},
		Paths: []string{"requests/a/request.yaml", "requests/c/request.yaml", "requests/b/request.yaml"}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("OpenPullRequests = %+v", got)
	}
}
