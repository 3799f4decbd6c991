package gate

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/registry"
)

// maxKeyLen bounds what is hashed: a docket key is at most 47 bytes (a 10-character prefix, an
// underscore and 36 characters). Anything longer is no key, and is refused without hashing so
// that a client cannot make the gate hash megabytes.
const maxKeyLen = 64

// entry is one registry key as the gate checks it, with everything a decision needs computed
// once per registry, so that checking a key allocates nothing.
type entry struct {
	id      string
	request string
	status  registry.Status
	// end is the first instant the key no longer works: midnight at the start of the day after
	// not_after, in the program's time zone (a key expiring on D works through D).
	end      time.Time
	notAfter string
	scopes   []string
	scopeTxt string // the scopes, comma-separated, for refusals
	limits   docket.Limits
	// policy is the RateLimit-Policy header value for the key's limits.
	policy string
}

// Index is a registry made ready for checking keys: its entries by SHA-256, and the catalog's
// API path prefixes. It is read-only once built, so one Index serves any number of requests
// at once; a new registry makes a new Index.
type Index struct {
	byHash   map[[sha256.Size]byte]*entry
	prefixes []prefix // longest first
	loaded   time.Time
	size     int
}

type prefix struct {
	path    string
	dataset string
}

// NewIndex builds the index of reg for the catalog in cfg. Days (not_after) are read in loc,
// the program's time zone (nil means UTC). The error names a catalog entry whose api_paths
// overlap another's.
func NewIndex(reg *registry.Registry, catalog []docket.CatalogEntry, loc *time.Location) (*Index, error) {
	if loc == nil {
		loc = time.UTC
	}
	ps, err := prefixesOf(catalog)
	if err != nil {
		return nil, err
	}
	ix := &Index{byHash: make(map[[sha256.Size]byte]*entry, len(reg.Keys)), prefixes: ps, size: len(reg.Keys)}
	for _, k := range reg.Keys {
		var sum [sha256.Size]byte
		if _, err := hex.Decode(sum[:], []byte(k.SHA256)); err != nil {
			return nil, fmt.Errorf("%s: %s: sha256 is not hexadecimal", registry.FileName, k.ID)
		}
		d := k.NotAfter.Time()
		ix.byHash[sum] = &entry{
			id:       k.ID,
			request:  k.Request,
			status:   k.Status,
			end:      time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, loc),
			notAfter: k.NotAfter.String(),
			scopes:   k.Scopes,
			scopeTxt: strings.Join(k.Scopes, ", "),
			limits:   k.Limits,
			policy:   policyHeader(k.Limits),
		}
	}
	return ix, nil
}

// Size is the number of keys in the index.
func (ix *Index) Size() int { return ix.size }

// prefixesOf returns the catalog's api_paths, longest first. Two datasets may not share one
// prefix: the gate could not tell which one a call is for.
func prefixesOf(catalog []docket.CatalogEntry) ([]prefix, error) {
	seen := map[string]string{}
	var ps []prefix
	for _, c := range catalog {
		for _, p := range c.APIPaths {
			if !strings.HasPrefix(p, "/") {
				return nil, fmt.Errorf("catalog %s: api_paths: %q must start with /", c.ID, p)
			}
			// Calls are judged by their canonical path (see canonicalPath): so are the
			// prefixes, or /resource/./x would match nothing.
			p = strings.TrimSuffix(path.Clean(p), "/")
			// Paths match whatever their case (see Dataset), so /A and /a are one path.
			if other, ok := seen[strings.ToLower(p)]; ok && other != c.ID {
				return nil, fmt.Errorf("catalog %s: api_paths: %s is also a path of %s", c.ID, p, other)
			}
			seen[strings.ToLower(p)] = c.ID
			ps = append(ps, prefix{path: p, dataset: c.ID})
		}
	}
	sort.SliceStable(ps, func(i, j int) bool { return len(ps[i].path) > len(ps[j].path) })
	return ps, nil
}

// Dataset returns the catalog id whose api_paths prefix the path (the part of a URI before
// any query). A prefix matches whole path segments or a segment's extension: /resource/ab-cd
// matches /resource/ab-cd, /resource/ab-cd.json and /resource/ab-cd/rows, not
// /resource/ab-cde. The longest matching prefix wins. Letters match whatever their case
// (/resource/AB-CD is ab-cd's): an API server that ignores case must not let /resource/AB-CD
// past the gate as a path of no dataset.
func (ix *Index) Dataset(path string) (string, bool) {
	for _, p := range ix.prefixes {
		if len(path) < len(p.path) || !strings.EqualFold(path[:len(p.path)], p.path) {
			continue
		}
		if len(path) == len(p.path) || p.path == "" {
			return p.dataset, true
		}
		switch path[len(p.path)] {
		case '/', '.':
			return p.dataset, true
		}
	}
	return "", false
}

// lookup returns the entry whose hash is the SHA-256 of key. A map lookup by hash does not
// leak which stored hash a guess came close to: finding one from timing would need a preimage.
func (ix *Index) lookup(key string) *entry {
	if len(key) == 0 || len(key) > maxKeyLen {
		return nil
	}
	var buf [maxKeyLen]byte
	n := copy(buf[:], key)
	return ix.byHash[sha256.Sum256(buf[:n])]
}

// policyHeader is the IETF RateLimit-Policy value for limits: one policy per window, quota q
// requests in w seconds (draft-ietf-httpapi-ratelimit-headers).
func policyHeader(l docket.Limits) string {
	var parts []string
	if l.RequestsPerSecond > 0 {
		q, w := perWindow(l.RequestsPerSecond)
		parts = append(parts, `"second";q=`+strconv.FormatInt(q, 10)+";w="+strconv.FormatInt(w, 10))
	}
	if l.RequestsPerDay > 0 {
		parts = append(parts, `"day";q=`+strconv.FormatInt(l.RequestsPerDay, 10)+";w=86400")
	}
	return strings.Join(parts, ", ")
}

// perWindow writes a rate per second as a whole number of requests in a whole number of
// seconds: 2 as 2 in 1, 0.5 as 1 in 2, 2.5 as 5 in 2.
func perWindow(rps float64) (q, w int64) {
	for w := int64(1); w <= 3600; w++ {
		q := rps * float64(w)
		if r := math.Round(q); r >= 1 && math.Abs(q-r) < 1e-9 {
			return int64(r), w
		}
	}
	// No whole number of calls in a whole number of seconds up to an hour: the nearest, so
	// that a client is never told of a quota far from the one enforced (0.0001 a second is
	// one call in 10,000 s, not one a second).
	if rps < 1 {
		return 1, int64(math.Max(1, math.Round(1/rps)))
	}
	return int64(math.Round(rps * 3600)), 3600
}
