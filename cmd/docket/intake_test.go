package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// intakeGitHub is a GitHub of one repository, kcmo/requests, enough for docket intake: issues
// and their comments, pull requests, and git objects and branches. It keeps what is written,
// so a test can run intake again and see what a second run changes, and it counts writes.
type intakeGitHub struct {
	t        *testing.T
	mu       sync.Mutex
	issues   map[int]map[string]any
	comments map[int][]map[string]any
	pulls    []map[string]any
	files    map[int]string // pull request files, as GitHub lists them
	// commitPulls are the pull requests of a commit, as GitHub lists them.
	commitPulls map[string]string
	blobs       map[string]string
	trees       map[string]map[string]string // tree sha: path -> blob sha
	commits     map[string]map[string]any
	refs        map[string]string // branch -> commit
	writes      []string
	nextID      int
}

func newIntakeGitHub(t *testing.T) *intakeGitHub {
	g := &intakeGitHub{t: t, issues: map[int]map[string]any{}, comments: map[int][]map[string]any{}, files: map[int]string{}, commitPulls: map[string]string{},
		blobs: map[string]string{}, trees: map[string]map[string]string{"basetree": {}}, refs: map[string]string{"main": "base0"},
		commits: map[string]map[string]any{"base0": {"sha": "base0", "tree": map[string]any{"sha": "basetree"}}}, nextID: 100}
	srv := httptest.NewServer(g.handler())
	t.Cleanup(srv.Close)
	t.Setenv("GITHUB_TOKEN", "t0ken")
	t.Setenv("GITHUB_REPOSITORY", "kcmo/requests")
	t.Setenv("GITHUB_API_URL", srv.URL+"/")
	t.Setenv("GITHUB_OUTPUT", filepath.Join(t.TempDir(), "output"))
	return g
}

func (g *intakeGitHub) id(prefix string) string {
	g.nextID++
	return prefix + strconv.Itoa(g.nextID)
}

