package history

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/opendata-docket/docket/internal/docket"
)

// The history cache keeps a walk of the first-parent line for its head commit, so that the next
// build walks only the commits after it (docket build --history-cache FILE). It is derived data:
// a cache that does not read, whose checksum does not match, that is for another requests
// folder or another format, or whose head is not on HEAD's first-parent line is ignored and the
// whole line is walked, so a bad cache changes how fast a site is made, never what it says.
//
// The file is one line "docket history cache <format> <sha256 of the rest>" and then JSON: the
// head, the line (each commit with the time it claims, newest first: the believed times are
// worked out again over the whole line at every build, since a later commit can bound an
// earlier one's), the events without their times, and the JSON each kept decision or appeal
// version was decoded from.

// cacheFormat names the layout and the meaning of a cache. Raise it whenever what the walk
// makes of a commit changes (a new kind of change, a file classified differently), so that
// caches written by an older docket are recomputed.
const cacheFormat = "1"

const cacheMagic = "docket history cache "

type cacheData struct {
	Prefix   string                   `json:"prefix"`
	Head     string                   `json:"head"`
	Commits  int                      `json:"commits"`
	Line     []cachedStamp            `json:"line"`
	Events   map[string][]cachedEvent `json:"events"`
	Versions []json.RawMessage        `json:"versions"`
}

// cachedStamp is a stamp: a commit and the committer time it claims, in Unix seconds.
type cachedStamp struct {
	Hash string `json:"h"`
	Unix int64  `json:"t"`
}

type cachedEvent struct {
	Commit   string `json:"c"`
	Change   Change `json:"e"`
	File     string `json:"f,omitempty"`
	OnAppeal bool   `json:"a,omitempty"`
	Decision int    `json:"d,omitempty"` // 1 + the index in Versions; 0 for none
	Appeal   int    `json:"p,omitempty"`
}

// walked is a walk read back from a cache.
type walked struct {
	prefix   string // the requests folder's path in the repository
	head     string
	commits  int
	line     []stamp
	events   map[string][]Event // oldest first, without times
	versions map[any][]byte
}

// ReadCached is Read with a cache of an earlier walk in the file cache ("" for none): it walks
// only the commits after the cache's head, and then writes the cache for HEAD (atomically, and
// only when it changed). notes say, in plain words, why a cache was not used or not written;
// neither stops the build. The History is the same as Read's, whatever the file holds.
func ReadCached(dir, cache string) (h *History, notes []string, err error) {
	if cache == "" {
		h, err = Read(dir)
		return h, nil, err
	}
	old, readErr := os.ReadFile(cache)
	var from *walked
	switch {
	case errors.Is(readErr, fs.ErrNotExist):
		// The first build with a cache.
	case readErr != nil:
		notes = append(notes, fmt.Sprintf("the history cache %s could not be read (%v); the whole history was read", cache, readErr))
	default:
		if from, err = decodeCache(old); err != nil {
			notes = append(notes, fmt.Sprintf("the history cache %s is not usable (%v); the whole history was read", cache, err))
			from = nil
		}
	}
	h, err = read(dir, func(prefix string) *walked {
		if from != nil && from.prefix == prefix {
			return from
		}
		if from != nil {
			notes = append(notes, fmt.Sprintf("the history cache %s is for another requests folder; the whole history was read", cache))
		}
		return nil
	})
	if err != nil {
		return nil, notes, err
	}
	if from != nil && !h.fromCache && h.prefix == from.prefix {
		notes = append(notes, fmt.Sprintf("the history cache %s is for commit %s, which is not on the first-parent line of HEAD (rewritten history, or another repository); the whole history was read", cache, shortHash(from.head)))
	}
	data, err := encodeCache(h)
	if err != nil {
		return h, append(notes, fmt.Sprintf("the history cache %s was not written: %v", cache, err)), nil
	}
	if readErr == nil && bytes.Equal(data, old) {
		return h, notes, nil
	}
	if err := writeAtomic(cache, data); err != nil {
		notes = append(notes, fmt.Sprintf("the history cache %s was not written: %v", cache, err))
	}
	return h, notes, nil
}

func shortHash(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}

// encodeCache writes the cache of a walk.
func encodeCache(h *History) ([]byte, error) {
	d := cacheData{Prefix: h.prefix, Head: h.Head, Commits: h.Commits, Events: map[string][]cachedEvent{}}
	for _, s := range h.line {
		d.Line = append(d.Line, cachedStamp{s.hash, s.when.Unix()})
	}
	index := map[any]int{}
	version := func(p any) int {
		if i, ok := index[p]; ok {
			return i
		}
		j, ok := h.versions[p]
		if !ok {
			return -1
		}
		d.Versions = append(d.Versions, j)
		index[p] = len(d.Versions)
		return len(d.Versions)
	}
	for id, evs := range h.Events {
		out := make([]cachedEvent, len(evs))
		for i, e := range evs {
			out[i] = cachedEvent{Commit: e.Commit, Change: e.Change, File: e.File, OnAppeal: e.OnAppeal}
			if e.Decision != nil {
				if out[i].Decision = version(e.Decision); out[i].Decision < 0 {
					return nil, fmt.Errorf("the decision of %s in commit %s has no source", id, shortHash(e.Commit))
				}
			}
			if e.Appeal != nil {
				if out[i].Appeal = version(e.Appeal); out[i].Appeal < 0 {
					return nil, fmt.Errorf("the appeal of %s in commit %s has no source", id, shortHash(e.Commit))
				}
			}
		}
		d.Events[id] = out
	}
	// Versions are numbered in the order events are met, and map order is random: number them
	// again in the order of the sorted ids, so the same walk always writes the same bytes.
	payload, err := json.Marshal(renumber(d))
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(payload)
	var b bytes.Buffer
	b.WriteString(cacheMagic + cacheFormat + " " + hex.EncodeToString(sum[:]) + "\n")
	b.Write(payload)
	return b.Bytes(), nil
}

