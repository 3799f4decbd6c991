package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"encoding/pem"
	"github.com/opendata-docket/docket/internal/docket/dockettest"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/opendata-docket/docket/internal/gitrepo"
	"github.com/opendata-docket/docket/internal/gitrepo/gittest"
	"github.com/opendata-docket/docket/internal/keys"
	"github.com/opendata-docket/docket/internal/registry"
	"github.com/opendata-docket/docket/internal/seal"
	"golang.org/x/crypto/ssh"
)

// keysGitHub serves what docket provision asks GitHub: maria's SSH keys, the pull request that
// merged a commit (#12), and the comments on it. failPost makes the next comment land and its
// response fail, as when a connection drops after GitHub stored the comment.
type keysGitHub struct {
	t        *testing.T
	mu       sync.Mutex
	sshKeys  []string
	comments []map[string]any
	failPost bool
	direct   map[string]bool // commits pushed without a pull request
	pulls    map[string]int  // the pull request of other commits (default #12)
	authors  map[int]string  // the author of each pull request (default staff-ann)
	issues   []map[string]any
}

func (g *keysGitHub) server() *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /users/maria/keys", func(w http.ResponseWriter, r *http.Request) {
		var out []map[string]any
		for i, k := range g.sshKeys {
			out = append(out, map[string]any{"id": i + 1, "key": k})
		}
		json.NewEncoder(w).Encode(out)
	})
	mux.HandleFunc("GET /repos/kcmo/requests/commits/{sha}/pulls", func(w http.ResponseWriter, r *http.Request) {
		sha := r.PathValue("sha")
		if g.direct[sha] {
			w.Write([]byte(`[]`))
			return
		}
		n := 12
		if m, ok := g.pulls[sha]; ok {
			n = m
		}
		author := "staff-ann"
		if a, ok := g.authors[n]; ok {
			author = a
		}
		json.NewEncoder(w).Encode([]map[string]any{{"number": n, "merged_at": "2026-11-20T15:00:00Z", "base": map[string]any{"ref": "main"}, "user": map[string]any{"login": author}}})
	})
	mux.HandleFunc("GET /repos/kcmo/requests/issues", func(w http.ResponseWriter, r *http.Request) {
		var open []map[string]any
		for _, is := range g.issues {
			if is["state"] == "open" {
				open = append(open, is)
			}
		}
		json.NewEncoder(w).Encode(open)
	})
	mux.HandleFunc("POST /repos/kcmo/requests/issues", func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		json.NewDecoder(r.Body).Decode(&body)
		is := map[string]any{"number": 50 + len(g.issues), "title": body["title"], "body": body["body"], "state": "open", "user": map[string]any{"login": "github-actions[bot]", "type": "Bot"}}
		g.issues = append(g.issues, is)
		json.NewEncoder(w).Encode(is)
	})
	mux.HandleFunc("PATCH /repos/kcmo/requests/issues/{n}", func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		json.NewDecoder(r.Body).Decode(&body)
		for _, is := range g.issues {
			if strconv.Itoa(is["number"].(int)) == r.PathValue("n") {
				for k, v := range body {
					is[k] = v
				}
				json.NewEncoder(w).Encode(is)
				return
			}
		}
		http.NotFound(w, r)
	})
	mux.HandleFunc("GET /orgs/{org}/teams/{team}/memberships/{login}", func(w http.ResponseWriter, r *http.Request) {
		http.NotFound(w, r)
	})
	mux.HandleFunc("GET /repos/kcmo/requests/issues/12/comments", func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		defer g.mu.Unlock()
		json.NewEncoder(w).Encode(g.comments)
	})
	mux.HandleFunc("POST /repos/kcmo/requests/issues/12/comments", func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		defer g.mu.Unlock()
		var body map[string]any
		json.NewDecoder(r.Body).Decode(&body)
		c := map[string]any{"id": len(g.comments) + 1, "body": body["body"], "html_url": "https://github.com/kcmo/requests/pull/12#issuecomment-1",
			"user": map[string]any{"login": "github-actions[bot]", "type": "Bot"}}
		g.comments = append(g.comments, c)
		if g.failPost {
			g.failPost = false
			http.Error(w, `{"message": "Server Error"}`, http.StatusInternalServerError)
			return
		}
		json.NewEncoder(w).Encode(c)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		g.t.Errorf("unexpected request %s %s", r.Method, r.URL.Path)
		http.NotFound(w, r)
	})
	return httptest.NewServer(mux)
}

