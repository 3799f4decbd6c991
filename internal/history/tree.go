package history

import (
	"github.com/opendata-docket/docket/internal/gitrepo"
	"go.yaml.in/yaml/v3"
)

// entry is one entry of a raw tree object, as gitrepo's tree walker reads it.
type entry struct {
	name string
	dir  bool
	hash gitrepo.Hash
}

func entryOf(e *gitrepo.RawEntry) *entry {
	if e == nil {
		return nil
	}
	return &entry{name: e.Name, dir: e.Dir(), hash: e.Hash}
}

// diffEntries walks two raw trees side by side with gitrepo.DiffRaw and calls fn for every
// entry that is only in one of them (the other is nil) or differs between them. A malformed
// tree ends the walk: old commits may hold anything.
func diffEntries(a, b []byte, fn func(na, nb *entry)) {
	_ = gitrepo.DiffRaw(a, b, func(ea, eb *gitrepo.RawEntry) { fn(entryOf(ea), entryOf(eb)) })
}

// find returns the entry called name in a raw tree.
func find(tree []byte, name string) (entry, bool) {
	e, ok := gitrepo.FindRaw(tree, name)
	if !ok {
		return entry{}, false
	}
	return *entryOf(&e), true
}

// decisionState is what a timeline needs from a decision file at one commit.
type decisionState struct {
	Outcome string `yaml:"outcome"`
	Review  string `yaml:"review"`
}

// decision reads the outcome of a decision file. A file that cannot be read gives the zero
// state: the change is then shown as an edit. Old commits may hold files that never validated.
func (w *walker) decision(h gitrepo.Hash) decisionState {
	var d decisionState
	w.yaml(h, &d)
	return d
}

// actions reads the action names of an enforcement file, oldest first.
func (w *walker) actions(h gitrepo.Hash) []string {
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

func (w *walker) yaml(h gitrepo.Hash, v any) {
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
