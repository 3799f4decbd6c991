package website

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/gitrepo/gittest"
	"github.com/opendata-docket/docket/internal/history"
	"github.com/opendata-docket/docket/internal/repo"
	"github.com/opendata-docket/docket/internal/validate"
)

// copyDocket copies a docket's configuration and requests into a new temporary folder.
func copyDocket(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	for _, part := range []string{".github/docket.yml", "requests"} {
		err := filepath.WalkDir(filepath.Join(src, part), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(src, p)
			if d.IsDir() {
				return os.MkdirAll(filepath.Join(dst, rel), 0o755)
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if err := os.MkdirAll(filepath.Dir(filepath.Join(dst, rel)), 0o755); err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// withHistory turns a copied docket into a git repository whose commits add each file on the
// day it speaks of: a request a week before its first decision, a decision on its date, an
// appeal on its date, an enforcement history on its last action. Commits are made in date
// order, as they would have been merged.
func withHistory(t *testing.T, dir string) {
	t.Helper()
	r := validDocket(t, dir)
	type change struct {
		day  docket.Date
		path string
	}
	var changes []change
	var latest docket.Date
	for _, f := range r.Folders {
		for _, d := range []docket.Date{decisionDay(f.Record), appealDay(f.Record), actionDay(f.Record)} {
			if d.After(latest) {
				latest = d
			}
		}
	}
	for _, f := range r.Folders {
		rec := f.Record
		first := decisionDay(rec)
		if first.IsZero() {
			first = latest.AddDays(-1)
		}
		changes = append(changes, change{first.AddDays(-7), "requests/" + f.ID + "/request.yaml"})
		if d := decisionDay(rec); !d.IsZero() {
			changes = append(changes, change{d, "requests/" + f.ID + "/decision.yaml"})
		}
		if d := appealDay(rec); !d.IsZero() {
			changes = append(changes, change{d, "requests/" + f.ID + "/appeal.yaml"})
		}
		if d := actionDay(rec); !d.IsZero() {
			changes = append(changes, change{d, "requests/" + f.ID + "/enforcement.yaml"})
		}
	}
	slices.SortStableFunc(changes, func(a, b change) int { return a.day.Time().Compare(b.day.Time()) })
	g, err := gittest.Disk(dir)
	if err != nil {
		t.Fatal(err)
	}
	snap := gittest.Snapshot{}
	var parents []plumbing.Hash
	commit := func(msg string, when time.Time, paths ...string) {
		for p, f := range snapshotOf(t, dir, paths...) {
			snap = snap.WithFile(p, f)
		}
		c, err := gittest.Commit(g, "master", snap, when, msg, parents...)
		if err != nil {
			t.Fatal(err)
		}
		parents = []plumbing.Hash{c.Hash}
	}
	commit("configuration", changes[0].day.AddDays(-1).Time().Add(9*time.Hour), ".github/docket.yml")
	for i, c := range changes {
		commit("add "+c.path, c.day.Time().Add(time.Duration(10+i%8)*time.Hour), c.path)
	}
}

func decisionDay(r docket.Record) docket.Date {
	if r.Decision == nil {
		return docket.Date{}
	}
	return r.Decision.Date
}

func appealDay(r docket.Record) docket.Date {
	if r.Appeal == nil {
		return docket.Date{}
	}
	return r.Appeal.Date
}

func actionDay(r docket.Record) docket.Date {
	if r.Enforcement == nil || len(r.Enforcement.Actions) == 0 {
		return docket.Date{}
	}
	return r.Enforcement.Actions[len(r.Enforcement.Actions)-1].Date
}

// buildSite validates and builds the docket in dir into a new folder and returns it.
func buildSite(t testing.TB, dir string, in *Input) string {
	t.Helper()
	return buildSitePaged(t, dir, in, 0)
}

// buildSitePaged is buildSite with lists of pageSize requests a page (0: the default).
func buildSitePaged(t testing.TB, dir string, in *Input, pageSize int) string {
	t.Helper()
	r := validDocket(t, dir)
	if in == nil {
		in = &Input{}
	}
	in.Repo, in.Files = r, os.DirFS(dir)
	if in.History == nil && in.HistoryNote == "" {
		h, err := history.Read(dir)
		if err != nil {
			in.HistoryNote = err.Error()
		} else {
			in.History = h
		}
	}
	b, err := New()
	if err != nil {
		t.Fatal(err)
	}
	b.ListPageSize = pageSize
	out := filepath.Join(t.TempDir(), "site")
	if _, err := b.Build(in, out); err != nil {
		t.Fatal(err)
	}
	return out
}

// validDocket validates the docket in dir, failing the test on any error.
func validDocket(t testing.TB, dir string) *repo.Repository {
	t.Helper()
	v, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	r, findings, err := v.Repository(os.DirFS(dir), validate.Options{Today: docket.MustDate("2026-11-27")})
	if err != nil || docket.HasErrors(findings) {
		t.Fatalf("%s does not validate: %v %v", dir, err, findings)
	}
	return r
}
