package gitrepo

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// The one walker of git trees: both the pull-request diff (Diff) and the history pass
// (internal/history) read tree objects as git stores them, "<octal mode> <name>\x00<hash>"
// entries sorted in git's name order, and walk two of them side by side, turning names into
// strings only for the entries that differ.

// RawEntry is one entry of a raw tree object.
type RawEntry struct {
	Name string
	Mode FileMode
	Hash Hash
}

// Dir reports whether the entry is a folder.
func (e *RawEntry) Dir() bool { return e.Mode == Dir }

// ErrMalformedTree is returned for a tree object that is not a list of entries as git writes
// them.
var ErrMalformedTree = errors.New("malformed tree object")

// rawIter reads the entries of a raw tree object in order without decoding the whole tree.
type rawIter struct {
	b    []byte
	name []byte
	mode FileMode
	hash Hash
	err  error
}

// next reads the next entry; false at the end or at malformed data (then err is set).
func (it *rawIter) next() bool {
	if len(it.b) == 0 {
		return false
	}
	sp := bytes.IndexByte(it.b, ' ')
	nul := bytes.IndexByte(it.b[max(sp, 0):], 0)
	if sp <= 0 || nul < 0 || sp+nul+1+len(it.hash) > len(it.b) {
		it.err = ErrMalformedTree
		return false
	}
	nul += sp
	var m uint32
	for _, d := range it.b[:sp] {
		if d < '0' || d > '7' || m > 1<<28 {
			it.err = ErrMalformedTree
			return false
		}
		m = m*8 + uint32(d-'0')
	}
	it.mode = FileMode(m)
	it.name = it.b[sp+1 : nul]
	copy(it.hash[:], it.b[nul+1:nul+1+len(it.hash)])
	it.b = it.b[nul+1+len(it.hash):]
	return true
}

func (it *rawIter) entry() *RawEntry {
	return &RawEntry{Name: string(it.name), Mode: it.mode, Hash: it.hash}
}

// compareNames orders entries as git does: a folder's name sorts as if it ended in "/".
func compareNames(a []byte, aDir bool, b []byte, bDir bool) int {
	n := min(len(a), len(b))
	if c := bytes.Compare(a[:n], b[:n]); c != 0 {
		return c
	}
	ca, cb := 0, 0
	switch {
	case len(a) > n:
		ca = int(a[n])
	case aDir:
		ca = '/'
	}
	switch {
	case len(b) > n:
		cb = int(b[n])
	case bDir:
		cb = '/'
	}
	return ca - cb
}

// DiffRaw walks the raw tree objects a and b side by side and calls fn for every entry that is
// in only one of them (the other is nil) or whose mode or hash differs between them. Either may
// be empty. The error is ErrMalformedTree, after fn was called for the entries before the
// malformed one.
func DiffRaw(a, b []byte, fn func(ea, eb *RawEntry)) error {
	ia, ib := &rawIter{b: a}, &rawIter{b: b}
	okA, okB := ia.next(), ib.next()
	for okA || okB {
		var c int
		switch {
		case !okA:
			c = 1
		case !okB:
			c = -1
		default:
			c = compareNames(ia.name, ia.mode == Dir, ib.name, ib.mode == Dir)
		}
		switch {
		case c < 0:
			fn(ia.entry(), nil)
			okA = ia.next()
		case c > 0:
			fn(nil, ib.entry())
			okB = ib.next()
		default:
			if ia.hash != ib.hash || ia.mode != ib.mode {
				fn(ia.entry(), ib.entry())
			}
			okA, okB = ia.next(), ib.next()
		}
	}
	return errors.Join(ia.err, ib.err)
}

// FindRaw returns the entry called name in a raw tree object.
func FindRaw(tree []byte, name string) (RawEntry, bool) {
	it := &rawIter{b: tree}
	for it.next() {
		if string(it.name) == name {
			return *it.entry(), true
		}
	}
	return RawEntry{}, false
}

// readRaw returns the body of the tree or blob object h, failing beyond limit bytes.
func readRaw(st storer.EncodedObjectStorer, t plumbing.ObjectType, h plumbing.Hash, limit int64) ([]byte, error) {
	o, err := st.EncodedObject(t, h)
	if err != nil {
		return nil, fmt.Errorf("reading %s %s: %w", t, h, missing(err))
	}
	if o.Size() > limit {
		return nil, fmt.Errorf("%s %s is %d bytes: %w", t, h, o.Size(), ErrTooLarge)
	}
	rd, err := o.Reader()
	if err != nil {
		return nil, fmt.Errorf("reading %s %s: %w", t, h, err)
	}
	defer rd.Close()
	buf := bytes.NewBuffer(make([]byte, 0, o.Size()))
	if _, err := io.Copy(buf, rd); err != nil {
		return nil, fmt.Errorf("reading %s %s: %w", t, h, err)
	}
	return buf.Bytes(), nil
}
