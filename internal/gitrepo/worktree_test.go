package gitrepo

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/opendata-docket/docket/internal/gitrepo/gittest"
	"github.com/opendata-docket/docket/internal/testtool"
)

// Uncommitted sees changed, added, deleted files under a folder of the work tree, and not ignored
// or unchanged ones, or anything outside the folder.
func TestUncommitted(t *testing.T) {
	dir := t.TempDir()
	r, err := gittest.Disk(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := gittest.Text(
		".gitignore", "*.swp\n",
		"README.md", "x",
		"requests/a/request.yaml", "a",
		"requests/b/request.yaml", "b",
		"requests/c/request.yaml", "c",
	)
	write := func(p, data string) { t.Helper(); writeTo(t, dir, p, data) }
	for p, f := range files {
		write(p, f.Data)
	}
	if got, err := Wrap(r).Uncommitted("requests"); err != nil || got != nil {
		t.Errorf("nothing checked out: Uncommitted = %v, %v", got, err)
	}
	if _, err := gittest.Commit(r, "master", files, t0, "x"); err != nil {
		t.Fatal(err)
	}
	if got, err := Wrap(r).Uncommitted("requests"); err != nil || len(got) != 0 {
		t.Errorf("clean: Uncommitted = %v, %v", got, err)
	}
	write("requests/a/request.yaml", "a2")
	write("requests/new/request.yaml", "n")
	write("requests/new/.request.yaml.swp", "ignored")
	os.Remove(filepath.Join(dir, "requests", "c", "request.yaml"))
	write("README.md", "changed outside requests/")
	got, err := Wrap(r).Uncommitted("requests")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"requests/a/request.yaml", "requests/c/request.yaml", "requests/new/request.yaml"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Uncommitted = %q, want %q", got, want)
	}
}

// With an index git wrote, Uncommitted believes its record of unchanged files (size and time)
// and still sees changes of the same size, also after git refreshed the index, and a change
// staged but not committed.
func TestUncommittedWithIndex(t *testing.T) {
	gitBin := testtool.Need(t, "git", "git")
	dir := t.TempDir()
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command(gitBin, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=a", "GIT_AUTHOR_EMAIL=a@example.org", "GIT_COMMITTER_NAME=a", "GIT_COMMITTER_EMAIL=a@example.org")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	write := func(p, data string) { t.Helper(); writeTo(t, dir, p, data) }
	run("init", "-q")
	past := time.Now().Add(-time.Hour)
	for _, id := range []string{"a", "b", "c", "d"} {
		write("requests/"+id+"/request.yaml", "id: "+id+"\n")
		if err := os.Chtimes(filepath.Join(dir, "requests", id, "request.yaml"), past, past); err != nil {
			t.Fatal(err)
		}
	}
	run("add", ".")
	run("commit", "-q", "-m", "x")
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := r.Uncommitted("requests"); err != nil || len(got) != 0 {
		t.Fatalf("clean, with an index: Uncommitted = %v, %v", got, err)
	}
	write("requests/a/request.yaml", "id: x\n") // the same size, a new time
	write("requests/b/request.yaml", "id: y\n")
	run("add", "requests/b/request.yaml") // staged, not committed
	// The same size again, and git refreshes its index afterwards (which keeps the old record
	// of a file whose content changed).
	write("requests/c/request.yaml", "id: z\n")
	run("update-index", "-q", "--refresh")
	r, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.Uncommitted("requests")
	want := []string{"requests/a/request.yaml", "requests/b/request.yaml", "requests/c/request.yaml"}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Uncommitted = %q, %v; want %q", got, err, want)
	}
}

// writeTo writes data to the file p (slash-separated) under dir, making its folders.
func writeTo(t *testing.T, dir, p, data string) {
	t.Helper()
	p = filepath.Join(dir, filepath.FromSlash(p))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
