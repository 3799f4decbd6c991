package gitrepo

import (
	"container/heap"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// ErrTooManyCommits is returned by Between when there are more commits than asked for.
var ErrTooManyCommits = errors.New("too many commits")

// Between returns every commit reachable from head but not from fork (git's fork..head): the
// commits that merging head brings in, merge commits included, newest first by commit date. It
// walks both sides by date, as git does, painting fork's ancestors so that only the pull
// request's own commits are read, and fails with ErrTooManyCommits beyond limit commits.
//
// Commit dates can be forged; a forged date can only make the walk read more of the history,
// and what it read is filtered by the painting at the end, so no commit of head is ever missed.
func Between(head, fork *Commit, limit int) ([]*Commit, error) {
	cs, err := between(head.c, fork.c, limit)
	return wrapCommits(cs, head.st), missing(err)
}

func between(head, fork *object.Commit, limit int) ([]*object.Commit, error) {
	const (
		interesting = 1
		excluded    = 2
	)
	w := &walk{flags: map[plumbing.Hash]uint8{}, live: map[plumbing.Hash]int{}}
	w.push(fork, excluded)
	w.push(head, interesting)
	var out []*object.Commit
	done := map[plumbing.Hash]uint8{}
	for w.alive > 0 {
		c := heap.Pop(&w.q).(*object.Commit)
		flag := w.flags[c.Hash]
		if flag&excluded == 0 {
			w.live[c.Hash]--
			w.alive--
		}
		if done[c.Hash]&flag == flag {
			continue // already walked with what it is known to be now
		}
		done[c.Hash] |= flag
		if flag&excluded == 0 {
			if len(out) == limit {
				return nil, fmt.Errorf("more than %d commits between %s and %s: %w", limit, short(fork.Hash), short(head.Hash), ErrTooManyCommits)
			}
			out = append(out, c)
		}
		err := c.Parents().ForEach(func(p *object.Commit) error {
			w.push(p, flag)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("reading the parents of %s: %w", short(c.Hash), err)
		}
	}
	// A commit read before it was found to be an ancestor of fork is not one of head's own.
	kept := out[:0]
	for _, c := range out {
		if w.flags[c.Hash]&excluded == 0 {
			kept = append(kept, c)
		}
	}
	return kept, nil
}

// walk is a queue of commits, newest first, with what each is known to be: reachable from
// head (interesting), from fork (excluded), or both, which counts as excluded.
type walk struct {
	q     commitQueue
	flags map[plumbing.Hash]uint8
	live  map[plumbing.Hash]int // queued entries of a commit not known to be excluded
	alive int                   // their total: the walk ends when none is left
}

func (w *walk) push(c *object.Commit, flag uint8) {
	const excluded = 2
	old := w.flags[c.Hash]
	if old|flag == old {
		return // nothing new to tell its parents
	}
	w.flags[c.Hash] = old | flag
	if flag&excluded != 0 && old&excluded == 0 {
		w.alive -= w.live[c.Hash]
		w.live[c.Hash] = 0
	}
	if w.flags[c.Hash]&excluded == 0 {
		w.live[c.Hash]++
		w.alive++
	}
	heap.Push(&w.q, c)
}

type commitQueue []*object.Commit

func (q commitQueue) Len() int { return len(q) }
func (q commitQueue) Less(i, j int) bool {
	return q[i].Committer.When.After(q[j].Committer.When)
}
func (q commitQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *commitQueue) Push(x any)   { *q = append(*q, x.(*object.Commit)) }
func (q *commitQueue) Pop() any {
	old := *q
	c := old[len(old)-1]
	*q = old[:len(old)-1]
	return c
}

// ErrTooLarge is returned by ReadBlob for a blob larger than asked for.
var ErrTooLarge = errors.New("too large")

// ReadBlob reads the blob h (a file's content or a symbolic link's target) from the repository
// t belongs to, failing with ErrTooLarge when it is larger than limit bytes: a caller that must
// see everything is told it cannot, rather than given the first part.
func ReadBlob(t *Tree, h Hash, limit int64) ([]byte, error) {
	return readBlob(t.obj(), plumbing.Hash(h), limit)
}

func readBlob(t *object.Tree, h plumbing.Hash, limit int64) ([]byte, error) {
	f, err := t.TreeEntryFile(&object.TreeEntry{Name: "blob", Mode: filemode.Regular, Hash: h})
	if err != nil {
		return nil, fmt.Errorf("reading blob %s: %w", short(h), missing(err))
	}
	if f.Size > limit {
		return nil, fmt.Errorf("blob %s has %d bytes: %w", short(h), f.Size, ErrTooLarge)
	}
	r, err := f.Reader()
	if err != nil {
		return nil, fmt.Errorf("reading blob %s: %w", short(h), err)
	}
	defer r.Close()
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading blob %s: %w", short(h), err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("blob %s: %w", short(h), ErrTooLarge)
	}
	return data, nil
}

// EntryAt returns the entry at path in t (a file, symbolic link or submodule), or the zero Entry
// when there is none or it is a folder. t may be nil, standing for an empty tree.
func EntryAt(t *Tree, path string) Entry {
	if t == nil {
		return Entry{}
	}
	return rawEntryAt(t.t, t.st, path)
}

// rawEntryAt is entryAt reading the folders on path as raw tree objects: a folder of 10,000
// requests is searched in its bytes, not decoded into 10,000 entries for each look-up.
func rawEntryAt(t *object.Tree, st storer.EncodedObjectStorer, path string) Entry {
	dir, rest, sub := strings.Cut(path, "/")
	var raw []byte
	for {
		var e RawEntry
		var ok bool
		if raw == nil {
			// The top folder is decoded already.
			for _, te := range t.Entries {
				if te.Name == dir {
					e, ok = RawEntry{Name: te.Name, Mode: FileMode(te.Mode), Hash: Hash(te.Hash)}, true
					break
				}
			}
		} else {
			e, ok = FindRaw(raw, dir)
		}
		if !ok {
			return Entry{}
		}
		if !sub {
			if e.Dir() {
				return Entry{}
			}
			return Entry{e.Mode, e.Hash}
		}
		if !e.Dir() {
			return Entry{}
		}
		b, err := readRaw(st, plumbing.TreeObject, plumbing.Hash(e.Hash), MaxObjectSize)
		if err != nil || b == nil {
			return Entry{}
		}
		raw = b
		dir, rest, sub = strings.Cut(rest, "/")
	}
}

func entryAt(t *object.Tree, path string) Entry {
	if t == nil {
		return Entry{}
	}
	e, err := t.FindEntry(path)
	if err != nil || e.Mode == filemode.Dir {
		return Entry{}
	}
	return entryOf(e)
}
