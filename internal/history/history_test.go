package history

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/opendata-docket/docket/internal/gitrepo/gittest"
	"github.com/opendata-docket/docket/internal/testtool"
)

// testRepo is a real git repository in a temporary folder, written with gittest: each commit
// is the previous one's files with some written or deleted.
type testRepo struct {
	t    *testing.T
	dir  string
	r    *git.Repository
	snap gittest.Snapshot // the files of the last commit
	tip  plumbing.Hash    // the last commit; zero before the first
	when time.Time
}

func newTestRepo(t *testing.T) *testRepo {
	t.Helper()
	dir := t.TempDir()
	r, err := gittest.Disk(dir)
	if err != nil {
		t.Fatal(err)
	}
	return &testRepo{t: t, dir: dir, r: r, snap: gittest.Snapshot{}, when: time.Date(2026, 1, 5, 15, 0, 0, 0, time.UTC)}
}

// commit writes files (an empty content deletes the file) and commits them on master a day
// after the previous commit, whose child it is unless parents are given (a merge commit has
// several).
func (tr *testRepo) commit(msg string, files map[string]string, parents ...plumbing.Hash) plumbing.Hash {
	tr.t.Helper()
	for name, content := range files {
		if content == "" {
			tr.snap = tr.snap.Without(name)
		} else {
			tr.snap = tr.snap.With(name, content)
		}
	}
	if len(parents) == 0 && !tr.tip.IsZero() {
		parents = []plumbing.Hash{tr.tip}
	}
	tr.when = tr.when.Add(24 * time.Hour)
	c, err := gittest.Commit(tr.r, "master", tr.snap, tr.when, msg, parents...)
	if err != nil {
		tr.t.Fatal(err)
	}
	tr.tip = c.Hash
	return c.Hash
}

func (tr *testRepo) head() plumbing.Hash {
	ref, err := tr.r.Head()
	if err != nil {
		tr.t.Fatal(err)
	}
	return ref.Hash()
}

const (
	req          = "kind: dataset\ntitle: A request\n"
	acknowledged = "outcome: acknowledged\ndecided_by: staff\ndate: 2026-01-01\n"
	approved     = "outcome: approved\ndecided_by: staff\ndate: 2026-01-02\n"
	denied       = "outcome: denied\nreview: initial\ndecided_by: staff\ndate: 2026-01-02\n"
	onAppeal     = "outcome: approved\nreview: appeal\ndecided_by: staff\ndate: 2026-01-09\n"
)

// lifecycle writes a history that exercises every kind of change, including a merge whose
// side branch is not on the first-parent line.
func lifecycle(tr *testRepo, prefix string) {
	p := func(s string) string { return prefix + s }
	tr.commit("two requests", map[string]string{p("requests/a/request.yaml"): req, p("requests/b/request.yaml"): req, "README": "hi\n"})
	tr.commit("readme only", map[string]string{"README": "hello\n"})
	tr.commit("acknowledge a", map[string]string{p("requests/a/decision.yaml"): acknowledged})
	tr.commit("approve a", map[string]string{p("requests/a/decision.yaml"): approved})
	tr.commit("fix a typo", map[string]string{p("requests/a/decision.yaml"): approved + "# typo\n"})
	tr.commit("edit a", map[string]string{p("requests/a/request.yaml"): req + "# more\n"})
	tr.commit("deny b", map[string]string{p("requests/b/decision.yaml"): denied})
	tr.commit("appeal b", map[string]string{p("requests/b/appeal.yaml"): "date: 2026-01-08\ngrounds: please\n"})
	base := tr.head()
	side := tr.commit("decide b on appeal (side branch)", map[string]string{p("requests/b/decision.yaml"): onAppeal})
	tr.commit("merge the appeal decision", nil, base, side)
	tr.commit("warn a", map[string]string{p("requests/a/enforcement.yaml"): "actions:\n  - action: warning\n"})
	tr.commit("suspend and reinstate a", map[string]string{p("requests/a/enforcement.yaml"): "actions:\n  - action: warning\n  - action: suspension\n  - action: reinstatement\n"})
	tr.commit("c arrives with a decision", map[string]string{p("requests/c/request.yaml"): req, p("requests/c/decision.yaml"): "outcome: withdrawn\n"})
	tr.commit("c removed", map[string]string{p("requests/c/request.yaml"): "", p("requests/c/decision.yaml"): ""})
	tr.commit("broken decision in a", map[string]string{p("requests/a/decision.yaml"): "outcome: [\n"})
}

func changes(evs []Event) []string {
	var out []string
	for _, e := range evs {
		s := string(e.Change)
		if e.OnAppeal {
			s += " on appeal"
		}
		out = append(out, s+" "+e.File)
	}
	return out
}

