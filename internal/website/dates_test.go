package website

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/gitrepo/gittest"
)

// snapshotOf reads the files of a docket folder into a snapshot to commit.
func snapshotOf(t *testing.T, dir string, paths ...string) gittest.Snapshot {
	t.Helper()
	s := gittest.Snapshot{}
	for _, p := range paths {
		err := filepath.WalkDir(filepath.Join(dir, p), func(f string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(f)
			rel, _ := filepath.Rel(dir, f)
			s[filepath.ToSlash(rel)] = gittest.File{Data: string(b)}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// TestImplausibleCommitDates builds a site from a real repository whose first-parent line has
// commits dated in year 0, before 1970, in 1900, in year 10000 and tens of thousands of years
// ahead, both in the middle of the line and at its head. None of it may panic, move the day the
// site is as of (the last believable commit's), or put a date outside those years anywhere in
// the site, and the chart of submissions stays a few bars.
func TestImplausibleCommitDates(t *testing.T) {
	sane := func(month, day int) time.Time { return time.Date(2026, time.Month(month), day, 15, 0, 0, 0, time.UTC) }
	for _, w := range []time.Time{
		time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Unix(-1, 0),
		time.Unix(-1e11, 0), // about 1200 BC
		time.Date(1900, 6, 1, 0, 0, 0, 0, time.UTC),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Unix(1<<40, 0),
		time.Unix(1<<62, 0),
	} {
		t.Run(strconv.FormatInt(w.Unix(), 10), func(t *testing.T) {
			dir := copyDocket(t, filepath.Join("testdata", "hostile"))
			r, err := gittest.Disk(dir)
			if err != nil {
				t.Fatal(err)
			}
			var parent []plumbing.Hash
			commit := func(s gittest.Snapshot, when time.Time) {
				c, err := gittest.Commit(r, "master", s, when, "change", parent...)
				if err != nil {
					t.Fatal(err)
				}
				parent = []plumbing.Hash{c.Hash}
			}
			config := snapshotOf(t, dir, ".github")
			requests := config.With()
			for p, f := range snapshotOf(t, dir, "requests") {
				if strings.HasSuffix(p, "/request.yaml") {
					requests[p] = f
				}
			}
			all := snapshotOf(t, dir, ".github", "requests")
			commit(config, sane(2, 1))
			commit(requests, w)                                  // the requests arrive in an implausible commit
			commit(requests.With("README", "hi\n"), sane(2, 20)) // the next commit can be believed
			commit(all, sane(4, 5))                              // decisions and enforcement
			commit(all.With("README", "bye\n"), w)               // and HEAD is implausible too

			out := buildSite(t, dir, nil)
			files := readSite(t, out)
			if !strings.Contains(string(files["stats/index.html"]), "Counts are as of 2026-04-05.") {
				t.Errorf("the site is not as of the last believable commit, 2026-04-05:\n%s", regexp.MustCompile(`Counts are as of [^<]*`).Find(files["stats/index.html"]))
			}
			year := regexp.MustCompile(`(-?\d{4,})-\d\d-\d\d`)
			for p, b := range files {
				for _, m := range year.FindAllSubmatch(b, -1) {
					if y, _ := strconv.Atoi(string(m[1])); y < 2026 || y > 2027 {
						t.Errorf("%s shows the date %s", p, m[0])
					}
				}
			}
			bars := strings.Count(string(files["stats/index.html"]), `<rect class="bar"`)
			if bars > 60 {
				t.Errorf("the statistics page draws %d bars", bars)
			}
			// Every request reached the docket; none is dated by an unbelievable commit.
			for _, id := range []string{"xss-api", "xss-dataset"} {
				if !strings.Contains(string(files["requests/"+id+"/index.html"]), `<dt>Submitted</dt><dd><time datetime="2026-02-20">`) {
					t.Errorf("%s: not submitted on 2026-02-20, the first believable day after its commit", id)
				}
			}
		})
	}
}

// A chart of submissions over many years has a bar a year, and over many decades a bar for
// each recent year and one for all before them; never thousands of bars.
func TestSubmittedChartIsBounded(t *testing.T) {
	d := docket.MustDate
	for _, tc := range []struct {
		days       []docket.Date
		bars       int
		key, first string
	}{
		{nil, 0, "Month", ""},
		{[]docket.Date{d("2026-01-05"), d("2026-03-01"), d("2026-03-09")}, 3, "Month", "2026-01"},
		{[]docket.Date{d("2021-04-05"), d("2026-03-01")}, 60, "Month", "2021-04"},
		{[]docket.Date{d("2021-03-05"), d("2026-03-01")}, 6, "Year", "2021"},
		{[]docket.Date{d("0001-01-01"), d("2026-03-01"), d("9999-12-31")}, maxYears + 1, "Year", "before 9960"},
	} {
		c := submittedChart(tc.days)
		total := 0
		for _, b := range c.Bars {
			total += b.Value
		}
		if len(c.Bars) != tc.bars || c.Key != tc.key || total != len(tc.days) || (len(c.Bars) > 0 && c.Bars[0].Label != tc.first) {
			t.Errorf("%v: %d bars by %s from %q counting %d, want %d by %s from %q counting %d", tc.days, len(c.Bars), c.Key, firstLabel(c), total, tc.bars, tc.key, tc.first, len(tc.days))
		}
	}
}

func firstLabel(c *chart) string {
	if len(c.Bars) == 0 {
		return ""
	}
	return fmt.Sprint(c.Bars[0].Label)
}

// A head commit dated in a plausible future (2999) cannot carry the site's "as of" past the
// day of the build, which the command passes as NotAfter.
func TestFutureHeadCommitStopsAtToday(t *testing.T) {
	dir := copyDocket(t, filepath.Join("testdata", "hostile"))
	r, err := gittest.Disk(dir)
	if err != nil {
		t.Fatal(err)
	}
	all := snapshotOf(t, dir, ".github", "requests")
	c, err := gittest.Commit(r, "master", all, time.Date(2026, 4, 5, 15, 0, 0, 0, time.UTC), "requests")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gittest.Commit(r, "master", all.With("README", "hi\n"), time.Date(2999, 1, 1, 0, 0, 0, 0, time.UTC), "from the future", c.Hash); err != nil {
		t.Fatal(err)
	}
	for notAfter, want := range map[string]string{"": "2999-01-01", "2026-11-27": "2026-11-27"} {
		in := &Input{}
		if notAfter != "" {
			in.NotAfter = docket.MustDate(notAfter)
		}
		files := readSite(t, buildSite(t, dir, in))
		if !strings.Contains(string(files["stats/index.html"]), "Counts are as of "+want+".") {
			t.Errorf("NotAfter %q: %s; want as of %s", notAfter, regexp.MustCompile(`Counts are as of [^<]*`).Find(files["stats/index.html"]), want)
		}
	}
}
