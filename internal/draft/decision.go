package draft

import (
	"cmp"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/opendata-docket/docket/internal/docket"
)

// DecisionInput is what staff say about a decision; everything else is prefilled from the
// request and the configuration.
type DecisionInput struct {
	Outcome docket.Outcome
	By      string      // decided_by
	Date    docket.Date // the day of the decision
	// Reasons are the reasons, or for needs-info the questions. An approval gets reasons
	// written from the facts when this is empty; a denial and needs-info need them.
	Reasons    string
	ReasonCode string // denied and needs-info; needs-info defaults to incomplete
	// ReviewDays is the estimate of an acknowledgement or a needs-info; 0 means what is
	// left of the decision target since Submitted.
	ReviewDays int
	Submitted  docket.Date // when the request was submitted, if known
	// TermsVersion is the version of the terms of use an API key is issued under.
	TermsVersion string
	Note         string // a withdrawal's note
}

// ErrNeedsReasons is returned for a denial or needs-info without reasons: those are the
// city's own words to the requester, and docket does not invent them.
var ErrNeedsReasons = errors.New("needs reasons")

// ErrNeedsTerms is returned for an approval of API access without a terms version.
var ErrNeedsTerms = errors.New("needs the terms version")

// NewDecision drafts the decision on rec: the program's criteria with notes from the request and
// the catalog, conditions sized from the traffic asked for within the key policy, the appeal
// deadline from appeals.window_days, the estimated review time from the decision target. The
// comments name the choices of the fields staff most often change.
func NewDecision(id string, rec *docket.Record, cfg *docket.Config, in DecisionInput) (*docket.Decision, map[string]string, error) {
	req := rec.Request
	d := &docket.Decision{Outcome: in.Outcome, DecidedBy: in.By, Date: in.Date}
	comments := map[string]string{"outcome": "acknowledged, needs-info, approved, denied or withdrawn"}
	// Under appeal: appealed, or an acknowledgement or request for information on appeal (which
	// earlier versions of docket allowed) waits for the decision on it.
	underAppeal := rec.Status(in.Date) == docket.StatusAppealed || rec.Decision != nil && rec.Decision.OnAppeal() && rec.Appeal != nil
	if underAppeal && (in.Outcome == docket.OutcomeApproved || in.Outcome == docket.OutcomeDenied) {
		d.Review = docket.ReviewAppeal
		comments["review"] = "this decision answers the appeal; a denial on appeal is final"
	}
	switch in.Outcome {
	case docket.OutcomeWithdrawn:
		d.Note = strings.TrimSpace(in.Note)
		return d, nil, nil
	case docket.OutcomeAcknowledged, docket.OutcomeNeedsInfo:
		d.EstimatedReviewDays = reviewDays(cfg, in)
		comments["estimated_review_days"] = "how many more days the review should take"
		if in.Outcome == docket.OutcomeNeedsInfo {
			if strings.TrimSpace(in.Reasons) == "" {
				return nil, nil, fmt.Errorf("needs-info: %w (the questions for the requester)", ErrNeedsReasons)
			}
			d.Reasons = in.Reasons
			d.ReasonCode = cmp.Or(in.ReasonCode, "incomplete")
			comments["reason_code"] = strings.Join(docket.ReasonCodes(), ", ")
		}
		return d, comments, nil
	case docket.OutcomeApproved:
		d.Evaluation = evaluation(req, cfg, "")
		d.Reasons = in.Reasons
		if strings.TrimSpace(d.Reasons) == "" {
			d.Reasons = approvalReasons(req, cfg, d.Evaluation)
		}
		if req.Kind == docket.KindAPIAccess {
			c, err := conditions(req, cfg, in)
			if err != nil {
				return nil, nil, err
			}
			d.Conditions = c
			comments["conditions.limits.requests_per_day"] = fmt.Sprintf("asked for %d; the key policy allows at most %d", req.APIAccess.Traffic.RequestsPerDay, cfg.Keys.MaxLimits.RequestsPerDay)
			comments["conditions.limits.requests_per_second"] = fmt.Sprintf("asked for a peak of %g; at most %g", req.APIAccess.Traffic.PeakRequestsPerSecond, cfg.Keys.MaxLimits.RequestsPerSecond)
			comments["conditions.expires"] = fmt.Sprintf("at most %d days after the decision", cfg.Keys.MaxLifetimeDays)
		}
	case docket.OutcomeDenied:
		if strings.TrimSpace(in.Reasons) == "" {
			return nil, nil, fmt.Errorf("a denial %w: the written explanation the requester is owed", ErrNeedsReasons)
		}
		if in.ReasonCode == "" {
			return nil, nil, errors.New("a denial needs a reason code: " + strings.Join(docket.ReasonCodes(), ", "))
		}
		d.Evaluation = evaluation(req, cfg, in.ReasonCode)
		d.Reasons = in.Reasons
		d.ReasonCode = in.ReasonCode
		comments["reason_code"] = strings.Join(docket.ReasonCodes(), ", ")
		if !d.OnAppeal() {
			deadline := in.Date.AddDays(max(cfg.Appeals.WindowDays, 1))
			d.Appeal = &docket.AppealTerms{Deadline: deadline, Instructions: appealInstructions(id, deadline, cfg)}
			comments["appeal.deadline"] = fmt.Sprintf("%d days after the decision (appeals.window_days)", cfg.Appeals.WindowDays)
		}
	default:
		return nil, nil, fmt.Errorf("unknown outcome %q", in.Outcome)
	}
	for _, c := range cfg.Criteria() {
		comments["evaluation."+c.ID+".verdict"] = "met, concern or not-met"
	}
	for _, c := range Unweighed(d.Evaluation) {
		comments["evaluation."+c+".verdict"] = "to fill in: met, concern or not-met, once weighed"
	}
	return d, comments, nil
}

