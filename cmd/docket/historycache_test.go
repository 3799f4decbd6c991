package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/opendata-docket/docket/internal/gitrepo/gittest"
)

// sampleHistory commits the repository's own sample docket into a git repository in dir, one
// file a commit (requests first, then the other files of each folder), and returns a function
// that adds one more commit.
func sampleHistory(t *testing.T, dir string, start time.Time) (more func(name, content string)) {
	t.Helper()
	r, err := gittest.Disk(dir)
	if err != nil {
		t.Fatal(err)
	}
	config, err := os.ReadFile(filepath.Join("..", "..", ".github", "docket.yml"))
	if err != nil {
		t.Fatal(err)
	}
	snap := gittest.Snapshot{}
	when := start
	var tip plumbing.Hash
	put := func(name, content string) {
		t.Helper()
		// The build reads the work tree and the history: both hold the file.
		snap = snap.With(name, content)
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	commit := func(msg string) {
		t.Helper()
		var parents []plumbing.Hash
		if !tip.IsZero() {
			parents = []plumbing.Hash{tip}
		}
		when = when.Add(25 * time.Hour)
		c, err := gittest.Commit(r, "master", snap, when, msg, parents...)
		if err != nil {
			t.Fatal(err)
		}
		tip = c.Hash
	}
	put(".github/docket.yml", string(config))
	commit("configuration")
	var later []string
	root := filepath.Join("..", "..")
	err = fs.WalkDir(os.DirFS(root), "requests", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if filepath.Base(p) == "request.yaml" {
			b, err := os.ReadFile(filepath.Join(root, p))
			if err != nil {
				return err
			}
			put(p, string(b))
			commit("add " + p)
		} else {
			later = append(later, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(later)
	for _, p := range later {
		b, err := os.ReadFile(filepath.Join(root, p))
		if err != nil {
			t.Fatal(err)
		}
		put(p, string(b))
		commit("add " + p)
	}
	return func(name, content string) {
		put(name, content)
		commit("change " + name)
	}
}

// buildSite runs docket build and returns every file of the site by path, and what it said.
func buildSite(t *testing.T, dir string, extra ...string) (map[string]string, string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "site")
	var stdout, stderr bytes.Buffer
	args := append([]string{"build", "--repo", dir, "--out", out, "--as-of", "2026-11-27", "--state-branch", "no-such-branch"}, extra...)
	if code := run(context.Background(), args, &stdout, &stderr); code != 0 {
		t.Fatalf("docket %s: exit %d: %s%s", strings.Join(args, " "), code, stdout.String(), stderr.String())
	}
	site := map[string]string{}
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(out, p)
		site[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return site, stderr.String()
}

func sameSite(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	for p, w := range want {
		if g, ok := got[p]; !ok {
			t.Errorf("%s: %s is missing", what, p)
		} else if g != w {
			t.Errorf("%s: %s differs from the build without a cache", what, p)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("%s: %s is extra", what, p)
		}
	}
}

// TestBuildHistoryCache: a site built with --history-cache is byte for byte the site built
// without one, whatever the cache file holds: nothing yet, the walk of an earlier commit, the
// walk of another repository's history, a truncated file, a hand-edited one, one of another
// format. A cache that is not used is said once, plainly.
func TestBuildHistoryCache(t *testing.T) {
	t.Setenv("GITHUB_TOKEN", "")
	t.Setenv("GITHUB_REPOSITORY", "")
	t.Setenv("DOCKET_AS_OF", "2026-11-27")
	dir := t.TempDir()
	more := sampleHistory(t, dir, time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
	cache := filepath.Join(t.TempDir(), "cache", "history")

	plain, _ := buildSite(t, dir)
	first, said := buildSite(t, dir, "--history-cache", cache)
	sameSite(t, "first build with a cache", first, plain)
	if strings.Contains(said, "history cache") {
		t.Errorf("a missing cache file is the first build, not a problem: %s", said)
	}
	written, err := os.ReadFile(cache)
	if err != nil {
		t.Fatalf("the cache was not written: %v", err)
	}
	st, _ := os.Stat(cache)
	again, said := buildSite(t, dir, "--history-cache", cache)
	sameSite(t, "build from a cache of HEAD", again, plain)
	if st2, _ := os.Stat(cache); !os.SameFile(st, st2) || strings.Contains(said, "history cache") {
		t.Errorf("an unchanged cache was written again, or a note was said: %s", said)
	}

	// One new commit: the cache of the commit before it is used, and gives the same site.
	more("requests/ems-response-times-research/request.yaml", mustRead(t, "../../requests/ems-response-times-research/request.yaml")+"# corrected\n")
	plain2, _ := buildSite(t, dir)
	next, said := buildSite(t, dir, "--history-cache", cache)
	sameSite(t, "build after one new commit", next, plain2)
	if strings.Contains(said, "history cache") {
		t.Errorf("the cache of the parent commit was not used: %s", said)
	}
	if now, _ := os.ReadFile(cache); bytes.Equal(now, written) {
		t.Error("the cache was not updated for the new commit")
	}

	// Another history: the same docket committed at other times.
	other := t.TempDir()
	sampleHistory(t, other, time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC))
	foreign := filepath.Join(t.TempDir(), "foreign")
	buildSite(t, other, "--history-cache", foreign)
	good, _ := os.ReadFile(cache)
	edited := strings.Replace(string(good), " approved ", " denied ", 1)
	if edited == string(good) {
		t.Fatal("the cache has no approval to edit")
	}
	bad := map[string]string{
		"another history": mustRead(t, foreign),
		"truncated":       string(good[:len(good)/2]),
		"hand-edited":     edited,
		"another format":  strings.Replace(string(good), "docket history cache 2 ", "docket history cache 999 ", 1),
		"not a cache":     "{}\n",
	}
	for what, content := range bad {
		if err := os.WriteFile(cache, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		site, said := buildSite(t, dir, "--history-cache", cache)
		sameSite(t, what, site, plain2)
		if n := strings.Count(said, "history cache"); n != 1 || !strings.Contains(said, "the whole history was read") {
			t.Errorf("%s: said %d notes about the cache: %s", what, n, said)
		}
		if now, _ := os.ReadFile(cache); !bytes.Equal(now, good) {
			t.Errorf("%s: the cache was not rewritten for HEAD", what)
		}
	}
}

func mustRead(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
