package website

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/opendata-docket/docket/internal/docket"
)

// stats is the data of stats.html. Every chart comes with the same numbers as a table. There
// are deliberately no rankings of requesters.
type stats struct {
	Total        int
	Open         int
	Overdue      int
	Targets      docket.ServiceTargets
	Timing       []timing
	ApprovalRate string // "" when nothing was decided
	Approved     int
	Denied       int
	Charts       []*chart
	// MostSupported are the open requests with the most 👍 on GitHub (ties with the last
	// shown are shown too); nil without a ledger that counts support.
	MostSupported []*Entry

	byStatus map[docket.Status]int
	byKind   map[docket.RequestKind]int
	overdue  int
}

// timing summarises days between two milestones against a target.
type timing struct {
	Name         string
	N            int
	Median, P90  string
	Target       int
	WithinTarget string // share of requests within the target, "" when no target
	Method       string // how it is computed, in a sentence
}

// chart is a horizontal bar chart, drawn at build time: each bar is a row of HTML text (the
// label and the number, so they wrap and keep the page's type size on a phone) with the bar
// itself as a small inline SVG, since the site's Content-Security-Policy allows no inline styles.
type chart struct {
	ID, Title, Desc string
	Method          string // how the numbers are counted, in a sentence
	Key             string // the column heading of the labels
	Unit            string // the column heading of the numbers
	Bars            []bar
}

type bar struct {
	Label string
	Value int
	// Width is the bar's length in thousandths of the longest bar's: 0 for a zero value, at
	// least 5 for any other, so a small value still shows.
	Width int
}

// chartScale is the length of the longest bar, in the units of Width.
const chartScale = 1000

func newChart(id, title, desc, unit string, labels []string, values []int) *chart {
	c := &chart{ID: id, Title: title, Desc: desc, Key: "Category", Unit: unit}
	top := 0
	for _, v := range values {
		top = max(top, v)
	}
	for i, l := range labels {
		w := 0
		if top > 0 {
			w = int(math.Round(float64(values[i]) / float64(top) * chartScale))
		}
		if values[i] > 0 {
			w = max(w, 5)
		}
		c.Bars = append(c.Bars, bar{Label: l, Value: values[i], Width: w})
	}
	return c
}

// reasonLabel is a denial's reason code in words: "already-available" is "Already available".
func reasonLabel(code string) string {
	if code == "" {
		return ""
	}
	return strings.ToUpper(code[:1]) + strings.ReplaceAll(code[1:], "-", " ")
}

