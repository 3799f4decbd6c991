package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/draft"
	"github.com/opendata-docket/docket/internal/gitrepo"
	"github.com/opendata-docket/docket/internal/website"
)

const decideUsage = `Usage: docket decide ID (--acknowledge | --needs-info | --approve | --deny | --withdraw)
                     [--by LOGIN] [--date YYYY-MM-DD] [--reasons TEXT] [--reason-code CODE]
                     [--review-days N] [--terms-version V] [--note TEXT] [--no-edit] [--force]
                     [--no-input] [--repo DIR] [--as-of YYYY-MM-DD]

For staff: writes requests/ID/decision.yaml, prefilled from the request and the configuration,
so that a sound decision takes a minute and no look at the schema:

    --acknowledge   received and under review; the estimated review time is what is left of
                    service_targets.decision_days since the request was submitted
    --needs-info    questions for the requester (--reasons), with an estimated review time
    --approve       the program's criteria (evaluation.criteria; by default four) with notes
                    from the catalog and the request; for API access, conditions sized from
                    the traffic asked for within the key policy (at least the default limits,
                    at most the maximum), the datasets asked for that offer API access, and
                    the longest lifetime the policy allows
    --deny          the reasons and a reason code; the criterion the code speaks to is not met;
                    at first review, the appeal deadline is appeals.window_days away
    --withdraw      the requester's withdrawal (decided_by may be the requester), with an
                    optional note in their words

A request under appeal gets review: appeal. The draft opens in your editor ($VISUAL or $EDITOR)
unless --no-edit, and is validated with every rule before it is written; an edit with problems
is offered to the editor again. An existing decision is replaced: a change of decision is a
new decision with a later date, and git keeps the earlier one. A decision.yaml that differs
from what git has is replaced only with --force, and a copy of it is kept (outside git, a copy
is always kept); docket says where.

Flags:
    --by LOGIN          the staff login deciding (default: $DOCKET_LOGIN, else asked)
    --date YYYY-MM-DD   the day of the decision (default: today)
    --reasons TEXT      the reasons (Markdown); for --needs-info, the questions
    --reason-code CODE  for --deny and --needs-info: privacy, security, feasibility, resources,
                        legal, already-available, out-of-scope, incomplete, misuse or other
    --review-days N     for --acknowledge and --needs-info: how many more days the review takes
    --terms-version V   for --approve of API access: the terms of use the key is issued under
                        (default: the version of the latest approval)
    --note TEXT         for --withdraw: a short note in the requester's words
    --force             replace a decision.yaml that differs from what git has (a copy is kept)
    --no-edit           do not open the editor
    --no-input          ask nothing: fail when an answer is missing
    --repo DIR          the repository (default: the one the current folder is in)
` + asOfHelp + `

Exit status: 0 when the decision was written, 1 when it could not be (the request is missing,
an answer missing or not valid), 2 when docket was called wrongly.
`

func runDecide(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return interruptible(ctx, stderr, runDecideAnswers(ctx, args, stdout, stderr))
}

