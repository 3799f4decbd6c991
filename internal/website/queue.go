package website

import "github.com/opendata-docket/docket/internal/docket"

// Entries returns every request as the site shows it, newest first, with its service clock
// (days open, first response, decision, what is overdue) as of the day the site would be: what
// docket status and docket remind report, so that they say exactly what the site's overdue
// list says. It renders nothing.
func Entries(in *Input) ([]*Entry, docket.Date) {
	s := (&Builder{}).newSite(in)
	return s.entries, s.info.AsOf
}
