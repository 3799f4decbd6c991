package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/report"
	"github.com/opendata-docket/docket/internal/validate"
)

const validateUsage = `Usage: docket validate [--repo DIR] [--format text|github|json] [--as-of YYYY-MM-DD]

Checks every file of the docket in DIR: requests/<id>/request.yaml, decision.yaml, appeal.yaml
and enforcement.yaml, and the configuration in .github/docket.yml. Each file is checked against
its schema in schema/, then against the rules across files (dates in order, a decision needs its
request, appeals only after denials, deciders are staff, catalog ids exist, ...). Every problem
is reported, one per line, sorted by file and line:

    requests/bus-feed/request.yaml:12:8: purpose.use: must be one of analytics, ...

Flags:
    --repo DIR          the repository to check (default: the one the current folder is in)
    --format FORMAT     text: path:line:col: message (the default)
                        github: workflow commands, shown as annotations in GitHub Actions
                        json: a JSON array of {path, line, column, field, message, severity}
` + asOfHelp + `

Exit status: 0 when there are no errors (warnings may be printed), 1 when there are errors,
2 when docket was called wrongly.
`

func runValidate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("validate")
	dir := fs.String("repo", repoRoot(), "")
	format := fs.String("format", "text", "")
	clk := addClock(fs)
	if code, ok := parseFlags(fs, validateUsage, args, stdout, stderr); !ok {
		return code
	}
	today, err := clk.today()
	if err != nil {
		errorf(stderr, "%s", err)
		return 2
	}
	if !slices.Contains(report.Formats, *format) {
		errorf(stderr, "unknown --format %q: use one of %s", *format, strings.Join(report.Formats, ", "))
		return 2
	}
	// Only the findings and the count of requests are shown: each folder is dropped once checked.
	_, r, findings, err := validateDirWith(*dir, validate.Options{Today: today, FindingsOnly: true})
	if err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	findings = explainNoRepo(*dir, findings)
	if err := report.Write(stdout, *format, findings); err != nil {
		errorf(stderr, "writing findings: %s", err)
		return 1
	}
	if *format == "text" {
		sayf(stderr, "%s", summary(len(r.Folders), findings))
	}
	if docket.HasErrors(findings) {
		return 1
	}
	return 0
}

// summary says in one line what was checked and what was found.
func summary(requests int, findings []docket.Finding) string {
	errs, warns := 0, 0
	files := map[string]bool{}
	for _, f := range findings {
		files[f.Path] = true
		if f.Severity == docket.Warning {
			warns++
		} else {
			errs++
		}
	}
	checked := docket.Count(requests, "request", "requests") + " checked"
	if errs+warns == 0 {
		return checked + ": no problems found"
	}
	var parts []string
	if errs > 0 {
		parts = append(parts, docket.Count(errs, "error", "errors"))
	}
	if warns > 0 {
		parts = append(parts, docket.Count(warns, "warning", "warnings"))
	}
	return fmt.Sprintf("%s: %s in %s", checked, strings.Join(parts, " and "), docket.Count(len(files), "file", "files"))
}