// reviewDays is what is left of the decision target, at least a day.
func reviewDays(cfg *docket.Config, in DecisionInput) int {
	if in.ReviewDays > 0 {
		return min(in.ReviewDays, 365)
	}
	days := cfg.ServiceTargets.DecisionDays
	if !in.Submitted.IsZero() {
		days -= in.Submitted.DaysUntil(in.Date)
	}
	return min(max(days, 1), 365)
}

// conditions sizes a key from the traffic asked for: at least the policy's default limits,
// at most its maximum, for the longest lifetime the policy allows, on the datasets asked for
// that offer API access.
func conditions(req *docket.Request, cfg *docket.Config, in DecisionInput) (*docket.Conditions, error) {
	if strings.TrimSpace(in.TermsVersion) == "" {
		return nil, fmt.Errorf("an approval of API access %w of the API terms of use the key is issued under", ErrNeedsTerms)
	}
	pol := cfg.Keys
	t := req.APIAccess.Traffic
	c := &docket.Conditions{
		Limits: docket.Limits{
			RequestsPerDay:    min(max(t.RequestsPerDay, pol.DefaultLimits.RequestsPerDay), pol.MaxLimits.RequestsPerDay),
			RequestsPerSecond: min(max(t.PeakRequestsPerSecond, pol.DefaultLimits.RequestsPerSecond), pol.MaxLimits.RequestsPerSecond),
		},
		Expires:      in.Date.AddDays(pol.MaxLifetimeDays),
		TermsVersion: in.TermsVersion,
	}
	for _, id := range req.APIAccess.Datasets {
		e, ok := cfg.Dataset(id)
		if !ok || !e.API || slices.Contains(c.Scopes, id) {
			continue
		}
		c.Scopes = append(c.Scopes, id)
		if e.Sensitivity == docket.SensitivityRestricted {
			c.DataSharingAgreement = true
		}
	}
	if len(c.Scopes) == 0 {
		return nil, errors.New("none of the datasets asked for is in the catalog with API access, so there is nothing to grant")
	}
	return c, nil
}

// reasonCriterion is the criterion a reason code speaks to.
var reasonCriterion = map[string]string{
	"privacy": "sensitivity", "security": "sensitivity", "feasibility": "feasibility",
	"resources": "resources", "legal": "legal",
}

// ToFill starts the note of a criterion docket cannot call met from the files alone. Its
// verdict is left empty, which validation refuses, so a decision nobody weighed is never valid.
const ToFill = "To fill in: "

