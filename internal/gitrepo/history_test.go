package gitrepo

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/opendata-docket/docket/internal/gitrepo/gittest"
)

func hashes(cs []*Commit) []plumbing.Hash {
	var out []plumbing.Hash
	for _, c := range cs {
		out = append(out, plumbing.Hash(c.Hash))
	}
	return out
}

// Between lists a pull request's own commits, merges included, and nothing of the base's
// history, even when the branch merged another branch that forked from the base long before.
func TestBetween(t *testing.T) {
	r := gittest.Memory()
	s := gittest.Text("a", "1")
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	m0, _ := gittest.Commit(r, "", s, at(0), "m0")
	m1, _ := gittest.Commit(r, "", s.With("a", "m1"), at(1), "m1", m0.Hash)
	old, _ := gittest.Commit(r, "", s.With("x", "old side branch"), at(2), "side", m0.Hash)
	fork, _ := gittest.Commit(r, "main", s.With("a", "fork"), at(3), "fork", m1.Hash)
	c1, _ := gittest.Commit(r, "", s.With("a", "c1"), at(4), "c1", fork.Hash)
	merge, _ := gittest.Commit(r, "", s.With("a", "c1", "x", "old side branch"), at(5), "merge side", c1.Hash, old.Hash)
	c2, _ := gittest.Commit(r, "", s.With("a", "c2"), at(6), "c2", merge.Hash)

	got, err := Between(wrapCommit(c2, r.Storer), wrapCommit(fork, r.Storer), 100)
	if err != nil {
		t.Fatal(err)
	}
	want := []plumbing.Hash{c2.Hash, merge.Hash, c1.Hash, old.Hash}
	if !reflect.DeepEqual(hashes(got), want) {
		t.Errorf("Between = %v, want %v (c2, merge, c1, side)", hashes(got), want)
	}
	if _, err := Between(wrapCommit(c2, r.Storer), wrapCommit(fork, r.Storer), 3); !errors.Is(err, ErrTooManyCommits) {
		t.Errorf("limit 3 of 4 commits: err = %v, want ErrTooManyCommits", err)
	}
	if got, _ := Between(wrapCommit(fork, r.Storer), wrapCommit(fork, r.Storer), 10); len(got) != 0 {
		t.Errorf("Between(fork, fork) = %v", hashes(got))
	}

	// A branch whose dates are forged to look older than the base's still has all its
	// commits found, and none of the base's.
	f1, _ := gittest.Commit(r, "", s.With("a", "f1"), at(-100), "f1", fork.Hash)
	f2, _ := gittest.Commit(r, "", s.With("a", "f2"), at(-200), "f2", f1.Hash, m1.Hash)
	got, err = Between(wrapCommit(f2, r.Storer), wrapCommit(fork, r.Storer), 100)
	if err != nil {
		t.Fatal(err)
	}
	if want := []plumbing.Hash{f1.Hash, f2.Hash}; len(got) != 2 || !reflect.DeepEqual(map[plumbing.Hash]bool{plumbing.Hash(got[0].Hash): true, plumbing.Hash(got[1].Hash): true}, map[plumbing.Hash]bool{want[0]: true, want[1]: true}) {
		t.Errorf("forged dates: Between = %v, want f1 and f2", hashes(got))
	}
}

func TestReadBlobSaysWhenTooLarge(t *testing.T) {
	r := gittest.Memory()
	c, _ := gittest.Commit(r, "main", gittest.Text("big", "0123456789"), t0, "x")
	tree, _ := wrapCommit(c, r.Storer).Tree()
	e := EntryAt(tree, "big")
	if data, err := ReadBlob(tree, e.Hash, 10); err != nil || string(data) != "0123456789" {
		t.Errorf("ReadBlob = %q, %v", data, err)
	}
	if _, err := ReadBlob(tree, e.Hash, 9); !errors.Is(err, ErrTooLarge) {
		t.Errorf("ReadBlob over the limit: %v, want ErrTooLarge", err)
	}
	if EntryAt(tree, "missing").Exists() || EntryAt(nil, "big").Exists() {
		t.Error("EntryAt found a missing file")
	}
}

// EntryAt reads folders as raw trees; it finds what go-git's FindEntry finds, folders and
// missing paths included.
func TestEntryAtRaw(t *testing.T) {
	r := gittest.Memory()
	snap := gittest.Text("README", "hi\n", "requests/a/request.yaml", "a\n", "requests/a/decision.yaml", "d\n",
		"requests/b/request.yaml", "b\n", "requests/a-b/request.yaml", "ab\n", "deep/x/y/z.txt", "z\n")
	c, err := gittest.Commit(r, "main", snap, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), "one")
	if err != nil {
		t.Fatal(err)
	}
	tree, err := Wrap(r).Commit(c.Hash.String())
	if err != nil {
		t.Fatal(err)
	}
	tt, err := tree.Tree()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"README", "requests", "requests/a", "requests/a/request.yaml", "requests/a/decision.yaml",
		"requests/a-b/request.yaml", "requests/b/request.yaml", "requests/c/request.yaml", "requests/a/request.yaml/x",
		"README/x", "deep/x/y/z.txt", "deep/x/y", "deep/x/y/", "", "requests//a", "missing"} {
		if got, want := EntryAt(tt, p), entryAt(tt.obj(), p); got != want {
			t.Errorf("%q: %+v, go-git finds %+v", p, got, want)
		}
	}
	if !EntryAt(tt, "requests/a-b/request.yaml").Exists() {
		t.Error("a file was not found")
	}
}
