package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/draft"
	"github.com/opendata-docket/docket/internal/queue"
	"github.com/opendata-docket/docket/internal/report"
	"github.com/opendata-docket/docket/internal/website"
)

const statusUsage = `Usage: docket status [ID] [--appeal-days N] [--expiry-days N] [--repo DIR] [--as-of YYYY-MM-DD]

With a request's id, says where the request stands, what happens next and by when, in plain
words. Without one, prints the staff queue: requests waiting for a first response or a
decision, oldest first and against the service targets (those past a target are marked
OVERDUE, as on the site), requests waiting for the requester's answer, appeals to decide,
appeal windows closing soon and keys expiring soon.

Dates come from the files and, for when a request was submitted, from the git history of the
repository (a request reaches the docket when its pull request is merged).

Flags:
    --appeal-days N     an appeal window closing within N days is listed (default 7)
    --expiry-days N     a key expiring within N days is listed (default 30)
    --repo DIR          the repository (default: the one the current folder is in)
` + asOfHelp + `

Exit status: 0 when the status was printed, 1 when the request does not exist or the
repository cannot be read, 2 when docket was called wrongly.
`

func runStatus(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("status")
	within := addWithin(fs)
	dir := fs.String("repo", repoRoot(), "")
	clk := addClock(fs)
	id, code, ok := parseWithID(fs, statusUsage, args, true, stdout, stderr)
	if !ok {
		return code
	}
	today, err := clk.today()
	if err != nil {
		errorf(stderr, "%s", err)
		return 2
	}
	opts, err := within.options()
	if err != nil {
		errorf(stderr, "%s", err)
		return 2
	}
	ws, code := openWorkspace(*dir, today, stderr)
	if ws == nil {
		return code
	}
	entries, note := ws.entries()
	if note != "" {
		sayf(stderr, "no submission days: %s", note)
	}
	if id == "" {
		printQueue(stdout, queue.Build(entries, ws.cfg, today, opts), ws.cfg, today)
		return 0
	}
	if _, err := ws.folder(id); err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	for _, e := range entries {
		if e.ID == id && e.PR == nil {
			printStatus(stdout, e, ws.cfg, today)
			return 0
		}
	}
	errorf(stderr, "there is no request %s", id)
	return 1
}

// printQueue prints the staff queue, section by section.
func printQueue(w io.Writer, items []queue.Item, cfg *docket.Config, today docket.Date) {
	t := cfg.ServiceTargets
	appeal := ""
	if t.AppealDecisionDays > 0 {
		appeal = ", a decision on appeal within " + docket.Count(t.AppealDecisionDays, "day", "days")
	}
	fmt.Fprintf(w, "Staff queue as of %s (targets: a first response within %s, a decision within %s%s)\n", today, docket.Count(t.FirstResponseDays, "day", "days"), docket.Count(t.DecisionDays, "day", "days"), appeal)
	if len(items) == 0 {
		fmt.Fprintln(w, "\nNothing waits: no open request, no appeal window closing and no key expiring soon.")
		return
	}
	for _, sec := range queue.Sections {
		var in []queue.Item
		overdue := 0
		for _, it := range items {
			if it.Section == sec {
				in = append(in, it)
				if it.Overdue != "" {
					overdue++
				}
			}
		}
		if len(in) == 0 {
			continue
		}
		head := fmt.Sprintf("\n%s (%d", sec, len(in))
		if overdue > 0 {
			head += fmt.Sprintf(", %d overdue", overdue)
		}
		fmt.Fprintln(w, head+"):")
		for _, it := range in {
			var parts []string
			switch {
			case it.Since.IsZero():
				parts = append(parts, "submitted on a day not known (no git history)")
			case sec == queue.FirstResponse || sec == queue.Decision:
				parts = append(parts, fmt.Sprintf("submitted %s, open %s", it.Since, docket.Count(it.Days, "day", "days")))
			}
			if !it.Due.IsZero() {
				switch sec {
				case queue.FirstResponse:
					parts = append(parts, "answer due "+it.Due.String())
				case queue.Decision:
					parts = append(parts, "decision due "+it.Due.String())
				case queue.AppealWindows:
					parts = append(parts, "appeal deadline "+it.Due.String())
				case queue.Appeals:
					parts = append(parts, "decision on appeal due "+it.Due.String())
				case queue.Expiring:
					parts = append(parts, "expires "+it.Due.String())
				}
			}
			if it.Note != "" {
				parts = append(parts, it.Note)
			}
			line := "  " + it.ID + "  " + strings.Join(parts, "; ")
			if it.Overdue != "" {
				line += "\n      OVERDUE: " + it.Overdue
			}
			fmt.Fprintln(w, line) // ids, dates and docket's own words
		}
	}
}

