package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/opendata-docket/docket/internal/check"
)

const commentUsage = `Usage: docket comment --report FILE --head-sha SHA [--dry-run]

Posts the result of a docket check on its pull request: one comment, updated in place on every
push, and the labels request, decision, appeal, enforcement and needs-staff-review. It is meant
for a workflow_run job that has write access but never runs the pull request's code: the check
job (read-only, safe for forks) writes the report with docket check --report, and this command
reads it as untrusted data. It refuses a report whose pull request does not have --head-sha at
its head (take it from github.event.workflow_run.head_sha), re-renders the comment itself, and
sets only labels docket manages. Needs GITHUB_TOKEN and GITHUB_REPOSITORY (and GITHUB_API_URL on
GitHub Enterprise).

Flags:
    --report FILE    the report written by docket check --report
    --head-sha SHA   the commit the check ran on, from the event that triggered this job
    --dry-run        say what would change on GitHub without changing it

Exit status: 0 when the comment and labels are in place, 1 on failure, 2 when docket was called
wrongly.
`

func runComment(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("comment")
	reportPath := fs.String("report", "", "")
	headSHA := fs.String("head-sha", "", "")
	dryRun := fs.Bool("dry-run", false, "")
	if code, ok := parseFlags(fs, commentUsage, args, stdout, stderr); !ok {
		return code
	}
	if *reportPath == "" || *headSHA == "" {
		errorf(stderr, "--report and --head-sha are required")
		fmt.Fprint(stderr, commentUsage)
		return 2
	}
	client, err := githubClient()
	if err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	if client == nil {
		errorf(stderr, "GITHUB_TOKEN and GITHUB_REPOSITORY must be set")
		return 1
	}
	client.DryRun = *dryRun
	f, err := os.Open(*reportPath)
	if err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	rep, err := check.ReadReport(f)
	f.Close()
	if err != nil {
		errorf(stderr, "%s: %s", *reportPath, err)
		return 1
	}
	// The report may have been written by the pull request's own code: trust only the number,
	// and only once GitHub confirms that pull request is at the commit the check ran on.
	sha, _, err := client.PullRequestHead(ctx, rep.PullRequest)
	if err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	if sha != *headSHA {
		errorf(stderr, "the report is for pull request #%d, whose head is %s, not %s; nothing was posted", rep.PullRequest, short(sha), short(*headSHA))
		return 1
	}
	if err := postComment(ctx, client, rep, stderr); err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	return 0
}

func short(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}
