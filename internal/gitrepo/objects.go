package gitrepo

import (
	"errors"
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// What the history pass (internal/history) reads: commits by hash and raw objects, without
// decoding whole trees.

// ObjectType is the kind of a raw object ReadObject reads.
type ObjectType plumbing.ObjectType

// The kinds of object ReadObject reads.
const (
	TreeObject = ObjectType(plumbing.TreeObject)
	BlobObject = ObjectType(plumbing.BlobObject)
)

// String names the kind as git does: "tree", "blob".
func (t ObjectType) String() string { return plumbing.ObjectType(t).String() }

// ReadObject returns the body of the object h of kind t, failing with ErrTooLarge beyond limit
// bytes and with ErrMissingObject when the repository does not have it.
func (r *Repo) ReadObject(t ObjectType, h Hash, limit int64) ([]byte, error) {
	typ, data, err := r.fromPacks(plumbing.Hash(h), limit)
	switch {
	case err == nil && typ == plumbing.ObjectType(t):
		return data, nil
	case err == nil:
		return nil, fmt.Errorf("reading %s %s: it is a %s: %w", plumbing.ObjectType(t), plumbing.Hash(h), typ, ErrMissingObject)
	case errors.Is(err, ErrTooLarge):
		return nil, fmt.Errorf("%s %s: %w", plumbing.ObjectType(t), plumbing.Hash(h), err)
	}
	return readRaw(r.g.Storer, plumbing.ObjectType(t), plumbing.Hash(h), limit)
}

// fromPacks reads an object from the pack files directly (see packReader); an error other
// than ErrTooLarge means it must be read through go-git's storage.
func (r *Repo) fromPacks(h plumbing.Hash, limit int64) (plumbing.ObjectType, []byte, error) {
	r.packsOnce.Do(func() { r.packs = newPackReader(r.g.Storer) })
	if r.packs == nil {
		return 0, nil, errNotInPacks
	}
	return r.packs.read(h, limit)
}

// Close closes the pack files ReadObject and CommitByHash opened; the Repo may still be used,
// through go-git's storage.
func (r *Repo) Close() {
	r.packsOnce.Do(func() {})
	if r.packs != nil {
		r.packs.close()
		r.packs = nil
	}
}

// CommitByHash returns the commit h; the error has ErrMissingObject when the repository does
// not have it.
func (r *Repo) CommitByHash(h Hash) (*Commit, error) {
	if typ, data, err := r.fromPacks(plumbing.Hash(h), 1<<30); err == nil && typ == plumbing.CommitObject {
		o := &plumbing.MemoryObject{}
		o.SetType(plumbing.CommitObject)
		if _, err := o.Write(data); err == nil {
			if c, err := object.DecodeCommit(r.g.Storer, o); err == nil {
				return wrapCommit(c, r.g.Storer), nil
			}
		}
	}
	c, err := object.GetCommit(r.g.Storer, plumbing.Hash(h))
	if err != nil {
		return nil, missing(err)
	}
	return wrapCommit(c, r.g.Storer), nil
}

// Head returns the commit HEAD points at; the error has ErrMissingObject when there is none
// yet (a repository without commits).
func (r *Repo) Head() (Hash, error) {
	ref, err := r.g.Head()
	if err != nil {
		return Hash{}, missing(err)
	}
	return Hash(ref.Hash()), nil
}

// Shallow reports whether the repository is a shallow clone, which lacks the history before
// its shallow commits.
func (r *Repo) Shallow() (bool, error) {
	s, err := r.g.Storer.Shallow()
	return len(s) > 0, err
}

// WorkTreeRoot returns the folder the repository's work tree is in; false for a bare
// repository.
func (r *Repo) WorkTreeRoot() (string, bool) {
	wt, err := r.g.Worktree()
	if err != nil {
		return "", false
	}
	return wt.Filesystem.Root(), true
}

// RemoteURL returns the first address of the remote called name, or "" when there is none.
func (r *Repo) RemoteURL(name string) string {
	rem, err := r.g.Remote(name)
	if err != nil || len(rem.Config().URLs) == 0 {
		return ""
	}
	return rem.Config().URLs[0]
}
