package main

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Without --as-of or $DOCKET_AS_OF, today is the wall clock's day in the program's time zone
// (program.time_zone in the --repo's configuration), UTC without one.
func TestClockDefaultsToTheWallClock(t *testing.T) {
	t.Setenv(asOfEnv, "")
	for _, c := range []struct{ name, config, want string }{
		{"no configuration", "", "2031-03-05"},
		{"no time zone", "program:\n  name: X\n", "2031-03-05"},
		{"Chicago", "program:\n  name: X\n  time_zone: America/Chicago\n", "2031-03-04"},
		{"Tokyo", "program:\n  time_zone: Asia/Tokyo\n", "2031-03-05"},
		{"unknown zone", "program:\n  time_zone: Mars/Olympus\n", "2031-03-05"},
		{"not YAML", "program: [\n", "2031-03-05"},
	} {
		dir := t.TempDir()
		if c.config != "" {
			if err := os.MkdirAll(filepath.Join(dir, ".github"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, ".github", "docket.yml"), []byte(c.config), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		fs := flag.NewFlagSet("x", flag.ContinueOnError)
		fs.String("repo", dir, "")
		clk := addClock(fs)
		// 23:30 on 4 March in Kansas City is 05:30 on 5 March in UTC and 14:30 in Tokyo.
		clk.now = func() time.Time { return time.Date(2031, 3, 4, 23, 30, 0, 0, time.FixedZone("CST", -6*3600)) }
		if clk.set() {
			t.Errorf("%s: set() with no flag and no environment", c.name)
		}
		d, err := clk.today()
		if err != nil || d.String() != c.want {
			t.Errorf("%s: today() = %v, %v; want %s", c.name, d, err, c.want)
		}
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
