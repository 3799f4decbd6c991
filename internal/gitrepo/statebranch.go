package gitrepo

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
)

// StateBranch keeps files on a branch of a clone's remote that holds nothing but docket's state
// (docket-state by default): a history of its own, never merged, written only by the publish
// workflow. Read fetches the branch once and reads from its tip; Write commits the files on top
// of the tip and pushes. When the push is rejected because the branch moved, Write fetches it
// again and puts its files on the new tip (a rebase of its one change), and tries again; a file
// that someone else changed since this run read it is a conflict, never overwritten.
//
// Fetched commits are kept under refs/docket/, so the clone's own branches and remote-tracking
// branches are left alone. Concurrent runs should still be serialised (the workflow's
// concurrency group); the retry is for other writers of other files on the branch.
type StateBranch struct {
	Dir    string // the clone
	Remote string // the remote's name, origin by default
	Branch string // docket-state by default
	// Token authenticates pushes to an https remote (GitHub's GITHUB_TOKEN); empty for others.
	Token string
	// Name and Email sign the commits; When dates them (the command's clock).
	Name, Email string
	When        func() time.Time
	// Tries bounds the pushes tried when the branch keeps moving (default 5).
	Tries int
	// DryRun makes Write do nothing: dry runs are enforced here.
	DryRun bool

	r       *git.Repository
	fetched bool
	tip     plumbing.Hash            // zero when the branch does not exist yet
	read    map[string]plumbing.Hash // the version of each file this run read (zero: absent)
}

// ErrConflict is returned when a file changed on the state branch after this run read it.
var ErrConflict = errors.New("changed on the state branch since this run read it; run again")

func (s *StateBranch) String() string {
	return "branch " + s.branch() + " of " + s.remote()
}

func (s *StateBranch) remote() string { return cmp.Or(s.Remote, "origin") }
func (s *StateBranch) branch() string { return cmp.Or(s.Branch, "docket-state") }

// tracking is where the fetched tip is kept.
func (s *StateBranch) tracking() plumbing.ReferenceName {
	return plumbing.ReferenceName("refs/docket/remotes/" + s.remote() + "/" + s.branch())
}

func (s *StateBranch) open() error {
	if s.r != nil {
		return nil
	}
	r, err := git.PlainOpenWithOptions(s.Dir, &git.PlainOpenOptions{DetectDotGit: true})
	if err != nil {
		return fmt.Errorf("%s is not a git repository: %w", s.Dir, err)
	}
	s.r, s.read = r, map[string]plumbing.Hash{}
	return nil
}

func (s *StateBranch) auth() (transport.AuthMethod, error) {
	if s.Token == "" {
		return nil, nil
	}
	rem, err := s.r.Remote(s.remote())
	if err != nil {
		return nil, fmt.Errorf("remote %s: %w", s.remote(), err)
	}
	for _, u := range rem.Config().URLs {
		if strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") {
			return &githttp.BasicAuth{Username: "x-access-token", Password: s.Token}, nil
		}
	}
	return nil, nil
}

// fetch brings the branch's tip into the clone.
func (s *StateBranch) fetch(ctx context.Context) error {
	if err := s.open(); err != nil {
		return err
	}
	auth, err := s.auth()
	if err != nil {
		return err
	}
	spec := config.RefSpec("+refs/heads/" + s.branch() + ":" + s.tracking().String())
	err = s.r.FetchContext(ctx, &git.FetchOptions{RemoteName: s.remote(), RefSpecs: []config.RefSpec{spec}, Auth: auth, Tags: git.NoTags})
	switch {
	case err == nil, errors.Is(err, git.NoErrAlreadyUpToDate):
	case errors.Is(err, git.NoMatchingRefSpecError{}), errors.Is(err, transport.ErrEmptyRemoteRepository):
		// The branch does not exist yet: the first write creates it.
		s.fetched, s.tip = true, plumbing.ZeroHash
		if err := s.r.Storer.RemoveReference(s.tracking()); err != nil {
			return err
		}
		return nil
	default:
		return fmt.Errorf("fetching %s: %w", s, err)
	}
	ref, err := s.r.Reference(s.tracking(), true)
	if err != nil {
		return fmt.Errorf("fetching %s: %w", s, err)
	}
	s.fetched, s.tip = true, ref.Hash()
	return nil
}

// entry returns the version of name on the tip, or zero.
func (s *StateBranch) entry(name string) (plumbing.Hash, *object.Tree, error) {
	if s.tip.IsZero() {
		return plumbing.ZeroHash, nil, nil
	}
	c, err := s.r.CommitObject(s.tip)
	if err != nil {
		return plumbing.ZeroHash, nil, fmt.Errorf("reading %s: %w", s, err)
	}
	t, err := c.Tree()
	if err != nil {
		return plumbing.ZeroHash, nil, fmt.Errorf("reading %s: %w", s, err)
	}
	e, err := t.FindEntry(name)
	if errors.Is(err, object.ErrEntryNotFound) || errors.Is(err, object.ErrDirectoryNotFound) {
		return plumbing.ZeroHash, t, nil
	}
	if err != nil {
		return plumbing.ZeroHash, nil, fmt.Errorf("reading %s on %s: %w", name, s, err)
	}
	return e.Hash, t, nil
}

// Read returns a file from the tip of the branch (fs.ErrNotExist when the branch or the file
// does not exist).
func (s *StateBranch) Read(ctx context.Context, name string) ([]byte, error) {
	if !s.fetched {
		if err := s.fetch(ctx); err != nil {
			return nil, err
		}
	}
	h, t, err := s.entry(name)
	if err != nil {
		return nil, err
	}
	s.read[name] = h
	if h.IsZero() {
		return nil, fmt.Errorf("%s on %s: %w", name, s, fs.ErrNotExist)
	}
	return readBlob(t, h, MaxBlob)
}

