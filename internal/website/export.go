package website

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strconv"
	"strings"
	"unicode"

	"github.com/opendata-docket/docket/internal/docket"
)

// The whole public log as open data: requests.json (everything on the request pages) and
// requests.csv (one row a request), with the columns documented on data/index.html.

// csvColumn is one column of requests.csv.
type csvColumn struct {
	Name, Description string
	value             func(*Entry) string
}

func date(d docket.Date) string { return d.String() }

func num(n int) string {
	if n < 0 {
		return ""
	}
	return strconv.Itoa(n)
}

var csvColumns = []csvColumn{
	{"id", "The request's id: the name of its folder, requests/<id>.", func(e *Entry) string { return e.ID }},
	{"title", "The request's title, as the requester wrote it; for a pull request not merged yet, \"Proposed request\" and its id (nobody has reviewed its title).", func(e *Entry) string { return e.Title }},
	{"kind", "dataset (publish a new dataset) or api-access (a key for published datasets); empty for a pull request not merged yet.", func(e *Entry) string { return string(e.Kind) }},
	{"status", "Where the request stands: submitted, acknowledged, needs-info, approved, denied, appealed, withdrawn, suspended, revoked or expired.", func(e *Entry) string { return string(e.Status) }},
	{"requester_github", "The GitHub login of the requester; for a pull request not merged yet, of its author.", func(e *Entry) string { return e.Requester.GitHub }},
	{"requester_name", "The requester's name, if they chose to give it.", func(e *Entry) string { return e.Requester.Name }},
	{"requester_organization", "The organisation the requester represents; empty for individuals.", func(e *Entry) string { return e.Requester.Organization }},
	{"requester_type", "individual, nonprofit, academic, business, government or media.", func(e *Entry) string { return e.Requester.Type }},
	{"datasets", "For API access: the catalog ids of the datasets asked for, separated by semicolons.", func(e *Entry) string {
		if e.Record != nil && e.Record.Request.APIAccess != nil {
			return strings.Join(e.Record.Request.APIAccess.Datasets, ";")
		}
		return ""
	}},
	{"submitted", "The day the requester asked (YYYY-MM-DD, in the program's time zone): when the pull request that added the request was opened, or without a ledger the day it reached the docket; empty when it was imported with decisions already made.", func(e *Entry) string { return date(e.Submitted) }},
	{"submitted_before", "For imported requests: the earliest day in their files, before which they were submitted.", func(e *Entry) string {
		if e.Submitted.IsZero() {
			return date(e.SubmittedBefore)
		}
		return ""
	}},
	{"first_response", "The day staff first answered (acknowledged, asked for information or decided).", func(e *Entry) string { return date(e.FirstResponse) }},
	{"decided", "The day of the final decision: the approval or denial in force (for an appealed request, the decision on appeal).", func(e *Entry) string { return date(e.Decided) }},
	{"days_to_first_response", "Calendar days from submitted to first_response.", func(e *Entry) string { return num(e.DaysToFirstResponse) }},
	{"days_to_decision", "Calendar days from submitted to decided (the final decision).", func(e *Entry) string { return num(e.DaysToDecision) }},
	{"days_open", "For open requests: calendar days from submitted to the day the site was built as of.", func(e *Entry) string { return num(e.DaysOpen) }},
	{"overdue", "true when an open request has missed a service target.", func(e *Entry) string { return strconv.FormatBool(e.Overdue != "") }},
	{"outcome", "The current decision: acknowledged, needs-info, approved, denied or withdrawn.", func(e *Entry) string {
		if e.Record != nil && e.Record.Decision != nil {
			return string(e.Record.Decision.Outcome)
		}
		return ""
	}},
	{"review", "initial, or appeal for a decision that answers an appeal.", func(e *Entry) string {
		if e.Record != nil && e.Record.Decision != nil && e.Record.Decision.Outcome != docket.OutcomeWithdrawn {
			return e.Record.Decision.Review
		}
		return ""
	}},
	{"reason_code", "For denials: the main reason (privacy, security, feasibility, resources, legal, already-available, out-of-scope, incomplete, misuse or other).", func(e *Entry) string {
		if e.Record != nil && e.Record.Decision != nil && e.Record.Decision.Outcome != docket.OutcomeWithdrawn {
			return e.Record.Decision.ReasonCode
		}
		return ""
	}},
	{"decided_by", "The login that wrote the current decision: a staff member's, or for withdrawn the requester's own (or a staff member's who withdrew the request on the requester's behalf).", func(e *Entry) string {
		if e.Record != nil && e.Record.Decision != nil {
			return e.Record.Decision.DecidedBy
		}
		return ""
	}},
	{"appealed", "The day of the requester's appeal, if any.", func(e *Entry) string {
		if e.Record != nil && e.Record.Appeal != nil {
			return date(e.Record.Appeal.Date)
		}
		return ""
	}},
	{"pull_request", "For a request still in an open pull request: its address.", func(e *Entry) string {
		if e.PR != nil {
			return e.PR.URL
		}
		return ""
	}},
	{"page", "The request's page, relative to the site's root.", func(e *Entry) string {
		if e.Record != nil {
			return "requests/" + e.ID + "/index.html"
		}
		return ""
	}},
	// Columns added later go after the ones above, so a reader that counts columns keeps working.
	{"first_decided", "The day the request was first approved or denied, before any appeal.", func(e *Entry) string { return date(e.FirstReview) }},
	{"days_to_first_decision", "Calendar days from submitted to first_decided.", func(e *Entry) string { return num(e.DaysToFirstReview) }},
	{"appeal_decided", "The day the appeal was decided, if it was.", func(e *Entry) string { return date(e.AppealDecided) }},
	{"days_to_appeal_decision", "Calendar days from the appeal (the day the pull request adding appeal.yaml was opened, or without a ledger the day it reached the docket) to appeal_decided.", func(e *Entry) string { return num(e.DaysToAppealDecision) }},
	{"appeal_overdue", "true when an appeal still waiting for its decision has passed the appeal decision target.", func(e *Entry) string { return strconv.FormatBool(e.AppealOverdue != "") }},
	{"decisions", "Every decision in order, oldest first, separated by semicolons: outcome (with \"on appeal\" for a decision on appeal) and the day it reached the docket, like denied 2026-03-02;approved on appeal 2026-04-20.", func(e *Entry) string {
		var parts []string
		for _, st := range e.Steps {
			if st.Kind != StepDecision {
				continue
			}
			p := string(st.Decision.Outcome)
			if st.Decision.OnAppeal() {
				p += " on appeal"
			}
			if !st.Day.IsZero() {
				p += " " + st.Day.String()
			}
			parts = append(parts, p)
		}
		return strings.Join(parts, ";")
	}},
	{"publication_overdue", "For an approved dataset: true when its planned publication day has passed and it is not published.", func(e *Entry) string { return strconv.FormatBool(e.PublicationOverdue != "") }},
	{"days_waiting_for_publication_date", "For an approved dataset with no planned publication day: calendar days since the decision.", func(e *Entry) string { return num(e.DaysWaitingForPlan) }},
	{"support", "How many people support the request: the 👍 reactions on GitHub where it was asked, as last counted; empty when not counted.", func(e *Entry) string { return num(e.Support) }},
	{"conversation", "The address of the issue or pull request on GitHub where the request was asked; empty when not known.", func(e *Entry) string { return e.Thread }},
}

