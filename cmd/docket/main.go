// Command docket keeps a public body's data requests as files in a git repository: it validates
// them, checks pull requests, provisions API keys and builds the public transparency site.
// Run "docket help" for the commands.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

func main() {
	// docket's heap is mostly short-lived garbage from parsing many small files. Collecting
	// half as often costs about 15 MB on a 10,000-request docket and saves about a sixth of the
	// CPU time. GOGC or GOMEMLIMIT, when set, still wins (docket build sets its own; see
	// build.go).
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetGCPercent(200)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	stopProfiles := startProfiles()
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stopProfiles()
	stop()
	os.Exit(code)
}
