// Package queue says what waits for whom and by when: the staff queue that docket status
// prints, and the service-level milestones docket remind posts about once each. It reads the
// service clock the site computes (website.Entries), so that a request is overdue in the
// queue, in a reminder and on the site's overdue page alike.
package queue

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/website"
)

// Options bound what counts as near.
type Options struct {
	AppealDays int // an appeal window closing within this many days is near (default 7)
	ExpiryDays int // a key expiring within this many days is near (default 30)
}

func (o Options) appealDays() int { return cmp.Or(o.AppealDays, 7) }
func (o Options) expiryDays() int { return cmp.Or(o.ExpiryDays, 30) }

// Section is a part of the staff queue.
type Section string

const (
	FirstResponse Section = "Waiting for a first response"
	Decision      Section = "Waiting for a decision"
	Requester     Section = "Waiting for the requester's answer"
	Appeals       Section = "Appeals to decide"
	AppealWindows Section = "Appeal windows closing soon"
	Terms         Section = "Waiting for the requester to accept the terms"
	Expiring      Section = "Keys expiring soon"
)

// Sections lists the sections in the order they are shown.
var Sections = []Section{FirstResponse, Decision, Requester, Appeals, AppealWindows, Terms, Expiring}

// Item is one request in the queue.
type Item struct {
	Section Section
	ID      string
	Title   string
	Since   docket.Date // when it started waiting: submitted, acknowledged, asked, appealed, denied, approved
	Days    int         // how long it has waited; -1 when not known
	Due     docket.Date // when the target, the estimate, the deadline or the expiry falls; zero when none
	Overdue string      // how it misses a service target, as the site says it; "" when it does not
	// Estimated is when staff estimated a decision when they acknowledged the request; zero
	// when they gave no estimate. It is shown, but Due (the target) decides what is overdue.
	Estimated docket.Date
	Note      string // what else to know, in a few words
}

