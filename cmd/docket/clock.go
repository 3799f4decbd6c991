package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/opendata-docket/docket/internal/docket"
)

// asOfEnv names the environment variable that sets the default of --as-of, as SOURCE_DATE_EPOCH
// does for reproducible builds: a workflow, a test or a user replaying an old day sets it once
// for every command.
const asOfEnv = "DOCKET_AS_OF"

// asOfHelp is the --as-of line of every command's usage text.
const asOfHelp = `    --as-of YYYY-MM-DD  the day to judge dates against ("today"): dates after it are in the
                        future, deadlines before it have passed (default: $DOCKET_AS_OF, or
                        the current day)`

// clock is a command's one notion of today: it comes from --as-of, else $DOCKET_AS_OF, else the
// wall clock, and is read once, so every rule in one run sees the same day. Nothing below cmd/
// reads the wall clock for a date.
type clock struct {
	flag string
	now  func() time.Time
}

// addClock registers --as-of on fs.
func addClock(fs *flag.FlagSet) *clock {
	c := &clock{now: time.Now}
	fs.StringVar(&c.flag, "as-of", "", "")
	return c
}

// set reports whether a day was given by --as-of or $DOCKET_AS_OF.
func (c *clock) set() bool { return c.flag != "" || os.Getenv(asOfEnv) != "" }

// today returns the day the command runs as of. The error names where the bad day came from.
func (c *clock) today() (docket.Date, error) {
	from, s := "--as-of", c.flag
	if s == "" {
		from, s = asOfEnv, os.Getenv(asOfEnv)
	}
	if s == "" {
		return docket.DateOf(c.now().UTC()), nil
	}
	d, err := docket.ParseDate(s)
	if err != nil {
		return docket.Date{}, fmt.Errorf("%s: %s", from, err)
	}
	return d, nil
}
