package gh

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

func decodeBody(t *testing.T, r *http.Request) map[string]any {
	t.Helper()
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		t.Fatalf("%s %s: %v", r.Method, r.URL.Path, err)
	}
	return body
}

func contents(text string) string {
	return fmt.Sprintf(`{"type": "file", "encoding": "base64", "size": %d, "content": %q}`, len(text), base64.StdEncoding.EncodeToString([]byte(text)))
}

// A new branch is one commit on top of the base: the base's tree with the request file, and
// a reference to it. Each call asserts exactly what GitHub is asked to write.
func TestPutFileCreatesBranch(t *testing.T) {
	c, mux := setup(t)
	const path = "requests/bus-feed/request.yaml"
	var calls []string
	mux.HandleFunc("GET /repos/kcmo/requests/git/ref/heads/docket-intake/issue-5", func(w http.ResponseWriter, r *http.Request) {
		calls = append(calls, "get ref")
		http.Error(w, `{"message": "Not Found"}`, http.StatusNotFound)
	})
	mux.HandleFunc("GET /repos/kcmo/requests/git/commits/base0", func(w http.ResponseWriter, r *http.Request) {
		calls = append(calls, "get base")
		fmt.Fprint(w, `{"sha": "base0", "tree": {"sha": "basetree"}}`)
	})
	mux.HandleFunc("POST /repos/kcmo/requests/git/blobs", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		calls = append(calls, "blob")
		if b := decodeBody(t, r); b["content"] != "kind: dataset\n" || b["encoding"] != "utf-8" {
			t.Errorf("blob %v", b)
		}
		fmt.Fprint(w, `{"sha": "blob1"}`)
	})
	mux.HandleFunc("POST /repos/kcmo/requests/git/trees", func(w http.ResponseWriter, r *http.Request) {
		calls = append(calls, "tree")
		b := decodeBody(t, r)
		want := map[string]any{"base_tree": "basetree", "tree": []any{map[string]any{"path": path, "mode": "100644", "type": "blob", "sha": "blob1"}}}
		if !reflect.DeepEqual(b, want) {
			t.Errorf("tree %v, want %v", b, want)
		}
		fmt.Fprint(w, `{"sha": "tree1"}`)
	})
	mux.HandleFunc("POST /repos/kcmo/requests/git/commits", func(w http.ResponseWriter, r *http.Request) {
		calls = append(calls, "commit")
		b := decodeBody(t, r)
		if b["message"] != "Request bus-feed, from issue #5" || b["tree"] != "tree1" || !reflect.DeepEqual(b["parents"], []any{"base0"}) {
			t.Errorf("commit %v", b)
		}
		fmt.Fprint(w, `{"sha": "commit1"}`)
	})
	mux.HandleFunc("POST /repos/kcmo/requests/git/refs", func(w http.ResponseWriter, r *http.Request) {
		calls = append(calls, "create ref")
		if b := decodeBody(t, r); b["ref"] != "refs/heads/docket-intake/issue-5" || b["sha"] != "commit1" {
			t.Errorf("ref %v", b)
		}
		fmt.Fprint(w, `{"ref": "refs/heads/docket-intake/issue-5", "object": {"sha": "commit1"}}`)
	})
	sha, what, err := c.PutFile(context.Background(), IntakeBranch(5), "base0", path, []byte("kind: dataset\n"), "Request bus-feed, from issue #5")
	if err != nil || sha != "commit1" || what != BranchCreated {
		t.Fatalf("PutFile = %q, %q, %v", sha, what, err)
	}
	if got := strings.Join(calls, ", "); got != "get ref, get base, blob, tree, commit, create ref" {
		t.Errorf("calls: %s", got)
	}
}

// A branch that already holds the file is left alone; one that holds anything else is
// replaced by one commit on the base, with a forced update.
func TestPutFileUpdatesOnlyWhenChanged(t *testing.T) {
	c, mux := setup(t)
	const path = "requests/bus-feed/request.yaml"
	have := "kind: dataset\n"
	writes := 0
	mux.HandleFunc("GET /repos/kcmo/requests/git/ref/heads/docket-intake/issue-5", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"ref": "refs/heads/docket-intake/issue-5", "object": {"sha": "old1"}}`)
	})
	mux.HandleFunc("GET /repos/kcmo/requests/contents/"+path, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("ref") != "old1" {
			t.Errorf("ref = %q", r.URL.Query().Get("ref"))
		}
		fmt.Fprint(w, contents(have))
	})
	mux.HandleFunc("GET /repos/kcmo/requests/git/commits/base0", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"sha": "base0", "tree": {"sha": "basetree"}}`)
	})
	for _, p := range []string{"blobs", "trees", "commits"} {
		mux.HandleFunc("POST /repos/kcmo/requests/git/"+p, func(w http.ResponseWriter, r *http.Request) {
			writes++
			fmt.Fprint(w, `{"sha": "new1"}`)
		})
	}
	mux.HandleFunc("PATCH /repos/kcmo/requests/git/refs/heads/docket-intake/issue-5", func(w http.ResponseWriter, r *http.Request) {
		writes++
		if b := decodeBody(t, r); b["sha"] != "new1" || b["force"] != true {
			t.Errorf("update ref %v", b)
		}
		fmt.Fprint(w, `{}`)
	})
	ctx := context.Background()
	if sha, what, err := c.PutFile(ctx, IntakeBranch(5), "base0", path, []byte(have), "m"); err != nil || what != BranchUnchanged || sha != "old1" || writes != 0 {
		t.Errorf("the same file: %q, %q, %v, %d writes", sha, what, err, writes)
	}
	c.dryRun = true
	if _, what, err := c.PutFile(ctx, IntakeBranch(5), "base0", path, []byte("kind: api-access\n"), "m"); err != nil || what != BranchUpdated || writes != 0 {
		t.Errorf("a dry run: %q, %v, %d writes", what, err, writes)
	}
	c.dryRun = false
	if sha, what, err := c.PutFile(ctx, IntakeBranch(5), "base0", path, []byte("kind: api-access\n"), "m"); err != nil || what != BranchUpdated || sha != "new1" || writes != 4 {
		t.Errorf("another file: %q, %q, %v, %d writes", sha, what, err, writes)
	}
}