// renumber gives the versions of d numbers in the order of the sorted ids.
func renumber(d cacheData) cacheData {
	ids := make([]string, 0, len(d.Events))
	for id := range d.Events {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var versions []json.RawMessage
	seen := map[int]int{}
	re := func(n int) int {
		if n == 0 {
			return 0
		}
		if m, ok := seen[n]; ok {
			return m
		}
		versions = append(versions, d.Versions[n-1])
		seen[n] = len(versions)
		return len(versions)
	}
	for _, id := range ids {
		for i := range d.Events[id] {
			e := &d.Events[id][i]
			e.Decision, e.Appeal = re(e.Decision), re(e.Appeal)
		}
	}
	d.Versions = versions
	return d
}

// decodeCache reads a cache, checking its format, its checksum and that what it holds is
// whole; the error says in plain words what is wrong.
func decodeCache(b []byte) (*walked, error) {
	first, payload, ok := bytes.Cut(b, []byte("\n"))
	if !ok || !bytes.HasPrefix(first, []byte(cacheMagic)) {
		return nil, errors.New("docket did not write it")
	}
	format, sum, _ := strings.Cut(string(first[len(cacheMagic):]), " ")
	if format != cacheFormat {
		return nil, fmt.Errorf("it was written by another version of docket (format %q, this one reads %q)", format, cacheFormat)
	}
	got := sha256.Sum256(payload)
	if hex.EncodeToString(got[:]) != sum {
		return nil, errors.New("its checksum does not match: it is truncated or was edited")
	}
	var d cacheData
	if err := json.Unmarshal(payload, &d); err != nil {
		return nil, fmt.Errorf("it does not read: %v", err)
	}
	if !isHash(d.Head) || len(d.Line) == 0 || d.Line[0].Hash != d.Head || d.Commits != len(d.Line) {
		return nil, errors.New("its head and its line of commits do not agree")
	}
	w := &walked{prefix: d.Prefix, head: d.Head, commits: d.Commits, events: map[string][]Event{}, versions: map[any][]byte{}}
	onLine := make(map[string]bool, len(d.Line))
	for _, s := range d.Line {
		if !isHash(s.Hash) {
			return nil, fmt.Errorf("%q is not a commit", s.Hash)
		}
		onLine[s.Hash] = true
		w.line = append(w.line, stamp{s.Hash, time.Unix(s.Unix, 0)})
	}
	decisions := make([]*docket.Decision, len(d.Versions))
	appeals := make([]*docket.Appeal, len(d.Versions))
	for id, evs := range d.Events {
		out := make([]Event, len(evs))
		for i, e := range evs {
			if !onLine[e.Commit] {
				return nil, fmt.Errorf("an event of %s is in commit %q, which is not on its line", id, e.Commit)
			}
			out[i] = Event{Commit: e.Commit, Change: e.Change, File: e.File, OnAppeal: e.OnAppeal}
			if e.Decision != 0 {
				if e.Decision < 0 || e.Decision > len(d.Versions) {
					return nil, errors.New("an event names a version it does not hold")
				}
				if decisions[e.Decision-1] == nil {
					var v docket.Decision
					if err := json.Unmarshal(d.Versions[e.Decision-1], &v); err != nil {
						return nil, fmt.Errorf("a decision does not read: %v", err)
					}
					decisions[e.Decision-1] = &v
					w.versions[&v] = d.Versions[e.Decision-1]
				}
				out[i].Decision = decisions[e.Decision-1]
			}
			if e.Appeal != 0 {
				if e.Appeal < 0 || e.Appeal > len(d.Versions) {
					return nil, errors.New("an event names a version it does not hold")
				}
				if appeals[e.Appeal-1] == nil {
					var v docket.Appeal
					if err := json.Unmarshal(d.Versions[e.Appeal-1], &v); err != nil {
						return nil, fmt.Errorf("an appeal does not read: %v", err)
					}
					appeals[e.Appeal-1] = &v
					w.versions[&v] = d.Versions[e.Appeal-1]
				}
				out[i].Appeal = appeals[e.Appeal-1]
			}
		}
		w.events[id] = out
	}
	return w, nil
}

func isHash(s string) bool {
	if len(s) != 40 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil && strings.ToLower(s) == s
}

// writeAtomic writes data to name through a temporary file in the same folder and a rename,
// so that a build stopped halfway leaves the old cache or the new one, never a part.
func writeAtomic(name string, data []byte) error {
	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(name)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, name)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}