// spreadsheetSafe keeps a spreadsheet from reading a cell as a formula: text that starts with
// = + - @ or a control character gets a leading apostrophe, as OWASP advises for CSV exports.
func spreadsheetSafe(s string) string {
	// Spreadsheets may trim leading spaces (of any kind) before deciding a cell is a formula.
	trimmed := strings.TrimLeftFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' })
	if trimmed == "" {
		return s
	}
	switch trimmed[0] {
	case '=', '+', '-', '@', '\t', '\r', '\n':
		return "'" + s
	}
	return s
}

// jsonRecord is one request in requests.json.
type jsonRecord struct {
	ID                  string           `json:"id"`
	Page                string           `json:"page,omitempty"`
	Status              docket.Status    `json:"status"`
	Overdue             string           `json:"overdue,omitempty"`
	Submitted           string           `json:"submitted,omitempty"`
	SubmittedBefore     string           `json:"submitted_before,omitempty"`
	FirstResponse       string           `json:"first_response,omitempty"`
	Decided             string           `json:"decided,omitempty"`
	DaysToFirstResponse *int             `json:"days_to_first_response,omitempty"`
	DaysToDecision      *int             `json:"days_to_decision,omitempty"`
	DaysOpen            *int             `json:"days_open,omitempty"`
	PullRequest         *jsonPR          `json:"pull_request,omitempty"`
	Request             *docket.Request  `json:"request,omitempty"`
	Decision            *docket.Decision `json:"decision,omitempty"`
	// WithdrawalNote is the requester's own note on a withdrawal: their words, not the city's.
	WithdrawalNote string              `json:"withdrawal_note,omitempty"`
	Appeal         *docket.Appeal      `json:"appeal,omitempty"`
	Enforcement    *docket.Enforcement `json:"enforcement,omitempty"`
	Timeline       []jsonEvent         `json:"timeline,omitempty"`
	// Added later; see decisions.go.
	Decisions            []jsonStep `json:"decisions,omitempty"`
	FirstDecided         string     `json:"first_decided,omitempty"`
	DaysToFirstDecision  *int       `json:"days_to_first_decision,omitempty"`
	AppealDecided        string     `json:"appeal_decided,omitempty"`
	DaysToAppealDecision *int       `json:"days_to_appeal_decision,omitempty"`
	AppealOverdue        string     `json:"appeal_overdue,omitempty"`
	PublicationOverdue   string     `json:"publication_overdue,omitempty"`
	DaysWaitingForPlan   *int       `json:"days_waiting_for_publication_date,omitempty"`
	Support              *int       `json:"support,omitempty"`      // 👍 on GitHub, as last counted
	Conversation         string     `json:"conversation,omitempty"` // where it was asked, on GitHub
}

