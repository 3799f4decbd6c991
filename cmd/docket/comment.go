package main

import (
	"cmp"
	"context"
	"errors"
	"io"
	"os"
	"strings"

	"github.com/opendata-docket/docket/internal/check"
	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/gh"
	"github.com/opendata-docket/docket/internal/gitrepo"
	"github.com/opendata-docket/docket/internal/report"
)

const commentUsage = `Usage: docket comment --head-sha SHA (--pr N | --report FILE) [--repo DIR] [--base REV]
                      [--dry-run] [--as-of YYYY-MM-DD]
       docket comment --recheck --before REV [--branch NAME] [--repo DIR] [--base REV]
                      [--dry-run] [--as-of YYYY-MM-DD]

Checks a pull request with trusted code and posts the result on it: one comment, updated in
place on every push; the labels request, decision, appeal, enforcement and needs-staff-review;
and the commit status "docket", which branch protection should require. It is meant for a
workflow_run job that may write to pull requests but never runs the pull request's code.

The pull request is named by --pr, or by the report that docket check --report wrote in the
read-only check job; only the report's number is used, since a pull request can change the
workflow that wrote it. docket asks GitHub for the pull request, refuses when its head is not
--head-sha (take it from github.event.workflow_run.head_sha), and runs the same check as docket
check on the commits in --repo, as the author GitHub reports, against its base branch as it is
now (GitHub's own "base" commit of a pull request does not move when the branch does). Fetch
the pull request's commits into the repository first (git fetch origin refs/pull/N/head);
nothing is checked out.

With --recheck, run after a push to a branch, docket checks again every open pull request into
that branch that touches a request folder the push changed (every one that touches requests/
when the configuration changed, or when --before is unknown), so that an edit checked before
staff decided the request cannot stay green once they have. Fetch the open pull requests'
commits first (git fetch origin '+refs/pull/*/head:refs/remotes/pull/*/head').

Needs GITHUB_TOKEN and GITHUB_REPOSITORY (and GITHUB_API_URL on GitHub Enterprise Server).

Flags:
    --head-sha SHA      the commit the triggering check ran on
    --pr N              the pull request's number
    --report FILE       or: the report of the check job, to read the number from
    --recheck           check again the open pull requests a push to --branch may have changed
    --before REV        with --recheck: the commit the branch was at before the push
                        (github.event.before); all zeros when the branch is new
    --branch NAME       with --recheck: the branch pushed to (default: $GITHUB_REF_NAME)
    --repo DIR          the repository with the pull requests' commits (default: the one
                        the current folder is in)
    --base REV          the base to compare with (default: the base branch's tip as GitHub
                        reports it now; with --recheck, HEAD: the pushed commit)
    --dry-run           say what would change on GitHub without changing it
` + asOfHelp + `

Exit status: 0 when the comments, labels and statuses are in place, 1 on failure, 2 when docket
was called wrongly.
`

// commentOptions is docket comment's command line and environment, parsed and validated before
// any work.
type commentOptions struct {
	headSHA    string // --head-sha
	pr         int    // --pr
	reportPath string // --report
	recheck    bool   // --recheck
	before     string // --before
	branch     string // --branch, default $GITHUB_REF_NAME
	dir        string // --repo
	base       string // --base
	dryRun     bool   // --dry-run
	today      docket.Date
	github     githubEnv
}

// parseCommentArgs reads docket comment's flags and the environment through getenv. Errors as
// parseCheckArgs's.
func parseCommentArgs(args []string, getenv func(string) string) (*commentOptions, error) {
	fs := newFlagSet("comment")
	o := &commentOptions{}
	fs.StringVar(&o.headSHA, "head-sha", "", "")
	fs.IntVar(&o.pr, "pr", 0, "")
	fs.StringVar(&o.reportPath, "report", "", "")
	fs.BoolVar(&o.recheck, "recheck", false, "")
	fs.StringVar(&o.before, "before", "", "")
	fs.StringVar(&o.branch, "branch", getenv("GITHUB_REF_NAME"), "")
	fs.StringVar(&o.dir, "repo", repoRoot(), "")
	fs.StringVar(&o.base, "base", "", "")
	fs.BoolVar(&o.dryRun, "dry-run", false, "")
	var err error
	if o.today, err = parseDated(fs, args, getenv); err != nil {
		return nil, err
	}
	o.github = readGitHubEnv(getenv)
	switch {
	case o.recheck && (o.headSHA != "" || o.pr != 0 || o.reportPath != ""):
		return nil, &usageError{msg: "--recheck goes with --before and --branch, not with --head-sha, --pr or --report", withUsage: true}
	case o.recheck && (o.before == "" || o.branch == ""):
		return nil, &usageError{msg: "--recheck needs --before and --branch", withUsage: true}
	case !o.recheck && (o.headSHA == "" || (o.pr == 0) == (o.reportPath == "")):
		return nil, &usageError{msg: "give --head-sha, and either --pr or --report", withUsage: true}
	case !o.github.set():
		return nil, errors.New("GITHUB_TOKEN and GITHUB_REPOSITORY must be set")
	}
	return o, nil
}