// Write commits files (names at the top of the branch) on the tip and pushes, as described on
// StateBranch.
func (s *StateBranch) Write(ctx context.Context, files map[string][]byte, message string) error {
	if s.DryRun {
		return nil
	}
	if err := s.open(); err != nil {
		return err
	}
	tries := s.Tries
	if tries <= 0 {
		tries = 5
	}
	auth, err := s.auth()
	if err != nil {
		return err
	}
	for try := 1; ; try++ {
		if !s.fetched || try > 1 {
			if err := s.fetch(ctx); err != nil {
				return err
			}
		}
		for name := range files {
			was, seen := s.read[name]
			now, _, err := s.entry(name)
			if err != nil {
				return err
			}
			if seen && now != was {
				return fmt.Errorf("%s: %w", name, ErrConflict)
			}
		}
		commit, blobs, err := s.commit(files, message)
		if err != nil {
			return err
		}
		local := plumbing.ReferenceName("refs/docket/push/" + s.branch())
		if err := s.r.Storer.SetReference(plumbing.NewHashReference(local, commit)); err != nil {
			return err
		}
		spec := config.RefSpec(local.String() + ":refs/heads/" + s.branch())
		err = s.r.PushContext(ctx, &git.PushOptions{RemoteName: s.remote(), RefSpecs: []config.RefSpec{spec}, Auth: auth})
		if err == nil || errors.Is(err, git.NoErrAlreadyUpToDate) {
			s.tip = commit
			for name, h := range blobs {
				s.read[name] = h
			}
			return s.r.Storer.SetReference(plumbing.NewHashReference(s.tracking(), commit))
		}
		if !rejected(err) {
			return fmt.Errorf("pushing to %s: %w", s, err)
		}
		if try == tries {
			return fmt.Errorf("pushing to %s: the branch kept moving; gave up after %d tries: %w", s, tries, err)
		}
	}
}

// rejected reports whether a push failed because the branch moved (not a fast-forward).
func rejected(err error) bool {
	msg := err.Error()
	for _, s := range []string{"non-fast-forward", "fetch first", "rejected", "failed to update ref", "stale info"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return errors.Is(err, git.ErrForceNeeded) || errors.Is(err, git.ErrNonFastForwardUpdate)
}

// commit writes a commit on the tip whose tree is the tip's with files replaced or added.
func (s *StateBranch) commit(files map[string][]byte, message string) (plumbing.Hash, map[string]plumbing.Hash, error) {
	var entries []object.TreeEntry
	var parents []plumbing.Hash
	if !s.tip.IsZero() {
		c, err := s.r.CommitObject(s.tip)
		if err != nil {
			return plumbing.ZeroHash, nil, err
		}
		t, err := c.Tree()
		if err != nil {
			return plumbing.ZeroHash, nil, err
		}
		for _, e := range t.Entries {
			if _, replaced := files[e.Name]; !replaced {
				entries = append(entries, e)
			}
		}
		parents = []plumbing.Hash{s.tip}
	}
	blobs := map[string]plumbing.Hash{}
	for name, data := range files {
		if name == "" || strings.ContainsAny(name, "/\x00") {
			return plumbing.ZeroHash, nil, fmt.Errorf("state file name %q: want a plain file name", name)
		}
		obj := s.r.Storer.NewEncodedObject()
		obj.SetType(plumbing.BlobObject)
		w, err := obj.Writer()
		if err != nil {
			return plumbing.ZeroHash, nil, err
		}
		if _, err := w.Write(data); err != nil {
			return plumbing.ZeroHash, nil, err
		}
		if err := w.Close(); err != nil {
			return plumbing.ZeroHash, nil, err
		}
		h, err := s.r.Storer.SetEncodedObject(obj)
		if err != nil {
			return plumbing.ZeroHash, nil, err
		}
		blobs[name] = h
		entries = append(entries, object.TreeEntry{Name: name, Mode: filemode.Regular, Hash: h})
	}
	// Git's name order: a folder kept from the tip sorts as if its name ended in "/".
	sortName := func(e object.TreeEntry) string {
		if e.Mode == filemode.Dir {
			return e.Name + "/"
		}
		return e.Name
	}
	slices.SortFunc(entries, func(a, b object.TreeEntry) int { return strings.Compare(sortName(a), sortName(b)) })
	tree := &object.Tree{Entries: entries}
	tobj := s.r.Storer.NewEncodedObject()
	if err := tree.Encode(tobj); err != nil {
		return plumbing.ZeroHash, nil, err
	}
	th, err := s.r.Storer.SetEncodedObject(tobj)
	if err != nil {
		return plumbing.ZeroHash, nil, err
	}
	when := time.Unix(0, 0).UTC()
	if s.When != nil {
		when = s.When()
	}
	sig := object.Signature{Name: cmp.Or(s.Name, "docket"), Email: cmp.Or(s.Email, "docket@users.noreply.github.com"), When: when}
	c := &object.Commit{Author: sig, Committer: sig, Message: message + "\n", TreeHash: th, ParentHashes: parents}
	cobj := s.r.Storer.NewEncodedObject()
	if err := c.Encode(cobj); err != nil {
		return plumbing.ZeroHash, nil, err
	}
	h, err := s.r.Storer.SetEncodedObject(cobj)
	return h, blobs, err
}
