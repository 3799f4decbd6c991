package website

import (
	"fmt"

	"github.com/opendata-docket/docket/internal/docket"
)

// criteriaChart counts, for each of the program's criteria in its order, the denials that
// found it not met: what refusals turn on, in the program's own terms.
func criteriaChart(es []*Entry, cfg *docket.Config) *chart {
	notMet := map[string]int{}
	denied := 0
	for _, e := range es {
		if e.Record == nil || e.Record.Decision == nil || e.Record.Decision.Outcome != docket.OutcomeDenied {
			continue
		}
		denied++
		for id, c := range e.Record.Decision.Evaluation {
			if c.Verdict == "not-met" {
				notMet[id]++
			}
		}
	}
	var labels []string
	var values []int
	for _, c := range cfg.Criteria() {
		labels, values = append(labels, c.Name), append(values, notMet[c.ID])
	}
	return newChart("criteria", "Denials by criterion not met", fmt.Sprintf("The criteria the program weighs, and how many of the %d denials found each not met (a denial may find more than one).", denied), "Denials", labels, values)
}
