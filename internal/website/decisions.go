package website

import (
	"fmt"
	"slices"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/history"
)

// Every decision stays on the record. decision.yaml is overwritten at each step of a review,
// so the steps are read from the history, which keeps the version each merged commit wrote:
// the first review, a request for information and the requester's answer, a denial with its
// reasons and criteria, the appeal, and the decision on appeal. "Decided" is the final
// decision (the one in force); the first review and the appeal are timed separately.

// Step is one step of a request's review, oldest first.
type Step struct {
	Kind     string           // StepDecision, StepAnswer or StepAppeal
	Day      docket.Date      // the day it reached the docket (the commit's), or its file's date without history
	Commit   string           // the commit that made it; "" without history
	Decision *docket.Decision // for StepDecision
	Appeal   *docket.Appeal   // for StepAppeal
	Current  bool             // the decision in force
}

// Kinds of steps.
const (
	StepDecision = "decision"
	StepAnswer   = "answer" // the requester updated request.yaml after being asked for information
	StepAppeal   = "appeal"
)

// steps reads a request's review from its timeline, or from its files when there is none.
func steps(e *Entry) []Step {
	var out []Step
	asked := false // a needs-info waits for its answer
	for _, ev := range e.Events {
		switch {
		case ev.Decision != nil && ev.File == docket.DecisionFile:
			d := earlier(ev.Decision)
			if d == nil {
				continue // not a decision docket knows how to show
			}
			if n := len(out); n > 0 && out[n-1].Kind == StepDecision && sameDecision(out[n-1].Decision, d) {
				out[n-1].Decision = d // a correction of the same decision, not a new one
				continue
			}
			out = append(out, Step{Kind: StepDecision, Day: dayOf(ev.Time), Commit: ev.Commit, Decision: d})
			asked = d.Outcome == docket.OutcomeNeedsInfo
		case ev.Appeal != nil && ev.Change == history.Appealed:
			out = append(out, Step{Kind: StepAppeal, Day: dayOf(ev.Time), Commit: ev.Commit, Appeal: ev.Appeal})
		case asked && ev.File == docket.RequestFile && ev.Change == history.Edited:
			out = append(out, Step{Kind: StepAnswer, Day: dayOf(ev.Time), Commit: ev.Commit})
			asked = false
		}
	}
	rec := e.Record
	if rec == nil {
		return out
	}
	if !hasDecisionStep(out) && rec.Decision != nil {
		// No timeline (or none that reads): the files hold the latest decision and the appeal.
		d := rec.Decision
		if d.OnAppeal() && rec.Appeal != nil {
			out = append(out, Step{Kind: StepAppeal, Day: rec.Appeal.Date, Appeal: rec.Appeal})
		}
		out = append(out, Step{Kind: StepDecision, Day: d.Date, Decision: d})
		if !d.OnAppeal() && rec.Appeal != nil {
			out = append(out, Step{Kind: StepAppeal, Day: rec.Appeal.Date, Appeal: rec.Appeal})
		}
	}
	for i := len(out) - 1; i >= 0; i-- {
		if out[i].Kind == StepDecision {
			out[i].Current = true
			// The files are the record in force: show the decision as it is now.
			if rec.Decision != nil {
				out[i].Decision = rec.Decision
			}
			break
		}
	}
	return out
}

func hasDecisionStep(ss []Step) bool {
	for _, s := range ss {
		if s.Kind == StepDecision {
			return true
		}
	}
	return false
}

// sameDecision reports whether b only corrects a (same outcome, review, day and decider).
func sameDecision(a, b *docket.Decision) bool {
	return a.Outcome == b.Outcome && a.Review == b.Review && a.Date.Equal(b.Date) && a.DecidedBy == b.DecidedBy
}

// final reports whether an outcome closes a review.
func final(o docket.Outcome) bool { return o == docket.OutcomeApproved || o == docket.OutcomeDenied }