// jsonStep is one step of the review in requests.json: a decision as it was written, an
// appeal, or the requester's answer to a request for information.
type jsonStep struct {
	Step     string           `json:"step"`          // decision, appeal or answer
	Day      string           `json:"day,omitempty"` // the day it reached the docket
	Commit   string           `json:"commit,omitempty"`
	Current  bool             `json:"current,omitempty"` // the decision in force, given in full as the record's "decision"
	Decision *docket.Decision `json:"decision,omitempty"`
	Appeal   *docket.Appeal   `json:"appeal,omitempty"`
}

func jsonSteps(ss []Step) []jsonStep {
	var out []jsonStep
	for _, st := range ss {
		j := jsonStep{Step: st.Kind, Day: date(st.Day), Commit: st.Commit, Current: st.Current, Decision: st.Decision, Appeal: st.Appeal}
		if st.Current {
			// The decision in force is the record's "decision" (and the appeal, its "appeal"):
			// written once, so ten thousand requests do not carry every decision twice.
			j.Decision = nil
		} else if d := st.Decision; d != nil && d.Outcome == docket.OutcomeWithdrawn {
			// As for the current decision: a withdrawal holds no findings of the city.
			j.Decision = &docket.Decision{Outcome: d.Outcome, DecidedBy: d.DecidedBy, Date: d.Date}
		}
		out = append(out, j)
	}
	return out
}

// jsonPR is a pull request not merged yet: only what Proposal keeps.
type jsonPR struct {
	Number int    `json:"number"`
	Author string `json:"author,omitempty"`
	URL    string `json:"url,omitempty"`
	Opened string `json:"opened,omitempty"`
}

type jsonEvent struct {
	Time   string `json:"time,omitempty"` // empty when the commit's time is not known
	Change string `json:"change"`
	File   string `json:"file,omitempty"`
	Commit string `json:"commit"`
}