// The intake comment is updated in place on every run, never added twice; a person quoting
// the marker does not capture it.
func TestUpsertMarkedComment(t *testing.T) {
	c, mux := setup(t)
	const marker = "<!-- docket:intake -->"
	comments := []map[string]any{
		{"id": 1, "body": "quoting " + marker, "user": map[string]any{"login": "mallory", "type": "User"}},
	}
	var created, edited int
	mux.HandleFunc("GET /repos/kcmo/requests/issues/5/comments", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(comments)
	})
	mux.HandleFunc("POST /repos/kcmo/requests/issues/5/comments", func(w http.ResponseWriter, r *http.Request) {
		created++
		b := decodeBody(t, r)
		comments = append(comments, map[string]any{"id": 2, "body": b["body"], "user": map[string]any{"login": "github-actions[bot]", "type": "Bot"}})
		fmt.Fprint(w, `{"id": 2}`)
	})
	mux.HandleFunc("PATCH /repos/kcmo/requests/issues/comments/2", func(w http.ResponseWriter, r *http.Request) {
		edited++
		comments[1]["body"] = decodeBody(t, r)["body"]
		fmt.Fprint(w, `{"id": 2}`)
	})
	mux.HandleFunc("PATCH /repos/kcmo/requests/issues/comments/1", func(w http.ResponseWriter, r *http.Request) {
		t.Error("a person's comment was edited")
	})
	ctx := context.Background()
	for i, want := range []string{"created", "unchanged", "updated"} {
		body := marker + "\nfirst"
		if i == 2 {
			body = marker + "\nsecond"
		}
		if got, err := c.UpsertComment(ctx, 5, marker, body); err != nil || got != want {
			t.Errorf("run %d: %q, %v; want %s", i+1, got, err, want)
		}
	}
	if created != 1 || edited != 1 || comments[1]["body"] != marker+"\nsecond" {
		t.Errorf("created %d, edited %d: %v", created, edited, comments)
	}
	if _, err := c.UpsertComment(ctx, 5, marker, "no marker"); err == nil {
		t.Error("a body without the marker was posted")
	}
}

// A pull request docket intake opened from issue N speaks for the issue's author, in the gate
// and in the claims of ids; a look-alike from a fork or by a person does not.
func TestIntakePullRequestsSpeakForTheIssueAuthor(t *testing.T) {
	c, mux := setup(t)
	prs := map[string]string{
		"9":  `{"number": 9, "state": "open", "user": {"login": "github-actions[bot]", "type": "Bot"}, "head": {"sha": "h9", "ref": "docket-intake/issue-5", "repo": {"full_name": "kcmo/requests"}}, "base": {"ref": "main"}}`,
		"10": `{"number": 10, "state": "open", "user": {"login": "github-actions[bot]", "type": "Bot"}, "head": {"sha": "h10", "ref": "docket-intake/issue-5", "repo": {"full_name": "mallory/requests"}}, "base": {"ref": "main"}}`,
		"11": `{"number": 11, "state": "open", "user": {"login": "mallory", "type": "User"}, "head": {"sha": "h11", "ref": "docket-intake/issue-5", "repo": {"full_name": "kcmo/requests"}}, "base": {"ref": "main"}}`,
		"12": `{"number": 12, "state": "open", "user": {"login": "github-actions[bot]", "type": "Bot"}, "head": {"sha": "h12", "ref": "docket-intake/issue-05", "repo": {"full_name": "kcmo/requests"}}, "base": {"ref": "main"}}`,
	}
	mux.HandleFunc("GET /repos/kcmo/requests/pulls/{n}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, prs[r.PathValue("n")])
	})
	issues := 0
	mux.HandleFunc("GET /repos/kcmo/requests/issues/5", func(w http.ResponseWriter, r *http.Request) {
		issues++
		fmt.Fprint(w, `{"number": 5, "state": "open", "user": {"login": "maria"}, "body": "..."}`)
	})
	for n, want := range map[int]string{9: "maria", 10: "github-actions[bot]", 11: "mallory", 12: "github-actions[bot]"} {
		pr, err := c.PullRequest(context.Background(), n)
		if err != nil || pr.Author != want {
			t.Errorf("pull request #%d: author %q, %v; want %s", n, pr.Author, err, want)
		}
	}
	if issues != 1 {
		t.Errorf("the issue was read %d times, want once (for #9 only)", issues)
	}
}
