package gitrepo

import (
	"bytes"
	"container/list"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/go-git/go-git/v5/storage/filesystem/dotgit"
)

// The history pass reads every version of the requests folder's tree, each a delta on another,
// and go-git's object storage puts every object it reads into its cache under its hash, which
// it computes for that (SHA-1 with collision detection, over every byte of every version): half
// of the pass went there. A packReader reads the repository's pack files with go-git's own
// index and pack scanner and applies the deltas itself (applyDelta), and keeps resolved
// objects by their place in the pack, so nothing is hashed: the hash asked for is the one the
// pack's index gives the object. An object in no pack (loose, or in an alternate repository)
// is read through go-git's storage as before.

// packCacheBytes bounds the resolved objects a packReader keeps: enough for the chain of
// deltas of a 10,000-request folder's tree (each version about 400 KB, chains up to 50 long).
const packCacheBytes = 48 << 20

type packReader struct {
	mu    sync.Mutex
	packs []*pack
	// cache holds resolved objects by pack and offset, least recently used at the back.
	cache map[packPlace]*list.Element
	lru   *list.List
	size  int
}

type pack struct {
	idx *idxfile.MemoryIndex
	f   billy.File
	s   *packfile.Scanner
}

type packPlace struct {
	pack   int
	offset int64
}

type packObject struct {
	place packPlace
	typ   plumbing.ObjectType
	data  []byte
}

// newPackReader opens the pack files of a repository stored on disk; nil when there are none
// or they cannot be listed (everything is then read through go-git's storage).
func newPackReader(st any) *packReader {
	fsst, ok := st.(*filesystem.Storage)
	if !ok {
		return nil
	}
	dg := dotgit.New(fsst.Filesystem())
	hashes, err := dg.ObjectPacks()
	if err != nil || len(hashes) == 0 {
		return nil
	}
	pr := &packReader{cache: map[packPlace]*list.Element{}, lru: list.New()}
	for _, h := range hashes {
		p, err := openPack(dg, h)
		if err != nil {
			continue // read through go-git's storage instead
		}
		pr.packs = append(pr.packs, p)
	}
	if len(pr.packs) == 0 {
		return nil
	}
	return pr
}

func openPack(dg *dotgit.DotGit, h plumbing.Hash) (*pack, error) {
	fi, err := dg.ObjectPackIdx(h)
	if err != nil {
		return nil, err
	}
	defer fi.Close()
	idx := idxfile.NewMemoryIndex()
	if err := idxfile.NewDecoder(fi).Decode(idx); err != nil {
		return nil, err
	}
	f, err := dg.ObjectPack(h)
	if err != nil {
		return nil, err
	}
	return &pack{idx: idx, f: f, s: packfile.NewScanner(f)}, nil
}

func (pr *packReader) close() {
	for _, p := range pr.packs {
		p.f.Close()
	}
	pr.packs = nil
}

// errNotInPacks says an object is in none of the pack files.
var errNotInPacks = errors.New("not in the pack files")

// read returns the kind and content of the object h, failing with errNotInPacks when no pack
// holds it and with ErrTooLarge when it is larger than limit bytes.
func (pr *packReader) read(h plumbing.Hash, limit int64) (plumbing.ObjectType, []byte, error) {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	for i, p := range pr.packs {
		off, err := p.idx.FindOffset(h)
		if err != nil {
			continue
		}
		o, err := pr.at(i, off, limit, 0)
		if err != nil {
			return 0, nil, err
		}
		return o.typ, o.data, nil
	}
	return 0, nil, errNotInPacks
}

// maxChain bounds the deltas followed for one object: git writes chains of at most 50 (4095
// with --depth), and a pack that loops is not a pack git wrote.
const maxChain = 10000

// at resolves the object at offset in pack i.
func (pr *packReader) at(i int, offset, limit int64, depth int) (*packObject, error) {
	place := packPlace{i, offset}
	if e, ok := pr.cache[place]; ok {
		pr.lru.MoveToFront(e)
		o := e.Value.(*packObject)
		if int64(len(o.data)) > limit {
			return nil, fmt.Errorf("object at %d is %d bytes: %w", offset, len(o.data), ErrTooLarge)
		}
		return o, nil
	}
	if depth > maxChain {
		return nil, errors.New("a chain of deltas too long to be real")
	}
	p := pr.packs[i]
	hdr, err := p.s.SeekObjectHeader(offset)
	if err != nil {
		return nil, err
	}
	o := &packObject{place: place}
	switch hdr.Type {
	case plumbing.CommitObject, plumbing.TreeObject, plumbing.BlobObject, plumbing.TagObject:
		if hdr.Length > limit {
			return nil, fmt.Errorf("%s at %d is %d bytes: %w", hdr.Type, offset, hdr.Length, ErrTooLarge)
		}
		buf := bytes.NewBuffer(make([]byte, 0, min(hdr.Length, maxPrealloc)))
		if _, _, err := p.s.NextObject(buf); err != nil {
			return nil, err
		}
		o.typ, o.data = hdr.Type, buf.Bytes()
	case plumbing.OFSDeltaObject, plumbing.REFDeltaObject:
		var delta bytes.Buffer
		if _, _, err := p.s.NextObject(&delta); err != nil {
			return nil, err
		}
		if size := deltaTargetSize(delta.Bytes()); size > limit {
			return nil, fmt.Errorf("object at %d is %d bytes: %w", offset, size, ErrTooLarge)
		}
		var base *packObject
		if hdr.Type == plumbing.OFSDeltaObject {
			base, err = pr.at(i, hdr.OffsetReference, MaxObjectSize, depth+1)
		} else {
			base, err = pr.ref(hdr.Reference, depth+1)
		}
		if err != nil {
			return nil, err
		}
		data, err := applyDelta(base.data, delta.Bytes())
		if err != nil {
			return nil, fmt.Errorf("object at %d: %w", offset, err)
		}
		o.typ, o.data = base.typ, data
	default:
		return nil, fmt.Errorf("object at %d of unknown kind %d", offset, hdr.Type)
	}
	pr.put(o)
	return o, nil
}

