package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
)

// usage is the help text of docket itself; the list of commands comes from commands().
func usage() string {
	var b strings.Builder
	b.WriteString("docket keeps a public body's data requests as files in a git repository and checks them.\n\n")
	b.WriteString("Usage:\n    docket <command> [flags]\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(&b, "    %-11s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(&b, "    %-11s %s\n", "help", "show this help, or a command's: docket help validate")
	b.WriteString("\nRun \"docket <command> -h\" for a command's flags. Exit status is 0 on success, 1 when there are\nproblems to fix, and 2 when docket was called wrongly.\n")
	return b.String()
}

// command is one subcommand. run returns the exit status.
type command struct {
	name    string
	summary string
	usage   string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"validate", "check every request, decision, appeal and enforcement file and the configuration", validateUsage, runValidate},
		{"init", "write a new docket repository for your program: configuration, workflows, forms, guide pages", initUsage, runInit},
		{"build", "validate, then write the public transparency site (default: into _site)", buildUsage, runBuild},
		{"serve", "build the site into a temporary folder, serve it on localhost, rebuild on changes", serveUsage, runServe},
		{"check", "check a pull request: who may change what, valid files, no secrets", checkUsage, runCheck},
		{"comment", "the trusted gate: check a pull request, then comment, label and set its status", commentUsage, runComment},
		{"new", "write a new request from your answers to a few questions", newUsage, runNew},
		{"decide", "for staff: write a request's decision, prefilled from the request and the configuration", decideUsage, runDecide},
		{"enforce", "for staff: add a warning, suspension, revocation or reinstatement to a key's history", enforceUsage, runEnforce},
		{"status", "where a request stands and what happens next; without an id, the staff queue", statusUsage, runStatus},
		{"intake", "turn an issue filled with a request form into a pull request, or say which answers to fix", intakeUsage, runIntake},
		{"remind", "post service reminders once each: overdue requests, appeal windows closing, keys expiring", remindUsage, runRemind},
		{"provision", "issue, deliver, suspend and revoke API keys to match the decisions in force", provisionUsage, runProvision},
		{"ledger", "record which pull request carried each change to a request, as GitHub says: docket ledger record", ledgerUsage, runLedger},
		{"gate", "answer a gateway's auth subrequests: enforce the issued keys' status, scopes and limits", gateUsage, runGate},
		{"key", "decrypt an API key docket delivered to you: docket key decrypt", keyUsage, runKey},
		{"version", "print docket's version", "Usage: docket version\n", runVersion},
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage())
		return 2
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(rest) == 0 {
			fmt.Fprint(stdout, usage())
			return 0
		}
		for _, c := range commands() {
			if c.name == rest[0] {
				fmt.Fprint(stdout, c.usage)
				return 0
			}
		}
		errorf(stderr, "unknown command %q", rest[0])
		hintf(stderr, "run \"docket help\" for the list of commands")
		return 2
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(ctx, rest, stdout, stderr)
		}
	}
	errorf(stderr, "unknown command %q", name)
	hintf(stderr, "run \"docket help\" for the list of commands")
	return 2
}

// newFlagSet returns a flag set for a command; parseFlags prints its usage.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // parseFlags reports errors in docket's own words
	fs.Usage = func() {}
	return fs
}

// parseFlags parses args; on -h it prints the usage to stdout and returns status 0, on a bad
// flag it prints the error and the usage to stderr and returns status 2.
func parseFlags(fs *flag.FlagSet, usageText string, args []string, stdout, stderr io.Writer) (int, bool) {
	if err := parseArgs(fs, args); err != nil {
		return commandLineFailed(err, usageText, stdout, stderr), false
	}
	return 0, true
}

// parseArgs parses args into fs without printing: flag.ErrHelp for -h, a *usageError for a
// bad flag or an argument where none belongs.
func parseArgs(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return err
	case err != nil:
		return &usageError{msg: err.Error(), withUsage: true}
	case fs.NArg() > 0:
		return &usageError{msg: fmt.Sprintf("unexpected argument %q", fs.Arg(0)), withUsage: true}
	}
	return nil
}

// usageError is a command line docket cannot act on: exit status 2. withUsage also prints the
// command's usage text after the message.
type usageError struct {
	msg       string
	withUsage bool
}

func (e *usageError) Error() string { return e.msg }

// commandLineFailed reports an error from reading a command line (flags, event, environment)
// and returns the exit status: the usage on stdout and 0 for -h, the message (and the usage) on
// stderr and 2 for a *usageError, the message and 1 for anything else (a file that cannot be
// read).
func commandLineFailed(err error, usageText string, stdout, stderr io.Writer) int {
	var ue *usageError
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, usageText)
		return 0
	case errors.As(err, &ue):
		errorf(stderr, "%s", ue.msg)
		if ue.withUsage {
			fmt.Fprint(stderr, usageText)
		}
		return 2
	}
	errorf(stderr, "%s", err)
	return 1
}

func runVersion(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("version")
	if code, ok := parseFlags(fs, "Usage: docket version\n", args, stdout, stderr); !ok {
		return code
	}
	v := "(devel)"
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
		v = info.Main.Version
	}
	fmt.Fprintln(stdout, "docket", strings.TrimSpace(v))
	return 0
}
