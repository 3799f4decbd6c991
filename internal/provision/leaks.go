package provision

import (
	"github.com/opendata-docket/docket/internal/keys"
	"github.com/opendata-docket/docket/internal/registry"
)

// Leaks finds the registry's keys in text: pull requests, commits, anything public. A key found
// is hashed at once and only its hash is kept; a key that is revoked or expired already is
// harmless and not reported.
type Leaks struct {
	known map[string]bool // hashes of keys that still work (or will, once delivered)
	Found map[string]string
}

// NewLeaks returns a finder for the keys of reg that are not revoked or expired.
func NewLeaks(reg *registry.Registry) *Leaks {
	l := &Leaks{known: map[string]bool{}, Found: map[string]string{}}
	for _, k := range reg.Keys {
		if !k.Status.Final() {
			l.known[k.SHA256] = true
		}
	}
	return l
}

// Any reports whether there is any key to look for.
func (l *Leaks) Any() bool { return len(l.known) > 0 }

// Scan looks for keys in text, found at where (a pull request, say). The first place a key is
// found is the one reported.
func (l *Leaks) Scan(where, text string) {
	for _, m := range keys.Find(text) {
		// Letters run into a key's prefix make the span longer than the key: every prefix it
		// may have is tried.
		for _, k := range keys.Candidates(text[m[0]:m[1]]) {
			sum := keys.Hash(k)
			if _, done := l.Found[sum]; l.known[sum] && !done {
				l.Found[sum] = where
			}
		}
	}
}

// Remember adds leaks found by an earlier run (hash → where) that no run has acted on yet, so a
// leak is never forgotten because the commits it was found in are not searched again.
func (l *Leaks) Remember(found map[string]string) {
	for sum, where := range found {
		if _, done := l.Found[sum]; l.known[sum] && !done {
			l.Found[sum] = where
		}
	}
}

// Unresolved returns the leaks whose key still works in reg: what the next run must act on.
func (l *Leaks) Unresolved(reg *registry.Registry) map[string]string {
	out := map[string]string{}
	for _, k := range reg.Keys {
		if where, ok := l.Found[k.SHA256]; ok && !k.Status.Final() {
			out[k.SHA256] = where
		}
	}
	return out
}
