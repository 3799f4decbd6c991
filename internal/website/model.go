package website

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/history"
	"github.com/opendata-docket/docket/internal/ledger"
	"github.com/opendata-docket/docket/internal/repo"
)

// Entry is one request as the site shows it: a request folder, or an open pull request that
// adds one.
type Entry struct {
	ID        string
	Title     string
	Kind      docket.RequestKind
	Requester docket.Requester
	Who       string // the organisation, else the requester's name, else "individual"
	Status    docket.Status
	Open      bool // waiting for the city or for an appeal
	Record    *docket.Record
	PR        *Proposal // set for a pull request not merged yet

	// Milestones, each a day in the program's time zone.
	//
	// Submitted is when the clock starts, for every counter, median, share within target,
	// overdue list and export: the day the requester asked, that is the day the pull request
	// that added the request was opened (from the ledger; for an open pull request, from
	// GitHub). Without a ledger entry it is the day the request reached the default branch,
	// and SubmittedFrom says so. A request imported with decisions already made has no known
	// submission day: SubmittedBefore then holds the earliest day in its files and AddedOn
	// the day it was added to the docket.
	Submitted       docket.Date
	SubmittedFrom   SubmittedFrom
	SubmittedBefore docket.Date
	AddedOn         docket.Date
	FirstResponse   docket.Date
	Decided         docket.Date

	DaysToFirstResponse int // -1 when not known
	DaysToDecision      int // -1 when not known or not decided
	DaysOpen            int // -1 when closed or not known
	// Overdue says how an open request misses a service target; empty when it does not.
	Overdue string
	// LateFirstResponse and LateDecision say a target was missed, open or closed.
	LateFirstResponse, LateDecision bool

	Events  []history.Event
	sortKey docket.Date

	// The review step by step, and its times (see decisions.go). Decided above is the final
	// decision; FirstReview the first approval or denial, before any appeal.
	Steps                                   []Step
	FirstReview, AppealFiled, AppealDecided docket.Date
	DaysToFirstReview                       int // -1 when not known
	DaysToAppealDecision                    int // from the appeal to the decision on it; -1 when none
	DaysOnAppeal                            int // an open appeal's days so far; -1 otherwise
	LateAppeal                              bool
	AppealOverdue                           string // an open appeal past its target; "" otherwise
	// PublicationOverdue says an approved dataset's planned publication day has passed
	// without it being published; DaysWaitingForPlan counts the days an approved dataset
	// with no planned day has waited (-1 otherwise).
	PublicationOverdue string
	DaysWaitingForPlan int

	// Thread is the address of the issue or pull request where the request was asked ("" when
	// the ledger does not know it); Support its 👍 reactions when the ledger last counted them
	// (-1: not counted). See support.go.
	Thread  string
	Support int

	// files are the files validation read in the request's folder, so that its page reads
	// only those (nil: not known, every name is tried).
	files map[docket.FileKind]*repo.File
}

// SubmittedFrom says where an entry's Submitted day comes from.
type SubmittedFrom string

const (
	// FromPullRequest: the day its pull request was opened, as GitHub recorded it.
	FromPullRequest SubmittedFrom = "pull request opened"
	// FromCommit: the day the request reached the default branch (no ledger entry).
	FromCommit SubmittedFrom = "commit"
	// FromNothing: not known (SubmittedBefore may bound it).
	FromNothing SubmittedFrom = ""
)

// dayOf is the calendar day of t in t's location. Times reach the model in the program's time
// zone (zoned converts them), so this is the day in that zone.
func dayOf(t time.Time) docket.Date { return docket.DateOf(t) }

// zoneOf returns the program's time zone; UTC when none is set or the name is not known (which
// validation reports as an error before any site is built).
func zoneOf(cfg *docket.Config) *time.Location {
	if cfg == nil {
		return time.UTC
	}
	loc, _ := cfg.Program.Location()
	return loc
}

// zoned returns the history with every time in loc and, for every change the ledger knows the
// pull request of, the time GitHub merged it rather than the commit's own (which anyone can
// write). The history given is not changed.
func zoned(h *history.History, l *ledger.Ledger, loc *time.Location) *history.History {
	if h == nil {
		return nil
	}
	out := *h
	if !out.HeadTime.IsZero() {
		out.HeadTime = out.HeadTime.In(loc)
	}
	out.Events = make(map[string][]history.Event, len(h.Events))
	for id, evs := range h.Events {
		zs := slices.Clone(evs)
		for i := range zs {
			if pr := l.ByCommit(id, zs[i].Commit); pr != nil && history.Plausible(pr.MergedAt) {
				zs[i].Time = pr.MergedAt
				// The request and an appeal are the requester's acts: their clocks start when
				// they asked, the day the pull request was opened, not when staff merged it.
				if (zs[i].Change == history.Submitted || zs[i].Change == history.Appealed) && history.Plausible(pr.OpenedAt) && !pr.OpenedAt.After(pr.MergedAt) {
					zs[i].Time = pr.OpenedAt
				}
			}
			if !zs[i].Time.IsZero() {
				zs[i].Time = zs[i].Time.In(loc)
			}
		}
		out.Events[id] = zs
	}
	return &out
}

