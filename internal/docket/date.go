package docket

import (
	"encoding/json"
	"fmt"
	"time"
)

// Date is a calendar day with no time of day or zone, written YYYY-MM-DD in every file.
type Date struct {
	t time.Time // midnight UTC; the zero Time is the zero Date
}

const dateLayout = "2006-01-02"

// ParseDate reads a date written YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date written YYYY-MM-DD", s)
	}
	return Date{t}, nil
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