// Build returns the staff queue as of asOf, each section oldest first.
func Build(entries []*website.Entry, cfg *docket.Config, asOf docket.Date, opts Options) []Item {
	t := cfg.ServiceTargets
	var out []Item
	for _, e := range entries {
		if e.Record == nil || e.PR != nil {
			continue // proposed in a pull request: staff answer once it is merged
		}
		d := e.Record.Decision
		it := Item{ID: e.ID, Title: e.Title, Since: e.Submitted, Days: e.DaysOpen, Overdue: e.Overdue}
		switch e.Status {
		case docket.StatusSubmitted:
			it.Section = FirstResponse
			if !e.Submitted.IsZero() && t.FirstResponseDays > 0 {
				it.Due = e.Submitted.AddDays(t.FirstResponseDays)
			}
		case docket.StatusAcknowledged:
			it.Section = Decision
			// Due is the decision target, the one overdue is judged by; the acknowledgement's
			// estimate is shown beside it as an estimate, never as the due date.
			if !e.Submitted.IsZero() && t.DecisionDays > 0 {
				it.Due = e.Submitted.AddDays(t.DecisionDays)
			}
			if d.EstimatedReviewDays > 0 {
				it.Estimated = d.Date.AddDays(d.EstimatedReviewDays)
				it.Note = "estimated " + it.Estimated.String() + " when acknowledged on " + d.Date.String()
			}
		case docket.StatusNeedsInfo:
			it.Section, it.Since, it.Days = Requester, d.Date, d.Date.DaysUntil(asOf)
			it.Note = "asked on " + d.Date.String()
		case docket.StatusAppealed:
			a := e.Record.Appeal
			it.Section, it.Since, it.Days = Appeals, a.Date, a.Date.DaysUntil(asOf)
			if t.AppealDecisionDays > 0 {
				it.Due = a.Date.AddDays(t.AppealDecisionDays) // the appeal's own target
			}
			it.Note = "appealed on " + a.Date.String() + "; the decision on appeal is final"
		case docket.StatusDenied:
			if d.OnAppeal() || d.Appeal == nil || e.Record.Appeal != nil {
				continue
			}
			left := asOf.DaysUntil(d.Appeal.Deadline)
			if left < 0 || left > opts.appealDays() {
				continue
			}
			it.Section, it.Since, it.Days, it.Due = AppealWindows, d.Date, d.Date.DaysUntil(asOf), d.Appeal.Deadline
			it.Note = "denied on " + d.Date.String() + "; " + plural(left, "day", "days") + " left to appeal"
		case docket.StatusApproved, docket.StatusSuspended:
			c := d.Conditions
			if c == nil || e.Record.Request.Kind != docket.KindAPIAccess {
				continue
			}
			if !e.Record.Acceptance.Accepts(d) {
				// The rule provisioning follows: no key is issued until the requester accepts
				// what the decision requires, so there is no key to expire yet.
				if e.Status != docket.StatusApproved {
					continue
				}
				it.Section, it.Since, it.Days = Terms, d.Date, d.Date.DaysUntil(asOf)
				it.Note = "approved on " + d.Date.String() + "; no key until @" + e.Record.Request.Requester.GitHub + " accepts " + AcceptanceNeeded(c)
				break
			}
			left := asOf.DaysUntil(c.Expires)
			if left < 0 || left > opts.expiryDays() {
				continue
			}
			it.Section, it.Since, it.Days, it.Due = Expiring, d.Date, d.Date.DaysUntil(asOf), c.Expires
			it.Note = "approved on " + d.Date.String() + "; " + plural(left, "day", "days") + " left; renewal is a new request"
			if e.Status == docket.StatusSuspended {
				it.Note += "; suspended now"
			}
		default:
			continue
		}
		out = append(out, it)
	}
	rank := map[Section]int{}
	for i, s := range Sections {
		rank[s] = i
	}
	slices.SortStableFunc(out, func(a, b Item) int {
		if c := cmp.Compare(rank[a.Section], rank[b.Section]); c != 0 {
			return c
		}
		switch {
		case a.Section == AppealWindows || a.Section == Expiring:
			if c := a.Due.Time().Compare(b.Due.Time()); c != 0 {
				return c
			}
		case a.Since.IsZero() != b.Since.IsZero():
			if a.Since.IsZero() {
				return 1
			}
			return -1
		default:
			if c := a.Since.Time().Compare(b.Since.Time()); c != 0 {
				return c
			}
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out
}

// Milestone is a moment of a request's service clock worth one reminder: passing a target,
// an appeal window about to close, a key about to expire. Key names it uniquely among the
// request's milestones, so that it is posted once, ever, however often docket remind runs.
type Milestone struct {
	ID    string
	Title string
	Key   string      // first-response, decision, appeal-decision, appeal-deadline-YYYY-MM-DD, key-expiry-YYYY-MM-DD
	Label string      // what it is, in a few words: no first response, no decision, ...
	Due   docket.Date // the day of the target, the deadline or the expiry
	Text  string      // one sentence, in plain words, for staff and the requester
	Who   string      // whom it concerns: "staff" or "requester"
}

// Milestones returns the milestones reached as of asOf: the requests the site lists as
// overdue (past the first-response or the decision target), appeal windows closing within
// Options.AppealDays and keys expiring within Options.ExpiryDays.
func Milestones(entries []*website.Entry, cfg *docket.Config, asOf docket.Date, opts Options) []Milestone {
	t := cfg.ServiceTargets
	var out []Milestone
	for _, it := range Build(entries, cfg, asOf, opts) {
		m := Milestone{ID: it.ID, Title: it.Title}
		switch {
		case it.Overdue != "" && it.Section == FirstResponse:
			m.Key, m.Who, m.Label, m.Due = "first-response", "staff", "no first response", it.Due
			m.Text = fmt.Sprintf("This request has waited %s without a first response; staff aim to give one within %s.", plural(it.Days, "day", "days"), plural(t.FirstResponseDays, "day", "days"))
			if t.DecisionDays > 0 && it.Days > t.DecisionDays {
				// Past both targets at once: both milestones are reached.
				out = append(out, m)
				m.Key, m.Label, m.Due = "decision", "no decision", it.Since.AddDays(t.DecisionDays)
				m.Text = fmt.Sprintf("This request has waited %s without a decision; staff aim to decide within %s.", plural(it.Days, "day", "days"), plural(t.DecisionDays, "day", "days"))
			}
		case it.Overdue != "" && it.Section == Appeals:
			// An appeal has its own target (service_targets.appeal_decision_days) and its own
			// milestone: the first decision's may have been posted long ago.
			m.Key, m.Who, m.Label, m.Due = "appeal-decision", "staff", "no decision on appeal", it.Due
			m.Text = fmt.Sprintf("This appeal has waited %s without a decision; the program aims to decide appeals within %s.", plural(it.Days, "day", "days"), plural(t.AppealDecisionDays, "day", "days"))
		case it.Overdue != "":
			m.Key, m.Who, m.Label, m.Due = "decision", "staff", "no decision", it.Since.AddDays(t.DecisionDays)
			m.Text = fmt.Sprintf("This request has waited %s without a decision; staff aim to decide within %s.", plural(it.Days, "day", "days"), plural(t.DecisionDays, "day", "days"))
		case it.Section == AppealWindows:
			m.Key, m.Who, m.Label, m.Due = "appeal-deadline-"+it.Due.String(), "requester", "the time to appeal ends", it.Due
			m.Text = fmt.Sprintf("The time to appeal this denial ends on %s (%s from %s). To appeal, add appeal.yaml to the request's folder in a pull request, as the decision explains.",
				it.Due, plural(asOf.DaysUntil(it.Due), "day", "days"), asOf)
		case it.Section == Expiring:
			m.Key, m.Who, m.Label, m.Due = "key-expiry-"+it.Due.String(), "requester", "the API key expires", it.Due
			m.Text = fmt.Sprintf("The API key of this request expires on %s (%s from %s). To keep access, open a new request before then.",
				it.Due, plural(asOf.DaysUntil(it.Due), "day", "days"), asOf)
		default:
			continue
		}
		out = append(out, m)
	}
	return out
}

// Summary says the milestone in a few words with its day: "no first response, due
// 2026-11-23", "the API key expires on 2027-04-13". It depends on nothing but the milestone.
func (m Milestone) Summary() string {
	if m.Who == "staff" {
		return m.Label + ", due " + m.Due.String()
	}
	return m.Label + " on " + m.Due.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// AcceptanceNeeded names what a requester must accept, in acceptance.yaml, before a key is
// issued under c.
func AcceptanceNeeded(c *docket.Conditions) string {
	what := "terms " + c.TermsVersion
	if c.DataSharingAgreement {
		what += " and the signed data-sharing agreement"
	}
	return what
}
