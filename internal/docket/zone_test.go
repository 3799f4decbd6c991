package docket

import (
	"testing"
	"time"
)

// Days in the city's time zone at its edges: a zone 45 minutes off the hour, and the days the
// clocks change in Kansas City (a 23-hour and a 25-hour day are each one day).
func TestDayInEdges(t *testing.T) {
	kathmandu, err := time.LoadLocation("Asia/Kathmandu") // UTC+05:45
	if err != nil {
		t.Fatal(err)
	}
	chicago, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		at   string
		loc  *time.Location
		want string
	}{
		{"2026-11-28T18:14:59Z", kathmandu, "2026-11-28"}, // 23:59:59 there
		{"2026-11-28T18:15:00Z", kathmandu, "2026-11-29"}, // midnight there
		// 1 November 2026: clocks go back at 02:00 CDT to 01:00 CST.
		{"2026-11-01T04:59:59Z", chicago, "2026-10-31"}, // 23:59:59 CDT
		{"2026-11-01T05:00:00Z", chicago, "2026-11-01"}, // 00:00 CDT
		{"2026-11-01T07:30:00Z", chicago, "2026-11-01"}, // 01:30 CST, the second 01:30
		{"2026-11-02T05:59:59Z", chicago, "2026-11-01"}, // 23:59:59 CST, 25 hours later
		{"2026-11-02T06:00:00Z", chicago, "2026-11-02"},
		// 8 March 2026: clocks go forward at 02:00 CST to 03:00 CDT.
		{"2026-03-08T05:59:59Z", chicago, "2026-03-07"},
		{"2026-03-08T06:00:00Z", chicago, "2026-03-08"},
		{"2026-03-09T04:59:59Z", chicago, "2026-03-08"}, // 23:59:59 CDT, 23 hours later
		{"2026-03-09T05:00:00Z", chicago, "2026-03-09"},
		{"2026-11-28T23:59:59Z", nil, "2026-11-28"}, // no zone: UTC
	} {
		at, err := time.Parse(time.RFC3339, c.at)
		if err != nil {
			t.Fatal(err)
		}
		if got := DayIn(at, c.loc).String(); got != c.want {
			t.Errorf("DayIn(%s, %v) = %s, want %s", c.at, c.loc, got, c.want)
		}
	}
	// A day with 23 or 25 hours is one day: counters count calendar days.
	for _, c := range []struct {
		from, to string
		want     int
	}{{"2026-03-08", "2026-03-09", 1}, {"2026-11-01", "2026-11-02", 1}, {"2026-03-07", "2026-03-10", 3}, {"2026-10-31", "2026-11-03", 3}} {
		a, _ := ParseDate(c.from)
		b, _ := ParseDate(c.to)
		if got := a.DaysUntil(b); got != c.want {
			t.Errorf("%s.DaysUntil(%s) = %d, want %d", c.from, c.to, got, c.want)
		}
	}
}
