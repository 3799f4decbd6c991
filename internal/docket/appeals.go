package docket

import "strings"

// IsEscalation reports whether login is one of the appeals escalation logins: the people who
// decide appeals. GitHub logins are case-insensitive. With no logins configured nobody is.
func (c *Config) IsEscalation(login string) bool {
	for _, l := range c.Appeals.Escalation.Logins {
		if strings.EqualFold(l, login) {
			return true
		}
	}
	return false
}

// AppealDeadlineFrom is the earliest appeal deadline a denial made on day may give: the
// configured window of days after it. With no window configured, the day after the denial.
func (c *Config) AppealDeadlineFrom(day Date) Date {
	return day.AddDays(max(c.Appeals.WindowDays, 1))
}