// ref resolves the base of a delta named by hash, in any pack.
func (pr *packReader) ref(h plumbing.Hash, depth int) (*packObject, error) {
	for i, p := range pr.packs {
		if off, err := p.idx.FindOffset(h); err == nil {
			return pr.at(i, off, MaxObjectSize, depth)
		}
	}
	return nil, fmt.Errorf("the base %s of a delta: %w", h, errNotInPacks)
}

func (pr *packReader) put(o *packObject) {
	if len(o.data) > packCacheBytes/4 {
		return
	}
	pr.cache[o.place] = pr.lru.PushFront(o)
	pr.size += len(o.data)
	for pr.size > packCacheBytes {
		e := pr.lru.Back()
		old := e.Value.(*packObject)
		pr.lru.Remove(e)
		delete(pr.cache, old.place)
		pr.size -= len(old.data)
	}
}

// MaxObjectSize is the largest git object docket reads where no smaller limit applies (a tree,
// the base of a delta): 1 GiB, far above any tree of a docket, so that a corrupt pack or
// header fails with an error instead of exhausting memory.
const MaxObjectSize = 1 << 30

// maxPrealloc is the most a read allocates ahead on the word of a pack's header or a delta;
// larger objects grow as they are read.
const maxPrealloc = 64 << 20

// errBadDelta says a delta is not one git writes.
var errBadDelta = errors.New("malformed delta")

// applyDelta makes an object from its base and a delta as git writes them: the base's size and
// the object's, then copies from the base and inserted bytes. Unlike go-git's PatchDelta, which
// grows its result as it goes, it allocates the object's size once: the history pass makes
// 25,000 versions of a 400 KB tree this way.
func applyDelta(src, delta []byte) ([]byte, error) {
	srcSize, n := binary.Uvarint(delta)
	if n <= 0 || srcSize != uint64(len(src)) {
		return nil, errBadDelta
	}
	delta = delta[n:]
	size, n := binary.Uvarint(delta)
	if n <= 0 || size > MaxObjectSize {
		return nil, errBadDelta
	}
	delta = delta[n:]
	// One allocation of the object's size, but no more than maxPrealloc on a delta's word:
	// a corrupt delta claiming a huge object fails when its commands run out, not in make.
	out := make([]byte, 0, min(size, maxPrealloc))
	for len(delta) > 0 {
		cmd := delta[0]
		delta = delta[1:]
		switch {
		case cmd&0x80 != 0: // copy from the base
			var off, sz uint64
			for i := range 4 {
				if cmd&(1<<i) != 0 {
					if len(delta) == 0 {
						return nil, errBadDelta
					}
					off |= uint64(delta[0]) << (8 * i)
					delta = delta[1:]
				}
			}
			for i := range 3 {
				if cmd&(0x10<<i) != 0 {
					if len(delta) == 0 {
						return nil, errBadDelta
					}
					sz |= uint64(delta[0]) << (8 * i)
					delta = delta[1:]
				}
			}
			if sz == 0 {
				sz = 0x10000
			}
			if off+sz > uint64(len(src)) || sz > size-uint64(len(out)) {
				return nil, errBadDelta
			}
			out = append(out, src[off:off+sz]...)
		case cmd != 0: // insert the next cmd bytes
			if int(cmd) > len(delta) || uint64(cmd) > size-uint64(len(out)) {
				return nil, errBadDelta
			}
			out = append(out, delta[:cmd]...)
			delta = delta[cmd:]
		default:
			return nil, errBadDelta
		}
	}
	if uint64(len(out)) != size {
		return nil, errBadDelta
	}
	return out, nil
}

// deltaTargetSize reads the size of the object a delta makes (its second varint); -1 when the
// delta is malformed (PatchDelta then says so).
func deltaTargetSize(d []byte) int64 {
	skip := func() bool {
		for len(d) > 0 {
			b := d[0]
			d = d[1:]
			if b&0x80 == 0 {
				return true
			}
		}
		return false
	}
	if !skip() {
		return -1
	}
	var size int64
	for shift := uint(0); len(d) > 0 && shift < 63; shift += 7 {
		b := d[0]
		d = d[1:]
		size |= int64(b&0x7f) << shift
		if b&0x80 == 0 {
			return size
		}
	}
	return -1
}
