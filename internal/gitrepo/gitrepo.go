// Package gitrepo reads what docket check needs from a git repository with go-git, without a
// git binary: commits by revision (resolved as git rev-parse does, which go-git's own
// ResolveRevision does not), their merge base, the commits between two (merges included), the
// files changed between two trees (by walking the sorted entry lists side by side, descending
// only into subtrees whose hashes differ, with no rename detection), blobs, what the work tree
// has not committed, and a tree as a read-only fs.FS for the loader.
//
// It is go-git's only home: callers hold a Repo (Open), its Commits and Trees, Hashes and
// FileModes, and learn of a shallow clone's missing history by ErrMissingObject (errors.Is),
// never by go-git's types or words. Tests may build fixtures with go-git (see gittest) and
// hand them over with Wrap.
package gitrepo

import (
	"errors"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// MergeBase returns the best common ancestor of a and b, where a pull request's changes start.
func MergeBase(a, b *Commit) (*Commit, error) {
	base, err := mergeBase(a.c, b.c)
	return wrapCommit(base, a.st), missing(err)
}

func mergeBase(a, b *object.Commit) (*object.Commit, error) {
	bases, err := a.MergeBase(b)
	if err != nil {
		return nil, fmt.Errorf("finding the merge base of %s and %s: %w", a.Hash, b.Hash, missing(err))
	}
	switch len(bases) {
	case 0:
		return nil, fmt.Errorf("%s and %s have no common history", a.Hash.String()[:12], b.Hash.String()[:12])
	case 1:
		return bases[0], nil
	}
	// With criss-cross merges, what merging changes is not the difference from any one base:
	// a change could hide in how the bases are merged. Refuse rather than guess.
	return nil, ErrCrissCross
}

// ErrCrissCross is returned when two commits have more than one best common ancestor.
var ErrCrissCross = errors.New("the branch and its base have more than one common ancestor (from criss-cross merges), so what merging changes cannot be told apart; merge the base branch into the pull request's branch (or rebase it) and push again")

// Entry is one side of a change: a file's mode and blob hash, or zero when it does not exist.
type Entry struct {
	Mode FileMode
	Hash Hash
}

// Exists reports whether the entry is present.
func (e Entry) Exists() bool { return e.Mode != Empty }

func entryOf(e *object.TreeEntry) Entry { return Entry{FileMode(e.Mode), Hash(e.Hash)} }

// Change is one path that differs between two trees.
type Change struct {
	Path     string
	From, To Entry
}

// Action is what a change did to a path.
type Action string

// The actions of a Change.
const (
	Added    Action = "added"
	Deleted  Action = "deleted"
	Modified Action = "modified"
)

// Action says what happened to the path.
func (c Change) Action() Action {
	switch {
	case !c.From.Exists():
		return Added
	case !c.To.Exists():
		return Deleted
	}
	return Modified
}

// Diff lists the paths (files, symlinks and submodules, never folders) that differ between
// trees a and b, in path order. Either tree may be nil, standing for an empty tree.
func Diff(a, b *Tree) ([]Change, error) {
	var st storer.EncodedObjectStorer
	var ah, bh plumbing.Hash
	if a != nil {
		st, ah = a.st, a.t.Hash
	}
	if b != nil {
		st, bh = b.st, b.t.Hash
	}
	if st == nil {
		return nil, nil // two empty trees
	}
	changes, err := diff(st, ah, bh)
	return changes, missing(err)
}

// diff is Diff of the trees ah and bh (the zero hash for an empty tree) in st.
func diff(st storer.EncodedObjectStorer, ah, bh plumbing.Hash) ([]Change, error) {
	var out []Change
	if err := diffTrees(st, ah, bh, "", &out); err != nil {
		return nil, err
	}
	return out, nil
}

// diffTrees walks the trees ah and bh of the folder prefix with DiffRaw, descending only into
// subfolders whose hashes differ.
func diffTrees(st storer.EncodedObjectStorer, ah, bh plumbing.Hash, prefix string, out *[]Change) error {
	ra, err := rawTree(st, ah, prefix)
	if err != nil {
		return err
	}
	rb, err := rawTree(st, bh, prefix)
	if err != nil {
		return err
	}
	var errOut error
	err = DiffRaw(ra, rb, func(ea, eb *RawEntry) {
		if errOut != nil {
			return
		}
		var name string
		var from, to Entry
		var aSub, bSub plumbing.Hash
		sub := false
		if ea != nil {
			name = ea.Name
			if ea.Dir() {
				aSub, sub = plumbing.Hash(ea.Hash), true
			} else {
				from = Entry{ea.Mode, ea.Hash}
			}
		}
		if eb != nil {
			name = eb.Name
			if eb.Dir() {
				bSub, sub = plumbing.Hash(eb.Hash), true
			} else {
				to = Entry{eb.Mode, eb.Hash}
			}
		}
		path := prefix + name
		// A file replaced by a folder (or the reverse) is a deletion and additions.
		if from.Exists() || to.Exists() {
			*out = append(*out, Change{Path: path, From: from, To: to})
		}
		if sub {
			errOut = diffTrees(st, aSub, bSub, path+"/", out)
		}
	})
	if err != nil {
		return fmt.Errorf("reading folder %s: %w", strings.TrimSuffix(prefix, "/"), err)
	}
	return errOut
}

// rawTree reads the tree object h of the folder prefix; nil for the zero hash.
func rawTree(st storer.EncodedObjectStorer, h plumbing.Hash, prefix string) ([]byte, error) {
	if h.IsZero() {
		return nil, nil
	}
	b, err := readRaw(st, plumbing.TreeObject, h, MaxObjectSize)
	if err != nil {
		return nil, fmt.Errorf("reading folder %s: %w", strings.TrimSuffix(prefix, "/"), err)
	}
	return b, nil
}
