package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/draft"
	"github.com/opendata-docket/docket/internal/queue"
)

const enforceUsage = `Usage: docket enforce ID (--warn | --suspend UNTIL | --revoke | --reinstate |
                      --terminate-agreement | --request-remediation DEADLINE |
                      --request-removal DEADLINE) [--by LOGIN] [--date YYYY-MM-DD]
                      [--reason TEXT] [--no-edit] [--no-input] [--repo DIR] [--as-of YYYY-MM-DD]

For staff: adds an action to the end of requests/ID/enforcement.yaml, the public history of
what was done about misuse of an issued API key or of data shared with the requester, and
validates the result:

    --warn            a warning: access continues
    --suspend UNTIL   the key stops working through the day UNTIL (YYYY-MM-DD), unless staff
                      reinstate it earlier
    --revoke          the key stops working for good; renewal is a new request
    --reinstate       ends a suspension early
    --terminate-agreement
                      ends the data-sharing agreement: the data shared under it may no
                      longer be used, and a key issued with it stops working for good
    --request-remediation DEADLINE
                      asks the requester to put the misuse right by DEADLINE (YYYY-MM-DD);
                      access continues
    --request-removal DEADLINE
                      asks the requester to take down a public release derived from the
                      data by DEADLINE (YYYY-MM-DD); access continues

On a dataset request only --warn, --terminate-agreement, --request-remediation and
--request-removal apply: there is no key. Once the requester has acted on a request for
remediation or removal, staff add its outcome to that action in enforcement.yaml
(outcome: {result: complied, date: YYYY-MM-DD}); it is the one change a past action allows.

The reason is public: say what happened and why this action, without personal details. It
opens in your editor ($VISUAL or $EDITOR) when one is set and --reason is not given. Past
actions are left exactly as they are written.

Flags:
    --by LOGIN          the staff login acting (default: $DOCKET_LOGIN, else asked)
    --date YYYY-MM-DD   the day the action takes effect (default: today)
    --reason TEXT       what happened and why (Markdown, 20 characters or more)
    --no-edit           do not open the editor; type the reason instead
    --no-input          ask nothing: fail when an answer is missing
    --repo DIR          the repository (default: the one the current folder is in)
` + asOfHelp + `

Exit status: 0 when the action was written, 1 when it could not be (no issued key to act on,
an answer missing or not valid), 2 when docket was called wrongly.
`

func runEnforce(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return interruptible(ctx, stderr, runEnforceAnswers(ctx, args, stdout, stderr))
}

