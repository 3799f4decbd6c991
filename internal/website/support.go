package website

import (
	"slices"
	"strconv"
	"strings"

	"github.com/opendata-docket/docket/internal/ledger"
)

// Following and supporting a request. The ledger knows the issue or pull request where each
// request was asked (its thread) and how many 👍 reactions it had when last counted, so pages
// show support and link to the thread without asking GitHub at build time: the same commit,
// ledger and day build the same site.

// threadBase is the web address of the repository the ledger's threads belong to: the build's
// source when it is that repository, else github.com's.
func threadBase(source string, l *ledger.Ledger) string {
	if l == nil || l.Repository == "" {
		return ""
	}
	if strings.HasSuffix(strings.TrimSuffix(source, "/"), "/"+l.Repository) {
		return strings.TrimSuffix(source, "/")
	}
	return "https://github.com/" + l.Repository
}

// support sets e.Thread and e.Support from the ledger: the issue or pull request where the
// request was asked, and its 👍 count (-1 when not counted).
func support(e *Entry, l *ledger.Ledger, base string) {
	e.Support = -1
	if l == nil || base == "" || e.Record == nil {
		return
	}
	first := l.Requests[e.ID]
	if len(first) == 0 {
		return
	}
	if n := first[0].Issue; n != 0 {
		e.Thread = base + "/issues/" + strconv.Itoa(n)
	} else {
		e.Thread = base + "/pull/" + strconv.Itoa(first[0].Number)
	}
	if s, ok := l.Support[e.ID]; ok && s.Number == l.Thread(e.ID) {
		e.Support = s.Count
	}
}

// mostSupported lists the open requests with any support, most supported first; requests
// tied with the last one shown are shown too, so a tie is never cut by name.
func mostSupported(es []*Entry, n int) []*Entry {
	var out []*Entry
	for _, e := range es {
		if e.Open && e.Support > 0 && e.PR == nil {
			out = append(out, e)
		}
	}
	sortBySupport(out)
	if len(out) > n {
		cut := n
		for cut < len(out) && out[cut].Support == out[n-1].Support {
			cut++
		}
		out = out[:cut]
	}
	return out
}

func sortBySupport(es []*Entry) {
	slices.SortStableFunc(es, func(a, b *Entry) int {
		if a.Support != b.Support {
			return b.Support - a.Support
		}
		// Ties as the lists order them: newest first.
		if c := b.sortKey.Time().Compare(a.sortKey.Time()); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}