// printStatus says where one request stands, for its requester.
func printStatus(w io.Writer, e *website.Entry, cfg *docket.Config, today docket.Date) {
	rec := e.Record
	req := rec.Request
	d := rec.Decision
	// What the requester and staff wrote is escaped line by line; the rest is docket's.
	who := req.Requester.GitHub
	if req.Requester.Organization != "" {
		who += " (" + report.Printable(req.Requester.Organization) + ")"
	}
	kind := "a new dataset"
	if req.Kind == docket.KindAPIAccess {
		kind = "API access to " + strings.Join(req.APIAccess.Datasets, ", ")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n", e.ID, report.Printable(req.Title))
	fmt.Fprintf(&b, "Asks for %s, by %s.\n\n", kind, who)
	fmt.Fprintf(&b, "Status: %s, as of %s.\n", statusWords(e.Status), today)
	t := cfg.ServiceTargets
	switch {
	case !e.Submitted.IsZero():
		fmt.Fprintf(&b, "Submitted: %s", e.Submitted)
		if e.DaysToDecision >= 0 {
			fmt.Fprintf(&b, "; decided in %s (the target is %s)", docket.Count(e.DaysToDecision, "day", "days"), docket.Count(t.DecisionDays, "day", "days"))
		} else if e.DaysOpen >= 0 {
			fmt.Fprintf(&b, "; open %s", docket.Count(e.DaysOpen, "day", "days"))
		}
		b.WriteString(".\n")
	case !e.SubmittedBefore.IsZero():
		fmt.Fprintf(&b, "Submitted: before %s (the day it reached the docket is not known).\n", e.SubmittedBefore)
	}
	if d != nil {
		fmt.Fprintf(&b, "Decision: %s on %s by %s", d.Outcome, d.Date, d.DecidedBy)
		if d.OnAppeal() {
			b.WriteString(", on appeal")
		}
		b.WriteString(".\n")
	}
	if e.Overdue != "" {
		fmt.Fprintf(&b, "Overdue: %s.\n", e.Overdue)
	}
	b.WriteString("\nWhat happens next:\n")
	for _, s := range nextFor(e, cfg, today) {
		b.WriteString("  " + s + "\n")
	}
	fmt.Fprint(w, b.String())
}

func statusWords(s docket.Status) string {
	switch s {
	case docket.StatusSubmitted:
		return "submitted, waiting for staff to answer"
	case docket.StatusAcknowledged:
		return "acknowledged: staff are reviewing it"
	case docket.StatusNeedsInfo:
		return "needs information: staff asked the requester questions"
	case docket.StatusApproved:
		return "approved"
	case docket.StatusDenied:
		return "denied"
	case docket.StatusAppealed:
		return "appealed: the appeal waits for a decision"
	case docket.StatusWithdrawn:
		return "withdrawn by the requester"
	case docket.StatusSuspended:
		return "approved, and the key is suspended"
	case docket.StatusRevoked:
		return "approved, and the key was revoked"
	case docket.StatusExpired:
		return "approved, and the key has expired"
	}
	return string(s)
}

// nextFor says what happens next and by when, in plain words.
func nextFor(e *website.Entry, cfg *docket.Config, today docket.Date) []string {
	rec := e.Record
	d := rec.Decision
	t := cfg.ServiceTargets
	when := func(due docket.Date) string {
		switch n := today.DaysUntil(due); {
		case n > 0:
			return fmt.Sprintf("%s, in %s", due, docket.Count(n, "day", "days"))
		case n == 0:
			return fmt.Sprintf("%s, today", due)
		default:
			return fmt.Sprintf("%s, %s ago", due, docket.Count(-n, "day", "days"))
		}
	}
	var out []string
	switch e.Status {
	case docket.StatusSubmitted:
		if e.Submitted.IsZero() {
			out = append(out, fmt.Sprintf("Staff aim to answer within %s and to decide within %s.", docket.Count(t.FirstResponseDays, "day", "days"), docket.Count(t.DecisionDays, "day", "days")))
		} else {
			out = append(out, fmt.Sprintf("Staff aim to answer by %s, and to decide by %s.", when(e.Submitted.AddDays(t.FirstResponseDays)), when(e.Submitted.AddDays(t.DecisionDays))))
		}
		out = append(out, "They may ask questions in the pull request; the answer comes as a decision file.")
	case docket.StatusAcknowledged:
		if d.EstimatedReviewDays > 0 {
			out = append(out, fmt.Sprintf("Staff expect to decide by %s.", when(d.Date.AddDays(d.EstimatedReviewDays))))
		}
		out = append(out, "They weigh the request against "+criteriaWords(cfg)+".")
	case docket.StatusNeedsInfo:
		out = append(out, "Staff need answers to these questions before they can decide:")
		for _, l := range strings.Split(strings.TrimSpace(d.Reasons), "\n") {
			out = append(out, "  "+report.Printable(l))
		}
		out = append(out, fmt.Sprintf("Answer by changing %s/%s/%s in a pull request (or in the pull request of the request); the review goes on after that.", docket.RequestsDir, e.ID, docket.RequestFile))
		if d.EstimatedReviewDays > 0 {
			out = append(out, fmt.Sprintf("Staff estimated %s more for the review once answered.", docket.Count(d.EstimatedReviewDays, "day", "days")))
		}
	case docket.StatusApproved:
		switch {
		case d.Conditions != nil:
			c := d.Conditions
			out = append(out, fmt.Sprintf("The key reads %s, up to %d calls a day and %g a second.", strings.Join(c.Scopes, ", "), c.Limits.RequestsPerDay, c.Limits.RequestsPerSecond))
			if !e.Record.Acceptance.Accepts(d) {
				// The rule provisioning follows: no key until the requester accepts.
				out = append(out, fmt.Sprintf("No key is issued until the requester accepts %s: add %s/%s/%s in a pull request, saying so.",
					queue.AcceptanceNeeded(c), docket.RequestsDir, e.ID, docket.AcceptanceFile))
				out = append(out, "Then the key is delivered encrypted to the requester on that pull request; only the requester can read it.")
			} else {
				out = append(out, "It is delivered encrypted to the requester on the pull request that merged the decision; only the requester can read it.")
			}
			out = append(out, fmt.Sprintf("It expires on %s. To keep access after that, open a new request before then.", when(c.Expires)))
		case d.Publication != nil && d.Publication.URL != "":
			out = append(out, "The dataset is published: "+report.Printable(d.Publication.URL))
		case d.Publication != nil && !d.Publication.Planned.IsZero():
			out = append(out, fmt.Sprintf("Publication is planned for %s.", when(d.Publication.Planned)))
		default:
			out = append(out, "The dataset will be published on the city's portal.")
		}
	case docket.StatusDenied:
		switch {
		case d.OnAppeal():
			out = append(out, "This decision was made on appeal and is final. A new request can be opened if circumstances change.")
		case d.Appeal != nil && !d.Appeal.Deadline.Before(today):
			out = append(out, fmt.Sprintf("The requester may appeal until %s: add %s/%s/%s in a pull request saying why the decision should change.", when(d.Appeal.Deadline), docket.RequestsDir, e.ID, docket.AppealFile))
		default:
			out = append(out, "The time to appeal has passed. A new request can be opened if circumstances change.")
		}
	case docket.StatusAppealed:
		who := cfg.Appeals.Escalation.Name
		if who == "" {
			who = "the appeals contact"
		}
		out = append(out, fmt.Sprintf("The appeal of %s is reviewed by %s. The decision on appeal is final.", rec.Appeal.Date, who))
	case docket.StatusWithdrawn:
		out = append(out, "Nothing further happens. A new request can be opened at any time.")
	case docket.StatusSuspended:
		for _, a := range rec.Enforcement.Actions {
			if a.Action == docket.ActionSuspension && !a.Date.After(today) && !a.Until.Before(today) {
				out = append(out, fmt.Sprintf("The key is suspended through %s, unless staff reinstate it earlier.", when(a.Until)))
			}
		}
		if len(out) == 0 {
			out = append(out, "The key is suspended; see the enforcement history.")
		}
	case docket.StatusRevoked:
		out = append(out, "The key was revoked; a revocation is final. Any further access needs a new request.")
	case docket.StatusExpired:
		out = append(out, "The key has expired. To keep using the data, open a new request.")
	}
	return out
}

// criteriaWords names the program's criteria in a sentence: "four criteria: a, b, c and d".
func criteriaWords(cfg *docket.Config) string {
	var names []string
	for _, c := range cfg.Criteria() {
		names = append(names, strings.ToLower(c.Name))
	}
	list := names[0]
	if n := len(names); n > 1 {
		list = strings.Join(names[:n-1], ", ") + " and " + names[n-1]
	}
	return draft.CountWord(len(names), "criterion", "criteria") + ": " + list
}

// within holds --appeal-days and --expiry-days, which status and remind share: how many days
// ahead an appeal window's close or a key's expiry counts as coming up.
type within struct{ appealDays, expiryDays *int }

// addWithin adds --appeal-days N (default 7) and --expiry-days N (default 30) to fs.
func addWithin(fs *flag.FlagSet) within {
	return within{fs.Int("appeal-days", 7, ""), fs.Int("expiry-days", 30, "")}
}

// options returns the milestone options the flags give, or an error for a negative number.
func (w within) options() (queue.Options, error) {
	if *w.appealDays < 0 || *w.expiryDays < 0 {
		return queue.Options{}, errors.New("--appeal-days and --expiry-days are numbers of days, 0 or more")
	}
	return queue.Options{AppealDays: *w.appealDays, ExpiryDays: *w.expiryDays}, nil
}
