package main

import (
	"context"
	"slices"

	"github.com/opendata-docket/docket/internal/gh"
	"github.com/opendata-docket/docket/internal/ledger"
)

// recordSupport counts, for every request in the ledger, the 👍 reactions on the issue or pull
// request where it was asked (ledger.Thread), and keeps them in l.Support, so the site shows
// support without asking GitHub at build time. It reports whether any count changed.
func recordSupport(ctx context.Context, client *gh.Client, l *ledger.Ledger) (bool, error) {
	threads := map[string]int{}
	var numbers []int
	for id := range l.Requests {
		if n := l.Thread(id); n > 0 {
			threads[id] = n
			numbers = append(numbers, n)
		}
	}
	slices.Sort(numbers)
	counts, err := client.SupportCounts(ctx, slices.Compact(numbers))
	if err != nil {
		return false, err
	}
	next := map[string]ledger.Support{}
	for id, n := range threads {
		if c, ok := counts[n]; ok {
			next[id] = ledger.Support{Number: n, Count: c}
		}
	}
	changed := len(next) != len(l.Support)
	for id, s := range next {
		changed = changed || l.Support[id] != s
	}
	if len(next) == 0 {
		next = nil
	}
	l.Support = next
	return changed, nil
}