func runEnforceAnswers(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("enforce")
	warn := fs.Bool("warn", false, "")
	suspend := fs.String("suspend", "", "")
	revoke := fs.Bool("revoke", false, "")
	reinstate := fs.Bool("reinstate", false, "")
	terminate := fs.Bool("terminate-agreement", false, "")
	remedy := fs.String("request-remediation", "", "")
	removal := fs.String("request-removal", "", "")
	by := fs.String("by", os.Getenv("DOCKET_LOGIN"), "")
	dateFlag := fs.String("date", "", "")
	reason := fs.String("reason", "", "")
	noEdit := fs.Bool("no-edit", false, "")
	noInput := fs.Bool("no-input", false, "")
	dir := fs.String("repo", repoRoot(), "")
	clk := addClock(fs)
	id, code, ok := parseWithID(fs, enforceUsage, args, false, stdout, stderr)
	if !ok {
		return code
	}
	today, err := clk.today()
	if err != nil {
		errorf(stderr, "%s", err)
		return 2
	}
	var a docket.EnforcementAction
	n := 0
	for _, c := range []struct {
		on     bool
		action docket.Action
	}{{*warn, docket.ActionWarning}, {*suspend != "", docket.ActionSuspension}, {*revoke, docket.ActionRevocation}, {*reinstate, docket.ActionReinstatement},
		{*terminate, docket.ActionAgreementTermination}, {*remedy != "", docket.ActionRemediationRequest}, {*removal != "", docket.ActionRemovalRequest}} {
		if c.on {
			a.Action = c.action
			n++
		}
	}
	if n != 1 {
		errorf(stderr, "give one of --warn, --suspend UNTIL, --revoke, --reinstate, --terminate-agreement, --request-remediation DEADLINE and --request-removal DEADLINE")
		fmt.Fprint(stderr, enforceUsage)
		return 2
	}
	a.Date = today
	if *dateFlag != "" {
		if a.Date, err = docket.ParseDate(*dateFlag); err != nil {
			errorf(stderr, "--date: %s", err)
			return 2
		}
	}
	if *suspend != "" {
		if a.Until, err = docket.ParseDate(*suspend); err != nil {
			errorf(stderr, "--suspend: %s", err)
			return 2
		}
	}
	for _, dl := range []struct{ flag, value string }{{"--request-remediation", *remedy}, {"--request-removal", *removal}} {
		if dl.value == "" {
			continue
		}
		if a.Deadline, err = docket.ParseDate(dl.value); err != nil {
			errorf(stderr, "%s: %s", dl.flag, err)
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
	keyAction := a.Action == docket.ActionSuspension || a.Action == docket.ActionRevocation || a.Action == docket.ActionReinstatement
	if d := rec.Decision; d == nil || d.Outcome != docket.OutcomeApproved {
		what := "it has no decision"
		if d != nil {
			what = "its decision is " + string(d.Outcome)
		}
		errorf(stderr, "%s has nothing to enforce: %s; enforcement follows an approval", id, what)
		return 1
	}
	if keyAction && rec.Request.Kind != docket.KindAPIAccess {
		errorf(stderr, "%s has no issued key to act on: it asks for a dataset, not API access; for misuse of the data use --warn, --terminate-agreement, --request-remediation or --request-removal", id)
		return 1
	}
	if f := folder.Files[docket.KindEnforcementFile]; f != nil && rec.Enforcement == nil {
		errorf(stderr, "%s has problems; run docket validate and fix them first", f.Path)
		return 1
	}
	if d := rec.Decision; keyAction && !rec.Acceptance.Accepts(d) {
		// The rule provisioning follows: no key is issued until the requester accepts.
		errorf(stderr, "%s has no issued key to act on: @%s has not accepted %s in %s/%s, so no key was issued",
			id, rec.Request.Requester.GitHub, queue.AcceptanceNeeded(d.Conditions), folder.Path, docket.AcceptanceFile)
		return 1
	}
	if c := rec.Decision.Conditions; c != nil && a.Action == docket.ActionSuspension {
		switch {
		case a.Date.After(c.Expires):
			errorf(stderr, "the key of %s expired on %s; there is nothing to suspend", id, c.Expires)
			return 1
		case a.Until.After(c.Expires):
			errorf(stderr, "--suspend %s is after the key expires, on %s; suspend it until %s at most, or revoke it with --revoke", a.Until, c.Expires, c.Expires)
			return 1
		}
	}
	p := newPrompter(ctx, stderr, *noInput)
	if *noEdit {
		p.editor = ""
	}
	if a.By, err = decider(p, ws.cfg, rec, rec.Decision, "", *by); err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	if a.Reason = strings.TrimSpace(*reason); a.Reason == "" {
		if a.Reason, err = p.text("What happened, and why this action? (public: no personal details)", "--reason", "Markdown; at least 20 characters", draft.Text(20, 20000)); err != nil {
			errorf(stderr, "%s", err)
			return 1
		}
	} else if _, err := draft.Text(20, 20000)(a.Reason); err != nil {
		errorf(stderr, "--reason: %s", err)
		return 1
	}
	file := path.Join(docket.RequestsDir, id, docket.EnforcementFile)
	disk := filepath.Join(ws.dir, filepath.FromSlash(file))
	existing, err := os.ReadFile(disk)
	if err != nil && !os.IsNotExist(err) {
		errorf(stderr, "%s", err)
		return 1
	}
	comments := map[string]string{}
	if a.Action == docket.ActionSuspension {
		comments[fmt.Sprintf("actions.%d.until", len(actionsOf(rec.Enforcement)))] = "the last day of the suspension"
	}
	if a.Action.AsksRequester() {
		comments[fmt.Sprintf("actions.%d.deadline", len(actionsOf(rec.Enforcement)))] = "the last day to act; add an outcome under this action once it is known"
	}
	text, err := draft.AppendAction(existing, rec.Enforcement, a, comments)
	if err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	text = ws.hinted(text)
	if !ws.check(id, map[string][]byte{file: text}, true, stderr, stderr) {
		errorf(stderr, "%s was not changed; fix what is listed above and run docket enforce again", file)
		return 1
	}
	if err := os.WriteFile(disk, text, 0o644); err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	sayf(stdout, "added to %s: %s", disk, describeAction(a))
	verb := map[docket.Action]string{docket.ActionWarning: "Warn", docket.ActionSuspension: "Suspend the key of",
		docket.ActionRevocation: "Revoke the key of", docket.ActionReinstatement: "Reinstate the key of",
		docket.ActionAgreementTermination: "Terminate the data-sharing agreement of", docket.ActionRemediationRequest: "Ask for remediation on",
		docket.ActionRemovalRequest: "Ask for removal of a derivative release of"}[a.Action]
	fmt.Fprint(stdout, nextSteps("enforcement/"+id, []string{file}, verb+" "+id, ws.cfg,
		"then open a pull request; merging it records the action, and provisioning applies it to the key."))
	return 0
}

func actionsOf(e *docket.Enforcement) []docket.EnforcementAction {
	if e == nil {
		return nil
	}
	return e.Actions
}

// describeAction says in one line what an action does.
func describeAction(a docket.EnforcementAction) string {
	switch a.Action {
	case docket.ActionSuspension:
		return fmt.Sprintf("a suspension by %s from %s through %s", a.By, a.Date, a.Until)
	case docket.ActionRevocation:
		return fmt.Sprintf("a revocation by %s on %s; it is final", a.By, a.Date)
	case docket.ActionReinstatement:
		return fmt.Sprintf("a reinstatement by %s on %s", a.By, a.Date)
	case docket.ActionAgreementTermination:
		return fmt.Sprintf("the termination of the data-sharing agreement by %s on %s; it is final", a.By, a.Date)
	case docket.ActionRemediationRequest:
		return fmt.Sprintf("a request for remediation by %s on %s, due %s", a.By, a.Date, a.Deadline)
	case docket.ActionRemovalRequest:
		return fmt.Sprintf("a request to remove a derivative public release by %s on %s, due %s", a.By, a.Date, a.Deadline)
	}
	return fmt.Sprintf("a warning by %s on %s", a.By, a.Date)
}