// evaluation drafts a verdict on each of the program's criteria. A criterion is met only when
// the files plainly show it (public data, no personal data, traffic within the key policy, every
// dataset served by the API); any other starts with no verdict and a note that says what staff
// must weigh. For a denial, the criterion its reason code speaks to is not met and its note
// points to the reasons. Criteria of the program's own, beyond docket's four, start unweighed
// with what they cover.
func evaluation(req *docket.Request, cfg *docket.Config, denial string) docket.Evaluation {
	var (
		sensitivity = docket.Criterion{Verdict: "met", Note: sensitivityNote(req, cfg)}
		feasibility = docket.Criterion{Note: ToFill + "say whether publishing the dataset on the portal is feasible, and how."}
		resources   = docket.Criterion{Note: ToFill + "say whether staff time is available for the work."}
		legal       = docket.Criterion{Verdict: "met", Note: "No legal or contractual limit on sharing was found; the standard terms of use apply."}
	)
	if denial != "" {
		// A denial rests on its reasons; the criteria it does not name keep the plain drafts.
		feasibility = docket.Criterion{Verdict: "met", Note: "Publishing the dataset on the portal is feasible."}
		resources = docket.Criterion{Verdict: "met", Note: "Staff time is available for the work."}
	} else if sensitivityConcern(req, cfg) {
		sensitivity = docket.Criterion{Note: ToFill + sensitivityNote(req, cfg) + " Weigh whether sharing is safe, and on what conditions."}
	}
	if req.Kind == docket.KindAPIAccess && denial != "" {
		feasibility.Note = "Every dataset asked for is served by the existing API."
		resources.Note = "No staff work beyond issuing the key."
	} else if req.Kind == docket.KindAPIAccess {
		feasibility = docket.Criterion{Verdict: "met", Note: "Every dataset asked for is served by the existing API."}
		resources = docket.Criterion{Verdict: "met", Note: "No staff work beyond issuing the key."}
		for _, id := range req.APIAccess.Datasets {
			if e, ok := cfg.Dataset(id); !ok || !e.API {
				feasibility = docket.Criterion{Note: ToFill + "not every dataset asked for is offered through the API; say whether the key to those that are serves the use."}
				break
			}
		}
		if !withinPolicy(req, cfg) {
			t := req.APIAccess.Traffic
			resources = docket.Criterion{Note: fmt.Sprintf("%sthe traffic asked for (%d calls a day, a peak of %g a second) is above the key policy (at most %d and %g); say whether the key at the policy's maximum serves the use, or what the extra load costs.",
				ToFill, t.RequestsPerDay, t.PeakRequestsPerSecond, cfg.Keys.MaxLimits.RequestsPerDay, cfg.Keys.MaxLimits.RequestsPerSecond)}
		}
		if ids := restricted(req, cfg); len(ids) > 0 {
			legal.Note = fmt.Sprintf("Restricted data (%s) is shared only under a data-sharing agreement, which the conditions require the requester to sign before a key is issued; the standard terms of use apply as well.", strings.Join(ids, ", "))
		}
	}
	known := map[string]docket.Criterion{"sensitivity": sensitivity, "feasibility": feasibility, "resources": resources, "legal": legal}
	ev := docket.Evaluation{}
	for _, c := range cfg.Criteria() {
		if k, ok := known[c.ID]; ok {
			ev[c.ID] = k
			continue
		}
		note := ToFill + "say whether the request meets this criterion"
		if c.Covers != "" {
			note += ": " + strings.TrimSpace(c.Covers)
		} else {
			note += "."
		}
		ev[c.ID] = docket.Criterion{Note: note}
	}
	if c, ok := reasonCriterion[denial]; ok {
		if _, used := ev[c]; used {
			ev[c] = docket.Criterion{Verdict: docket.VerdictNotMet, Note: "See the reasons below."}
		}
	}
	return ev
}

// Unweighed names the criteria of ev that have no verdict yet or whose note still starts with
// ToFill: what staff must weigh before the decision can stand. They are in the order of
// docket.DefaultCriteria, then by id.
func Unweighed(ev docket.Evaluation) []string {
	var out []string
	for _, id := range criterionOrder(ev) {
		c := ev[id]
		if c.Verdict == "" || strings.HasPrefix(strings.TrimSpace(c.Note), strings.TrimSpace(ToFill)) {
			out = append(out, id)
		}
	}
	return out
}

