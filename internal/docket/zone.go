package docket

import (
	"fmt"
	"time"
	_ "time/tzdata" // the IANA database, for machines (and containers) without one
)

// Location returns the program's time zone (program.time_zone), time.UTC when none is set.
// The error says the name is not a time zone this docket knows; the binary embeds the IANA
// database (time/tzdata), so the answer does not depend on the machine.
func (p Program) Location() (*time.Location, error) {
	if p.TimeZone == "" {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(p.TimeZone)
	if err != nil || p.TimeZone == "Local" {
		return time.UTC, fmt.Errorf("%q is not an IANA time zone name; write one like America/Chicago or UTC", p.TimeZone)
	}
	return loc, nil
}

// DayIn returns the calendar day t falls on in loc (UTC when loc is nil): a commit made at
// 21:30 on a Saturday in Kansas City is on Saturday there, though it is Sunday in UTC.
func DayIn(t time.Time, loc *time.Location) Date {
	if loc == nil {
		loc = time.UTC
	}
	return DateOf(t.In(loc))
}