func runDecideAnswers(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("decide")
	outcomes := map[docket.Outcome]*bool{}
	for o, name := range map[docket.Outcome]string{docket.OutcomeAcknowledged: "acknowledge", docket.OutcomeNeedsInfo: "needs-info",
		docket.OutcomeApproved: "approve", docket.OutcomeDenied: "deny", docket.OutcomeWithdrawn: "withdraw"} {
		outcomes[o] = fs.Bool(name, false, "")
	}
	by := fs.String("by", os.Getenv("DOCKET_LOGIN"), "")
	dateFlag := fs.String("date", "", "")
	reasons := fs.String("reasons", "", "")
	reasonCode := fs.String("reason-code", "", "")
	reviewDays := fs.Int("review-days", 0, "")
	terms := fs.String("terms-version", "", "")
	note := fs.String("note", "", "")
	noEdit := fs.Bool("no-edit", false, "")
	force := fs.Bool("force", false, "")
	noInput := fs.Bool("no-input", false, "")
	dir := fs.String("repo", repoRoot(), "")
	clk := addClock(fs)
	id, code, ok := parseWithID(fs, decideUsage, args, false, stdout, stderr)
	if !ok {
		return code
	}
	today, err := clk.today()
	if err != nil {
		errorf(stderr, "%s", err)
		return 2
	}
	var outcome docket.Outcome
	for _, o := range []docket.Outcome{docket.OutcomeAcknowledged, docket.OutcomeNeedsInfo, docket.OutcomeApproved, docket.OutcomeDenied, docket.OutcomeWithdrawn} {
		if *outcomes[o] {
			if outcome != "" {
				errorf(stderr, "give one of --acknowledge, --needs-info, --approve, --deny and --withdraw")
				return 2
			}
			outcome = o
		}
	}
	if outcome == "" {
		errorf(stderr, "say what the decision is: --acknowledge, --needs-info, --approve, --deny or --withdraw")
		fmt.Fprint(stderr, decideUsage)
		return 2
	}
	if *reviewDays < 0 || *reviewDays > 365 {
		errorf(stderr, "--review-days: give a number of days from 1 to 365")
		return 2
	}
	day := today
	if *dateFlag != "" {
		if day, err = docket.ParseDate(*dateFlag); err != nil {
			errorf(stderr, "--date: %s", err)
			return 2
		}
	}
	ws, code := openWorkspace(*dir, today, stderr)
	if ws == nil {
		return code
	}
	folder, err := ws.folder(id)
	if err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	rec := &folder.Record
	if old := rec.Decision; old != nil && old.Outcome == docket.OutcomeWithdrawn {
		errorf(stderr, "%s/%s: the request was withdrawn on %s; a withdrawal is final, and a renewal is a new request (docket new)", folder.Path, docket.DecisionFile, old.Date)
		return 1
	}
	if old := rec.Decision; old != nil && old.OnAppeal() && (old.Outcome == docket.OutcomeApproved || old.Outcome == docket.OutcomeDenied) {
		errorf(stderr, "%s/%s: the decision on appeal of %s (%s) is final; if circumstances change, the requester may open a new request", folder.Path, docket.DecisionFile, old.Date, old.Outcome)
		return 1
	}
	if old := rec.Decision; old != nil && !(day.After(old.Date) || day.Equal(old.Date) && old.Outcome != outcome) {
		// As docket check judges it: a change of decision is a new decision with a later date.
		errorf(stderr, "%s/%s is the decision of %s (%s); a new decision needs a later date than that (git keeps the earlier one)", folder.Path, docket.DecisionFile, old.Date, old.Outcome)
		hintf(stderr, "if that file is your own draft, not merged yet, delete it and run docket decide again")
		return 1
	}
	p := newPrompter(ctx, stderr, *noInput)
	in := draft.DecisionInput{Outcome: outcome, Date: day, Reasons: strings.TrimSpace(*reasons), ReasonCode: *reasonCode,
		ReviewDays: *reviewDays, TermsVersion: *terms, Note: *note}
	if e := ws.entry(id); e != nil {
		in.Submitted = e.Submitted
	}
	// A decision cannot come before what it decides on. The submission day is known only from
	// git, so this is checked here rather than by docket validate.
	if !in.Submitted.IsZero() && day.Before(in.Submitted) {
		errorf(stderr, "--date %s is before the request was submitted, on %s; a decision comes after the request", day, in.Submitted)
		return 1
	}
	if a := rec.Appeal; a != nil && day.Before(a.Date) && rec.Status(today) == docket.StatusAppealed {
		errorf(stderr, "--date %s is before the appeal of %s; the decision on appeal comes after it", day, a.Date)
		return 1
	}
	// The decision under appeal: the file's, or, when an acknowledgement or request for
	// information on appeal (allowed by earlier versions of docket) replaced it, the denial
	// before it in the request's history.
	underAppeal := rec.Decision
	if d := rec.Decision; d != nil && d.OnAppeal() {
		underAppeal = nil
		if e := ws.entry(id); e != nil {
			for _, st := range e.Steps {
				if st.Kind == website.StepDecision && st.Decision != nil && !st.Decision.OnAppeal() && st.Decision.Outcome == docket.OutcomeDenied {
					underAppeal = st.Decision
				}
			}
		}
	}
	if in.By, err = decider(p, ws.cfg, rec, underAppeal, outcome, *by); err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	if err := askDecision(p, ws, rec, &in); err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	d, comments, err := draft.NewDecision(id, rec, ws.cfg, in)
	if err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	if open := draft.Unweighed(d.Evaluation); len(open) > 0 && (*noEdit || *noInput) {
		errorf(stderr, "the %s %s not plainly met by the request and the catalog; weigh %s in the editor (without --no-edit) before the decision can stand",
			joinAnd(open), docket.Plural(len(open), "criterion is", "criteria are"), docket.Plural(len(open), "it", "them"))
		return 1
	}
	if old := rec.Decision; outcome == docket.OutcomeApproved && old != nil && old.Outcome == docket.OutcomeNeedsInfo {
		if unchanged, known := unansweredQuestions(ws.dir, folder.Path); unchanged || !known {
			what := "has not changed since"
			if !known {
				what = "may not have changed since (git could not tell)"
			}
			warningf(stderr, "%s/%s %s the questions of %s (needs-info); approve only if they were answered, and say where in the reasons", folder.Path, docket.RequestFile, what, old.Date)
		}
	}
	text, err := draft.Decision(d, comments, ws.cfg.Criteria()...)
	if err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	text = ws.hinted(text)
	file := path.Join(docket.RequestsDir, id, docket.DecisionFile)
	text, valid, err := review(p, ws, id, file, text, !*noEdit && !*noInput, stdout, stderr)
	if err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	if text == nil {
		errorf(stderr, "%s was not written; fix what is listed above and run docket decide again", file)
		return 1
	}
	target := filepath.Join(ws.dir, filepath.FromSlash(file))
	var backup string
	if rec.Decision != nil || fileExists(target) {
		committed, inGit := decisionCommitted(ws.dir, file)
		if !committed && inGit && !*force {
			errorf(stderr, "%s differs from what git has, so replacing it would lose that version; commit it first, or give --force to replace it and keep a copy", file)
			return 1
		}
		if !committed {
			if backup, err = keepCopy(target); err != nil {
				errorf(stderr, "keeping a copy of %s: %s", file, err)
				return 1
			}
		}
	}
	if err := os.WriteFile(target, text, 0o644); err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	sayf(stdout, "wrote %s: %s", target, describeDecision(d, ws.cfg))
	if old := rec.Decision; old != nil {
		if backup != "" {
			sayf(stdout, "it replaces the decision of %s (%s); the replaced file is kept in %s", old.Date, old.Outcome, backup)
		} else {
			sayf(stdout, "it replaces the decision of %s (%s); git keeps that one", old.Date, old.Outcome)
		}
	} else if backup != "" {
		sayf(stdout, "the file it replaces is kept in %s", backup)
	}
	if !valid {
		errorf(stderr, "%s has the problems listed above; it was written so that your edits are kept: fix them and run docket validate", file)
		return 1
	}
	verb := map[docket.Outcome]string{docket.OutcomeAcknowledged: "Acknowledge", docket.OutcomeNeedsInfo: "Ask for information on",
		docket.OutcomeApproved: "Approve", docket.OutcomeDenied: "Deny", docket.OutcomeWithdrawn: "Withdraw"}[outcome]
	fmt.Fprint(stdout, nextSteps("decision/"+id, []string{file}, verb+" "+id, ws.cfg,
		"then open a pull request; merging it makes the decision official and public."))
	return 0
}