// criterionOrder lists the ids in ev: docket's four first, in their order, then the rest by id.
func criterionOrder(ev docket.Evaluation) []string {
	var out, rest []string
	for _, c := range docket.DefaultCriteria {
		if _, ok := ev[c.ID]; ok {
			out = append(out, c.ID)
		}
	}
	for id := range ev {
		if !slices.Contains(out, id) {
			rest = append(rest, id)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// sensitivityConcern reports whether the data asked for is more than plainly public: a dataset
// classed moderate or restricted, one not in the catalog, or data that could identify a person.
func sensitivityConcern(req *docket.Request, cfg *docket.Config) bool {
	if req.Privacy.PersonalData {
		return true
	}
	if req.APIAccess == nil {
		return false
	}
	for _, id := range req.APIAccess.Datasets {
		if e, ok := cfg.Dataset(id); !ok || e.Sensitivity != "public" {
			return true
		}
	}
	return false
}

func restricted(req *docket.Request, cfg *docket.Config) []string {
	var ids []string
	for _, id := range req.APIAccess.Datasets {
		if e, ok := cfg.Dataset(id); ok && e.API && e.Sensitivity == docket.SensitivityRestricted && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

func withinPolicy(req *docket.Request, cfg *docket.Config) bool {
	t := req.APIAccess.Traffic
	return t.RequestsPerDay <= cfg.Keys.MaxLimits.RequestsPerDay && t.PeakRequestsPerSecond <= cfg.Keys.MaxLimits.RequestsPerSecond
}

func sensitivityNote(req *docket.Request, cfg *docket.Config) string {
	var parts []string
	if req.APIAccess != nil {
		classes := map[string][]string{}
		for _, id := range req.APIAccess.Datasets {
			if e, ok := cfg.Dataset(id); ok {
				classes[e.Sensitivity] = append(classes[e.Sensitivity], id)
			}
		}
		for _, cl := range []string{"public", "moderate", docket.SensitivityRestricted} {
			if ids := classes[cl]; len(ids) > 0 {
				parts = append(parts, fmt.Sprintf("Classed %s in the catalog: %s.", cl, strings.Join(ids, ", ")))
			}
		}
		if len(classes[docket.SensitivityRestricted]) > 0 {
			parts = append(parts, "Restricted data is shared only under a data-sharing agreement.")
		}
	}
	if req.Privacy.PersonalData {
		parts = append(parts, "The requester says the data could identify a person; see the privacy considerations.")
	} else {
		parts = append(parts, "The requester says the data cannot identify a person.")
	}
	return strings.Join(parts, " ")
}

// CountWord is "the four criteria": n in words up to twelve, with the noun for one or many.
func CountWord(n int, one, many string) string {
	words := []string{"no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"}
	w := fmt.Sprint(n)
	if n >= 0 && n < len(words) {
		w = words[n]
	}
	if n == 1 {
		return w + " " + one
	}
	return w + " " + many
}

// approvalReasons writes the reasons of an approval from ev. It says the criteria are met
// only when they all plainly are; otherwise it asks staff for their reasons.
func approvalReasons(req *docket.Request, cfg *docket.Config, ev docket.Evaluation) string {
	if open := Unweighed(ev); len(open) > 0 {
		return ToFill + "why the request is approved, given what the " + strings.Join(open, ", ") + " notes ask you to weigh."
	}
	n := CountWord(len(cfg.Criteria()), "criterion", "criteria")
	if req.Kind != docket.KindAPIAccess {
		return "The dataset meets the " + n + " and will be published on the portal."
	}
	return "The request meets the " + n + ", and the traffic asked for is within the key policy."
}

func appealInstructions(id string, deadline docket.Date, cfg *docket.Config) string {
	who := cmp.Or(cfg.Appeals.Escalation.Name, "the program's appeals contact")
	return fmt.Sprintf("To appeal, add `%s` in a pull request on or before %s, saying why the decision should change. The appeal is reviewed by %s, and the decision on appeal is final.",
		path.Join(docket.RequestsDir, id, docket.AppealFile), deadline, who)
}

// LatestTerms returns the terms version of the most recent approval among records, the one a
// new key is most likely issued under, or "".
func LatestTerms(records []*docket.Record) string {
	var best docket.Date
	var terms string
	for _, r := range records {
		d := r.Decision
		if d == nil || d.Conditions == nil || d.Conditions.TermsVersion == "" {
			continue
		}
		if terms == "" || d.Date.After(best) || d.Date.Equal(best) && d.Conditions.TermsVersion > terms {
			best, terms = d.Date, d.Conditions.TermsVersion
		}
	}
	return terms
}

// NewAction is one enforcement action appended to the history (nil for the first).
func NewAction(history *docket.Enforcement, a docket.EnforcementAction) *docket.Enforcement {
	out := &docket.Enforcement{}
	if history != nil {
		out.Actions = slices.Clone(history.Actions)
	}
	out.Actions = append(out.Actions, a)
	return out
}
