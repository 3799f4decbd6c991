package website

import (
	"testing"
	"time"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/history"
	"github.com/opendata-docket/docket/internal/ledger"
)

// The clock starts when the pull request that added the request was opened, a day in the
// program's time zone; a ledger entry that cannot be right (opened after it was merged) or is
// missing leaves the commit's day, and says so in SubmittedFrom.
func TestSubmittedIsWhenThePullRequestWasOpened(t *testing.T) {
	loc, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	const sha = "9f2b5c0e3d0c4e7a1b6f8d2c5a9e3b7d1f4c8a2e"
	merged := time.Date(2026, 11, 29, 16, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name   string
		opened time.Time // zero: no ledger entry
		want   string
		from   SubmittedFrom
	}{
		{"opened two days before", time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC), "2026-11-27", FromPullRequest},
		// 02:30 UTC on the 27th is 20:30 on the 26th in Kansas City.
		{"opened in the evening", time.Date(2026, 11, 27, 2, 30, 0, 0, time.UTC), "2026-11-26", FromPullRequest},
		{"opened after its merge", time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC), "2026-11-29", FromCommit},
		{"no ledger entry", time.Time{}, "2026-11-29", FromCommit},
	} {
		l := ledger.New("kcmo/requests")
		if !c.opened.IsZero() {
			l.Add("bus-feed", ledger.PullRequest{Number: 5, Author: "maria", OpenedAt: c.opened, MergedAt: merged}, sha)
		}
		h := zoned(&history.History{Events: map[string][]history.Event{"bus-feed": {{Commit: sha, Time: merged, Change: history.Submitted, File: "request.yaml"}}}}, l, loc)
		e := &Entry{ID: "bus-feed", Record: &docket.Record{Request: &docket.Request{}}, Events: h.Events["bus-feed"]}
		milestones(e, l, loc)
		if e.Submitted.String() != c.want || e.SubmittedFrom != c.from {
			t.Errorf("%s: submitted %s from %q, want %s from %q", c.name, e.Submitted, e.SubmittedFrom, c.want, c.from)
		}
	}
}
