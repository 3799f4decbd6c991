package main

// How docket speaks. Every line docket prints about what it did, plans, warns of or failed at
// goes through the helpers in this file, as age's cmd/age/tui.go does, so the rules are kept in
// one place:
//
//   - A line starts with "docket: ", then "error: ", "warning: ", "note: " or "hint: " when it is
//     one of those, and is one sentence in plain, lowercase words with no trailing period.
//   - Errors, warnings, notes and progress go to stderr; a command's result (a finding, a
//     written file, a list) goes to stdout.
//   - The whole line is made printable here, once: control characters, invisible and
//     direction-changing characters and bytes that are not UTF-8 are escaped, and secrets are
//     redacted (report.Printable). A requester's text, a path from a pull request, a GitHub
//     error body or an error's text can be passed as it is; callers never escape it themselves.
//   - Usage texts are docket's own and are printed as they are (fmt.Fprint).

import (
	"fmt"
	"io"

	"github.com/opendata-docket/docket/internal/report"
)

// say prints one line: "docket: ", prefix, then the formatted text, made printable.
func say(w io.Writer, prefix, format string, args ...any) {
	fmt.Fprintln(w, "docket: "+prefix+report.Printable(fmt.Sprintf(format, args...)))
}

// sayf prints a line of progress or a result: "docket: built 12 files in _site".
func sayf(w io.Writer, format string, args ...any) { say(w, "", format, args...) }

// errorf prints why a command failed: "docket: error: …".
func errorf(w io.Writer, format string, args ...any) { say(w, "error: ", format, args...) }

// warningf prints what went wrong without stopping the command: "docket: warning: …".
func warningf(w io.Writer, format string, args ...any) { say(w, "warning: ", format, args...) }

// notef prints what the reader should know about the result: "docket: note: …".
func notef(w io.Writer, format string, args ...any) { say(w, "note: ", format, args...) }

// hintf prints what to try next, after an error: "docket: hint: …".
func hintf(w io.Writer, format string, args ...any) { say(w, "hint: ", format, args...) }

// linef prints a line with no "docket: " in front, made printable: a finding, path:line: message.
func linef(w io.Writer, format string, args ...any) {
	fmt.Fprintln(w, report.Printable(fmt.Sprintf(format, args...)))
}
