package gitrepo

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/opendata-docket/docket/internal/gitrepo/gittest"
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
	write := func(p, data string) {
		t.Helper()
		p = filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
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