// decider is the login that decides: --by (or $DOCKET_LOGIN), else asked among the staff
// (and, for a withdrawal, the requester).
func decider(p *prompter, cfg *docket.Config, rec *docket.Record, underAppeal *docket.Decision, outcome docket.Outcome, by string) (string, error) {
	requester := rec.Request.Requester.GitHub
	appealLogins, under, onAppeal := appealDeciders(cfg, rec, underAppeal, outcome)
	check := func(s string) (string, error) {
		s, err := draft.Login(s)
		if err != nil {
			return "", err
		}
		if onAppeal {
			return s, checkAppealDecider(cfg, s, appealLogins, under)
		}
		if outcome == docket.OutcomeWithdrawn && strings.EqualFold(s, requester) {
			return s, nil
		}
		if !cfg.IsStaff(s) && cfg.Staff.Team == "" {
			return "", fmt.Errorf("%s is not staff; the staff are %s", s, strings.Join(cfg.Staff.Logins, ", "))
		}
		return s, nil
	}
	if by != "" {
		v, err := check(by)
		if err != nil {
			return "", fmt.Errorf("--by: %w", err)
		}
		return v, nil
	}
	var extra []string
	if outcome == docket.OutcomeWithdrawn {
		extra = append(extra, requester)
	}
	choices := staffChoices(cfg, extra...)
	if onAppeal {
		if len(appealLogins) == 0 {
			return "", fmt.Errorf("no one may decide this appeal: %s", orNobody(nil))
		}
		choices = nil
		for _, l := range appealLogins {
			choices = append(choices, choice{l, "appeals escalation"})
		}
	}
	return p.choose("Who decides?", "--by or $DOCKET_LOGIN", "", choices)
}

