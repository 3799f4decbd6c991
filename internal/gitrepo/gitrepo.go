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

	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// MergeBase returns the best common ancestor of a and b, where a pull request's changes start.
func MergeBase(a, b *Commit) (*Commit, error) {
	base, err := mergeBase(a.c, b.c)
	return wrapCommit(base), missing(err)
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

// Action names what happened to the path.
func (c Change) Action() string {
	switch {
	case !c.From.Exists():
		return "added"
	case !c.To.Exists():
		return "deleted"
	}
	return "modified"
}

// Diff lists the paths (files, symlinks and submodules, never folders) that differ between
// trees a and b, in path order. Either tree may be nil, standing for an empty tree.
func Diff(a, b *Tree) ([]Change, error) {
	changes, err := diff(a.obj(), b.obj())
	return changes, missing(err)
}

func diff(a, b *object.Tree) ([]Change, error) {
	var out []Change
	if err := diffTrees(a, b, "", &out); err != nil {
		return nil, err
	}
	return out, nil
}

func diffTrees(a, b *object.Tree, prefix string, out *[]Change) error {
	var ae, be []object.TreeEntry
	if a != nil {
		ae = a.Entries
	}
	if b != nil {
		be = b.Entries
	}
	// Tree entries are sorted by git's order (a folder sorts as if its name ended in "/"),
	// which is the order both lists are in; compare names the same way.
	i, j := 0, 0
	for i < len(ae) || j < len(be) {
		switch {
		case j == len(be) || (i < len(ae) && gitLess(ae[i], be[j])):
			if err := emit(a, &ae[i], nil, nil, prefix, out); err != nil {
				return err
			}
			i++
		case i == len(ae) || gitLess(be[j], ae[i]):
			if err := emit(nil, nil, b, &be[j], prefix, out); err != nil {
				return err
			}
			j++
		default:
			if ae[i].Hash != be[j].Hash || ae[i].Mode != be[j].Mode {
				if err := emit(a, &ae[i], b, &be[j], prefix, out); err != nil {
					return err
				}
			}
			i, j = i+1, j+1
		}
	}
	return nil
}

// gitLess orders entries as git does: a folder's name compares as if followed by "/".
func gitLess(x, y object.TreeEntry) bool {
	return sortName(x) < sortName(y)
}

func sortName(e object.TreeEntry) string {
	if e.Mode == filemode.Dir {
		return e.Name + "/"
	}
	return e.Name
}

// emit records the difference between two same-named entries, either of which may be absent.
func emit(at *object.Tree, a *object.TreeEntry, bt *object.Tree, b *object.TreeEntry, prefix string, out *[]Change) error {
	name := ""
	if a != nil {
		name = a.Name
	} else {
		name = b.Name
	}
	path := prefix + name
	var aSub, bSub *object.Tree
	var err error
	if a != nil && a.Mode == filemode.Dir {
		if aSub, err = at.Tree(a.Name); err != nil {
			return fmt.Errorf("reading folder %s: %w", path, missing(err))
		}
	}
	if b != nil && b.Mode == filemode.Dir {
		if bSub, err = bt.Tree(b.Name); err != nil {
			return fmt.Errorf("reading folder %s: %w", path, missing(err))
		}
	}
	var from, to Entry
	if a != nil && aSub == nil {
		from = entryOf(a)
	}
	if b != nil && bSub == nil {
		to = entryOf(b)
	}
	// A file replaced by a folder (or the reverse) is a deletion and additions.
	if from.Exists() || to.Exists() {
		*out = append(*out, Change{Path: path, From: from, To: to})
	}
	if aSub != nil || bSub != nil {
		return diffTrees(aSub, bSub, path+"/", out)
	}
	return nil
}
