package main

import (
	"flag"
	"testing"
	"time"
)

// Without --as-of or $DOCKET_AS_OF, today is the wall clock's day in UTC.
func TestClockDefaultsToTheWallClock(t *testing.T) {
	t.Setenv(asOfEnv, "")
	c := addClock(flag.NewFlagSet("x", flag.ContinueOnError))
	c.now = func() time.Time { return time.Date(2031, 3, 4, 23, 30, 0, 0, time.FixedZone("CST", -6*3600)) }
	if c.set() {
		t.Error("set() with no flag and no environment")
	}
	d, err := c.today()
	if err != nil || d.String() != "2031-03-05" {
		t.Errorf("today() = %v, %v; want 2031-03-05 (the day in UTC)", d, err)
	}
}

func TestClockFlagBeatsEnvironment(t *testing.T) {
	t.Setenv(asOfEnv, "2030-01-01")
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	c := addClock(fs)
	c.now = func() time.Time { t.Fatal("the wall clock was read"); return time.Time{} }
	if d, err := c.today(); err != nil || d.String() != "2030-01-01" || !c.set() {
		t.Errorf("from the environment: %v, %v", d, err)
	}
	if err := fs.Parse([]string{"--as-of", "2029-12-31"}); err != nil {
		t.Fatal(err)
	}
	if d, err := c.today(); err != nil || d.String() != "2029-12-31" {
		t.Errorf("from the flag: %v, %v", d, err)
	}
}