// askDecision asks for what the outcome needs and the flags did not give.
func askDecision(p *prompter, ws *workspace, rec *docket.Record, in *draft.DecisionInput) error {
	var err error
	codes := make([]choice, len(docket.ReasonCodes()))
	for i, c := range docket.ReasonCodes() {
		codes[i] = choice{c, ""}
	}
	if in.ReasonCode != "" {
		if in.ReasonCode, err = pick(in.ReasonCode, codes); err != nil {
			return fmt.Errorf("--reason-code: %w", err)
		}
	}
	switch in.Outcome {
	case docket.OutcomeNeedsInfo:
		if in.Reasons == "" {
			if in.Reasons, err = p.text("What should the requester answer?", "--reasons", "Markdown; at least 20 characters", draft.Text(20, 20000)); err != nil {
				return err
			}
		}
	case docket.OutcomeDenied:
		if in.ReasonCode == "" {
			if in.ReasonCode, err = p.choose("The main reason", "--reason-code", "", codes); err != nil {
				return err
			}
		}
		if in.Reasons == "" {
			if in.Reasons, err = p.text("The reasons, for the requester", "--reasons", "Markdown; at least 20 characters; the written explanation the requester is owed", draft.Text(20, 20000)); err != nil {
				return err
			}
		}
	case docket.OutcomeApproved:
		if rec.Request.Kind == docket.KindAPIAccess && in.TermsVersion == "" {
			var records []*docket.Record
			for _, f := range ws.repo.Folders {
				records = append(records, &f.Record)
			}
			// As --help says, the default is the latest approval's version, with --no-input too;
			// only a docket with no approval yet needs --terms-version.
			latest := draft.LatestTerms(records)
			if p.noInput && latest != "" {
				in.TermsVersion = latest
			} else if in.TermsVersion, err = p.ask("The version of the terms of use the key is issued under", "--terms-version", latest, draft.Text(1, 40)); err != nil {
				return err
			}
		}
	}
	return nil
}

// review validates a draft and, with the editor, lets it be edited until it is valid. It
// returns the text to write and whether it is valid; nil when nothing should be written.
func review(p *prompter, ws *workspace, id, file string, text []byte, edit bool, stdout, stderr io.Writer) ([]byte, bool, error) {
	if !edit || p.editor == "" {
		return orNil(text, ws.check(id, map[string][]byte{file: text}, false, stdout, stderr)), true, nil
	}
	for try := 1; ; try++ {
		edited, err := editFile(p, path.Base(file), text)
		if err != nil {
			return nil, false, err
		}
		text = edited
		if ws.check(id, map[string][]byte{file: text}, false, stdout, stderr) && filled(file, text, stderr) {
			return text, true, nil
		}
		if try == maxTries {
			return text, false, nil
		}
		again, err := p.yesNo("Edit it again?", "", true)
		if errors.Is(err, errInterrupted) {
			return nil, false, err
		}
		if err != nil || !again {
			// The edits are kept: written with their problems, which validate and check show.
			return text, false, nil
		}
	}
}

