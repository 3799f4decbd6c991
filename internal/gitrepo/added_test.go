package gitrepo

import (
	"slices"
	"testing"
	"time"

	"github.com/opendata-docket/docket/internal/gitrepo/gittest"
)

func TestAddedTexts(t *testing.T) {
	r := gittest.Memory()
	base := gittest.Text("README.md", "hello")
	root, err := gittest.Commit(r, "main", base, t0, "base")
	if err != nil {
		t.Fatal(err)
	}
	one, err := gittest.Commit(r, "", base.With("a.txt", "first"), t0.Add(time.Hour), "add a", root.Hash)
	if err != nil {
		t.Fatal(err)
	}
	// The second commit removes what the first added: it is still in the history.
	two, err := gittest.Commit(r, "", base.With("b.txt", "second"), t0.Add(2*time.Hour), "replace a with b", one.Hash)
	if err != nil {
		t.Fatal(err)
	}
	if err := gittest.SetRef(r, "refs/remotes/pull/7/head", two.Hash); err != nil {
		t.Fatal(err)
	}
	refs, err := Wrap(r).Refs("refs/remotes/pull/")
	if err != nil || len(refs) != 1 || refs["refs/remotes/pull/7/head"] != two.Hash.String() {
		t.Fatalf("Refs = %v, %v", refs, err)
	}
	var got []string
	seen := map[Hash]bool{}
	if err := Wrap(r).AddedTexts("refs/remotes/pull/7/head", "main", 100, seen, func(s string) { got = append(got, s) }); err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	want := []string{"add a", "first", "replace a with b", "second"}
	if !slices.Equal(got, want) {
		t.Errorf("AddedTexts = %q, want %q", got, want)
	}
	// What was seen is not visited again; with no base, everything is.
	got = nil
	if err := Wrap(r).AddedTexts(two.Hash.String(), "", 100, seen, func(s string) { got = append(got, s) }); err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	if want := []string{"add a", "base", "hello", "replace a with b"}; !slices.Equal(got, want) {
		t.Errorf("AddedTexts of the whole history = %q, want %q", got, want)
	}
	if err := Wrap(r).AddedTexts(two.Hash.String(), "", 2, nil, func(string) {}); err == nil {
		t.Error("no error beyond the commit limit")
	}
}

func TestLastChange(t *testing.T) {
	r := gittest.Memory()
	s := gittest.Text("requests/a/request.yaml", "a")
	c1, _ := gittest.Commit(r, "", s, t0, "one")
	c2, _ := gittest.Commit(r, "", s.With("requests/a/decision.yaml", "approved"), t0.Add(time.Hour), "two", c1.Hash)
	c3, _ := gittest.Commit(r, "main", s.With("requests/a/decision.yaml", "approved", "README.md", "x"), t0.Add(2*time.Hour), "three", c2.Hash)
	got, err := Wrap(r).LastChange("main", "requests/a/decision.yaml", 100)
	if err != nil || got != c2.Hash.String() {
		t.Errorf("LastChange = %s, %v; want %s", got, err, c2.Hash)
	}
	if got, _ := Wrap(r).LastChange("main", "README.md", 100); got != c3.Hash.String() {
		t.Errorf("LastChange(README.md) = %s", got)
	}
	if got, _ := Wrap(r).LastChange("main", "requests/a/request.yaml", 100); got != c1.Hash.String() {
		t.Errorf("LastChange of a file from the first commit = %s", got)
	}
	if _, err := Wrap(r).LastChange("main", "nothing", 100); err == nil {
		t.Error("a path that is not there had a last change")
	}
	if _, err := Wrap(r).LastChange("main", "requests/a/request.yaml", 1); err == nil {
		t.Error("no error beyond the limit")
	}
}

func TestFirstParents(t *testing.T) {
	r := gittest.Memory()
	s := gittest.Text("a", "1")
	c1, _ := gittest.Commit(r, "", s, t0, "one")
	side, _ := gittest.Commit(r, "", s.With("b", "2"), t0.Add(time.Hour), "side", c1.Hash)
	c2, _ := gittest.Commit(r, "", s.With("c", "3"), t0.Add(2*time.Hour), "two", c1.Hash)
	c3, _ := gittest.Commit(r, "main", s.With("b", "2", "c", "3"), t0.Add(3*time.Hour), "merge", c2.Hash, side.Hash)
	got, err := Wrap(r).FirstParents(c1.Hash.String(), "main", 10)
	if err != nil || len(got) != 2 || got[0].Hash != Hash(c2.Hash) || got[1].Hash != Hash(c3.Hash) {
		t.Fatalf("FirstParents = %v, %v", got, err)
	}
	if got, err := Wrap(r).FirstParents("main", "main", 10); err != nil || len(got) != 0 {
		t.Errorf("from the tip: %v, %v", got, err)
	}
	if _, err := Wrap(r).FirstParents(side.Hash.String(), "main", 10); err == nil {
		t.Error("a commit off the first-parent history was accepted")
	}
	if _, err := Wrap(r).FirstParents(c1.Hash.String(), "main", 1); err == nil {
		t.Error("no error beyond the limit")
	}
}
