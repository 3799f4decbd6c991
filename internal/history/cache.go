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
	"strconv"
	"strings"
	"time"

	"github.com/opendata-docket/docket/internal/docket"
)

// The history cache keeps a walk of the first-parent line for its head commit, so that the next
// build walks only the commits after it (docket build --history-cache FILE). A cache that does
// not read, whose checksum does not match, that is for another requests folder or another
// format, or whose head is not on HEAD's first-parent line is ignored and the whole line is
// walked. What a well-formed cache says of the commits up to its head is believed: the checksum
// finds damage, not an edit whose author wrote the checksum again, so the cache is trusted input
// (publish.yml keeps it where only the default branch's runs write it, and rebuilds it daily).
//
// The file is one line "docket history cache <format> <sha256 of the rest>" and then lines of
// words: the requests folder and the head; the line of commits, newest first, each with the
// time it claims (the believed times are worked out again over the whole line at every build,
// since a later commit can bound an earlier one's); the JSON each kept decision or appeal was
// decoded from; and each request's events, without their times, naming their commit by its
// place in the line. Names are quoted as Go quotes strings. It is not JSON: reading 25,000
// commits' worth of JSON took longer than walking the one new commit.
//
//	docket history cache 2 <sha256>
//	"requests" <head> <commits>
//	<hash> <unix seconds>                      (one per commit)
//	<versions>
//	<JSON>                                     (one per version)
//	<requests>
//	"<id>" <events>
//	<commit> <change> "<file>" <on appeal 0|1> <decision> <appeal>   (one per event; 0 for none)

// cacheFormat names the layout and the meaning of a cache. Raise it whenever what the walk
// makes of a commit changes (a new kind of change, a file classified differently), so that
// caches written by an older docket are recomputed.
const cacheFormat = "2"

const cacheMagic = "docket history cache "

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
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s %d\n", strconv.Quote(h.prefix), h.Head, h.Commits)
	place := make(map[string]int, len(h.line))
	for i, s := range h.line {
		place[s.hash] = i
		b.WriteString(s.hash)
		b.WriteByte(' ')
		b.WriteString(strconv.FormatInt(s.when.Unix(), 10))
		b.WriteByte('\n')
	}
	ids := make([]string, 0, len(h.Events))
	for id := range h.Events {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	// Versions are numbered in the order of the sorted ids, so a walk always writes the same bytes.
	index := map[any]int{}
	var versions [][]byte
	version := func(p any) (int, error) {
		if i, ok := index[p]; ok {
			return i, nil
		}
		j, ok := h.versions[p]
		if !ok || bytes.IndexByte(j, '\n') >= 0 {
			return 0, errors.New("a decision or appeal has no source")
		}
		versions = append(versions, j)
		index[p] = len(versions)
		return len(versions), nil
	}
	var events bytes.Buffer
	fmt.Fprintf(&events, "%d\n", len(ids))
	for _, id := range ids {
		evs := h.Events[id]
		fmt.Fprintf(&events, "%s %d\n", strconv.Quote(id), len(evs))
		for _, e := range evs {
			at, ok := place[e.Commit]
			if !ok || strings.ContainsAny(string(e.Change), " \n") {
				return nil, fmt.Errorf("an event of %s is not on the line", id)
			}
			var d, a int
			var err error
			if e.Decision != nil {
				if d, err = version(e.Decision); err != nil {
					return nil, err
				}
			}
			if e.Appeal != nil {
				if a, err = version(e.Appeal); err != nil {
					return nil, err
				}
			}
			onAppeal := 0
			if e.OnAppeal {
				onAppeal = 1
			}
			fmt.Fprintf(&events, "%d %s %s %d %d %d\n", at, e.Change, strconv.Quote(e.File), onAppeal, d, a)
		}
	}
	fmt.Fprintf(&b, "%d\n", len(versions))
	for _, v := range versions {
		b.Write(v)
		b.WriteByte('\n')
	}
	b.Write(events.Bytes())
	payload := b.Bytes()
	sum := sha256.Sum256(payload)
	out := make([]byte, 0, len(payload)+100)
	out = append(out, cacheMagic+cacheFormat+" "+hex.EncodeToString(sum[:])+"\n"...)
	return append(out, payload...), nil
}

// cacheReader reads a cache's lines of words.
type cacheReader struct {
	rest []byte
	err  error
}

// line returns the next line; nil, with err set, when there is none.
func (r *cacheReader) line() []byte {
	if r.err != nil {
		return nil
	}
	l, rest, ok := bytes.Cut(r.rest, []byte("\n"))
	if !ok {
		r.err = errors.New("it ends too soon")
		return nil
	}
	r.rest = rest
	return l
}