// filled reports whether text has no "To fill in" note left, saying where one is.
func filled(file string, text []byte, stderr io.Writer) bool {
	ok := true
	for i, l := range strings.Split(string(text), "\n") {
		if strings.Contains(l, strings.TrimSpace(draft.ToFill)) {
			linef(stderr, "%s:%d: still says %q: replace it with what you weighed", file, i+1, strings.TrimSpace(draft.ToFill))
			ok = false
		}
	}
	return ok
}

// unansweredQuestions reports whether the request file in folder is the same, in the work tree
// and at HEAD, as when the decision now in the folder (a needs-info) was committed; known is
// false when git cannot tell.
func unansweredQuestions(dir, folder string) (unchanged, known bool) {
	r, err := gitrepo.Open(dir)
	if err != nil {
		return false, false
	}
	dirty, err := r.Uncommitted(folder)
	if err != nil {
		return false, false
	}
	reqPath, decPath := path.Join(folder, docket.RequestFile), path.Join(folder, docket.DecisionFile)
	if slices.Contains(dirty, reqPath) {
		return false, true
	}
	if slices.Contains(dirty, decPath) {
		// The question is not committed yet, so the request cannot have been answered since.
		return true, true
	}
	asked, err := r.LastChange("HEAD", decPath, 10000)
	if err != nil {
		return false, false
	}
	then, err := r.Commit(asked)
	if err != nil {
		return false, false
	}
	head, err := r.Commit("HEAD")
	if err != nil {
		return false, false
	}
	tt, err1 := then.Tree()
	ht, err2 := head.Tree()
	if err1 != nil || err2 != nil {
		return false, false
	}
	return gitrepo.EntryAt(tt, reqPath) == gitrepo.EntryAt(ht, reqPath), true
}

// decisionCommitted reports whether the file at the slash path file, in the repository dir,
// is exactly what HEAD has, so git keeps it when it is replaced; inGit is false when dir is
// not in a git repository.
func decisionCommitted(dir, file string) (committed, inGit bool) {
	r, err := gitrepo.Open(dir)
	if err != nil {
		return false, false
	}
	head, err := r.Commit("HEAD")
	if err != nil {
		return false, true
	}
	t, err := head.Tree()
	if err != nil || !gitrepo.EntryAt(t, file).Exists() {
		return false, true
	}
	dirty, err := r.Uncommitted(path.Dir(file))
	return err == nil && !slices.Contains(dirty, file), true
}

// keepCopy copies file into a new folder under the system's temporary folder and returns the
// copy's path.
func keepCopy(file string) (string, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp("", "docket-replaced-")
	if err != nil {
		return "", err
	}
	to := filepath.Join(dir, filepath.Base(file))
	return to, os.WriteFile(to, b, 0o644)
}

func orNil(b []byte, ok bool) []byte {
	if ok {
		return b
	}
	return nil
}

// describeDecision says in one line what a decision does.
func describeDecision(d *docket.Decision, cfg *docket.Config) string {
	s := fmt.Sprintf("%s by %s on %s", d.Outcome, d.DecidedBy, d.Date)
	if d.OnAppeal() {
		s += ", on appeal"
	}
	switch {
	case d.Conditions != nil:
		c := d.Conditions
		s += fmt.Sprintf("; a key to %s, %s calls a day and %s a second, until %s", strings.Join(c.Scopes, ", "),
			strconv.FormatInt(c.Limits.RequestsPerDay, 10), strconv.FormatFloat(c.Limits.RequestsPerSecond, 'f', -1, 64), c.Expires)
		if c.DataSharingAgreement {
			s += ", under a data-sharing agreement"
		}
	case d.Appeal != nil:
		s += fmt.Sprintf("; the requester may appeal until %s", d.Appeal.Deadline)
	case d.EstimatedReviewDays > 0:
		s += fmt.Sprintf("; a decision is expected by %s", d.Date.AddDays(d.EstimatedReviewDays))
	}
	return s
}

// joinAnd joins words as a sentence does: "a", "a and b", "a, b and c".
func joinAnd(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}
