package gitrepo

import (
	"errors"
	"io/fs"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/opendata-docket/docket/internal/gitrepo/gittest"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func TestDiffAndMergeBase(t *testing.T) {
	r := gittest.Memory()
	base := gittest.Text(
		"README.md", "hello",
		"requests/a/request.yaml", "a",
		"requests/b/request.yaml", "b",
		"requests/b/decision.yaml", "d",
		"requests/c-d/request.yaml", "c",
		"requests/c.txt", "file sorting before the folder c-d? no: c-d < c.txt",
	)
	root, err := gittest.Commit(r, "main", base, t0, "base")
	if err != nil {
		t.Fatal(err)
	}
	// main moves on after the branch is cut; the branch's changes are measured from the fork.
	mainNext, err := gittest.Commit(r, "main", base.With("requests/z/request.yaml", "z"), t0.Add(time.Hour), "other", root.Hash)
	if err != nil {
		t.Fatal(err)
	}
	head := base.
		With("requests/a/request.yaml", "a2", "requests/new/request.yaml", "n").
		Without("requests/b/decision.yaml").
		WithFile("requests/c-d/run.sh", gittest.File{Data: "x", Mode: filemode.Executable}).
		WithFile("requests/link", gittest.File{Data: "/etc/passwd", Mode: filemode.Symlink}).
		WithFile("vendor/lib", gittest.File{Mode: filemode.Submodule, Submodule: plumbing.NewHash("0123456789012345678901234567890123456789")})
	branch, err := gittest.Commit(r, "feature", head, t0.Add(2*time.Hour), "change", root.Hash)
	if err != nil {
		t.Fatal(err)
	}
	mb, err := MergeBase(wrapCommit(mainNext, r.Storer), wrapCommit(branch, r.Storer))
	if err != nil {
		t.Fatal(err)
	}
	if mb.Hash != Hash(root.Hash) {
		t.Fatalf("merge base = %s, want %s", mb.Hash, root.Hash)
	}
	bt, _ := mb.Tree()
	ht, _ := wrapCommit(branch, r.Storer).Tree()
	changes, err := Diff(bt, ht)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range changes {
		got = append(got, string(c.Action())+" "+c.Path+" "+c.To.Mode.String())
	}
	want := []string{
		"modified requests/a/request.yaml 0100644",
		"deleted requests/b/decision.yaml 0000000",
		"added requests/c-d/run.sh 0100755",
		"added requests/link 0120000",
		"added requests/new/request.yaml 0100644",
		"added vendor/lib 0160000",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("changes:\n got %q\nwant %q", got, want)
	}

	c, err := Wrap(r).Commit("feature~1")
	if err != nil || c.Hash != Hash(root.Hash) {
		t.Errorf("Commit(feature~1) = %v, %v", c, err)
	}
	if _, err := Wrap(r).Commit("no-such-branch"); err == nil {
		t.Error("Commit of a missing revision succeeded")
	}
}

func TestTreeFS(t *testing.T) {
	r := gittest.Memory()
	s := gittest.Text(".github/docket.yml", "config", "requests/a/request.yaml", "kind: dataset\n").
		WithFile("requests/a/link.yaml", gittest.File{Data: "../../x", Mode: filemode.Symlink}).
		WithFile("requests/sub", gittest.File{Mode: filemode.Submodule, Submodule: plumbing.NewHash("0123456789012345678901234567890123456789")})
	c, err := gittest.Commit(r, "main", s, t0, "x")
	if err != nil {
		t.Fatal(err)
	}
	tree, _ := wrapCommit(c, r.Storer).Tree()
	fsys := NewTreeFS(tree)
	plain, _ := gittest.Commit(r, "", s.Without("requests/a/link.yaml", "requests/sub"), t0, "y")
	plainTree, _ := wrapCommit(plain, r.Storer).Tree()
	if err := fstest.TestFS(NewTreeFS(plainTree), ".github/docket.yml", "requests/a/request.yaml"); err != nil {
		t.Fatal(err)
	}
	entries, err := fs.ReadDir(fsys, "requests/a")
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[0].Name() != "link.yaml" || entries[0].Type() != fs.ModeSymlink {
		t.Errorf("entries: %v", entries)
	}
	top, _ := fs.ReadDir(fsys, "requests")
	if top[1].Name() != "sub" || top[1].Type() != fs.ModeIrregular {
		t.Errorf("submodule entry: %v %v", top[1].Name(), top[1].Type())
	}
	if _, err := fsys.Open("requests/a/link.yaml"); err == nil {
		t.Error("a symbolic link was opened")
	}
}

// A branch that merged the base in a criss-cross way has two merge bases; what merging does
// then depends on how the bases are merged, and MergeBase refuses to pick one.
func TestMergeBaseCrissCross(t *testing.T) {
	r := gittest.Memory()
	s := gittest.Text("requests/a/enforcement.yaml", "warning")
	m0, _ := gittest.Commit(r, "", s, t0, "m0")
	p1, _ := gittest.Commit(r, "", s.With("README.md", "x"), t0.Add(time.Hour), "p1", m0.Hash)
	c, _ := gittest.Commit(r, "", s.With("requests/a/enforcement.yaml", "warning, revocation"), t0.Add(2*time.Hour), "c", m0.Hash)
	main, _ := gittest.Commit(r, "main", s.With("README.md", "x", "requests/a/enforcement.yaml", "warning, revocation"), t0.Add(3*time.Hour), "merge c", p1.Hash, c.Hash)
	// The attacker's "merge" of the same two commits drops c's change.
	attack, _ := gittest.Commit(r, "attack", s.With("README.md", "x"), t0.Add(4*time.Hour), "merge", p1.Hash, c.Hash)
	if _, err := MergeBase(wrapCommit(main, r.Storer), wrapCommit(attack, r.Storer)); err != ErrCrissCross {
		t.Errorf("MergeBase = %v, want ErrCrissCross", err)
	}
}

// A commit whose parent is not in the repository, as in a shallow clone, gives errors that
// say so through ErrMissingObject, keeping go-git's words; a missing revision does not.
func TestMissingObject(t *testing.T) {
	r := gittest.Memory()
	s := gittest.Text("a", "1")
	gone := plumbing.NewHash("0123456789012345678901234567890123456789")
	c, err := gittest.Commit(r, "main", s, t0, "shallow", gone)
	if err != nil {
		t.Fatal(err)
	}
	root, _ := gittest.Commit(r, "other", s, t0, "root")
	_, err = wrapCommit(c, r.Storer).Parent(0)
	if !errors.Is(err, ErrMissingObject) || !strings.Contains(err.Error(), "object not found") {
		t.Errorf("Parent: %v, want ErrMissingObject", err)
	}
	if _, err := Between(wrapCommit(c, r.Storer), wrapCommit(root, r.Storer), 10); !errors.Is(err, ErrMissingObject) {
		t.Errorf("Between: %v, want ErrMissingObject", err)
	}
	if _, err := Wrap(r).Commit("main~1"); !errors.Is(err, ErrMissingObject) {
		t.Errorf("Commit(main~1): %v, want ErrMissingObject", err)
	}
	if _, err := Wrap(r).Commit("no-such-branch"); errors.Is(err, ErrMissingObject) || !errors.Is(err, ErrUnknownRevision) {
		t.Errorf("Commit(no-such-branch): %v, want ErrUnknownRevision only", err)
	}
}
