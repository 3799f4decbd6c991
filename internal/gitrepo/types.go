package gitrepo

import (
	"errors"
	"sync"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// Repo is a git repository. go-git is used only inside this package: callers hold a Repo, its
// Commits and Trees, and never a go-git type.
type Repo struct {
	g *git.Repository
	// packs reads objects straight from the pack files for the history pass (see packReader);
	// opened at its first read, nil when there are none.
	packsOnce sync.Once
	packs     *packReader
}

// Open opens the git repository that dir is in (dir or a folder above it, as git finds it),
// including a linked work tree's shared repository.
func Open(dir string) (*Repo, error) {
	r, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return nil, &markedError{err, ErrNotRepository}
	}
	if err != nil {
		return nil, err
	}
	return &Repo{g: r}, nil
}

// ErrNotRepository is in the chain of Open's error when dir is not inside a git repository.
var ErrNotRepository = errors.New("not a git repository")

// Wrap returns the Repo of a go-git repository, for tests that build their repositories with
// go-git (see gittest).
func Wrap(r *git.Repository) *Repo { return &Repo{g: r} }

// Hash is the id of a git object (a commit, a tree, a file's content).
type Hash [20]byte

// String returns the hash as 40 hexadecimal digits.
func (h Hash) String() string { return plumbing.Hash(h).String() }

// IsZero reports whether h is the zero hash, which names no object.
func (h Hash) IsZero() bool { return h == Hash{} }

// FileMode is the mode of a tree entry, as git stores it.
type FileMode uint32

// The modes git gives tree entries. Empty is the mode of an entry that does not exist.
const (
	Empty      FileMode = FileMode(filemode.Empty)
	Dir        FileMode = FileMode(filemode.Dir)
	Regular    FileMode = FileMode(filemode.Regular)
	Deprecated FileMode = FileMode(filemode.Deprecated) // a regular file written by old git (0100664)
	Executable FileMode = FileMode(filemode.Executable)
	Symlink    FileMode = FileMode(filemode.Symlink)
	Submodule  FileMode = FileMode(filemode.Submodule)
)

// Signature is who made a commit, and when.
type Signature struct {
	Name, Email string
	When        time.Time
}

// Commit is one commit of a Repo.
type Commit struct {
	Hash      Hash
	Message   string
	Author    Signature
	Committer Signature
	// TreeHash is the commit's root folder; ParentHashes its parents, first parent first.
	TreeHash     Hash
	ParentHashes []Hash

	c  *object.Commit
	st storer.EncodedObjectStorer // where c and its trees are
}

func wrapCommit(c *object.Commit, st storer.EncodedObjectStorer) *Commit {
	if c == nil {
		return nil
	}
	parents := make([]Hash, len(c.ParentHashes))
	for i, p := range c.ParentHashes {
		parents[i] = Hash(p)
	}
	return &Commit{Hash: Hash(c.Hash), Message: c.Message, c: c, st: st, TreeHash: Hash(c.TreeHash), ParentHashes: parents,
		Author:    Signature{c.Author.Name, c.Author.Email, c.Author.When},
		Committer: Signature{c.Committer.Name, c.Committer.Email, c.Committer.When}}
}

func wrapCommits(cs []*object.Commit, st storer.EncodedObjectStorer) []*Commit {
	out := make([]*Commit, len(cs))
	for i, c := range cs {
		out[i] = wrapCommit(c, st)
	}
	return out
}

// Tree returns the commit's root folder.
func (c *Commit) Tree() (*Tree, error) {
	t, err := c.c.Tree()
	if err != nil {
		return nil, missing(err)
	}
	return &Tree{t: t, st: c.st}, nil
}

// Parent returns the commit's i-th parent (0 is the first: the branch a merge was made on).
func (c *Commit) Parent(i int) (*Commit, error) {
	p, err := c.c.Parent(i)
	if err != nil {
		return nil, missing(err)
	}
	return wrapCommit(p, c.st), nil
}

// NumParents returns how many parents the commit has: 0 for a root commit, 2 or more for a merge.
func (c *Commit) NumParents() int { return len(c.c.ParentHashes) }

// Parents returns every parent of the commit, first parent first.
func (c *Commit) Parents() ([]*Commit, error) {
	var out []*Commit
	err := c.c.Parents().ForEach(func(p *object.Commit) error {
		out = append(out, wrapCommit(p, c.st))
		return nil
	})
	if err != nil {
		return nil, missing(err)
	}
	return out, nil
}

// Tree is a folder of a commit. A nil *Tree stands for an empty folder where functions of
// this package accept one.
type Tree struct {
	t  *object.Tree
	st storer.EncodedObjectStorer
}

// obj returns go-git's tree, nil for a nil Tree.
func (t *Tree) obj() *object.Tree {
	if t == nil {
		return nil
	}
	return t.t
}

// ErrMissingObject is in the chain of an error caused by a commit, folder or file that the
// repository does not have, as in a shallow clone that lacks the history a check needs.
var ErrMissingObject = errors.New("an object is not in the repository")

// markedError keeps the text of go-git's error and adds one of this package's sentinel errors
// to its chain.
type markedError struct{ err, sentinel error }

func (e *markedError) Error() string   { return e.err.Error() }
func (e *markedError) Unwrap() []error { return []error{e.err, e.sentinel} }

// missing marks err with ErrMissingObject when go-git could not find an object or reference.
func missing(err error) error {
	if err != nil && (errors.Is(err, plumbing.ErrObjectNotFound) || errors.Is(err, plumbing.ErrReferenceNotFound)) && !errors.Is(err, ErrMissingObject) {
		return &markedError{err, ErrMissingObject}
	}
	return err
}

// String returns the mode as git writes it: 0100644.
func (m FileMode) String() string { return filemode.FileMode(m).String() }