// Proposal is what the site shows of a pull request that is not merged yet: facts the platform
// sets. Its title, body, branch and every other text its author chose stay off every page,
// feed and export: nobody has reviewed any of it. Entries hold a Proposal, never the pull
// request, so no template or export can reach more.
type Proposal struct {
	Number int
	Author string    // the GitHub login of its author, or "" when it is not one
	URL    string    // the repository's address and the number; "" when the address is not known
	Opened time.Time // when the requester asked (the pull request, or its intake issue, opened); zero when the platform's time is not believable
}

func proposal(pr *docket.ProposedRequest, source string) *Proposal {
	p := &Proposal{Number: max(pr.Number, 0)}
	if validLogin(pr.Author) {
		p.Author = pr.Author
	}
	if source != "" && p.Number > 0 {
		// Built from the repository's own address rather than taken from the platform's answer.
		p.URL = source + "/pull/" + strconv.Itoa(p.Number)
	}
	opened := pr.Created
	if !pr.Asked.IsZero() {
		opened = pr.Asked // the issue docket intake made it from
	}
	if history.Plausible(opened) {
		p.Opened = opened.UTC()
	}
	return p
}

// entries derives the entries of every request, newest first.
func entries(in *Input, asOf docket.Date, source string) []*Entry {
	targets := docket.ServiceTargets{}
	if in.Repo.Config != nil {
		targets = in.Repo.Config.ServiceTargets
	}
	loc := zoneOf(in.Repo.Config)
	threads := threadBase(source, in.Ledger)
	var out []*Entry
	known := map[string]bool{}
	for _, f := range in.Repo.Folders {
		rec := &f.Record
		if rec.Request == nil {
			continue
		}
		known[f.ID] = true
		e := &Entry{ID: f.ID, Record: rec, Title: rec.Request.Title, Kind: rec.Request.Kind, Requester: rec.Request.Requester, files: f.Files}
		e.Status = rec.Status(asOf)
		if in.History != nil {
			e.Events = in.History.Events[f.ID]
		}
		milestones(e, in.Ledger, loc)
		reviews(e)
		support(e, in.Ledger, threads)
		out = append(out, e)
	}
	// A pull request not merged yet has been reviewed by nobody: it is listed once, under the id
	// of its first new request (a slug, checked by GitHub's side of docket check) rather than its
	// title, which anyone can write. It counts as an open request from the day it was opened.
	// Only what proposal keeps of it reaches the site.
	for i := range in.Pending {
		pr := &in.Pending[i]
		for _, id := range pr.IDs {
			if known[id] || !docket.ValidID(id) {
				continue
			}
			known[id] = true
			p := proposal(pr, source)
			e := &Entry{ID: id, PR: p, Title: "Proposed request " + id, Status: docket.StatusSubmitted, Requester: docket.Requester{GitHub: p.Author}}
			if !p.Opened.IsZero() {
				e.Submitted, e.SubmittedFrom = docket.DayIn(p.Opened, loc), FromPullRequest
			}
			if history.Plausible(pr.Answered) {
				// Staff reviewed or commented on it: the first response, which stops the
				// first-response clock.
				e.FirstResponse = docket.DayIn(pr.Answered, loc)
			}
			out = append(out, e)
			break
		}
	}
	for _, e := range out {
		e.Who = cmp.Or(e.Requester.Organization, e.Requester.Name, "individual")
		if e.PR != nil {
			e.Support = -1 // counted once the request is in the docket
			e.Who = "—"    // not known until the request is reviewed and merged
		}
		e.Open = e.Status.Open()
		// An open pull request is an open request from the day it was opened: it is overdue
		// when the first-response target passes before staff answer it.
		counters(e, asOf, targets)
		reviewCounters(e, asOf, targets)
		e.sortKey = e.Submitted
		if e.sortKey.IsZero() {
			e.sortKey = e.SubmittedBefore
		}
	}
	slices.SortFunc(out, func(a, b *Entry) int {
		if c := b.sortKey.Time().Compare(a.sortKey.Time()); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out
}

// milestones reads a request's days from its timeline, falling back to the dates written in
// its files when there is no timeline. The timeline's days are set by the hosting platform:
// when the ledger knows the pull request that added the request, the request was submitted
// on the day that pull request was opened; every other change is dated when it was merged.
func milestones(e *Entry, l *ledger.Ledger, loc *time.Location) {
	rec := e.Record
	earliest := earliestFileDate(rec)
	var gitSubmitted docket.Date
	from := FromCommit
	var submittedBy *ledger.PullRequest // the pull request that added the request, per the ledger
	submittedIn := ""                   // the commit that added it
	for _, ev := range e.Events {
		day := dayOf(ev.Time)
		if ev.Change == history.Submitted && gitSubmitted.IsZero() {
			gitSubmitted, submittedIn = day, ev.Commit
			if pr := l.ByCommit(e.ID, ev.Commit); pr != nil && history.Plausible(pr.OpenedAt) {
				if opened := docket.DayIn(pr.OpenedAt, loc); !opened.After(day) {
					gitSubmitted, from, submittedBy = opened, FromPullRequest, pr
				}
			}
		}
		if ev.Change.IsDecision() && ev.Change != history.Withdrawn && e.FirstResponse.IsZero() {
			e.FirstResponse = day
		}
		if (ev.Change == history.Approved || ev.Change == history.Denied) && e.Decided.IsZero() {
			e.Decided = day
		}
	}
	d := rec.Decision
	if len(e.Events) == 0 && d != nil {
		if d.Outcome != docket.OutcomeWithdrawn {
			e.FirstResponse = d.Date
		}
		if d.Outcome == docket.OutcomeApproved || d.Outcome == docket.OutcomeDenied {
			e.Decided = d.Date
		}
	}
	switch {
	case gitSubmitted.IsZero():
		e.SubmittedBefore = earliest
	case !earliest.IsZero() && earliest.Before(gitSubmitted) && (submittedBy == nil || importedWith(e, l, submittedBy, submittedIn)):
		// Decided before it was added: the request was imported, and when it was really
		// submitted is not known. Counting days from the import would be wrong, and so would
		// dating its decisions by the import: the files' own dates say when they were made.
		e.SubmittedBefore, e.AddedOn = earliest, gitSubmitted
		if d != nil && !e.FirstResponse.After(gitSubmitted) {
			e.FirstResponse = docket.Date{}
			if d.Outcome != docket.OutcomeWithdrawn {
				e.FirstResponse = d.Date
			}
		}
		if d != nil && !e.Decided.After(gitSubmitted) {
			e.Decided = docket.Date{}
			if d.Outcome == docket.OutcomeApproved || d.Outcome == docket.OutcomeDenied {
				e.Decided = d.Date
			}
		}
	default:
		e.Submitted, e.SubmittedFrom = gitSubmitted, from
	}
}

// importedWith reports whether a decision, appeal or enforcement history came into the docket
// with the request itself: in the commit that added it, or in the same pull request (pr, per the
// ledger). Only then can a day written in a file before the pull request was opened be a real
// earlier day (an import); a file added by a later change that dates itself before the
// requester asked, as GitHub recorded it, does not move the submission.
func importedWith(e *Entry, l *ledger.Ledger, pr *ledger.PullRequest, commit string) bool {
	for _, ev := range e.Events {
		if ev.Change == history.Submitted {
			continue
		}
		if ev.Commit == commit {
			return true
		}
		if other := l.ByCommit(e.ID, ev.Commit); other != nil && other.Number == pr.Number {
			return true
		}
	}
	return false
}

// earliestFileDate is the first day written in any of a request's files.
func earliestFileDate(rec *docket.Record) docket.Date {
	var out docket.Date
	for _, d := range rec.Dates() {
		if !d.IsZero() && (out.IsZero() || d.Before(out)) {
			out = d
		}
	}
	return out
}

func days(from, to docket.Date) int {
	if from.IsZero() || to.IsZero() {
		return -1
	}
	return max(from.DaysUntil(to), 0)
}

func counters(e *Entry, asOf docket.Date, t docket.ServiceTargets) {
	e.DaysToFirstResponse = days(e.Submitted, e.FirstResponse)
	e.DaysToDecision = days(e.Submitted, e.Decided)
	e.DaysOpen = -1
	if e.Open {
		e.DaysOpen = days(e.Submitted, asOf)
	}
	if t.FirstResponseDays > 0 {
		if e.DaysToFirstResponse > t.FirstResponseDays {
			e.LateFirstResponse = true
		}
		if e.FirstResponse.IsZero() && e.DaysOpen > t.FirstResponseDays {
			e.LateFirstResponse = true
			e.Overdue = plural(e.DaysOpen, "day", "days") + " without a first response; the target is " + plural(t.FirstResponseDays, "day", "days")
		}
	}
	if t.DecisionDays > 0 {
		if e.DaysToDecision > t.DecisionDays {
			e.LateDecision = true
		}
		// A request waiting for the requester's answer, or on appeal, is not on the first
		// decision's clock.
		waiting := e.Status == docket.StatusSubmitted || e.Status == docket.StatusAcknowledged
		if waiting && e.Decided.IsZero() && e.DaysOpen > t.DecisionDays {
			e.LateDecision = true
			if e.Overdue == "" {
				e.Overdue = plural(e.DaysOpen, "day", "days") + " without a decision; the target is " + plural(t.DecisionDays, "day", "days")
			}
		}
	}
}

// validLogin reports whether s has the shape of a GitHub login, as the schemas write it:
// letters, digits and single hyphens, at most 39 characters.
func validLogin(s string) bool {
	if s == "" || len(s) > 39 || s[0] == '-' || s[len(s)-1] == '-' || strings.Contains(s, "--") {
		return false
	}
	for _, r := range s {
		if !(r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}
