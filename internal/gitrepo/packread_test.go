package gitrepo

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/opendata-docket/docket/internal/gitrepo/gittest"
	"github.com/opendata-docket/docket/internal/testtool"
)

// TestPackReader reads every version of a folder's tree and files from a pack that git wrote
// with deltas, straight from the pack, and compares each with what go-git's storage reads.
func TestPackReader(t *testing.T) {
	gitBin := testtool.Need(t, "git", "git") // git writes the pack file
	dir := t.TempDir()
	g, err := gittest.Disk(dir)
	if err != nil {
		t.Fatal(err)
	}
	snap := gittest.Snapshot{}
	var tips []plumbing.Hash
	var parent []plumbing.Hash
	when := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 30 {
		snap = snap.With(fmt.Sprintf("requests/r-%03d/request.yaml", i), fmt.Sprintf("title: request %d\n%s", i, bytes.Repeat([]byte("text "), 50)))
		c, err := gittest.Commit(g, "master", snap, when.Add(time.Duration(i)*time.Hour), "add", parent...)
		if err != nil {
			t.Fatal(err)
		}
		parent = []plumbing.Hash{c.Hash}
		tips = append(tips, c.Hash)
	}
	cmd := exec.Command(gitBin, "repack", "-a", "-d", "-q", "--depth=10")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git repack: %v: %s", err, out)
	}
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	pr := newPackReader(r.g.Storer)
	if pr == nil {
		t.Fatal("no pack reader for a packed repository")
	}
	defer pr.close()
	deltas := 0
	check := func(h plumbing.Hash, want plumbing.ObjectType) []byte {
		t.Helper()
		typ, data, err := pr.read(h, 1<<30)
		if err != nil || typ != want {
			t.Fatalf("%s: %v, a %s", h, err, typ)
		}
		stored, err := readRaw(r.g.Storer, want, h, 1<<30)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(data, stored) {
			t.Fatalf("%s %s differs from go-git's", want, h)
		}
		return data
	}
	for _, tip := range tips {
		c, err := r.CommitByHash(Hash(tip))
		if err != nil || c.Hash != Hash(tip) {
			t.Fatalf("commit %s: %v", tip, err)
		}
		root := check(plumbing.Hash(c.TreeHash), plumbing.TreeObject)
		reqs, _ := FindRaw(root, "requests")
		tree := check(plumbing.Hash(reqs.Hash), plumbing.TreeObject)
		it := &rawIter{b: tree}
		for it.next() {
			folder := check(plumbing.Hash(it.hash), plumbing.TreeObject)
			f, _ := FindRaw(folder, "request.yaml")
			check(plumbing.Hash(f.Hash), plumbing.BlobObject)
		}
	}
	for _, p := range pr.packs {
		it, _ := p.idx.Entries()
		for {
			e, err := it.Next()
			if err != nil {
				break
			}
			hdr, err := p.s.SeekObjectHeader(int64(e.Offset))
			if err == nil && (hdr.Type == plumbing.OFSDeltaObject || hdr.Type == plumbing.REFDeltaObject) {
				deltas++
			}
		}
	}
	if deltas == 0 {
		t.Error("git wrote no deltas: the test reads no delta")
	}
	// Too large, and of another kind.
	c, _ := r.CommitByHash(Hash(tips[len(tips)-1]))
	if _, err := r.ReadObject(TreeObject, c.TreeHash, 10); !errors.Is(err, ErrTooLarge) {
		t.Errorf("a tree over the limit: %v", err)
	}
	if _, err := r.ReadObject(BlobObject, c.TreeHash, 1<<20); !errors.Is(err, ErrMissingObject) {
		t.Errorf("a tree read as a file: %v", err)
	}
}
