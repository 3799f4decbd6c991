package history

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"
)

// same compares what a History says (every exported field).
func same(t *testing.T, what string, got, want *History) {
	t.Helper()
	if got.Head != want.Head || !got.HeadTime.Equal(want.HeadTime) || got.Commits != want.Commits || got.Remote != want.Remote {
		t.Errorf("%s: head %s at %s after %d commits, want %s at %s after %d", what, got.Head, got.HeadTime, got.Commits, want.Head, want.HeadTime, want.Commits)
	}
	if !reflect.DeepEqual(got.Events, want.Events) {
		t.Errorf("%s: the events differ from a walk without a cache", what)
	}
}

// TestCacheContinues walks a history through a cache at every commit: each walk starts where
// the last one ended and says exactly what a whole walk says, times included, even when a new
// commit's time bounds the older ones (a clock that was fast) and when it is a merge.
func TestCacheContinues(t *testing.T) {
	tr := newTestRepo(t)
	cache := filepath.Join(t.TempDir(), "history.cache")
	step := func(what string) {
		t.Helper()
		got, notes, err := ReadCached(tr.dir, cache)
		if err != nil {
			t.Fatal(err)
		}
		if len(notes) != 0 {
			t.Errorf("%s: %q", what, notes)
		}
		want, err := Read(tr.dir)
		if err != nil {
			t.Fatal(err)
		}
		same(t, what, got, want)
	}
	tr.commit("a", map[string]string{"requests/a/request.yaml": req})
	step("the first commit, no cache yet")
	first, _ := os.ReadFile(cache)
	tr.commit("acknowledge a", map[string]string{"requests/a/decision.yaml": acknowledged})
	step("one more commit")
	h, _, _ := ReadCached(tr.dir, cache)
	if !h.fromCache {
		t.Error("the cache of the parent commit was not used")
	}
	if b, _ := os.ReadFile(cache); string(b) == string(first) {
		t.Error("the cache was not written for the new commit")
	}
	// A commit dated before the last two: they were merged no later than it.
	tr.when = tr.when.Add(-72 * time.Hour)
	tr.commit("approve a", map[string]string{"requests/a/decision.yaml": approved})
	step("a commit dated before the ones it follows")
	base := tr.head()
	side := tr.commit("b on a side branch", map[string]string{"requests/b/request.yaml": req, "requests/b/decision.yaml": denied})
	tr.commit("merge b", nil, base, side)
	step("a merge")
	tr.commit("appeal b", map[string]string{"requests/b/appeal.yaml": "date: 2026-01-08\ngrounds: please\n"})
	tr.commit("readme", map[string]string{"README": "hi\n"})
	step("two commits")
}

