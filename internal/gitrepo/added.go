package gitrepo

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// Refs returns the references whose full names start with prefix (refs/remotes/pull/, say) and
// the commits they point at, by name. Symbolic references are left out.
func (r *Repo) Refs(prefix string) (map[string]string, error) {
	iter, err := r.g.References()
	if err != nil {
		return nil, fmt.Errorf("listing references: %w", err)
	}
	out := map[string]string{}
	err = iter.ForEach(func(ref *plumbing.Reference) error {
		if ref.Type() == plumbing.HashReference && strings.HasPrefix(ref.Name().String(), prefix) {
			out[ref.Name().String()] = ref.Hash().String()
		}
		return nil
	})
	if err != nil && !errors.Is(err, storer.ErrStop) {
		return nil, fmt.Errorf("listing references: %w", err)
	}
	return out, nil
}

// MaxBlob bounds the file versions AddedTexts reads; larger ones are skipped.
const MaxBlob = 100 << 20

// AddedTexts calls visit with every text the commits in base..tip bring in (the commits reachable
// from tip and not from base; every commit of tip when base is empty): each commit's message, and
// each file version a commit adds or changes compared with its first parent, once however many
// commits or paths hold it. Files larger than MaxBlob, symbolic links and submodules are not
// read. seen, when not nil, holds file versions already visited, across calls.
func (r *Repo) AddedTexts(tip, base string, maxCommits int, seen map[Hash]bool, visit func(text string)) error {
	head, err := commitOf(r.g, tip)
	if err != nil {
		return err
	}
	var commits []*object.Commit
	if base == "" {
		commits, err = ancestors(head, maxCommits)
	} else {
		var from *object.Commit
		if from, err = commitOf(r.g, base); err != nil {
			return err
		}
		commits, err = between(head, from, maxCommits)
	}
	if err != nil {
		return err
	}
	if seen == nil {
		seen = map[Hash]bool{}
	}
	for _, c := range commits {
		visit(c.Message)
		tree, err := c.Tree()
		if err != nil {
			return fmt.Errorf("reading commit %s: %w", short(c.Hash), err)
		}
		var parent plumbing.Hash // the first parent's tree; zero for a root commit
		if len(c.ParentHashes) > 0 {
			p, err := c.Parent(0)
			if err != nil {
				return fmt.Errorf("reading the parent of %s: %w", short(c.Hash), err)
			}
			parent = p.TreeHash
		}
		changes, err := diff(r.g.Storer, parent, tree.Hash)
		if err != nil {
			return err
		}
		for _, ch := range changes {
			if !ch.To.Exists() || ch.To.Mode == Submodule || ch.To.Mode == Symlink || seen[ch.To.Hash] {
				continue
			}
			seen[ch.To.Hash] = true
			data, err := readBlob(tree, plumbing.Hash(ch.To.Hash), MaxBlob)
			if errors.Is(err, ErrTooLarge) {
				continue
			}
			if err != nil {
				return err
			}
			visit(string(data))
		}
	}
	return nil
}

// ancestors returns head and every commit it reaches, at most limit of them.
func ancestors(head *object.Commit, limit int) ([]*object.Commit, error) {
	var out []*object.Commit
	seen := map[plumbing.Hash]bool{}
	queue := []*object.Commit{head}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if seen[c.Hash] {
			continue
		}
		seen[c.Hash] = true
		if len(out) == limit {
			return nil, fmt.Errorf("more than %d commits in %s: %w", limit, short(head.Hash), ErrTooManyCommits)
		}
		out = append(out, c)
		err := c.Parents().ForEach(func(p *object.Commit) error {
			queue = append(queue, p)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("reading the parents of %s: %w", short(c.Hash), err)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Committer.When.After(out[j].Committer.When) })
	return out, nil
}

// LastChange returns the commit that last changed path on the first-parent history of rev (the
// merge, squash or direct commit that brought the current version in), looking at no more than
// limit commits. On a default branch whose pull requests are merged, that commit leads to the
// pull request that merged the file.
func (r *Repo) LastChange(rev, path string, limit int) (string, error) {
	c, err := commitOf(r.g, rev)
	if err != nil {
		return "", err
	}
	tree, err := c.Tree()
	if err != nil {
		return "", fmt.Errorf("reading commit %s: %w", short(c.Hash), err)
	}
	here := entryAt(tree, path)
	if !here.Exists() {
		return "", fmt.Errorf("%s is not in %s", path, rev)
	}
	for range limit {
		if len(c.ParentHashes) == 0 {
			return c.Hash.String(), nil
		}
		p, err := c.Parent(0)
		if err != nil {
			return "", fmt.Errorf("reading the parent of %s: %w", short(c.Hash), err)
		}
		pt, err := p.Tree()
		if err != nil {
			return "", fmt.Errorf("reading commit %s: %w", short(p.Hash), err)
		}
		if entryAt(pt, path) != here {
			return c.Hash.String(), nil
		}
		c = p
	}
	return "", fmt.Errorf("%s did not change in the last %d commits: %w", path, limit, ErrTooManyCommits)
}

// FirstParents returns the commits on the first-parent history of to that come after from (the
// commits a branch's pushes and merges made since from), oldest first, at most limit of them. It
// fails when from is not on that history, as when the branch was rewritten.
func (r *Repo) FirstParents(from, to string, limit int) ([]*Commit, error) {
	start, err := commitOf(r.g, from)
	if err != nil {
		return nil, err
	}
	c, err := commitOf(r.g, to)
	if err != nil {
		return nil, err
	}
	var out []*object.Commit
	for c.Hash != start.Hash {
		if len(out) == limit {
			return nil, fmt.Errorf("more than %d commits from %s to %s: %w", limit, short(start.Hash), short(c.Hash), ErrTooManyCommits)
		}
		out = append(out, c)
		if len(c.ParentHashes) == 0 {
			return nil, fmt.Errorf("%s is not on the first-parent history of %s", short(start.Hash), to)
		}
		if c, err = c.Parent(0); err != nil {
			return nil, fmt.Errorf("reading the parent of %s: %w", short(out[len(out)-1].Hash), err)
		}
	}
	slices.Reverse(out)
	return wrapCommits(out, r.g.Storer), nil
}

// FirstParentLine returns the ids of the commits on the first-parent line from the commit
// head (a full id) to the root, newest first.
func (r *Repo) FirstParentLine(head string) ([]string, error) {
	var out []string
	for h := plumbing.NewHash(head); ; {
		c, err := r.g.CommitObject(h)
		if err != nil {
			return nil, missing(err)
		}
		out = append(out, c.Hash.String())
		if len(c.ParentHashes) == 0 {
			return out, nil
		}
		h = c.ParentHashes[0]
	}
}