func computeStats(es []*Entry, cfg *docket.Config) *stats {
	s := &stats{Targets: cfg.ServiceTargets, byStatus: map[docket.Status]int{}, byKind: map[docket.RequestKind]int{}}
	byType := map[string]int{}
	reasons := map[string]int{}
	datasets := map[string]int{}
	var submitted []docket.Date
	var first, decided, firstReview, appeal []int
	for _, e := range es {
		// An open pull request that adds a request counts as an open request from the day it
		// was opened (its kind, requester and text are not known until it is reviewed).
		s.Total++
		s.byStatus[e.Status]++
		if e.Kind != "" {
			s.byKind[e.Kind]++
		}
		if e.Open {
			s.Open++
		}
		if e.Overdue != "" {
			s.overdue++
		}
		if e.Requester.Type != "" {
			byType[e.Requester.Type]++
		}
		if !e.Submitted.IsZero() {
			submitted = append(submitted, e.Submitted)
		}
		if e.DaysToFirstResponse >= 0 {
			first = append(first, e.DaysToFirstResponse)
		}
		if e.DaysToDecision >= 0 {
			decided = append(decided, e.DaysToDecision)
		}
		if e.DaysToFirstReview >= 0 && !e.AppealFiled.IsZero() {
			firstReview = append(firstReview, e.DaysToFirstReview)
		}
		if e.DaysToAppealDecision >= 0 {
			appeal = append(appeal, e.DaysToAppealDecision)
		}
		if e.Record == nil {
			continue
		}
		if d := e.Record.Decision; d != nil {
			switch d.Outcome {
			case docket.OutcomeApproved:
				s.Approved++
			case docket.OutcomeDenied:
				s.Denied++
				reasons[d.ReasonCode]++
			}
		}
		if a := e.Record.Request.APIAccess; a != nil {
			for _, id := range a.Datasets {
				datasets[id]++
			}
		}
	}
	s.Overdue = s.overdue
	s.MostSupported = mostSupported(es, 10)
	t := cfg.ServiceTargets
	s.Timing = []timing{
		summarise("Submission to first response", first, t.FirstResponseDays,
			"days from submission to the first answer from staff (acknowledged, needs-info or a decision), requests answered"),
		summarise("Submission to final decision", decided, t.DecisionDays,
			"days from submission to the decision in force (on appeal, the decision on appeal), requests approved or denied"),
		summarise("Submission to first decision, appealed requests", firstReview, t.DecisionDays,
			"days from submission to the first approval or denial, requests that were later appealed"),
		summarise("Appeal to decision on appeal", appeal, t.AppealDecisionDays,
			"days from the appeal (the day the requester filed it, as GitHub recorded it, else the day it reached the docket) to the decision on it, appeals decided"),
	}
	if n := s.Approved + s.Denied; n > 0 {
		s.ApprovalRate = percent(s.Approved, n)
	}

	var labels []string
	var values []int
	for _, st := range docket.Statuses {
		labels, values = append(labels, statusLabel(st)), append(values, s.byStatus[st])
	}
	s.Charts = append(s.Charts, newChart("by-status", "Requests by status", fmt.Sprintf("How many of the %d requests are in each status.", s.Total), "Requests", labels, values))
	s.Charts[len(s.Charts)-1].Method = "Count of requests by their status as of the day the site is built; a request decided on appeal counts under the decision on appeal."

	labels, values = nil, nil
	for _, k := range []docket.RequestKind{docket.KindDataset, docket.KindAPIAccess} {
		labels, values = append(labels, kindLabel(k)), append(values, s.byKind[k])
	}
	s.Charts = append(s.Charts, newChart("by-kind", "Requests by kind", "Requests to publish a new dataset and requests for API access.", "Requests", labels, values))
	s.Charts[len(s.Charts)-1].Method = "Count of reviewed requests by the kind the requester chose (a new dataset or API access)."

	labels, values = nil, nil
	for _, t := range docket.RequesterTypes() {
		labels, values = append(labels, funcs["typeLabel"].(func(string) string)(t)), append(values, byType[t])
	}
	s.Charts = append(s.Charts, newChart("by-requester", "Requests by type of requester", "Who asks: individuals, nonprofits, academics, businesses, government bodies and media.", "Requests", labels, values))
	s.Charts[len(s.Charts)-1].Method = "Count of reviewed requests by the type of requester they gave."

	s.Charts = append(s.Charts, submittedChart(submitted))
	s.Charts[len(s.Charts)-1].Method = "Count of requests by the month (or year) of their submission day; requests imported with decisions already made have none and are left out."

	labels, values = nil, nil
	for _, r := range docket.ReasonCodes() {
		labels, values = append(labels, reasonLabel(r)), append(values, reasons[r])
	}
	s.Charts = append(s.Charts, newChart("refusals", "Refusals by reason", fmt.Sprintf("The main reason given for each of the %d denials.", s.Denied), "Denials", labels, values))
	s.Charts[len(s.Charts)-1].Method = "Count of requests whose final decision is a denial, by the main reason code of that decision."
	s.Charts = append(s.Charts, criteriaChart(es, cfg))

	type kv struct {
		id string
		n  int
	}
	var top []kv
	for id, n := range datasets {
		top = append(top, kv{id, n})
	}
	slices.SortFunc(top, func(a, b kv) int { return cmp.Or(cmp.Compare(b.n, a.n), cmp.Compare(a.id, b.id)) })
	top = topWithTies(top, 10, func(t kv) int { return t.n })
	labels, values = nil, nil
	for _, t := range top {
		name := t.id
		if c, ok := cfg.Dataset(t.id); ok {
			name = c.Name
		}
		labels, values = append(labels, name), append(values, t.n)
	}
	s.Charts = append(s.Charts, newChart("datasets", "Most requested datasets", "The datasets named most often in requests for API access: the ten most named, and any tied with the tenth.", "Requests", labels, values))
	s.Charts[len(s.Charts)-1].Method = "Count of requests for API access naming each dataset; datasets with the same count are listed together, in the order of their ids."
	return s
}

