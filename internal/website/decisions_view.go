package website

import (
	"html/template"
	"slices"
	"strings"

	"github.com/opendata-docket/docket/internal/docket"
)

// stepView is one step of the review on a request's page. Reasons, criteria notes and an
// appeal's grounds are Markdown, rendered by the untrusted converter like every other text.
type stepView struct {
	Step
	Label     string // "Denied", "Approved on appeal", "Appealed", ...
	Withdrawn bool   // a withdrawal: the requester's act, with no findings of the city
	Reasons   template.HTML
	Criteria  []criterion
	Grounds   template.HTML
	CommitURL string
	Short     string // the commit's first 12 characters
}

func (s *builtSite) stepViews(e *Entry) []stepView {
	if len(e.Steps) < 2 {
		return nil // one decision: the decision section says it all
	}
	md := s.b.untrusted
	out := make([]stepView, 0, len(e.Steps))
	for _, st := range e.Steps {
		v := stepView{Step: st, Short: st.Commit[:min(12, len(st.Commit))]}
		if st.Commit != "" && s.info.Source != "" {
			v.CommitURL = s.info.Source + "/commit/" + st.Commit
		}
		switch st.Kind {
		case StepAppeal:
			v.Label = "Appealed by the requester"
			v.Grounds = md.HTML(st.Appeal.Grounds)
		case StepAnswer:
			v.Label = "The requester answered (the request was updated)"
		case StepDecision:
			d := st.Decision
			v.Label = statusLabel(docket.Status(d.Outcome))
			if d.OnAppeal() {
				v.Label += " on appeal"
			}
			if d.Outcome == docket.OutcomeWithdrawn {
				v.Withdrawn = true
				break
			}
			v.Reasons = md.HTML(d.Reasons)
			v.Criteria = criteriaOf(d.Evaluation, s.cfg, md.HTML)
		}
		out = append(out, v)
	}
	return out
}

// criteriaOf lists the verdicts of an evaluation in the program's order and by its names. An
// earlier decision, read from history, may weigh a criterion the program no longer lists: it is
// shown after them, by its id.
func criteriaOf(ev docket.Evaluation, cfg *docket.Config, html func(string) template.HTML) []criterion {
	if ev == nil {
		return nil
	}
	var out []criterion
	seen := map[string]bool{}
	add := func(name string, cr docket.Criterion) {
		out = append(out, criterion{Name: name, Verdict: cr.Verdict, VerdictLabel: verdictLabel(cr.Verdict), Note: html(cr.Note)})
	}
	for _, c := range cfg.Criteria() {
		if cr, ok := ev[c.ID]; ok {
			add(c.Name, cr)
			seen[c.ID] = true
		}
	}
	var rest []string
	for id := range ev {
		if !seen[id] {
			rest = append(rest, id)
		}
	}
	slices.Sort(rest)
	for _, id := range rest {
		add(id, ev[id])
	}
	return out
}

// reviewCounterList adds the first review's and the appeal's times to a request's counters.
func (s *builtSite) reviewCounterList(e *Entry) []counter {
	t := s.info.Targets
	var out []counter
	if e.AppealFiled.IsZero() {
		return nil // without an appeal the first review is the decision, counted already
	}
	if e.DaysToFirstReview >= 0 {
		out = append(out, counter{"Days to first decision", grouped(e.DaysToFirstReview), "before the appeal"})
	}
	note := "from the appeal"
	if t.AppealDecisionDays > 0 {
		note += "; target: " + plural(t.AppealDecisionDays, "day", "days")
		if e.LateAppeal {
			note += ", missed"
		}
	}
	switch {
	case e.DaysToAppealDecision >= 0:
		out = append(out, counter{"Days to decision on appeal", grouped(e.DaysToAppealDecision), note})
	case e.DaysOnAppeal >= 0:
		out = append(out, counter{"Days on appeal", grouped(e.DaysOnAppeal), strings.Replace(note, "from the appeal", "as of "+s.info.AsOf.String(), 1)})
	}
	return out
}

// actionView is an enforcement action on a request's page: a request for remediation or
// removal shows its deadline and outcome, and is overdue once the deadline passes with none.
func (s *builtSite) actionView(a docket.EnforcementAction) action {
	md := s.b.untrusted
	v := action{Label: actionLabel(a.Action), Date: a.Date, Until: a.Until, By: a.By, Reason: md.HTML(a.Reason), Deadline: a.Deadline}
	if !a.Action.AsksRequester() {
		return v
	}
	switch a.Outcome.Result {
	case "":
		v.Overdue = a.Deadline.Before(s.info.AsOf)
	case docket.ResultComplied:
		v.Outcome = "Done by the deadline"
	case docket.ResultLate:
		v.Outcome = "Done after the deadline"
	case docket.ResultNotComplied:
		v.Outcome = "Not done"
	case docket.ResultWithdrawn:
		v.Outcome = "Withdrawn by staff"
	default:
		v.Outcome = a.Outcome.Result
	}
	v.OutcomeDate = a.Outcome.Date
	if a.Outcome.Note != "" {
		v.OutcomeNote = md.HTML(a.Outcome.Note)
	}
	return v
}