// reviews sets the steps of an entry and the days of its first review, its appeal and its
// final decision. It runs after milestones, which knows when the request was submitted.
func reviews(e *Entry) {
	e.Steps = steps(e)
	e.FirstReview, e.AppealFiled, e.AppealDecided = docket.Date{}, docket.Date{}, docket.Date{}
	var last docket.Date
	for _, s := range e.Steps {
		switch s.Kind {
		case StepAppeal:
			if e.AppealFiled.IsZero() {
				e.AppealFiled = s.Day
			}
		case StepDecision:
			if !final(s.Decision.Outcome) {
				continue
			}
			last = s.Day
			if s.Decision.OnAppeal() {
				e.AppealDecided = s.Day
			} else if e.FirstReview.IsZero() {
				e.FirstReview = s.Day
			}
		}
	}
	// An imported request's decisions are dated by its files (see milestones); otherwise the
	// final decision is the last one merged.
	if e.AddedOn.IsZero() && !last.IsZero() && last.After(e.Decided) {
		e.Decided = last
	}
	if !e.AddedOn.IsZero() {
		e.FirstReview = docket.Date{}
		if d := e.Record.Decision; d != nil && final(d.Outcome) && !d.OnAppeal() {
			e.FirstReview = d.Date
		}
	}
}

// reviewCounters times the first review and the appeal, and flags an appeal that passes its
// target and a promised publication that is late. It runs after counters.
func reviewCounters(e *Entry, asOf docket.Date, t docket.ServiceTargets) {
	e.DaysToFirstReview = days(e.Submitted, e.FirstReview)
	e.DaysToAppealDecision = days(e.AppealFiled, e.AppealDecided)
	e.DaysOnAppeal = -1
	if e.Status == docket.StatusAppealed {
		e.DaysOnAppeal = days(e.AppealFiled, asOf)
	}
	if n := t.AppealDecisionDays; n > 0 {
		if e.DaysToAppealDecision > n {
			e.LateAppeal = true
		}
		if e.DaysOnAppeal > n && e.PR == nil {
			e.LateAppeal = true
			e.AppealOverdue = plural(e.DaysOnAppeal, "day", "days") + " on appeal without a decision; the target is " + plural(n, "day", "days")
			if e.Overdue == "" {
				e.Overdue = e.AppealOverdue
			}
		}
	}
	e.DaysWaitingForPlan = -1
	rec := e.Record
	if rec == nil || rec.Request == nil || rec.Request.Kind != docket.KindDataset || e.Status != docket.StatusApproved || rec.Decision == nil {
		return
	}
	d := rec.Decision
	p := d.Publication
	switch {
	case p != nil && p.URL != "":
		// Published: the promise is kept.
	case p != nil && !p.Planned.IsZero() && p.Planned.Before(asOf):
		e.PublicationOverdue = fmt.Sprintf("publication was planned for %s and the dataset is not published %s later", p.Planned, plural(p.Planned.DaysUntil(asOf), "day", "days"))
	case p == nil || p.Planned.IsZero():
		since := e.Decided
		if since.IsZero() {
			since = d.Date
		}
		e.DaysWaitingForPlan = days(since, asOf)
	}
}

// earlier makes a decision read from history fit to show. It passed the rules of its day when
// it was merged, but those may have been others, and nothing has validated it since: an
// outcome docket does not know leaves it out, and a decider, reason code or verdict not of the
// shapes the schema allows is dropped rather than shown.
func earlier(d *docket.Decision) *docket.Decision {
	switch d.Outcome {
	case docket.OutcomeAcknowledged, docket.OutcomeNeedsInfo, docket.OutcomeApproved, docket.OutcomeDenied, docket.OutcomeWithdrawn:
	default:
		return nil
	}
	c := *d
	if c.Review != docket.ReviewAppeal {
		c.Review = ""
	}
	if !validLogin(c.DecidedBy) {
		c.DecidedBy = ""
	}
	if !slices.Contains(docket.ReasonCodes(), c.ReasonCode) {
		c.ReasonCode = ""
	}
	if ev := c.Evaluation; ev != nil {
		e := docket.Evaluation{}
		for id, cr := range ev {
			if !docket.ValidID(id) {
				continue // not an id the schema allows: dropped, not shown
			}
			if cr.Verdict != "met" && cr.Verdict != "concern" && cr.Verdict != "not-met" {
				cr.Verdict = ""
			}
			e[id] = cr
		}
		c.Evaluation = e
	}
	return &c
}
