package website

import (
	"bufio"
	"encoding/json"

	"github.com/opendata-docket/docket/internal/docket"
)

// SearchIndex is the file that lets the lists' search box find any request when a list is
// longer than one page: a script that sets window.docketIndex. The lists load it only when
// the visitor searches or filters, as a script rather than with fetch, so that it loads from
// a site opened from disk (file:) too.
const SearchIndex = "search-index.js"

// searchIndex writes SearchIndex: the status and kind labels, then one array a request with
// what its row in a list shows, in the lists' order (newest first):
//
//	[id, title, status, kind, requester, submitted, submitted_before, decided,
//	 days_open, days_to_decision, overdue, support(, pr_number, pr_url)]
//
// status and kind index the label lists (kind -1: none); days and support are -1 when not
// known; dates are YYYY-MM-DD or ""; overdue is why the request is overdue or "". The last two
// are there only for a pull request not merged yet.
func (s *builtSite) searchIndex() job {
	return job{path: SearchIndex, render: func(w *bufio.Writer) error {
		statusIdx := map[docket.Status]int{}
		var statuses, kinds [][2]string
		for i, st := range docket.Statuses {
			statusIdx[st] = i
			statuses = append(statuses, [2]string{string(st), statusLabel(st)})
		}
		kindList := []docket.RequestKind{docket.KindDataset, docket.KindAPIAccess}
		for _, k := range kindList {
			kinds = append(kinds, [2]string{string(k), kindLabel(k)})
		}
		head, err := json.Marshal(map[string]any{"statuses": statuses, "kinds": kinds})
		if err != nil {
			return err
		}
		w.WriteString("window.docketIndex = ")
		w.Write(head[:len(head)-1])
		w.WriteString(`,"rows":[`)
		for i, e := range s.entries {
			kind := -1
			for j, k := range kindList {
				if e.Kind == k {
					kind = j
				}
			}
			row := []any{e.ID, e.Title, statusIdx[e.Status], kind, e.Who, date(e.Submitted), "", date(e.Decided),
				e.DaysOpen, e.DaysToDecision, e.Overdue, e.Support}
			if e.Submitted.IsZero() {
				row[6] = date(e.SubmittedBefore)
			}
			if e.PR != nil {
				row = append(row, e.PR.Number, e.PR.URL)
			}
			b, err := json.Marshal(row)
			if err != nil {
				return err
			}
			if i > 0 {
				w.WriteString(",\n")
			}
			w.Write(b)
		}
		_, err = w.WriteString("]};\n")
		return err
	}}
}
