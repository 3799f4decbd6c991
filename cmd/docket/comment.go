package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/opendata-docket/docket/internal/check"
	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/gh"
	"github.com/opendata-docket/docket/internal/report"
	"github.com/opendata-docket/docket/internal/validate"
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

func runComment(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("comment")
	headSHA := fs.String("head-sha", "", "")
	prFlag := fs.Int("pr", 0, "")
	reportPath := fs.String("report", "", "")
	recheck := fs.Bool("recheck", false, "")
	before := fs.String("before", "", "")
	branch := fs.String("branch", os.Getenv("GITHUB_REF_NAME"), "")
	dir := fs.String("repo", repoRoot(), "")
	baseRev := fs.String("base", "", "")
	dryRun := fs.Bool("dry-run", false, "")
	clk := addClock(fs)
	if code, ok := parseFlags(fs, commentUsage, args, stdout, stderr); !ok {
		return code
	}
	today, err := clk.today()
	if err != nil {
		errorf(stderr, "%s", err)
		return 2
	}
	switch {
	case *recheck && (*headSHA != "" || *prFlag != 0 || *reportPath != ""):
		errorf(stderr, "--recheck goes with --before and --branch, not with --head-sha, --pr or --report")
		fmt.Fprint(stderr, commentUsage)
		return 2
	case *recheck && (*before == "" || *branch == ""):
		errorf(stderr, "--recheck needs --before and --branch")
		fmt.Fprint(stderr, commentUsage)
		return 2
	case !*recheck && (*headSHA == "" || (*prFlag == 0) == (*reportPath == "")):
		errorf(stderr, "give --head-sha, and either --pr or --report")
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
	g := &gate{client: client, dir: *dir, base: *baseRev, today: today, stderr: stderr}
	if *recheck {
		return g.recheck(ctx, *branch, *before)
	}
	number := *prFlag
	if *reportPath != "" {
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
		number = rep.PullRequest
	}
	pr, err := client.PullRequest(ctx, number)
	if err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	if pr.HeadSHA != *headSHA {
		errorf(stderr, "pull request #%d is at %s, not %s; nothing was posted", number, short(pr.HeadSHA), short(*headSHA))
		return 1
	}
	if pr.State != "open" {
		fmt.Fprintf(stderr, "docket: pull request #%d is %s; nothing to post\n", number, pr.State)
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
		state, desc = "failure", count(rep.Errors(), "problem blocks", "problems block")+" merging"
	}
	if err := g.client.SetStatus(ctx, pr.HeadSHA, state, desc, runURL()); err != nil {
		errorf(g.stderr, "%s", err)
		return 1
	}
	fmt.Fprintf(g.stderr, "docket: status %s on %s: %s\n", state, short(pr.HeadSHA), desc)
	if checkErr != nil {
		errorf(g.stderr, "%s", printableText(checkErr.Error()))
		return 1
	}
	return 0
}

// recheck checks again the open pull requests into branch that the push from before to the
// branch's new commit (--base, default HEAD) may have changed the verdict on.
func (g *gate) recheck(ctx context.Context, branch, before string) int {
	r, err := git.PlainOpenWithOptions(g.dir, &git.PlainOpenOptions{DetectDotGit: true})
	if err != nil {
		errorf(g.stderr, "--repo %s: not a git repository: %s", g.dir, err)
		return 1
	}
	g.base = cmpOr(g.base, "HEAD")
	ids, all, err := check.ChangedFolders(r, before, g.base)
	if err != nil {
		errorf(g.stderr, "%s", printableText(err.Error()))
		return 1
	}
	if !all && len(ids) == 0 {
		fmt.Fprintf(g.stderr, "docket: the push to %s changed no request folder and not the configuration; no pull request to check again\n", printableText(branch))
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
	fmt.Fprintf(g.stderr, "docket: checked again %s into %s\n", count(n, "open pull request", "open pull requests"), printableText(branch))
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
	r, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true})
	if err != nil {
		return fail(fmt.Errorf("--repo %s is not a git repository: %w", dir, err))
	}
	v, err := validate.New()
	if err != nil {
		return fail(err)
	}
	if base == "" {
		// The branch as it is now, not the commit GitHub recorded when the pull request last
		// changed: a decision merged since then must count.
		if base, err = client.BranchTip(ctx, pr.BaseRef); err != nil {
			return fail(err)
		}
	}
	opts, notes := githubOptions(ctx, client, pr.Number, stderr)
	opts.Base, opts.Head, opts.Actor, opts.Today = base, pr.HeadSHA, pr.Author, today
	res, err := check.Run(r, v, opts)
	if err != nil {
		return fail(err)
	}
	res.Notes = append(res.Notes, notes...)
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

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func short(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}
