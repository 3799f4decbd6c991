package docket

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Date is a calendar day with no time of day or zone, written YYYY-MM-DD in every file.
type Date struct {
	t time.Time // midnight UTC; the zero Time is the zero Date
}

const dateLayout = "2006-01-02"

// ParseDate reads a date written YYYY-MM-DD. The error says why a date written that way does
// not exist, or which date was probably meant (see ExplainDate).
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		msg := fmt.Sprintf("%q is not a date written YYYY-MM-DD", s)
		switch why, meant := ExplainDate(s); {
		case why != "":
			msg = fmt.Sprintf("there is no %s: %s", s, why)
		case meant != "":
			msg += "; write " + meant
		}
		return Date{}, errors.New(msg)
	}
	return Date{t}, nil
}

// ExplainDate says what is wrong with s, which is not a date written YYYY-MM-DD. When s is
// written as a date in some order (2026-02-30, 2026/4/31) but the day does not exist, why says
// so in words: "February 2026 has 28 days", "a year has 12 months". When s is a real day written
// another way (20261105, 2026-4-1, April 1, 2026, 2026-11-05T10:00:00Z, 25/12/2026 where only one
// reading is possible), meant is that day as YYYY-MM-DD. Both are "" when nothing better than the
// rule itself can be said (4/1/2026 could be in January or in April).
func ExplainDate(s string) (why, meant string) {
	s = strings.TrimSpace(s)
	if m := ymd.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		return dayOf(y, mo, d)
	}
	if m := compact.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		if _, meant := dayOf(y, mo, d); meant != "" {
			return "", meant
		}
		return "", ""
	}
	if m := withTime.FindStringSubmatch(s); m != nil {
		if t, err := time.Parse(dateLayout, m[1]); err == nil {
			return "", t.Format(dateLayout)
		}
		return ExplainDate(m[1])
	}
	if m := slashed.FindStringSubmatch(s); m != nil {
		a, _ := strconv.Atoi(m[1])
		b, _ := strconv.Atoi(m[2])
		y, _ := strconv.Atoi(m[3])
		switch {
		case a > 12 && b <= 12: // day first: 25/12/2026
			_, meant := dayOf(y, b, a)
			return "", meant
		case b > 12 && a <= 12: // month first: 12/25/2026
			_, meant := dayOf(y, a, b)
			return "", meant
		}
		return "", ""
	}
	for _, layout := range wordy {
		if t, err := time.Parse(layout, s); err == nil {
			return "", t.Format(dateLayout)
		}
	}
	return "", ""
}

var (
	ymd      = regexp.MustCompile(`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$`)
	compact  = regexp.MustCompile(`^(\d{4})(\d{2})(\d{2})$`)
	withTime = regexp.MustCompile(`^(\d{4}-\d{1,2}-\d{1,2})(?:[T ]|\s*[0-9]{1,2}:[0-9]{2})`)
	slashed  = regexp.MustCompile(`^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$`)
	wordy    = []string{"January 2, 2006", "January 2 2006", "2 January 2006", "Jan 2, 2006", "Jan 2 2006", "2 Jan 2006", "Monday, January 2, 2006"}
)

// dayOf checks the day y-mo-d: why it does not exist, or how it is written.
func dayOf(y, mo, d int) (why, meant string) {
	switch {
	case mo < 1 || mo > 12:
		return "a year has 12 months, written 01 to 12", ""
	case d < 1:
		return "days are counted from 01", ""
	}
	month := time.Month(mo)
	if n := daysIn(y, month); d > n {
		why = fmt.Sprintf("%s %d has %d days", month, y, n)
		if month == time.February && d == 29 {
			why += fmt.Sprintf(" (%d is not a leap year)", y)
		}
		return why, ""
	}
	return "", fmt.Sprintf("%04d-%02d-%02d", y, mo, d)
}

// daysIn is the number of days in the month, by the Gregorian calendar.
func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// MustDate is ParseDate for dates known to be valid, as in tests and generated data.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// DateOf returns the calendar day of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

func (d Date) IsZero() bool             { return d.t.IsZero() }
func (d Date) Before(e Date) bool       { return d.t.Before(e.t) }
func (d Date) After(e Date) bool        { return d.t.After(e.t) }
func (d Date) Equal(e Date) bool        { return d.t.Equal(e.t) }
func (d Date) AddDays(n int) Date       { return Date{d.t.AddDate(0, 0, n)} }
func (d Date) Time() time.Time          { return d.t }
func (d Date) DaysUntil(later Date) int { return int(later.t.Sub(d.t) / (24 * time.Hour)) }
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(dateLayout)
}

func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("a date must be written YYYY-MM-DD: %w", err)
	}
	return d.UnmarshalText([]byte(s))
}
