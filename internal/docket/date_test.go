package docket

import "testing"

func TestExplainDate(t *testing.T) {
	tests := []struct{ in, why, meant string }{
		{"2026-02-30", "February 2026 has 28 days", ""},
		{"2025-02-29", "February 2025 has 28 days (2025 is not a leap year)", ""},
		{"2100-02-29", "February 2100 has 28 days (2100 is not a leap year)", ""},
		{"2026-04-31", "April 2026 has 30 days", ""},
		{"2026-06-31", "June 2026 has 30 days", ""},
		{"2026-01-32", "January 2026 has 31 days", ""},
		{"2026-13-01", "a year has 12 months, written 01 to 12", ""},
		{"2026-00-10", "a year has 12 months, written 01 to 12", ""},
		{"2026-04-00", "days are counted from 01", ""},
		{"2026/02/30", "February 2026 has 28 days", ""},
		{"20261105", "", "2026-11-05"},
		{"20261305", "", ""},
		{"2026-4-1", "", "2026-04-01"},
		{"2026/04/01", "", "2026-04-01"},
		{"2026.4.1", "", "2026-04-01"},
		{"2026-11-05T10:00:00Z", "", "2026-11-05"},
		{"2026-11-05 14:30", "", "2026-11-05"},
		{"April 1, 2026", "", "2026-04-01"},
		{"1 April 2026", "", "2026-04-01"},
		{"Apr 1 2026", "", "2026-04-01"},
		{"25/12/2026", "", "2026-12-25"},
		{"12/25/2026", "", "2026-12-25"},
		{"4/1/2026", "", ""}, // January or April: no guess
		{"yesterday", "", ""},
		{"2024-02-29", "", "2024-02-29"}, // a real day: nothing to say but how it is written
	}
	for _, tt := range tests {
		why, meant := ExplainDate(tt.in)
		if why != tt.why || meant != tt.meant {
			t.Errorf("ExplainDate(%q) = %q, %q; want %q, %q", tt.in, why, meant, tt.why, tt.meant)
		}
	}
	for in, want := range map[string]string{
		"2026-02-30": "there is no 2026-02-30: February 2026 has 28 days",
		"27/11/2026": `"27/11/2026" is not a date written YYYY-MM-DD; write 2026-11-27`,
		"tomorrow":   `"tomorrow" is not a date written YYYY-MM-DD`,
	} {
		if _, err := ParseDate(in); err == nil || err.Error() != want {
			t.Errorf("ParseDate(%q) error = %v, want %s", in, err, want)
		}
	}
}
