package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// fakeGitHub serves the endpoints docket comment uses, for pull request 7 of kcmo/requests
// whose head is at commit "abc123", and records what was written.
type fakeGitHub struct {
	t        *testing.T
	comments []map[string]any
	labels   []string
	writes   int
	pulls    string         // the open pull requests, as GitHub lists them
	files    map[int]string // the files of each pull request
}

func (g *fakeGitHub) server() *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /repos/kcmo/requests/pulls/7", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer t0ken" {
			g.t.Errorf("Authorization = %q", r.Header.Get("Authorization"))
		}
		w.Write([]byte(`{"number": 7, "head": {"sha": "abc123"}, "user": {"login": "maria"}}`))
	})
	mux.HandleFunc("GET /repos/kcmo/requests/pulls", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(cmp.Or(g.pulls, "[]")))
	})
	mux.HandleFunc("GET /repos/kcmo/requests/pulls/{n}/files", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		w.Write([]byte(cmp.Or(g.files[n], "[]")))
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

const goodReport = `{"version": 1, "pull_request": 7, "head_sha": "abc123", "actor": "maria", "ok": false, "checked": 1,
  "changes": [{"path": "requests/bus/request.yaml", "action": "added", "area": "request", "id": "bus"}],
  "findings": [{"path": "requests/bus/request.yaml", "line": 4, "column": 11, "field": "title",
                "message": "<script>alert(1)</script> [x](javascript:alert(1)) @org/team", "severity": "error"}],
  "effects": [], "notes": [], "labels": ["request"]}`

func TestCommentPostsOnceAndUpdates(t *testing.T) {
	g := commentEnv(t)
	p := writeFile(t, goodReport)
	for i := range 2 {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), []string{"comment", "--report", p, "--head-sha", "abc123"}, &stdout, &stderr); code != 0 {
			t.Fatalf("run %d: exit %d: %s", i+1, code, stderr.String())
		}
	}
	if len(g.comments) != 1 {
		t.Fatalf("%d comments, want 1", len(g.comments))
	}
	body := g.comments[0]["body"].(string)
	if !strings.Contains(body, "<!-- docket:check -->") || strings.Contains(body, "<script") || strings.Contains(body, "](javascript") || strings.Contains(body, "@org") {
		t.Errorf("comment body not safe:\n%s", body)
	}
	if strings.Join(g.labels, ",") != "request" {
		t.Errorf("labels = %v", g.labels)
	}
}

func TestCommentRefusesAReportForAnotherCommit(t *testing.T) {
	g := commentEnv(t)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"comment", "--report", writeFile(t, goodReport), "--head-sha", "fffff"}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "the report is for pull request #7, whose head is abc123, not fffff; nothing was posted") {
		t.Errorf("exit %d: %s", code, stderr.String())
	}
	if g.writes != 0 {
		t.Error("something was written to GitHub")
	}
}

func TestCommentRefusesForgedLabels(t *testing.T) {
	g := commentEnv(t)
	forged := strings.Replace(goodReport, `"labels": ["request"]`, `"labels": ["approved-by-staff"]`, 1)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"comment", "--report", writeFile(t, forged), "--head-sha", "abc123"}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), `the report asks for the label "approved-by-staff", which docket does not manage`) {
		t.Errorf("exit %d: %s", code, stderr.String())
	}
	if g.writes != 0 {
		t.Error("something was written to GitHub")
	}
}

func TestCommentDryRun(t *testing.T) {
	g := commentEnv(t)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"comment", "--report", writeFile(t, goodReport), "--head-sha", "abc123", "--dry-run"}, &stdout, &stderr)
	if code != 0 || !strings.Contains(stderr.String(), "docket: dry run: comment would be created on pull request #7; labels to add: request; to remove: none") {
		t.Errorf("exit %d: %s", code, stderr.String())
	}
	if g.writes != 0 {
		t.Error("a dry run wrote to GitHub")
	}
}
