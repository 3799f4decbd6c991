package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/opendata-docket/docket/internal/docket"
	"go.yaml.in/yaml/v3"
)

// asOfEnv names the environment variable that sets the default of --as-of, as SOURCE_DATE_EPOCH
// does for reproducible builds: a workflow, a test or a user replaying an old day sets it once
// for every command.
const asOfEnv = "DOCKET_AS_OF"

// asOfHelp is the --as-of line of every command's usage text.
const asOfHelp = `    --as-of YYYY-MM-DD  the day to judge dates against ("today"): dates after it are in the
                        future, deadlines before it have passed (default: $DOCKET_AS_OF, or
                        the current day in the program's time zone)`

// clock is a command's one notion of today: it comes from --as-of, else $DOCKET_AS_OF, else the
// wall clock's day in the program's time zone (program.time_zone in the configuration of the
// repository the command works on; UTC without one), and is read once, so every rule in one run
// sees the same day. Nothing below cmd/ reads the wall clock for a date.
type clock struct {
	flag   string
	now    func() time.Time
	getenv func(string) string // reads $DOCKET_AS_OF
	fs     *flag.FlagSet       // the command's flags: its --repo says where the configuration is
}

// addClock registers --as-of on fs.
func addClock(fs *flag.FlagSet) *clock {
	c := &clock{now: time.Now, getenv: os.Getenv, fs: fs}
	fs.StringVar(&c.flag, "as-of", "", "")
	return c
}

// parseDated adds --as-of to fs, parses args (as parseArgs does) and returns the day the
// command runs as of, reading $DOCKET_AS_OF through getenv. A day that is not a date is a
// *usageError.
func parseDated(fs *flag.FlagSet, args []string, getenv func(string) string) (docket.Date, error) {
	clk := addClock(fs)
	clk.getenv = getenv
	if err := parseArgs(fs, args); err != nil {
		return docket.Date{}, err
	}
	today, err := clk.today()
	if err != nil {
		return docket.Date{}, &usageError{msg: err.Error()}
	}
	return today, nil
}

// set reports whether a day was given by --as-of or $DOCKET_AS_OF.
func (c *clock) set() bool { return c.flag != "" || c.getenv(asOfEnv) != "" }

// today returns the day the command runs as of. The error names where the bad day came from.
func (c *clock) today() (docket.Date, error) {
	from, s := "--as-of", c.flag
	if s == "" {
		from, s = asOfEnv, c.getenv(asOfEnv)
	}
	if s == "" {
		return docket.DayIn(c.now(), c.zone()), nil
	}
	d, err := docket.ParseDate(s)
	if err != nil {
		return docket.Date{}, fmt.Errorf("%s: %s", from, err)
	}
	return d, nil
}

// zone returns the program's time zone, read from the configuration of the repository in the
// command's --repo (else the one the current folder is in). A configuration that is missing,
// cannot be read or names no zone (or an unknown one, which docket validate reports as an
// error) gives UTC.
func (c *clock) zone() *time.Location {
	dir := ""
	if c.fs != nil {
		if f := c.fs.Lookup("repo"); f != nil {
			dir = f.Value.String()
		}
	}
	if dir == "" {
		dir = repoRoot()
	}
	return programZone(dir)
}

// programZone reads program.time_zone from the configuration in dir, as clock.zone describes.
func programZone(dir string) *time.Location {
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(docket.ConfigPath)))
	if err != nil || len(data) > 1<<20 {
		return time.UTC
	}
	var cfg struct {
		Program struct {
			TimeZone string `yaml:"time_zone"`
		} `yaml:"program"`
	}
	if yaml.Unmarshal(data, &cfg) != nil {
		return time.UTC
	}
	loc, err := docket.Program{TimeZone: cfg.Program.TimeZone}.Location()
	if err != nil {
		return time.UTC
	}
	return loc
}