func (g *intakeGitHub) handler() http.Handler {
	mux := http.NewServeMux()
	const repo = "/repos/kcmo/requests"
	read := func(r *http.Request) map[string]any {
		var b map[string]any
		if err := json.NewDecoder(r.Body).Decode(&b); err != nil {
			g.t.Errorf("%s %s: %v", r.Method, r.URL.Path, err)
		}
		return b
	}
	write := func(w http.ResponseWriter, v any) { json.NewEncoder(w).Encode(v) }
	h := func(pattern string, f func(w http.ResponseWriter, r *http.Request)) {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Authorization") != "Bearer t0ken" {
				g.t.Errorf("Authorization = %q", r.Header.Get("Authorization"))
			}
			g.mu.Lock()
			defer g.mu.Unlock()
			if r.Method != http.MethodGet {
				g.writes = append(g.writes, r.Method+" "+strings.TrimPrefix(r.URL.Path, repo))
			}
			f(w, r)
		})
	}
	h("GET "+repo, func(w http.ResponseWriter, r *http.Request) { write(w, map[string]any{"default_branch": "main"}) })
	h("GET "+repo+"/branches/{b}", func(w http.ResponseWriter, r *http.Request) {
		write(w, map[string]any{"name": r.PathValue("b"), "commit": map[string]any{"sha": g.refs[r.PathValue("b")]}})
	})
	h("GET "+repo+"/issues/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		if is, ok := g.issues[n]; ok {
			write(w, is)
			return
		}
		http.NotFound(w, r)
	})
	h("GET "+repo+"/issues/{n}/comments", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		write(w, g.comments[n])
	})
	h("POST "+repo+"/issues/{n}/comments", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		c := map[string]any{"id": g.nextID, "body": read(r)["body"], "user": map[string]any{"login": "github-actions[bot]", "type": "Bot"}}
		g.nextID++
		g.comments[n] = append(g.comments[n], c)
		write(w, c)
	})
	h("PATCH "+repo+"/issues/comments/{id}", func(w http.ResponseWriter, r *http.Request) {
		id, _ := strconv.Atoi(r.PathValue("id"))
		body := read(r)["body"]
		for _, cs := range g.comments {
			for _, c := range cs {
				if c["id"] == id {
					c["body"] = body
					write(w, c)
					return
				}
			}
		}
		http.NotFound(w, r)
	})
	h("GET "+repo+"/pulls", func(w http.ResponseWriter, r *http.Request) {
		head := r.URL.Query().Get("head")
		out := []map[string]any{}
		for _, p := range g.pulls {
			if p["state"] != "open" {
				continue
			}
			if head != "" && "kcmo:"+p["head"].(map[string]any)["ref"].(string) != head {
				continue
			}
			out = append(out, p)
		}
		write(w, out)
	})
	h("GET "+repo+"/pulls/{n}/files", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		fmt.Fprint(w, g.files[n])
	})
	h("POST "+repo+"/pulls", func(w http.ResponseWriter, r *http.Request) {
		b := read(r)
		n := len(g.pulls) + 40
		branch := b["head"].(string)
		p := map[string]any{"number": n, "state": "open", "title": b["title"], "body": b["body"],
			"user": map[string]any{"login": "github-actions[bot]", "type": "Bot"}, "base": map[string]any{"ref": b["base"]},
			"head": map[string]any{"ref": branch, "sha": g.refs[branch], "repo": map[string]any{"full_name": "kcmo/requests"}}}
		g.pulls = append(g.pulls, p)
		write(w, p)
	})
	h("PATCH "+repo+"/pulls/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		b := read(r)
		for _, p := range g.pulls {
			if p["number"] == n {
				p["title"], p["body"] = b["title"], b["body"]
				write(w, p)
				return
			}
		}
		http.NotFound(w, r)
	})
	h("GET "+repo+"/git/ref/heads/{branch...}", func(w http.ResponseWriter, r *http.Request) {
		sha, ok := g.refs[r.PathValue("branch")]
		if !ok {
			http.Error(w, `{"message": "Not Found"}`, http.StatusNotFound)
			return
		}
		write(w, map[string]any{"ref": "refs/heads/" + r.PathValue("branch"), "object": map[string]any{"sha": sha}})
	})
	h("GET "+repo+"/git/commits/{sha}", func(w http.ResponseWriter, r *http.Request) {
		write(w, g.commits[r.PathValue("sha")])
	})
	h("POST "+repo+"/git/blobs", func(w http.ResponseWriter, r *http.Request) {
		sha := g.id("blob")
		g.blobs[sha] = read(r)["content"].(string)
		write(w, map[string]any{"sha": sha})
	})
	h("POST "+repo+"/git/trees", func(w http.ResponseWriter, r *http.Request) {
		b := read(r)
		tree := map[string]string{}
		for p, s := range g.trees[b["base_tree"].(string)] {
			tree[p] = s
		}
		for _, e := range b["tree"].([]any) {
			e := e.(map[string]any)
			tree[e["path"].(string)] = e["sha"].(string)
		}
		sha := g.id("tree")
		g.trees[sha] = tree
		write(w, map[string]any{"sha": sha})
	})
	h("POST "+repo+"/git/commits", func(w http.ResponseWriter, r *http.Request) {
		b := read(r)
		sha := g.id("commit")
		var parents []map[string]any
		for _, p := range b["parents"].([]any) {
			parents = append(parents, map[string]any{"sha": p})
		}
		g.commits[sha] = map[string]any{"sha": sha, "message": b["message"], "tree": map[string]any{"sha": b["tree"]}, "parents": parents}
		write(w, g.commits[sha])
	})
	h("POST "+repo+"/git/refs", func(w http.ResponseWriter, r *http.Request) {
		b := read(r)
		g.refs[strings.TrimPrefix(b["ref"].(string), "refs/heads/")] = b["sha"].(string)
		write(w, b)
	})
	h("PATCH "+repo+"/git/refs/heads/{branch...}", func(w http.ResponseWriter, r *http.Request) {
		b := read(r)
		if b["force"] != true {
			g.t.Errorf("the branch was moved without force: %v", b)
		}
		g.refs[r.PathValue("branch")] = b["sha"].(string)
		for _, p := range g.pulls {
			if head := p["head"].(map[string]any); head["ref"] == r.PathValue("branch") {
				head["sha"] = b["sha"]
			}
		}
		write(w, b)
	})
	h("GET "+repo+"/contents/{path...}", func(w http.ResponseWriter, r *http.Request) {
		commit := g.commits[r.URL.Query().Get("ref")]
		if commit == nil {
			http.NotFound(w, r)
			return
		}
		blob, ok := g.trees[commit["tree"].(map[string]any)["sha"].(string)][r.PathValue("path")]
		if !ok {
			http.Error(w, `{"message": "Not Found"}`, http.StatusNotFound)
			return
		}
		text := g.blobs[blob]
		write(w, map[string]any{"type": "file", "encoding": "base64", "size": len(text), "path": r.PathValue("path"), "content": base64.StdEncoding.EncodeToString([]byte(text))})
	})
	// For docket remind: the pull request of a commit, and a tracking issue.
	h("GET "+repo+"/commits/{sha}/pulls", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, cmp.Or(g.commitPulls[r.PathValue("sha")], "[]"))
	})
	h("GET "+repo+"/issues", func(w http.ResponseWriter, r *http.Request) {
		out := []map[string]any{}
		for n := 1; n <= 1000; n++ {
			if is, ok := g.issues[n]; ok && is["state"] == "open" {
				out = append(out, is)
			}
		}
		write(w, out)
	})
	h("POST "+repo+"/issues", func(w http.ResponseWriter, r *http.Request) {
		b := read(r)
		n := 900 + len(g.issues)
		g.issues[n] = map[string]any{"number": n, "state": "open", "title": b["title"], "body": b["body"], "user": map[string]any{"login": "github-actions[bot]", "type": "Bot"}}
		write(w, g.issues[n])
	})
	h("PATCH "+repo+"/issues/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		b := read(r)
		g.issues[n]["title"], g.issues[n]["body"] = b["title"], b["body"]
		write(w, g.issues[n])
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		g.t.Errorf("unexpected request %s %s", r.Method, r.URL)
		http.NotFound(w, r)
	})
	return mux
}

