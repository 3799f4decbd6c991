package validate

import (
	"strconv"
	"strings"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/repo"
)

// Promises a decision makes to the requester, checked from its file alone: a dataset is not
// planned for publication before it was approved, and a denial leaves at least the program's
// appeal window to appeal. Who decides an appeal is checked here as far as the files tell
// (one of the escalation logins); that it is not the person who made the decision under
// appeal needs the decision the file replaced, which docket check reads from the base branch.

func (c *checker) promises(f *repo.File, d *docket.Decision) {
	if pub := d.Publication; pub != nil && !pub.Planned.IsZero() && pub.Planned.Before(d.Date) {
		c.at(docket.Error, f, p("publication", "planned"), "%s is before the decision date %s; a dataset cannot be planned for publication before it is approved, so give a day on or after %s",
			pub.Planned, d.Date, d.Date)
	}
	if a := d.Appeal; a != nil && c.cfg != nil && a.Deadline.After(d.Date) {
		if earliest := c.cfg.AppealDeadlineFrom(d.Date); a.Deadline.Before(earliest) {
			c.at(docket.Error, f, p("appeal", "deadline"), "%s is only %s after the denial on %s; appeals.window_days in %s gives requesters %s to appeal, so the deadline is %s or later",
				a.Deadline, days(d.Date.DaysUntil(a.Deadline)), d.Date, docket.ConfigPath, days(c.cfg.Appeals.WindowDays), earliest)
		}
	}
}

// appealDecider checks that a decision on appeal is made by one of the escalation logins.
// It reports whether it judged the decider: with no escalation logins configured it does
// not, and the decider must then be staff like any other.
func (c *checker) appealDecider(f *repo.File, d *docket.Decision) bool {
	if c.cfg == nil || !d.OnAppeal() || len(c.cfg.Appeals.Escalation.Logins) == 0 {
		return false
	}
	if !c.cfg.IsEscalation(d.DecidedBy) {
		c.at(docket.Error, f, p("decided_by"), "%s may not decide an appeal; a decision on appeal is made by the appeals escalation contact (%s), whose logins are listed under appeals.escalation.logins in %s: %s",
			d.DecidedBy, c.escalation(), docket.ConfigPath, strings.Join(c.cfg.Appeals.Escalation.Logins, ", "))
	}
	return true
}

func days(n int) string {
	if n == 1 {
		return "1 day"
	}
	return strconv.Itoa(n) + " days"
}