func opt(n int) *int {
	if n < 0 {
		return nil
	}
	return &n
}

func (s *builtSite) exports() []job {
	return []job{
		{path: "requests.csv", render: func(buf *bufio.Writer) error {
			w := csv.NewWriter(buf)
			head := make([]string, len(csvColumns))
			for i, c := range csvColumns {
				head[i] = c.Name
			}
			if err := w.Write(head); err != nil {
				return err
			}
			row := make([]string, len(csvColumns))
			for _, e := range s.entries {
				for i, c := range csvColumns {
					row[i] = spreadsheetSafe(c.value(e))
				}
				if err := w.Write(row); err != nil {
					return err
				}
			}
			w.Flush()
			return w.Error()
		}},
		{path: "requests.json", render: func(buf *bufio.Writer) error {
			// One record at a time, in the bytes json.Encoder with SetIndent("", " ") gives
			// for the whole array, so the export of a large docket is never held in memory.
			if len(s.entries) == 0 {
				_, err := buf.WriteString("[]\n")
				return err
			}
			var one bytes.Buffer
			enc := json.NewEncoder(&one)
			enc.SetIndent(" ", " ")
			buf.WriteString("[\n")
			for i, e := range s.entries {
				r := jsonRecord{ID: e.ID, Status: e.Status, Overdue: e.Overdue,
					Submitted: date(e.Submitted), FirstResponse: date(e.FirstResponse), Decided: date(e.Decided),
					DaysToFirstResponse: opt(e.DaysToFirstResponse), DaysToDecision: opt(e.DaysToDecision), DaysOpen: opt(e.DaysOpen)}
				if e.Submitted.IsZero() {
					r.SubmittedBefore = date(e.SubmittedBefore)
				}
				if e.PR != nil {
					r.PullRequest = &jsonPR{Number: e.PR.Number, Author: e.PR.Author, URL: e.PR.URL}
					if !e.PR.Opened.IsZero() {
						r.PullRequest.Opened = e.PR.Opened.Format("2006-01-02T15:04:05Z")
					}
				}
				if rec := e.Record; rec != nil {
					r.Page = "requests/" + e.ID + "/index.html"
					req := *rec.Request
					req.Delivery = nil // how a key reaches the requester is nobody else's business
					r.Request, r.Decision, r.Appeal, r.Enforcement = &req, rec.Decision, rec.Appeal, rec.Enforcement
					if d := rec.Decision; d != nil && d.Outcome == docket.OutcomeWithdrawn {
						// A withdrawal is the requester's: nothing in it may pass for the city's findings.
						r.Decision = &docket.Decision{Outcome: d.Outcome, DecidedBy: d.DecidedBy, Date: d.Date}
						r.WithdrawalNote = d.Note
					}
				}
				r.Decisions = jsonSteps(e.Steps)
				r.FirstDecided, r.AppealDecided = date(e.FirstReview), date(e.AppealDecided)
				r.DaysToFirstDecision, r.DaysToAppealDecision = opt(e.DaysToFirstReview), opt(e.DaysToAppealDecision)
				r.AppealOverdue, r.PublicationOverdue = e.AppealOverdue, e.PublicationOverdue
				r.DaysWaitingForPlan = opt(e.DaysWaitingForPlan)
				r.Support, r.Conversation = opt(e.Support), e.Thread
				for _, ev := range e.Events {
					je := jsonEvent{Change: string(ev.Change), File: ev.File, Commit: ev.Commit}
					if !ev.Time.IsZero() {
						je.Time = ev.Time.UTC().Format("2006-01-02T15:04:05Z")
					}
					r.Timeline = append(r.Timeline, je)
				}
				one.Reset()
				if err := enc.Encode(r); err != nil {
					return err
				}
				if i > 0 {
					buf.WriteString(",\n")
				}
				buf.WriteByte(' ')
				buf.Write(bytes.TrimSuffix(one.Bytes(), []byte("\n")))
			}
			_, err := buf.WriteString("\n]\n")
			return err
		}},
	}
}