// quoted reads a quoted name at the start of l and the words after it.
func (r *cacheReader) quoted(l []byte) (string, []string) {
	q, err := strconv.QuotedPrefix(string(l))
	if err != nil {
		r.fail("a name is not quoted")
		return "", nil
	}
	name, _ := strconv.Unquote(q)
	return name, strings.Fields(string(l[len(q):]))
}

// linesLeft is n, or the number of lines left to read when fewer: a count the file claims is
// allocated for only as far as the file can hold it.
func (r *cacheReader) linesLeft(n int) int {
	return min(n, bytes.Count(r.rest, []byte("\n"))+1)
}

func (r *cacheReader) fail(msg string) {
	if r.err == nil {
		r.err = errors.New(msg)
	}
}

// number reads a count or an index in [0, max].
func (r *cacheReader) number(s string, max int) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > max {
		r.fail("a number is out of range")
		return 0
	}
	return n
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
	r := &cacheReader{rest: payload}
	prefix, head := r.quoted(r.line())
	if r.err != nil || len(head) != 2 || !isHash(head[0]) {
		return nil, errors.New("its first line does not read")
	}
	w := &walked{prefix: prefix, head: head[0], events: map[string][]Event{}, versions: map[any][]byte{}}
	w.commits = r.number(head[1], len(payload))
	if w.commits == 0 {
		r.fail("it holds no commit")
	}
	w.line = make([]stamp, 0, r.linesLeft(w.commits))
	for range w.commits {
		hash, unix, _ := bytes.Cut(r.line(), []byte(" "))
		t, err := strconv.ParseInt(string(unix), 10, 64)
		if r.err != nil || err != nil || !isHash(string(hash)) {
			r.fail("a commit of the line does not read")
			break
		}
		w.line = append(w.line, stamp{string(hash), time.Unix(t, 0)})
	}
	if r.err == nil && w.line[0].hash != w.head {
		r.fail("its head is not the first commit of its line")
	}
	nv := r.number(string(r.line()), len(payload))
	versions := make([][]byte, 0, r.linesLeft(nv))
	for range nv {
		if l := r.line(); r.err == nil {
			versions = append(versions, l)
		}
	}
	nv = len(versions) // one line each: a count the file cannot back is not allocated
	decisions := make([]*docket.Decision, nv)
	appeals := make([]*docket.Appeal, nv)
	ids := r.number(string(r.line()), len(payload))
	for range ids {
		if r.err != nil {
			break
		}
		id, words := r.quoted(r.line())
		if len(words) != 1 {
			r.fail("a request's line does not read")
			break
		}
		n := r.number(words[0], len(payload))
		evs := make([]Event, 0, min(n, 64)) // n is the file's word: grow as events are read
		for range n {
			l := r.line()
			if r.err != nil {
				break
			}
			at, change, rest, _ := cutTwo(l)
			file, words := r.quoted(rest)
			if len(words) != 3 {
				r.fail("an event does not read")
				break
			}
			e := Event{Commit: w.line[r.number(at, len(w.line)-1)].hash, Change: Change(change), File: file,
				OnAppeal: r.number(words[0], 1) == 1}
			if d := r.number(words[1], nv); d > 0 && r.err == nil {
				if decisions[d-1] == nil {
					var v docket.Decision
					if err := json.Unmarshal(versions[d-1], &v); err != nil {
						return nil, fmt.Errorf("a decision does not read: %v", err)
					}
					decisions[d-1] = &v
					w.versions[&v] = versions[d-1]
				}
				e.Decision = decisions[d-1]
			}
			if a := r.number(words[2], nv); a > 0 && r.err == nil {
				if appeals[a-1] == nil {
					var v docket.Appeal
					if err := json.Unmarshal(versions[a-1], &v); err != nil {
						return nil, fmt.Errorf("an appeal does not read: %v", err)
					}
					appeals[a-1] = &v
					w.versions[&v] = versions[a-1]
				}
				e.Appeal = appeals[a-1]
			}
			evs = append(evs, e)
		}
		w.events[id] = evs
	}
	if r.err == nil && len(r.rest) != 0 {
		r.fail("it goes on after its last request")
	}
	if r.err != nil {
		return nil, r.err
	}
	return w, nil
}

// cutTwo splits the first two words off a line.
func cutTwo(l []byte) (first, second string, rest []byte, ok bool) {
	a, rest, ok1 := bytes.Cut(l, []byte(" "))
	b, rest, ok2 := bytes.Cut(rest, []byte(" "))
	return string(a), string(b), rest, ok1 && ok2
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
	if err == nil {
		err = f.Chmod(0o644) // as a file written with os.WriteFile; CreateTemp makes it private
	}
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