// TestCacheIgnored: a cache that does not fit is said once and the history read in full.
func TestCacheIgnored(t *testing.T) {
	tr := newTestRepo(t)
	lifecycle(tr, "")
	cache := filepath.Join(t.TempDir(), "history.cache")
	if _, _, err := ReadCached(tr.dir, cache); err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(cache)
	want, err := Read(tr.dir)
	if err != nil {
		t.Fatal(err)
	}
	other := newTestRepo(t)
	other.when = other.when.Add(time.Hour)
	lifecycle(other, "")
	foreign := filepath.Join(t.TempDir(), "foreign.cache")
	if _, _, err := ReadCached(other.dir, foreign); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(t.TempDir(), "sub.cache")
	subRepo := newTestRepo(t)
	lifecycle(subRepo, "city/")
	if _, _, err := ReadCached(filepath.Join(subRepo.dir, "city"), sub); err != nil {
		t.Fatal(err)
	}
	for what, content := range map[string]string{
		"another repository":      string(mustRead(t, foreign)),
		"another requests folder": string(mustRead(t, sub)),
		"truncated":               string(good[:len(good)-10]),
		"empty":                   "",
		"an edited event":         strings.Replace(string(good), " approved ", " denied ", 1),
		"another format":          strings.Replace(string(good), "cache 2 ", "cache 1 ", 1),
	} {
		if err := os.WriteFile(cache, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		got, notes, err := ReadCached(tr.dir, cache)
		if err != nil {
			t.Fatal(err)
		}
		same(t, what, got, want)
		if len(notes) != 1 || !strings.Contains(notes[0], "the whole history was read") {
			t.Errorf("%s: notes %q", what, notes)
		}
		if got.fromCache {
			t.Errorf("%s: the cache was used", what)
		}
		if b, _ := os.ReadFile(cache); string(b) != string(good) {
			t.Errorf("%s: the cache was not written again for HEAD", what)
		}
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPacked reads the same history from loose objects and, after git repack, from a pack
// file, where objects are read straight from the pack (deltas applied in docket, see
// gitrepo's packReader): the timelines are the same.
func TestPacked(t *testing.T) {
	gitBin := requireGit(t)
	tr := newTestRepo(t)
	lifecycle(tr, "")
	loose, err := Read(tr.dir)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(gitBin, "repack", "-a", "-d", "-q", "--depth=3", "--window=50")
	cmd.Dir = tr.dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git repack: %v: %s", err, out)
	}
	if left, _ := filepath.Glob(filepath.Join(tr.dir, ".git", "objects", "??", "*")); len(left) != 0 {
		t.Fatalf("%d loose objects left after git repack", len(left))
	}
	packed, err := Read(tr.dir)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "packed", packed, loose)
}

// FuzzDecodeCache: whatever a cache with a right checksum holds, reading it never panics, and
// what reads writes back the same.
func FuzzDecodeCache(f *testing.F) {
	f.Add([]byte("\"requests\" 0123456789012345678901234567890123456789 1\n0123456789012345678901234567890123456789 1767225600\n1\n{\"outcome\":\"approved\"}\n1\n\"a\" 2\n0 submitted \"request.yaml\" 0 0 0\n0 approved \"decision.yaml\" 1 1 0\n"))
	f.Add([]byte("\"requests\" 0123456789012345678901234567890123456789 1\n"))
	f.Fuzz(func(t *testing.T, payload []byte) {
		sum := sha256.Sum256(payload)
		b := append([]byte(cacheMagic+cacheFormat+" "+hex.EncodeToString(sum[:])+"\n"), payload...)
		w, err := decodeCache(b)
		if err != nil {
			return
		}
		h := &History{Head: w.head, Commits: w.commits, Events: w.events, line: w.line, versions: w.versions, prefix: w.prefix}
		again, err := encodeCache(h)
		if err != nil {
			return // a name the walk never gives (a newline in a change)
		}
		w2, err := decodeCache(again)
		if err != nil {
			t.Fatalf("a cache written from one read does not read: %v", err)
		}
		if !reflect.DeepEqual(w2.events, w.events) || !reflect.DeepEqual(w2.line, w.line) {
			t.Fatal("read, written and read again, a cache says something else")
		}
	})
}

// A cache whose counts claim far more than the file holds (with a right checksum, as anyone who
// edits it can make) fails to read without allocating what it claims.
func TestCacheClaimsTooMuch(t *testing.T) {
	pad := strings.Repeat("x", 1<<20)
	for name, payload := range map[string]string{
		"events":   "\"requests\" 0123456789012345678901234567890123456789 1\n0123456789012345678901234567890123456789 1767225600\n0\n1\n\"a\" 1000000\n" + pad + "\n",
		"commits":  "\"requests\" 0123456789012345678901234567890123456789 1000000\n" + pad + "\n",
		"versions": "\"requests\" 0123456789012345678901234567890123456789 1\n0123456789012345678901234567890123456789 1767225600\n1000000\n" + pad + "\n",
	} {
		sum := sha256.Sum256([]byte(payload))
		b := append([]byte(cacheMagic+cacheFormat+" "+hex.EncodeToString(sum[:])+"\n"), payload...)
		var ms0, ms1 runtime.MemStats
		runtime.ReadMemStats(&ms0)
		if _, err := decodeCache(b); err == nil {
			t.Errorf("%s: a cache claiming a million of them read", name)
		}
		runtime.ReadMemStats(&ms1)
		if got := ms1.TotalAlloc - ms0.TotalAlloc; got > 16<<20 {
			t.Errorf("%s: reading a 1 MiB cache allocated %d MB", name, got>>20)
		}
	}
}