// topWithTies keeps the first n of a list sorted by count, highest first, and every item
// after them with the same count as the n-th: a tie is shown, not broken by the alphabet.
func topWithTies[T any](sorted []T, n int, count func(T) int) []T {
	if len(sorted) <= n || n <= 0 {
		return sorted
	}
	end := n
	for end < len(sorted) && count(sorted[end]) == count(sorted[n-1]) {
		end++
	}
	return sorted[:end]
}

// summarise gives the median and the 90th percentile (nearest rank) of days, and the share
// within the target. method says what is measured, for the line naming the method.
func summarise(name string, ds []int, target int, method string) timing {
	t := timing{Name: name, N: len(ds), Target: target, Median: "—", P90: "—"}
	t.Method = "Median and 90th percentile (nearest rank) of " + method + "."
	if target > 0 {
		t.Method += " Within target: the share of those taking at most the target."
	}
	if len(ds) == 0 {
		return t
	}
	ds = slices.Clone(ds)
	slices.Sort(ds)
	m, _ := median(ds)
	t.Median = groupedNumber(m)
	t.P90 = grouped(ds[max(int(math.Ceil(0.9*float64(len(ds))))-1, 0)])
	if target > 0 {
		n := 0
		for _, d := range ds {
			if d <= target {
				n++
			}
		}
		t.WithinTarget = percent(n, len(ds))
	}
	return t
}

// median is the usual median of sorted values: the middle one for an odd count, the mean of
// the two middle ones for an even count. ok is false for no values.
func median(sorted []int) (m float64, ok bool) {
	n := len(sorted)
	switch {
	case n == 0:
		return 0, false
	case n%2 == 1:
		return float64(sorted[n/2]), true
	}
	// Halves first, so two values near the top of int do not overflow.
	a, b := float64(sorted[n/2-1]), float64(sorted[n/2])
	return a/2 + b/2, true
}

func percent(n, of int) string {
	return strconv.Itoa(int(math.Round(float64(n)*100/float64(of)))) + "%"
}

// Bounds on the chart of submissions: by month over at most maxMonths months, else by year;
// at most maxYears bars of years, the earlier years then counted together in a first bar. The
// days come from commits, and however wrong one is, the chart stays a chart.
const (
	maxMonths = 60
	maxYears  = 40
)

// submittedChart counts requests by the month (or year) they were submitted, every month from
// the first to the last with requests, gaps included.
func submittedChart(days []docket.Date) *chart {
	const id, unit = "monthly", "Requests"
	if len(days) == 0 {
		c := newChart(id, "Requests submitted per month", "No request has a known submission day yet.", unit, nil, nil)
		c.Key = "Month"
		return c
	}
	month := func(d docket.Date) int { t := d.Time(); return t.Year()*12 + int(t.Month()) - 1 }
	first, last := month(days[0]), month(days[0])
	for _, d := range days {
		first, last = min(first, month(d)), max(last, month(d))
	}
	var labels []string
	var values []int
	if last-first < maxMonths {
		values = make([]int, last-first+1)
		for _, d := range days {
			values[month(d)-first]++
		}
		for m := first; m <= last; m++ {
			labels = append(labels, fmt.Sprintf("%04d-%02d", m/12, m%12+1))
		}
		c := newChart(id, "Requests submitted per month", "Requests submitted each month, by the day they reached the docket.", unit, labels, values)
		c.Key = "Month"
		return c
	}
	firstYear, lastYear := first/12, last/12
	from := max(firstYear, lastYear-maxYears+1) // the first year with a bar of its own
	before := 0
	if from > firstYear {
		labels, before = append(labels, fmt.Sprintf("before %04d", from)), 1
	}
	for y := from; y <= lastYear; y++ {
		labels = append(labels, fmt.Sprintf("%04d", y))
	}
	values = make([]int, len(labels))
	for _, d := range days {
		values[max(before+d.Time().Year()-from, 0)]++
	}
	c := newChart(id, "Requests submitted per year", "Requests submitted each year, by the day they reached the docket.", unit, labels, values)
	c.Key = "Year"
	return c
}