// provisionRequest is the shared API-access request, sent by maria.
var provisionRequest = dockettest.By(dockettest.APIRequest, "maria")

const provisionDecision = `outcome: approved
decided_by: staff-ann
date: 2026-11-20
reasons: The data is public and the traffic is small.
evaluation:
  sensitivity: {verdict: met, note: Public data.}
  feasibility: {verdict: met, note: Served by the portal.}
  resources: {verdict: met, note: Little work.}
  legal: {verdict: met, note: Standard terms.}
conditions:
  scopes: [calls-311]
  limits: {requests_per_day: 5000, requests_per_second: 2}
  expires: 2027-11-19
  data_sharing_agreement: false
  terms_version: "2026-01"
`

// The path of issue 9 in Actions: the key is encrypted to the requester's SSH keys on GitHub,
// posted on the pull request that merged the decision, and the registry is pushed to the
// docket-state branch of the remote (a bare repository on disk here). A comment posted whose
// response was lost is found by its marker on the next run and recorded, never posted twice.
func TestProvisionOnGitHub(t *testing.T) {
	cfg := []byte(dockettest.Config)
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	ecPriv, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	g := &keysGitHub{t: t, direct: map[string]bool{}, pulls: map[string]int{}, authors: map[int]string{}}
	for _, k := range []any{pub, &ecPriv.PublicKey} {
		pk, err := ssh.NewPublicKey(k)
		if err != nil {
			t.Fatal(err)
		}
		g.sshKeys = append(g.sshKeys, strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pk))))
	}
	srv := g.server()
	t.Cleanup(srv.Close)
	t.Setenv("GITHUB_TOKEN", "t0ken")
	t.Setenv("GITHUB_REPOSITORY", "kcmo/requests")
	t.Setenv("GITHUB_API_URL", srv.URL)

	// GitHub's copy of the repository, and the workflow's clone of it.
	remote := filepath.Join(t.TempDir(), "remote.git")
	if _, err := git.PlainInit(remote, true); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	r, err := gittest.Disk(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := gittest.Text(".github/docket.yml", string(cfg),
		"requests/bus-feed/request.yaml", provisionRequest,
		"requests/bus-feed/decision.yaml", provisionDecision,
		"requests/bus-feed/acceptance.yaml", "accepted_by: maria\ndate: 2026-11-21\nterms_version: \"2026-01\"\n")
	if _, err := gittest.Commit(r, "main", files, time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC), "accept"); err != nil {
		t.Fatal(err)
	}
	if err := r.Storer.SetReference(plumbing.NewSymbolicReference(plumbing.HEAD, "refs/heads/main")); err != nil {
		t.Fatal(err)
	}
	for p, f := range files {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755)
		os.WriteFile(filepath.Join(dir, p), []byte(f.Data), 0o644)
	}
	if _, err := r.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{remote}}); err != nil {
		t.Fatal(err)
	}
	if err := r.Push(&git.PushOptions{RemoteName: "origin", RefSpecs: []config.RefSpec{"refs/heads/main:refs/heads/main"}}); err != nil {
		t.Fatal(err)
	}

	var outputs []string
	provision := func(args ...string) (int, string) {
		t.Helper()
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), append([]string{"provision", "--repo", dir, "--branch", "main"}, args...), &stdout, &stderr)
		outputs = append(outputs, stdout.String(), stderr.String())
		return code, stdout.String() + stderr.String()
	}

	// The plan names the key it will use, and the one it cannot.
	code, out := provision()
	if code != 0 || !strings.Contains(out, "+ issue     bus-feed-1: for @maria: calls-311; 5000 calls a day, 2 a second; until 2027-11-19; encrypted to 1 SSH key of @maria on GitHub") {
		t.Fatalf("plan (%d):\n%s", code, out)
	}
	if len(g.comments) != 0 {
		t.Fatal("the plan posted a comment")
	}
	if _, err := remoteRegistry(t, remote); err == nil {
		t.Fatal("the plan pushed the state branch")
	}

	// Applied, with the comment's response lost: the key stays pending.
	g.failPost = true
	code, out = provision("--confirm")
	if code != 1 || !strings.Contains(out, "docket: error: bus-feed-1: delivering: commenting on #12") {
		t.Fatalf("a lost response (%d):\n%s", code, out)
	}
	reg, err := remoteRegistry(t, remote)
	if err != nil || reg.Keys[0].Status != registry.StatusPending {
		t.Fatalf("after a lost response: %v", err)
	}

	// The next run finds the comment by its marker and records it.
	code, out = provision("--confirm")
	if code != 0 || !strings.Contains(out, "docket: found bus-feed-1 already delivered to pull request #12; recorded it") {
		t.Fatalf("the run after (%d):\n%s", code, out)
	}
	if len(g.comments) != 1 {
		t.Fatalf("%d comments, want the key posted once", len(g.comments))
	}
	reg, err = remoteRegistry(t, remote)
	if err != nil {
		t.Fatal(err)
	}
	k := reg.Keys[0]
	if k.Status != registry.StatusActive || k.Delivery.Delivered.Via != registry.ViaComment || k.Delivery.Delivered.PullRequest != 12 ||
		len(k.Delivery.Recipients) != 1 || k.Delivery.Recipients[0].Type != "ssh-ed25519" {
		t.Fatalf("registry entry: %+v", k)
	}

	// The requester reads the comment with their SSH key, as it says.
	body := g.comments[0]["body"].(string)
	for _, want := range []string{"<!-- docket:key bus-feed-1 sha256:" + k.SHA256 + " -->", "age -d -i ~/.ssh/id_ed25519 bus-feed-1.age", "@maria, here is the API key for this request"} {
		if !strings.Contains(body, want) {
			t.Errorf("the comment lacks %q:\n%s", want, body)
		}
	}
	start, end := strings.Index(body, "-----BEGIN AGE"), strings.Index(body, "-----END AGE ENCRYPTED FILE-----")
	block, _ := ssh.MarshalPrivateKey(priv, "")
	key, err := seal.Open(body[start:end]+"-----END AGE ENCRYPTED FILE-----\n", pem.EncodeToMemory(block))
	if err != nil || !keys.Valid(string(key)) || !keys.Matches(string(key), k.SHA256) {
		t.Fatalf("the comment does not open to the registry's key: %v", err)
	}

	// Nothing more to do.
	if code, out = provision("--confirm"); code != 0 || !strings.Contains(out, "docket: no changes") {
		t.Fatalf("the run after delivering (%d):\n%s", code, out)
	}

	// Only what passed the gate gives access. A change merged while the gate was red is held;
	// a revocation pushed without a pull request is held too, yet it takes the key away (taking
	// access away is the safe side), and the tracking issue says why.
	commit := func(msg string, kv ...string) string {
		t.Helper()
		files = files.With(kv...)
		tip, err := r.Reference("refs/heads/main", true)
		if err != nil {
			t.Fatal(err)
		}
		c, err := gittest.Commit(r, "main", files, time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC), msg, tip.Hash())
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i+1 < len(kv); i += 2 {
			os.WriteFile(filepath.Join(dir, kv[i]), []byte(kv[i+1]), 0o644)
		}
		return c.Hash.String()
	}
	// A requester's pull request that raised their own limits, merged while the gate was red, is
	// held too.
	g.authors[14] = "maria"
	g.pulls[commit("more calls", "requests/bus-feed/decision.yaml", strings.Replace(provisionDecision, "requests_per_day: 5000", "requests_per_day: 9000", 1))] = 14
	code, out = provision()
	if code != 0 || !strings.Contains(out, "pull request #14 by maria was merged although docket check refuses it (requests/bus-feed/decision.yaml:") || strings.Contains(out, "~ update") {
		t.Fatalf("a change merged while the gate was red (%d):\n%s", code, out)
	}
	// Staff answer with a new decision (a later date), which passes.
	commit("a new decision", "requests/bus-feed/decision.yaml", strings.Replace(provisionDecision, "date: 2026-11-20", "date: 2026-11-26", 1))

	revocation := "actions:\n  - action: revocation\n    date: 2026-11-27\n    by: staff-ann\n    reason: The data was resold against the terms.\n"
	g.direct[commit("revoke directly", "requests/bus-feed/enforcement.yaml", revocation)] = true
	code, out = provision("--confirm")
	if code != 0 || !strings.Contains(out, "  wait      bus-feed: held: ") || !strings.Contains(out, "changed requests/bus-feed/enforcement.yaml, and it was pushed without a pull request") ||
		!strings.Contains(out, "docket: revoked bus-feed-1: revocation of 2026-11-27 by staff-ann") ||
		!strings.Contains(out, "docket: the issue listing changes not acted on was created") {
		t.Fatalf("a revocation pushed directly (%d):\n%s", code, out)
	}
	if reg, _ := remoteRegistry(t, remote); reg.Keys[0].Status != registry.StatusRevoked {
		t.Fatal("a held revocation did not revoke")
	}
	if len(g.issues) != 1 || !strings.Contains(g.issues[0]["body"].(string), "| bus-feed | `requests/bus-feed/enforcement.yaml` |") {
		t.Fatalf("tracking issue: %v", g.issues)
	}
	// Still held on the next run, which has no new commit to check.
	if code, out = provision("--confirm"); code != 0 || !strings.Contains(out, "  wait      bus-feed: held: ") {
		t.Fatalf("the run after (%d):\n%s", code, out)
	}

	// Merged again through a pull request that passes, the hold ends, and the issue is closed.
	g.pulls[commit("revoke through a pull request", "requests/bus-feed/enforcement.yaml", revocation+"  # confirmed in #13\n")] = 13
	code, out = provision("--confirm")
	if code != 0 || strings.Contains(out, "held") || !strings.Contains(out, "was closed") {
		t.Fatalf("the revocation through a pull request (%d):\n%s", code, out)
	}
	if g.issues[0]["state"] != "closed" {
		t.Errorf("the tracking issue stays open")
	}

	// No key in any output, comment or state.
	for _, text := range append(outputs, body, mustRemoteFile(t, remote, registry.FileName), mustRemoteFile(t, remote, "provision.json")) {
		if len(keys.Find(text)) > 0 || strings.Contains(text, string(key)) {
			t.Fatalf("a key in the output:\n%s", text)
		}
	}
}

// remoteRegistry reads keys.json from the remote's docket-state branch, through a fresh clone.
func remoteRegistry(t *testing.T, remote string) (*registry.Registry, error) {
	t.Helper()
	data, err := remoteFile(t, remote, registry.FileName)
	if err != nil {
		return nil, err
	}
	return registry.Decode(data)
}

func mustRemoteFile(t *testing.T, remote, name string) string {
	t.Helper()
	data, err := remoteFile(t, remote, name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func remoteFile(t *testing.T, remote, name string) ([]byte, error) {
	t.Helper()
	dir := t.TempDir()
	r, err := gittest.Disk(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{remote}}); err != nil {
		t.Fatal(err)
	}
	s := &gitrepo.StateBranch{Dir: dir}
	return s.Read(context.Background(), name)
}