func TestLifecycle(t *testing.T) {
	tr := newTestRepo(t)
	lifecycle(tr, "")
	h, err := Read(tr.dir)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"a": {"submitted request.yaml", "acknowledged decision.yaml", "approved decision.yaml", "edited decision.yaml",
			"edited request.yaml", "warning enforcement.yaml", "suspended enforcement.yaml", "reinstated enforcement.yaml", "edited decision.yaml"},
		"b": {"submitted request.yaml", "denied decision.yaml", "appealed appeal.yaml", "approved on appeal decision.yaml"},
		"c": {"submitted request.yaml", "withdrawn decision.yaml", "removed "},
	}
	for id, w := range want {
		if got := changes(h.Events[id]); !reflect.DeepEqual(got, w) {
			t.Errorf("%s:\n got %q\nwant %q", id, got, w)
		}
	}
	if len(h.Events) != len(want) {
		t.Errorf("events for %d requests, want %d", len(h.Events), len(want))
	}
	if h.Commits != 14 {
		t.Errorf("walked %d commits, want the 14 on the first-parent line", h.Commits)
	}
	if h.Head != tr.head().String() || !h.HeadTime.Equal(tr.when) {
		t.Errorf("head %s at %s, want %s at %s", h.Head, h.HeadTime, tr.head(), tr.when)
	}
	// Times are committer times, and events are in commit order.
	for id, evs := range h.Events {
		for i := 1; i < len(evs); i++ {
			if evs[i].Time.Before(evs[i-1].Time) {
				t.Errorf("%s: event %d is older than the one before", id, i)
			}
		}
	}
}

// TestMatchesGitLog checks each timeline against git itself: the commits that touched a
// request's folder on the first-parent line are exactly `git log --first-parent -- requests/<id>`.
func TestMatchesGitLog(t *testing.T) {
	gitBin := requireGit(t)
	tr := newTestRepo(t)
	lifecycle(tr, "")
	h, err := Read(tr.dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"a", "b", "c"} {
		for _, args := range [][]string{{"--first-parent"}, nil} {
			cmd := exec.Command(gitBin, append(append([]string{"log", "--format=%H %ct"}, args...), "--", "requests/"+id)...)
			cmd.Dir = tr.dir
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("git log: %v", err)
			}
			var want []string
			for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
				want = append([]string{line}, want...) // oldest first
			}
			var got []string
			for _, e := range h.Events[id] {
				s := e.Commit + " " + strconv.FormatInt(e.Time.Unix(), 10)
				if len(got) == 0 || got[len(got)-1] != s {
					got = append(got, s)
				}
			}
			if args == nil && id == "b" {
				// Plain git log shows the side-branch commit instead of the merge that
				// brought it to the default branch; the timeline dates it by the merge.
				if len(got) != len(want) || !reflect.DeepEqual(got[:3], want[:3]) {
					t.Errorf("b against git log:\n got %q\nwant %q", got, want)
				}
				continue
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s against git log %v:\n got %q\nwant %q", id, args, got, want)
			}
		}
	}
}

func requireGit(t *testing.T) string {
	t.Helper()
	return testtool.Need(t, "git", "git")
}

func TestSubfolder(t *testing.T) {
	tr := newTestRepo(t)
	lifecycle(tr, "city/")
	h, err := Read(filepath.Join(tr.dir, "city"))
	if err != nil {
		t.Fatal(err)
	}
	if got := changes(h.Events["b"]); len(got) != 4 {
		t.Errorf("b in a subfolder: %q", got)
	}
	// The repository root has no requests folder of its own.
	h, err = Read(tr.dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Events) != 0 {
		t.Errorf("root: %d timelines, want none", len(h.Events))
	}
}

