package check

import (
	"strings"

	"github.com/opendata-docket/docket/internal/docket"
)

// A decision on appeal is an independent review: it is made by the appeals escalation contact
// (appeals.escalation.logins), never by the person who made the decision under appeal. Which
// decision is under appeal is only known from the base branch (decision.yaml is replaced by
// the decision on appeal), so this is judged here and not by docket validate, which checks
// from the files alone that the decider is one of the escalation logins.

// appealDecider refuses a decision on appeal made or proposed by the person who made the
// decision under appeal. old is the decision on the base branch, head the proposed one.
func (c *checker) appealDecider(ch Change, old, head *docket.Decision) {
	if !head.OnAppeal() || old.OnAppeal() || old.Outcome != docket.OutcomeDenied {
		return // not the first decision on an appeal of a denial (a correction is judged by dates)
	}
	who := c.cfg.Appeals.Escalation.Name
	if who == "" {
		who = "the appeals escalation contact"
	}
	if l := c.cfg.Appeals.Escalation.Logins; len(l) > 0 {
		who += " (" + strings.Join(l, ", ") + ")"
	}
	switch {
	case strings.EqualFold(head.DecidedBy, old.DecidedBy):
		c.refuse(ch.Path, []string{"decided_by"}, "%s made the decision under appeal (denied on %s) and may not decide the appeal; a decision on appeal is made by someone else: %s",
			head.DecidedBy, old.Date, who)
	case strings.EqualFold(c.opts.Actor, old.DecidedBy):
		c.refuse(ch.Path, []string{"decided_by"}, "this pull request is by %s, who made the decision under appeal (denied on %s); the decision on appeal must come from someone else: ask %s to propose it",
			c.opts.Actor, old.Date, who)
	}
}
