package check

import (
	"fmt"
	"strings"

	"github.com/opendata-docket/docket/internal/docket"
)

// effects says, for each request the pull request touches, what merging it will do.
func (c *checker) effects() {
	done := map[string]bool{}
	for _, ch := range c.res.Changes {
		if ch.ID == "" || ch.Action == "deleted" {
			continue
		}
		key := ch.ID + "/" + ch.Area
		if done[key] {
			continue
		}
		done[key] = true
		rec := record(c.head, ch.ID)
		if rec == nil || rec.Request == nil {
			continue
		}
		if e := c.effect(ch, rec, record(c.base, ch.ID)); e != "" {
			c.res.Effects = append(c.res.Effects, e)
		}
	}
}

func (c *checker) effect(ch Change, rec, baseRec *docket.Record) string {
	req := rec.Request
	name := fmt.Sprintf("%q (%s)", req.Title, ch.ID)
	who := "@" + req.Requester.GitHub
	t := c.cfg.ServiceTargets
	switch ch.Area {
	case string(docket.KindRequestFile):
		if ch.Action == "added" {
			return fmt.Sprintf("Merging submits the request %s. Staff aim to respond within %d days and to decide within %d days.", name, t.FirstResponseDays, t.DecisionDays)
		}
		return fmt.Sprintf("Merging updates the request %s.", name)
	case string(docket.KindDecisionFile):
		d := rec.Decision
		if d == nil {
			return ""
		}
		switch d.Outcome {
		case docket.OutcomeAcknowledged:
			return fmt.Sprintf("Merging acknowledges %s; the city expects the review to take %d more days.", name, d.EstimatedReviewDays)
		case docket.OutcomeNeedsInfo:
			return fmt.Sprintf("Merging asks %s for more information about %s; the city expects the review to take %d more days once answered.", who, name, d.EstimatedReviewDays)
		case docket.OutcomeWithdrawn:
			return fmt.Sprintf("Merging withdraws %s.", name)
		case docket.OutcomeDenied:
			if d.OnAppeal() {
				return fmt.Sprintf("Merging denies the appeal of %s (reason: %s). A denial on appeal is final.", name, d.ReasonCode)
			}
			deadline := ""
			if d.Appeal != nil {
				deadline = fmt.Sprintf("; %s may appeal until %s", who, d.Appeal.Deadline)
			}
			return fmt.Sprintf("Merging denies %s (reason: %s)%s.", name, d.ReasonCode, deadline)
		case docket.OutcomeApproved:
			if req.Kind == docket.KindDataset {
				planned := ""
				if d.Publication != nil && !d.Publication.Planned.IsZero() {
					planned = ", planned for " + d.Publication.Planned.String()
				}
				return fmt.Sprintf("Merging approves publishing the dataset asked for in %s%s.", name, planned)
			}
			cond := d.Conditions
			if cond == nil {
				return ""
			}
			return fmt.Sprintf("Merging approves %s and issues an API key to %s for %s, limited to %d calls a day and %g a second, valid until %s under terms %s. %s "+
				"docket provision then encrypts it so that only %s can read it (%s) and posts it on this pull request; only its SHA-256 hash is ever published.",
				name, who, strings.Join(cond.Scopes, ", "), cond.Limits.RequestsPerDay, cond.Limits.RequestsPerSecond, cond.Expires, cond.TermsVersion,
				keyNeedsAcceptance(cond, ch.ID, who), who, recipientWords(req))
		}
	case string(docket.KindAcceptanceFile):
		return c.acceptanceEffect(name, rec, baseRec)
	case string(docket.KindAppealFile):
		return fmt.Sprintf("Merging files the appeal of %s; it goes to %s for a decision.", name, c.cfg.Appeals.Escalation.Name)
	case string(docket.KindEnforcementFile):
		if rec.Enforcement == nil {
			return ""
		}
		before := 0
		if baseRec != nil && baseRec.Enforcement != nil {
			before = len(baseRec.Enforcement.Actions)
		}
		if len(rec.Enforcement.Actions) <= before {
			return ""
		}
		a := rec.Enforcement.Actions[len(rec.Enforcement.Actions)-1]
		switch a.Action {
		case docket.ActionWarning:
			return fmt.Sprintf("Merging records a warning to the holder of the key for %s; access does not change.", name)
		case docket.ActionSuspension:
			return fmt.Sprintf("Merging suspends the key for %s until %s.", name, a.Until)
		case docket.ActionRevocation:
			return fmt.Sprintf("Merging revokes the key for %s for good; a new key needs a new request.", name)
		case docket.ActionReinstatement:
			return fmt.Sprintf("Merging reinstates the key for %s.", name)
		case docket.ActionAgreementTermination:
			if rec.Request != nil && rec.Request.Kind == docket.KindAPIAccess {
				return fmt.Sprintf("Merging terminates the data-sharing agreement for %s and revokes its key for good; a new key needs a new request.", name)
			}
			return fmt.Sprintf("Merging terminates the data-sharing agreement for %s; the data shared under it may no longer be used.", name)
		case docket.ActionRemediationRequest:
			return fmt.Sprintf("Merging records a request for remediation for %s, due %s; access does not change.", name, a.Deadline)
		case docket.ActionRemovalRequest:
			return fmt.Sprintf("Merging records a request to remove a derivative public release for %s, due %s; access does not change.", name, a.Deadline)
		}
	}
	return ""
}
