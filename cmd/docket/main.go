// Command docket keeps a public body's data requests as files in a git repository: it validates
// them, checks pull requests, provisions API keys and builds the public transparency site.
// Run "docket help" for the commands.
package main

import (
	"context"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
