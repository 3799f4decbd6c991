// Package gittest builds real git repositories for tests, writing blobs, trees and commits
// with go-git so that every kind of entry (executable files, symbolic links, submodules) can be
// made exactly, without a git binary or a working tree.
package gittest

import (
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/memory"
)

// File is one entry of a snapshot. The zero Mode means a regular file.
type File struct {
	Data      string
	Mode      filemode.FileMode // Regular (default), Executable, Symlink (Data is the target) or Submodule
	Submodule plumbing.Hash     // the commit a submodule entry points at
}

// Snapshot is a whole tree: slash-separated paths to files.
type Snapshot map[string]File

// Text makes a snapshot of regular text files.
func Text(kv ...string) Snapshot {
	s := Snapshot{}
	for i := 0; i+1 < len(kv); i += 2 {
		s[kv[i]] = File{Data: kv[i+1]}
	}
	return s
}

// With returns a copy of s with the given files added or replaced.
func (s Snapshot) With(kv ...string) Snapshot {
	out := Snapshot{}
	for k, v := range s {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = File{Data: kv[i+1]}
	}
	return out
}

// WithFile returns a copy of s with one file of any kind.
func (s Snapshot) WithFile(p string, f File) Snapshot {
	out := s.With()
	out[p] = f
	return out
}

// Without returns a copy of s without the given paths, or anything under them.
func (s Snapshot) Without(paths ...string) Snapshot {
	out := Snapshot{}
	for k, v := range s {
		if !slices.ContainsFunc(paths, func(p string) bool { return k == p || strings.HasPrefix(k, p+"/") }) {
			out[k] = v
		}
	}
	return out
}

// Memory returns an empty repository held in memory.
func Memory() *git.Repository {
	r, err := git.Init(memory.NewStorage(), nil)
	if err != nil {
		panic(err) // cannot fail for memory storage
	}
	return r
}

// Disk creates an empty repository with a working folder at dir.
func Disk(dir string) (*git.Repository, error) {
	return git.PlainInit(dir, false)
}

// Commit writes snapshot s as a commit with the given parents (none for a first commit), dated
// when, and points branch at it (when branch is not empty).
func Commit(r *git.Repository, branch string, s Snapshot, when time.Time, msg string, parents ...plumbing.Hash) (*object.Commit, error) {
	tree, err := writeTree(r, s, "")
	if err != nil {
		return nil, err
	}
	sig := object.Signature{Name: "docket test", Email: "test@example.org", When: when}
	c := &object.Commit{Author: sig, Committer: sig, Message: msg, TreeHash: tree, ParentHashes: parents}
	obj := r.Storer.NewEncodedObject()
	if err := c.Encode(obj); err != nil {
		return nil, err
	}
	h, err := r.Storer.SetEncodedObject(obj)
	if err != nil {
		return nil, err
	}
	if branch != "" {
		ref := plumbing.NewHashReference(plumbing.NewBranchReferenceName(branch), h)
		if err := r.Storer.SetReference(ref); err != nil {
			return nil, err
		}
	}
	return r.CommitObject(h)
}

func writeTree(r *git.Repository, s Snapshot, prefix string) (plumbing.Hash, error) {
	children := map[string]bool{}
	var entries []object.TreeEntry
	for p, f := range s {
		if !strings.HasPrefix(p, prefix) {
			continue
		}
		rest := strings.TrimPrefix(p, prefix)
		if dir, _, isDir := strings.Cut(rest, "/"); isDir {
			if !children[dir] {
				children[dir] = true
				h, err := writeTree(r, s, prefix+dir+"/")
				if err != nil {
					return plumbing.ZeroHash, err
				}
				entries = append(entries, object.TreeEntry{Name: dir, Mode: filemode.Dir, Hash: h})
			}
			continue
		}
		mode := f.Mode
		if mode == filemode.Empty {
			mode = filemode.Regular
		}
		h := f.Submodule
		if mode != filemode.Submodule {
			var err error
			if h, err = writeBlob(r, f.Data); err != nil {
				return plumbing.ZeroHash, err
			}
		}
		entries = append(entries, object.TreeEntry{Name: path.Base(p), Mode: mode, Hash: h})
	}
	slices.SortFunc(entries, func(a, b object.TreeEntry) int {
		return strings.Compare(sortName(a), sortName(b))
	})
	t := &object.Tree{Entries: entries}
	obj := r.Storer.NewEncodedObject()
	if err := t.Encode(obj); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("encoding tree %s: %w", prefix, err)
	}
	return r.Storer.SetEncodedObject(obj)
}

func sortName(e object.TreeEntry) string {
	if e.Mode == filemode.Dir {
		return e.Name + "/"
	}
	return e.Name
}

func writeBlob(r *git.Repository, data string) (plumbing.Hash, error) {
	obj := r.Storer.NewEncodedObject()
	obj.SetType(plumbing.BlobObject)
	w, err := obj.Writer()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if _, err := io.WriteString(w, data); err != nil {
		return plumbing.ZeroHash, err
	}
	if err := w.Close(); err != nil {
		return plumbing.ZeroHash, err
	}
	return r.Storer.SetEncodedObject(obj)
}

// CommitWithPrefix is Commit for a commit whose id starts with the hexadecimal prefix: it adds
// a line "nonce: N" to the message, trying N until the id fits (16^len(prefix) tries on
// average, so keep the prefix to 4 or 5 characters). It makes repositories in which a branch or
// tag has the same name as the start of a commit id.
func CommitWithPrefix(r *git.Repository, branch string, s Snapshot, when time.Time, msg, prefix string, parents ...plumbing.Hash) (*object.Commit, error) {
	tree, err := writeTree(r, s, "")
	if err != nil {
		return nil, err
	}
	sig := object.Signature{Name: "docket test", Email: "test@example.org", When: when}
	for n := 0; n < 1<<26; n++ {
		c := &object.Commit{Author: sig, Committer: sig, Message: fmt.Sprintf("%s\n\nnonce: %d\n", msg, n), TreeHash: tree, ParentHashes: parents}
		obj := &plumbing.MemoryObject{}
		if err := c.Encode(obj); err != nil {
			return nil, err
		}
		if !strings.HasPrefix(obj.Hash().String(), prefix) {
			continue
		}
		h, err := r.Storer.SetEncodedObject(obj)
		if err != nil {
			return nil, err
		}
		if branch != "" {
			if err := SetRef(r, "refs/heads/"+branch, h); err != nil {
				return nil, err
			}
		}
		return r.CommitObject(h)
	}
	return nil, fmt.Errorf("no commit id starting with %s found", prefix)
}

// SetRef points the reference name (in full, like refs/remotes/origin/main) at h.
func SetRef(r *git.Repository, name string, h plumbing.Hash) error {
	return r.Storer.SetReference(plumbing.NewHashReference(plumbing.ReferenceName(name), h))
}

// AnnotatedTag writes an annotated tag object for the commit h and points refs/tags/name at
// the tag object (not at the commit), as git tag -a does.
func AnnotatedTag(r *git.Repository, name string, h plumbing.Hash, when time.Time) (plumbing.Hash, error) {
	tag := &object.Tag{Name: name, Tagger: object.Signature{Name: "docket test", Email: "test@example.org", When: when},
		Message: name + "\n", TargetType: plumbing.CommitObject, Target: h}
	obj := r.Storer.NewEncodedObject()
	if err := tag.Encode(obj); err != nil {
		return plumbing.ZeroHash, err
	}
	th, err := r.Storer.SetEncodedObject(obj)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	return th, SetRef(r, "refs/tags/"+name, th)
}