func runComment(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseCommentArgs(args, os.Getenv)
	if err != nil {
		return commandLineFailed(err, commentUsage, stdout, stderr)
	}
	client, err := o.github.client(o.dryRun)
	if err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	g := &gate{client: client, dir: o.dir, base: o.base, today: o.today, stderr: stderr}
	if o.recheck {
		return g.recheck(ctx, o.branch, o.before)
	}
	number := o.pr
	if o.reportPath != "" {
		f, err := os.Open(o.reportPath)
		if err != nil {
			errorf(stderr, "%s", err)
			return 1
		}
		rep, err := check.ReadReport(f)
		f.Close()
		if err != nil {
			errorf(stderr, "%s: %s", o.reportPath, err)
			return 1
		}
		number = rep.PullRequest
	}
	pr, err := client.PullRequest(ctx, number)
	if err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	if pr.HeadSHA != o.headSHA {
		errorf(stderr, "pull request #%d is at %s, not %s; nothing was posted", number, short(pr.HeadSHA), short(o.headSHA))
		return 1
	}
	if pr.State != "open" {
		sayf(stderr, "pull request #%d is %s; nothing to post", number, pr.State)
		return 0
	}
	return g.post(ctx, pr)
}

// gate checks pull requests with trusted code and posts the results on them.
type gate struct {
	client *gh.Client
	dir    string
	base   string // the revision to judge against; "" means the base branch's tip now
	today  docket.Date
	stderr io.Writer
}

// post checks one open pull request and sets its comment, labels and status.
func (g *gate) post(ctx context.Context, pr *gh.PullRequest) int {
	rep, checkErr := trustedCheck(ctx, g.client, pr, g.dir, g.base, g.today, g.stderr)
	if err := postComment(ctx, g.client, rep, g.stderr); err != nil {
		errorf(g.stderr, "%s", err)
		return 1
	}
	state, desc := "success", "nothing blocks merging"
	switch {
	case checkErr != nil:
		state, desc = "error", "docket could not check this pull request"
	case rep.Errors() > 0:
		state, desc = "failure", docket.Count(rep.Errors(), "problem blocks", "problems block")+" merging"
	}
	if err := g.client.SetStatus(ctx, pr.HeadSHA, state, desc, runURL()); err != nil {
		errorf(g.stderr, "%s", err)
		return 1
	}
	sayf(g.stderr, "status %s on %s: %s", state, short(pr.HeadSHA), desc)
	if checkErr != nil {
		errorf(g.stderr, "%s", checkErr)
		return 1
	}
	return 0
}

// recheck checks again the open pull requests into branch that the push from before to the
// branch's new commit (--base, default HEAD) may have changed the verdict on.
func (g *gate) recheck(ctx context.Context, branch, before string) int {
	r, err := gitrepo.Open(g.dir)
	if err != nil {
		errorf(g.stderr, "--repo %s: not a git repository: %s", g.dir, err)
		return 1
	}
	g.base = cmp.Or(g.base, "HEAD")
	ids, all, err := check.ChangedFolders(r, before, g.base)
	if err != nil {
		errorf(g.stderr, "%s", err)
		return 1
	}
	if !all && len(ids) == 0 {
		sayf(g.stderr, "the push to %s changed no request folder and not the configuration; no pull request to check again", branch)
		return 0
	}
	prs, err := g.client.OpenPullRequests(ctx, branch)
	if err != nil {
		errorf(g.stderr, "%s", err)
		return 1
	}
	code, n := 0, 0
	for _, pr := range prs {
		if !touches(pr.Paths, ids, all) {
			continue
		}
		n++
		if c := g.post(ctx, &pr.PullRequest); c != 0 {
			code = c
		}
	}
	sayf(g.stderr, "checked again %s into %s", docket.Count(n, "open pull request", "open pull requests"), branch)
	return code
}

// touches reports whether any of paths is in one of the request folders ids, or, with all,
// anywhere under requests/ or in the configuration.
func touches(paths []string, ids map[string]bool, all bool) bool {
	for _, p := range paths {
		if p == docket.ConfigPath {
			return true
		}
		rest, ok := strings.CutPrefix(p, docket.RequestsDir+"/")
		if !ok {
			continue
		}
		id, _, _ := strings.Cut(rest, "/")
		if all || ids[id] {
			return true
		}
	}
	return false
}

// trustedCheck runs docket check on the pull request as GitHub describes it. When the check
// itself fails, the report says so, so the comment never goes stale.
func trustedCheck(ctx context.Context, client *gh.Client, pr *gh.PullRequest, dir, base string, today docket.Date, stderr io.Writer) (*check.Report, error) {
	fail := func(err error) (*check.Report, error) {
		rep := (&check.Result{Actor: pr.Author}).Report(pr.Number, pr.HeadSHA)
		rep.OK = false
		rep.Findings = append(rep.Findings, report.JSONFinding{Path: "(pull request)", Line: 1, Column: 1,
			Message: "docket could not check this pull request: " + err.Error(), Severity: "error"})
		return rep, err
	}
	if base == "" {
		// The branch as it is now, not the commit GitHub recorded when the pull request last
		// changed: a decision merged since then must count.
		var err error
		if base, err = client.BranchTip(ctx, pr.BaseRef); err != nil {
			return fail(err)
		}
	}
	res, _, err := checkPullRequest(ctx, client, pullRequestCheck{dir: dir, base: base, head: pr.HeadSHA, actor: pr.Author, pr: pr.Number, today: today}, stderr)
	if err != nil {
		return fail(err)
	}
	return res.Report(pr.Number, pr.HeadSHA), nil
}

// runURL links a status to the workflow run that set it, when running in Actions.
func runURL() string {
	server, repo, run := os.Getenv("GITHUB_SERVER_URL"), os.Getenv("GITHUB_REPOSITORY"), os.Getenv("GITHUB_RUN_ID")
	if server == "" || repo == "" || run == "" {
		return ""
	}
	return strings.TrimSuffix(server, "/") + "/" + repo + "/actions/runs/" + run
}

func short(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}
