package main

import (
	"fmt"
	"strings"

	"github.com/opendata-docket/docket/internal/docket"
)

// appealDeciders says who may decide an appeal of rec with outcome: the escalation logins,
// less the person who made the decision under appeal (d: rec's decision, or the denial an
// acknowledgement on appeal replaced). ok is false when the decision is not on an appeal or no
// escalation logins are configured (staff decide then, as before).
func appealDeciders(cfg *docket.Config, rec *docket.Record, d *docket.Decision, outcome docket.Outcome) (logins []string, under *docket.Decision, ok bool) {
	if outcome != docket.OutcomeApproved && outcome != docket.OutcomeDenied || d == nil || rec.Appeal == nil ||
		d.Outcome != docket.OutcomeDenied || d.OnAppeal() || len(cfg.Appeals.Escalation.Logins) == 0 {
		return nil, nil, false
	}
	for _, l := range cfg.Appeals.Escalation.Logins {
		if !strings.EqualFold(l, d.DecidedBy) {
			logins = append(logins, l)
		}
	}
	return logins, d, true
}

// checkAppealDecider refuses a login that may not decide the appeal.
func checkAppealDecider(cfg *docket.Config, login string, logins []string, under *docket.Decision) error {
	if strings.EqualFold(login, under.DecidedBy) {
		return fmt.Errorf("%s made the decision under appeal (denied on %s); the appeal is decided by someone else: %s", login, under.Date, orNobody(logins))
	}
	if !cfg.IsEscalation(login) {
		return fmt.Errorf("%s may not decide an appeal; it is decided by the appeals escalation contact: %s", login, orNobody(logins))
	}
	return nil
}

func orNobody(logins []string) string {
	if len(logins) == 0 {
		return "no one else is listed under appeals.escalation.logins in " + docket.ConfigPath
	}
	return strings.Join(logins, ", ")
}
