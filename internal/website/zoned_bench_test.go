package website

import (
	"fmt"
	"testing"
	"time"

	"github.com/opendata-docket/docket/internal/history"
	"github.com/opendata-docket/docket/internal/ledger"
)

// BenchmarkZoned puts the history of 10,000 requests (4 changes each, every one carried by a
// pull request in the ledger) in the program's time zone, with the merge times from the ledger:
// what every build does once before the model is made.
//
//	go test -run XXX -bench Zoned ./internal/website
func BenchmarkZoned(b *testing.B) {
	loc, err := time.LoadLocation("America/Chicago")
	if err != nil {
		b.Fatal(err)
	}
	h := &history.History{Events: map[string][]history.Event{}, HeadTime: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)}
	l := ledger.New("kcmo/requests")
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 10000 {
		id := fmt.Sprintf("request-%05d", i)
		for j := range 4 {
			sha := fmt.Sprintf("%040x", i*4+j)
			at = at.Add(time.Minute)
			h.Events[id] = append(h.Events[id], history.Event{Commit: sha, Time: at, Change: history.Edited})
			l.Add(id, ledger.PullRequest{Number: i*4 + j + 1, Author: "maria", OpenedAt: at.Add(-time.Hour), MergedAt: at}, sha)
		}
	}
	b.ResetTimer()
	for range b.N {
		if z := zoned(h, l, loc); len(z.Events) != 10000 {
			b.Fatal("events lost")
		}
	}
}
