package history

import (
	"bytes"

	"github.com/go-git/go-git/v5/plumbing"
	"go.yaml.in/yaml/v3"
)

// entry is one entry of a raw tree object: "<octal mode> <name>\x00<hash>".
type entry struct {
	name string
	dir  bool
	mode []byte
	hash plumbing.Hash
}

// treeIter reads the entries of a raw tree object in order without decoding the whole tree.
// Git keeps entries sorted, so two trees can be compared in one pass.
type treeIter struct {
	b    []byte
	name []byte
	e    entry
}

// next reads the next entry; false at the end or at malformed data.
func (it *treeIter) next() bool {
	sp := bytes.IndexByte(it.b, ' ')
	if sp <= 0 {
		return false
	}
	nul := bytes.IndexByte(it.b[sp+1:], 0)
	if nul < 0 {
		return false
	}
	end := sp + 1 + nul + 1
	if len(it.b) < end+len(plumbing.ZeroHash) {
		return false
	}
	it.e.mode = it.b[:sp]
	it.e.dir = bytes.Equal(it.e.mode, []byte("40000"))
	it.name = it.b[sp+1 : sp+1+nul]
	copy(it.e.hash[:], it.b[end:end+len(plumbing.ZeroHash)])
	it.b = it.b[end+len(plumbing.ZeroHash):]
	return true
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

// diffEntries walks two raw trees side by side and calls fn for every entry that is only in
// one of them (the other is nil) or differs between them. Names are only turned into strings
// for those entries.
func diffEntries(a, b []byte, fn func(na, nb *entry)) {
	ia, ib := &treeIter{b: a}, &treeIter{b: b}
	okA, okB := ia.next(), ib.next()
	for okA || okB {
		var c int
		switch {
		case !okA:
			c = 1
		case !okB:
			c = -1
		default:
			c = compareNames(ia.name, ia.e.dir, ib.name, ib.e.dir)
		}
		switch {
		case c < 0:
			e := ia.e
			e.name = string(ia.name)
			fn(&e, nil)
			okA = ia.next()
		case c > 0:
			e := ib.e
			e.name = string(ib.name)
			fn(nil, &e)
			okB = ib.next()
		default:
			if ia.e.hash != ib.e.hash || !bytes.Equal(ia.e.mode, ib.e.mode) {
				ea, eb := ia.e, ib.e
				ea.name, eb.name = string(ia.name), string(ib.name)
				fn(&ea, &eb)
			}
			okA, okB = ia.next(), ib.next()
		}
	}
}

// find returns the entry called name in a raw tree.
func find(tree []byte, name string) (entry, bool) {
	it := &treeIter{b: tree}
	for it.next() {
		if string(it.name) == name {
			e := it.e
			e.name = name
			return e, true
		}
	}
	return entry{}, false
}

// decisionState is what a timeline needs from a decision file at one commit.
type decisionState struct {
	Outcome string `yaml:"outcome"`
	Review  string `yaml:"review"`
}

// decision reads the outcome of a decision file. A file that cannot be read gives the zero
// state: the change is then shown as an edit. Old commits may hold files that never validated.
func (w *walker) decision(h plumbing.Hash) decisionState {
	var d decisionState
	w.yaml(h, &d)
	return d
}

// actions reads the action names of an enforcement file, oldest first.
func (w *walker) actions(h plumbing.Hash) []string {
	var e struct {
		Actions []struct {
			Action string `yaml:"action"`
		} `yaml:"actions"`
	}
	w.yaml(h, &e)
	out := make([]string, len(e.Actions))
	for i, a := range e.Actions {
		out[i] = a.Action
	}
	return out
}

func (w *walker) yaml(h plumbing.Hash, v any) {
	b, err := w.blob(h)
	if err != nil {
		return
	}
	defer func() {
		// The YAML library is not promised to be panic-free on hostile input, and history
		// holds files no validator ever saw.
		_ = recover()
	}()
	_ = yaml.Unmarshal(b, v)
}
