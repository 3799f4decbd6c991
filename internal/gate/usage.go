package gate

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"
)

// Usage counts, per program day and key id, the calls the gate refused or held to a limit, so
// that staff have evidence when they record a warning. Each day is one file in a folder,
// <dir>/usage-YYYY-MM-DD.json, rewritten whole (temporary file and rename) by Flush. One gate
// instance per folder: two instances writing one folder would overwrite each other's counts.
type Usage struct {
	dir string
	loc *time.Location
	mu  sync.Mutex
	day string
	// keys maps a key id to its counts by reason.
	keys  map[string]map[Reason]int64
	dirty bool
}

// UsageFile is one day's summary as written.
type UsageFile struct {
	Day  string              `json:"day"`
	Keys map[string]UsageKey `json:"keys"`
}

// UsageKey is one key id's counts for the day: OverLimit are 429 answers, Refused 403 answers,
// and Reasons both by reason.
type UsageKey struct {
	OverLimit int64            `json:"over_limit"`
	Refused   int64            `json:"refused"`
	Reasons   map[Reason]int64 `json:"reasons"`
}

// NewUsage returns a usage summary kept in dir, with days in loc (nil: UTC). The folder is
// made if missing.
func NewUsage(dir string, loc *time.Location) (*Usage, error) {
	if loc == nil {
		loc = time.UTC
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("usage folder: %w", err)
	}
	return &Usage{dir: dir, loc: loc, keys: map[string]map[Reason]int64{}}, nil
}

// Path is the file of day (YYYY-MM-DD).
func (u *Usage) Path(day string) string { return filepath.Join(u.dir, "usage-"+day+".json") }

// Count adds one event of reason for keyID at t. A new day flushes the old one first; the
// counts of a day already on disk (a restart) are read and added to.
func (u *Usage) Count(t time.Time, keyID string, reason Reason) {
	day := t.In(u.loc).Format("2006-01-02")
	u.mu.Lock()
	defer u.mu.Unlock()
	if day != u.day {
		if u.day != "" && u.dirty {
			_ = u.flushLocked()
		}
		u.day, u.keys, u.dirty = day, map[string]map[Reason]int64{}, false
		u.readLocked()
	}
	m := u.keys[keyID]
	if m == nil {
		m = map[Reason]int64{}
		u.keys[keyID] = m
	}
	m[reason]++
	u.dirty = true
}

func (u *Usage) readLocked() {
	data, err := os.ReadFile(u.Path(u.day))
	if err != nil {
		return
	}
	var f UsageFile
	if json.Unmarshal(data, &f) != nil || f.Day != u.day {
		return
	}
	for id, k := range f.Keys {
		m := map[Reason]int64{}
		for r, n := range k.Reasons {
			m[r] = n
		}
		u.keys[id] = m
	}
}

// Flush writes the current day's file if anything changed since the last Flush.
func (u *Usage) Flush() error {
	u.mu.Lock()
	defer u.mu.Unlock()
	if !u.dirty || u.day == "" {
		return nil
	}
	return u.flushLocked()
}

func (u *Usage) flushLocked() error {
	f := UsageFile{Day: u.day, Keys: map[string]UsageKey{}}
	ids := make([]string, 0, len(u.keys))
	for id := range u.keys {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		k := UsageKey{Reasons: map[Reason]int64{}}
		for r, n := range u.keys[id] {
			k.Reasons[r] = n
			if r == ReasonOverSecond || r == ReasonOverDay {
				k.OverLimit += n
			} else {
				k.Refused += n
			}
		}
		f.Keys[id] = k
	}
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	if err := writeAtomic(u.Path(u.day), append(data, '\n')); err != nil {
		return fmt.Errorf("writing the usage summary: %w", err)
	}
	u.dirty = false
	return nil
}

// writeAtomic writes data to path through a temporary file in the same folder and a rename, so
// a reader sees the old file or the new one, never half of one.
func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".usage-*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil && !errors.Is(err, fs.ErrNotExist) {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}