// fileOn returns the text of path on branch.
func (g *intakeGitHub) fileOn(branch, path string) (string, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	c := g.commits[g.refs[branch]]
	if c == nil {
		return "", false
	}
	blob, ok := g.trees[c["tree"].(map[string]any)["sha"].(string)][path]
	return g.blobs[blob], ok
}

func (g *intakeGitHub) takeWrites() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	w := g.writes
	g.writes = nil
	return w
}

// intakeRepo is a checkout of the default branch: the sample configuration and requests.
func intakeRepo(t *testing.T) string {
	dir := t.TempDir()
	for _, p := range []string{".github/docket.yml"} {
		b, err := os.ReadFile(filepath.Join("..", "..", p))
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755)
		os.WriteFile(filepath.Join(dir, p), b, 0o644)
	}
	return dir
}

func issueBody(t *testing.T, name string) string {
	b, err := os.ReadFile(filepath.Join("..", "..", "internal", "intake", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func runIntakeCmd(t *testing.T, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"intake"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

// An issue filled with the API-access form becomes a branch with one commit adding the
// request, a pull request and one comment with its number; running again on an edit changes
// only what changed, and a comment is updated, never added twice.
func TestIntakeOpensAndFollowsAPullRequest(t *testing.T) {
	g := newIntakeGitHub(t)
	dir := intakeRepo(t)
	g.issues[21] = map[string]any{"number": 21, "state": "open", "title": "API key request: 311", "body": issueBody(t, "api-access.md"), "user": map[string]any{"login": "maria-kc"}}

	code, stdout, stderr := runIntakeCmd(t, "--issue", "21", "--repo", dir)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	const file = "requests/daily-311-service-requests-for-a-neighborhood/request.yaml"
	want := `docket: issue #21 by maria-kc: a request for API access (request-api-access.yml)
docket: ` + file + `: 26 lines
docket: branch docket-intake/issue-21: created
docket: pull request from docket-intake/issue-21 into main: created
docket: comment on issue #21: created
`
	if stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}
	if w := strings.Join(g.takeWrites(), "\n"); w != "POST /git/blobs\nPOST /git/trees\nPOST /git/commits\nPOST /git/refs\nPOST /pulls\nPOST /issues/21/comments" {
		t.Errorf("writes:\n%s", w)
	}
	text, ok := g.fileOn("docket-intake/issue-21", file)
	if !ok || !strings.Contains(text, "  github: maria-kc\n") || !strings.Contains(text, "  datasets: [kcmo-311-service-requests, kcmo-property-violations]\n") {
		t.Errorf("the branch holds:\n%s", text)
	}
	if p := g.pulls[0]; p["title"] != "Request: Daily 311 service requests for a neighborhood dashboard" || !strings.Contains(p["body"].(string), "Closes #21") || p["base"].(map[string]any)["ref"] != "main" {
		t.Errorf("pull request %v", p)
	}
	if c := g.comments[21]; len(c) != 1 || !strings.Contains(c[0]["body"].(string), "### ✅ Your request is in: pull request #40") {
		t.Errorf("comments %v", c)
	}
	out, _ := os.ReadFile(os.Getenv("GITHUB_OUTPUT"))
	if want := "pr=40\nhead=" + g.refs["docket-intake/issue-21"] + "\nid=daily-311-service-requests-for-a-neighborhood\n"; string(out) != want {
		t.Errorf("outputs %q, want %q", out, want)
	}

	// The same answers again (an edit of the title, say): nothing is written.
	if code, stdout, _ := runIntakeCmd(t, "--issue", "21", "--repo", dir); code != 0 || !strings.Contains(stdout, "branch docket-intake/issue-21: unchanged\n") {
		t.Errorf("exit %d\n%s", code, stdout)
	}
	if w := g.takeWrites(); len(w) != 0 {
		t.Errorf("a run with nothing new wrote %v", w)
	}

	// An edited answer moves the branch (one new commit on the base), in the same pull request.
	g.issues[21]["body"] = strings.Replace(issueBody(t, "api-access.md"), "2,000", "3000", 1)
	if code, stdout, stderr := runIntakeCmd(t, "--issue", "21", "--repo", dir); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if w := strings.Join(g.takeWrites(), "\n"); w != "POST /git/blobs\nPOST /git/trees\nPOST /git/commits\nPATCH /git/refs/heads/docket-intake/issue-21" {
		t.Errorf("writes:\n%s", w)
	}
	if text, _ := g.fileOn("docket-intake/issue-21", file); !strings.Contains(text, "requests_per_day: 3000\n") {
		t.Errorf("the branch holds:\n%s", text)
	}

	// An edit that breaks an answer: the one comment lists what to fix; the pull request keeps
	// the earlier answers.
	g.issues[21]["body"] = strings.Replace(issueBody(t, "api-access.md"), "2,000", "lots", 1)
	if code, stdout, _ := runIntakeCmd(t, "--issue", "21", "--repo", dir); code != 0 || stdout != "docket: issue #21 by maria-kc: a request for API access (request-api-access.yml)\ndocket: 1 answer to fix; comment on issue #21: updated\n" {
		t.Errorf("exit %d\n%s", code, stdout)
	}
	if w := strings.Join(g.takeWrites(), "\n"); !strings.HasPrefix(w, "PATCH /issues/comments/") || strings.Contains(w, "\n") {
		t.Errorf("writes:\n%s", w)
	}
	body := g.comments[21][0]["body"].(string)
	for _, want := range []string{"One answer needs fixing", `- **Calls a day**: write a whole number, like 2000; you wrote "lots"`, "Pull request #40 still has your earlier answers"} {
		if !strings.Contains(body, want) {
			t.Errorf("the comment lacks %q:\n%s", want, body)
		}
	}
}

// A dry run plans and prints the file and the comment, and writes nothing.
func TestIntakeDryRun(t *testing.T) {
	g := newIntakeGitHub(t)
	dir := intakeRepo(t)
	g.issues[22] = map[string]any{"number": 22, "state": "open", "body": issueBody(t, "dataset.md"), "user": map[string]any{"login": "req-dan"}}
	code, stdout, stderr := runIntakeCmd(t, "--issue", "22", "--repo", dir, "--dry-run")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{
		"docket: branch docket-intake/issue-22: would be created\n",
		"docket: pull request from docket-intake/issue-22 into main: would be created\n",
		"docket: comment on issue #22: would be created\n",
		// A data repository has no schema/ folder: editors read the schemas the site publishes.
		"# yaml-language-server: $schema=https://opendata-docket.github.io/docket/schema/request.schema.json\nkind: dataset\n",
		"requests/sidewalk-repairs/request.yaml",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the dry run does not say %q:\n%s", want, stdout)
		}
	}
	if w := g.takeWrites(); len(w) != 0 {
		t.Errorf("a dry run wrote %v", w)
	}
	if out, _ := os.ReadFile(os.Getenv("GITHUB_OUTPUT")); len(out) != 0 {
		t.Errorf("a dry run set outputs %q", out)
	}
}

// Ids: one asked for and taken by another open pull request is an answer to fix; one made from
// the title steps around it.
func TestIntakeIDs(t *testing.T) {
	g := newIntakeGitHub(t)
	dir := intakeRepo(t)
	g.pulls = append(g.pulls, map[string]any{"number": 7, "state": "open", "user": map[string]any{"login": "dan"},
		"head": map[string]any{"ref": "dans-branch", "sha": "d7", "repo": map[string]any{"full_name": "dan/requests"}}, "base": map[string]any{"ref": "main"}})
	g.files[7] = `[{"filename": "requests/sidewalk-repairs/request.yaml", "status": "added"},
		{"filename": "requests/daily-311-service-requests-for-a-neighborhood/request.yaml", "status": "added"}]`
	g.issues[23] = map[string]any{"number": 23, "state": "open", "body": issueBody(t, "dataset.md"), "user": map[string]any{"login": "req-dan"}}
	if code, stdout, _ := runIntakeCmd(t, "--issue", "23", "--repo", dir); code != 0 || !strings.Contains(stdout, "1 answer to fix") {
		t.Errorf("exit %d\n%s", code, stdout)
	}
	if c := g.comments[23][0]["body"].(string); !strings.Contains(c, "- **Request id \\(optional\\)**: sidewalk-repairs is taken by another open pull request; choose another id, or leave this empty for one made from the title") {
		t.Errorf("comment:\n%s", c)
	}
	g.issues[24] = map[string]any{"number": 24, "state": "open", "body": issueBody(t, "api-access.md"), "user": map[string]any{"login": "maria-kc"}}
	if code, stdout, _ := runIntakeCmd(t, "--issue", "24", "--repo", dir); code != 0 || !strings.Contains(stdout, "requests/daily-311-service-requests-for-a-neighborhood-2/request.yaml") {
		t.Errorf("exit %d\n%s", code, stdout)
	}
}

// Issues that are not request forms, closed issues and pull requests are left alone.
func TestIntakeLeavesOtherIssuesAlone(t *testing.T) {
	g := newIntakeGitHub(t)
	dir := intakeRepo(t)
	g.issues[30] = map[string]any{"number": 30, "state": "open", "body": issueBody(t, "misuse.md"), "user": map[string]any{"login": "neighbor"}}
	g.issues[31] = map[string]any{"number": 31, "state": "closed", "body": issueBody(t, "api-access.md"), "user": map[string]any{"login": "maria-kc"}}
	g.issues[32] = map[string]any{"number": 32, "state": "open", "body": issueBody(t, "api-access.md"), "user": map[string]any{"login": "maria-kc"}, "pull_request": map[string]any{"url": "x"}}
	for n, want := range map[string]string{
		"30": "docket: issue #30 was not written with a request form; nothing to do\n",
		"31": "docket: issue #31 is closed; nothing to do\n",
		"32": "docket: #32 is a pull request, not an issue; nothing to do\n",
	} {
		if code, stdout, _ := runIntakeCmd(t, "--issue", n, "--repo", dir); code != 0 || stdout != want {
			t.Errorf("issue %s: exit %d, %q", n, code, stdout)
		}
	}
	if w := g.takeWrites(); len(w) != 0 {
		t.Errorf("wrote %v", w)
	}
}
