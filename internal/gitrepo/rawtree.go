package gitrepo

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"

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

// order compares the current entries of two walks side by side, as compareNames does; a walk
// that has ended (ok false) sorts after every entry.
func order(a *rawIter, okA bool, b *rawIter, okB bool) int {
	switch {
	case !okA:
		return 1
	case !okB:
		return -1
	}
	return compareNames(a.name, a.mode == Dir, b.name, b.mode == Dir)
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
		switch c := order(ia, okA, ib, okB); {
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

// IndexRaw returns where each entry of a raw tree object starts, for DiffIndexed; the error is
// ErrMalformedTree.
func IndexRaw(tree []byte) ([]int, error) {
	var out []int
	it := &rawIter{b: tree}
	for {
		off := len(tree) - len(it.b)
		if !it.next() {
			break
		}
		out = append(out, off)
	}
	return out, it.err
}

// DiffIndexed is DiffRaw for two versions of one folder, like the requests folder of a commit
// and of its parent, which share all but a few entries: given where a's entries start
// (IndexRaw), it skips the bytes the two begin and end with and reads entries only between,
// so a step costs a comparison of bytes rather than reading 10,000 entries twice. It calls fn
// exactly as DiffRaw does and returns where b's entries start (nil with the error), in ib's
// memory when it is large enough (ib may be nil; it must not be ia).
func DiffIndexed(a []byte, ia []int, b []byte, ib []int, fn func(ea, eb *RawEntry)) ([]int, error) {
	p := commonPrefix(a, b)
	s := commonSuffix(a[p:], b[p:])
	// The last entry of a that starts at or before the first differing byte starts b's entry
	// there too: everything before it is the same bytes.
	k := sort.SearchInts(ia, p+1) - 1
	start := 0
	if k >= 0 {
		start = ia[k]
	} else {
		k = 0
	}
	ib = append(ib[:0], ia[:k]...)
	ra, rb := &rawIter{b: a[start:]}, &rawIter{b: b[start:]}
	posA, posB := start, start
	okA, okB := ra.next(), rb.next()
	for {
		// From entries that start at the same distance from the ends, within the bytes both
		// end with, everything left is the same.
		if restA, restB := len(a)-posA, len(b)-posB; restA == restB && restA <= s {
			break
		}
		if !okA && !okB {
			break
		}
		switch c := order(ra, okA, rb, okB); {
		case c < 0:
			fn(ra.entry(), nil)
			posA = len(a) - len(ra.b)
			okA = ra.next()
		case c > 0:
			fn(nil, rb.entry())
			ib = append(ib, posB)
			posB = len(b) - len(rb.b)
			okB = rb.next()
		default:
			if ra.hash != rb.hash || ra.mode != rb.mode {
				fn(ra.entry(), rb.entry())
			}
			ib = append(ib, posB)
			posA, posB = len(a)-len(ra.b), len(b)-len(rb.b)
			okA, okB = ra.next(), rb.next()
		}
	}
	if err := errors.Join(ra.err, rb.err); err != nil {
		return nil, err
	}
	// The rest of b's entries are a's, moved by the difference in length before them.
	j := sort.SearchInts(ia, posA)
	for _, off := range ia[j:] {
		ib = append(ib, off-posA+posB)
	}
	return ib, nil
}

// commonPrefix returns how many bytes a and b begin with in common.
func commonPrefix(a, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	for _, step := range []int{4096, 64} {
		for i+step <= n && bytes.Equal(a[i:i+step], b[i:i+step]) {
			i += step
		}
	}
	for i < n && a[i] == b[i] {
		i++
	}
	return i
}

// commonSuffix returns how many bytes a and b end with in common.
func commonSuffix(a, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	for _, step := range []int{4096, 64} {
		for i+step <= n && bytes.Equal(a[len(a)-i-step:len(a)-i], b[len(b)-i-step:len(b)-i]) {
			i += step
		}
	}
	for i < n && a[len(a)-1-i] == b[len(b)-1-i] {
		i++
	}
	return i
}