func TestUnavailable(t *testing.T) {
	var ue *UnavailableError
	_, err := Read(t.TempDir())
	if !errors.As(err, &ue) || !strings.Contains(ue.Reason, "not in a git repository") {
		t.Errorf("no repository: %v", err)
	}

	empty := newTestRepo(t)
	_, err = Read(empty.dir)
	if !errors.As(err, &ue) || !strings.Contains(ue.Reason, "no commits") {
		t.Errorf("no commits: %v", err)
	}

	shallow := newTestRepo(t)
	shallow.commit("one", map[string]string{"requests/a/request.yaml": req})
	shallow.commit("two", map[string]string{"requests/b/request.yaml": req})
	c, err := shallow.r.CommitObject(shallow.head())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(shallow.dir, ".git", "shallow"), []byte(c.ParentHashes[0].String()+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Read(shallow.dir)
	if !errors.As(err, &ue) || !strings.Contains(ue.Reason, "shallow clone") {
		t.Errorf("shallow: %v", err)
	}
}

func TestWebURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://github.com/kcmo/requests.git":     "https://github.com/kcmo/requests",
		"https://token@github.com/kcmo/requests":   "https://github.com/kcmo/requests",
		"git@github.com:kcmo/requests.git":         "https://github.com/kcmo/requests",
		"ssh://git@gitlab.example:22/kcmo/req.git": "https://gitlab.example/kcmo/req",
		"/srv/git/requests":                        "",
		"https://github.com/kcmo":                  "",
		"https://github.com/a/b\"><script>":        "",
		"javascript:alert(1)//github.com/a/b":      "",
	} {
		if got := WebURL(in); got != want {
			t.Errorf("WebURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzTreeIter(f *testing.F) {
	f.Add([]byte("40000 a\x00aaaaaaaaaaaaaaaaaaaa100644 b\x00bbbbbbbbbbbbbbbbbbbb"), []byte("100644 b\x00cccccccccccccccccccc"))
	f.Add([]byte("40000 "), []byte("\x00"))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		diffEntries(a, b, func(na, nb *entry) {
			if na == nil && nb == nil {
				t.Fatal("both nil")
			}
		})
		find(a, "a")
	})
}

// Commit times outside the years git can have been used, or after the commit that follows
// them on the first-parent line, are not believed: each takes the time of the next believable
// commit after it, or at the head of the line the time of the one before. Nothing is dated in
// year 0, before 1970 or in year 10000, and HEAD's time (the day a site is as of) is never one
// of those.
func TestImplausibleCommitTimes(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 1, d, 15, 0, 0, 0, time.UTC) }
	year10000 := time.Date(10000, 3, 1, 0, 0, 0, 0, time.UTC)
	farFuture := time.Unix(1<<40, 0) // year 36812
	for _, tc := range []struct {
		name  string
		times []time.Time // oldest first
		want  []time.Time // believed, oldest first
		head  time.Time
	}{
		{"year 10000 in the middle", []time.Time{day(6), year10000, day(8)}, []time.Time{day(6), day(8), day(8)}, day(8)},
		{"year 10000 at the head", []time.Time{day(6), day(7), year10000}, []time.Time{day(6), day(7), day(7)}, day(7)},
		{"far future at the head", []time.Time{day(6), farFuture, farFuture}, []time.Time{day(6), day(6), day(6)}, day(6)},
		{"year 0 first", []time.Time{time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), day(7)}, []time.Time{day(7), day(7)}, day(7)},
		{"negative", []time.Time{day(6), time.Unix(-1e11, 0), day(9)}, []time.Time{day(6), day(9), day(9)}, day(9)},
		{"far past", []time.Time{day(6), time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), day(9)}, []time.Time{day(6), day(9), day(9)}, day(9)},
		{"after the commit that follows", []time.Time{day(6), time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC), day(8)}, []time.Time{day(6), day(8), day(8)}, day(8)},
		{"none plausible", []time.Time{year10000, time.Unix(-1, 0)}, []time.Time{{}, {}}, time.Time{}},
		{"all plausible", []time.Time{day(6), day(7), day(9)}, []time.Time{day(6), day(7), day(9)}, day(9)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			r, err := gittest.Disk(dir)
			if err != nil {
				t.Fatal(err)
			}
			snap := gittest.Text("README", "hi\n")
			var parents []plumbing.Hash
			for i, when := range tc.times {
				snap = snap.With(fmt.Sprintf("requests/r%d/request.yaml", i), req)
				c, err := gittest.Commit(r, "master", snap, when, fmt.Sprintf("commit %d", i), parents...)
				if err != nil {
					t.Fatal(err)
				}
				parents = []plumbing.Hash{c.Hash}
			}
			h, err := Read(dir)
			if err != nil {
				t.Fatal(err)
			}
			for i, want := range tc.want {
				evs := h.Events[fmt.Sprintf("r%d", i)]
				if len(evs) != 1 || !evs[0].Time.Equal(want) {
					t.Errorf("commit %d dated %s: events %v, want one at %s", i, tc.times[i], evs, want)
				}
			}
			if !h.HeadTime.Equal(tc.head) {
				t.Errorf("HEAD is believed at %s, want %s", h.HeadTime, tc.head)
			}
		})
	}
}

// Every outcome a decision can have is a change of its own, named as the outcome is.
func TestOutcomeChanges(t *testing.T) {
	for o, ch := range outcomeChange {
		if string(ch) != string(o) || !ch.IsDecision() {
			t.Errorf("outcome %s is change %s", o, ch)
		}
	}
	if len(outcomeChange) != 5 {
		t.Errorf("%d outcomes, want acknowledged, needs-info, approved, denied and withdrawn", len(outcomeChange))
	}
}
