package provision

import (
	"strings"
	"testing"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/registry"
)

// Requests for remediation or removal ask something of the requester and leave the key as it
// is, whatever their outcome; the termination of the data-sharing agreement ends the key for
// good, and the plan says so in those words.
func TestComputeNewEnforcementActions(t *testing.T) {
	w := newWorld(t, "remedy", "removal", "terminated", "revoked-then-terminated")
	reg := registry.New()
	for _, id := range []string{"remedy", "removal", "terminated", "revoked-then-terminated"} {
		reg.Keys = append(reg.Keys, key(id+"-1", id, registry.StatusActive))
	}
	act := func(a docket.Action, date string) docket.EnforcementAction {
		out := docket.EnforcementAction{Action: a, Date: docket.MustDate(date), By: "staff-ann", Reason: "because"}
		if a.AsksRequester() {
			out.Deadline = docket.MustDate(date).AddDays(14)
		}
		return out
	}
	done := act(docket.ActionRemediationRequest, "2026-11-01")
	done.Outcome = docket.ActionOutcome{Result: docket.ResultNotComplied, Date: docket.MustDate("2026-11-20")}
	w.record("remedy").Enforcement = &docket.Enforcement{Actions: []docket.EnforcementAction{act(docket.ActionWarning, "2026-10-30"), done}}
	w.record("removal").Enforcement = &docket.Enforcement{Actions: []docket.EnforcementAction{act(docket.ActionRemovalRequest, "2026-11-21")}}
	w.record("terminated").Enforcement = &docket.Enforcement{Actions: []docket.EnforcementAction{act(docket.ActionRemovalRequest, "2026-11-21"), act(docket.ActionAgreementTermination, "2026-11-24")}}
	w.record("revoked-then-terminated").Enforcement = &docket.Enforcement{Actions: []docket.EnforcementAction{act(docket.ActionRevocation, "2026-11-22"), act(docket.ActionAgreementTermination, "2026-11-24")}}
	want := strings.Join([]string{
		"- revoke    terminated-1: termination of the data-sharing agreement of 2026-11-24 by staff-ann",
		"- revoke    revoked-then-terminated-1: revocation of 2026-11-22 by staff-ann",
	}, "\n")
	if got := lines(w.plan(reg, today, nil)); got != want {
		t.Errorf("plan:\n%s\nwant:\n%s", got, want)
	}
}
