package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"time"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/draft"
	"github.com/opendata-docket/docket/internal/gh"
	"github.com/opendata-docket/docket/internal/intake"
	"github.com/opendata-docket/docket/internal/report"
	"github.com/opendata-docket/docket/internal/validate"
)

const intakeUsage = `Usage: docket intake --issue N [--repo DIR] [--base BRANCH] [--dry-run] [--as-of YYYY-MM-DD]

Turns issue N, opened with one of the request forms in .github/ISSUE_TEMPLATE, into a pull
request, for requesters who never touch git. It reads the answers as GitHub renders the form,
builds requests/<id>/request.yaml with the issue's author as the requester, and validates it
against the repository in DIR (the default branch, checked out):

  - when every answer is usable, it puts the file on the branch docket-intake/issue-N, one
    commit on top of BRANCH, and opens a pull request from it (or updates the one already
    open), then comments on the issue with the link;
  - otherwise it comments on the issue with one list of exactly which answers to fix, and
    leaves the issue open; editing the issue runs it again, and the pull request follows.

Nothing the requester typed is dropped: every answer is written into the request, or named in
the list of answers to fix. There is one comment per issue, updated in place. Issues that are
not request forms (a misuse report, a blank issue), pull requests and closed issues are left
alone. The request id is the one the form gives, else one made from the title; it must not be
taken by a request or by another open pull request.

The plan (the file, the branch, the pull request and the comment) is printed first; with
--dry-run nothing is written to GitHub, and the file and the comment are printed instead. In
GitHub Actions, the pull request's number and commit are written to $GITHUB_OUTPUT (pr, head)
for the next step to check it with docket comment.

Needs GITHUB_TOKEN and GITHUB_REPOSITORY (and GITHUB_API_URL on GitHub Enterprise Server).

Flags:
    --issue N           the issue's number
    --repo DIR          the repository, checked out at the default branch (default: the one
                        the current folder is in)
    --base BRANCH       the branch the pull request goes into (default: the repository's
                        default branch)
    --dry-run           say what would be done on GitHub without doing it
` + asOfHelp + `

Exit status: 0 when the issue was handled (answers to fix are handled too: they are on the
issue), 1 on failure, 2 when docket was called wrongly.
`

func runIntake(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("intake")
	issueN := fs.Int("issue", 0, "")
	dir := fs.String("repo", repoRoot(), "")
	base := fs.String("base", "", "")
	dryRun := fs.Bool("dry-run", false, "")
	clk := addClock(fs)
	if code, ok := parseFlags(fs, intakeUsage, args, stdout, stderr); !ok {
		return code
	}
	today, err := clk.today()
	if err != nil {
		errorf(stderr, "%s", err)
		return 2
	}
	if *issueN <= 0 {
		errorf(stderr, "give the issue's number: --issue N")
		fmt.Fprint(stderr, intakeUsage)
		return 2
	}
	client, err := githubClient(*dryRun)
	if err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	if client == nil {
		errorf(stderr, "GITHUB_TOKEN and GITHUB_REPOSITORY must be set")
		return 1
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	in := &intaker{client: client, n: *issueN, base: *base, dryRun: *dryRun, stdout: stdout, stderr: stderr}
	ws, code := openWorkspace(*dir, today, stderr)
	if ws == nil {
		return code
	}
	in.ws = ws
	if err := in.run(ctx); err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	return 0
}

type intaker struct {
	client         *gh.Client
	ws             *workspace
	n              int
	base           string
	dryRun         bool
	stdout, stderr io.Writer
}

func (in *intaker) say(format string, args ...any) {
	sayf(in.stdout, format, args...)
}

func (in *intaker) run(ctx context.Context) error {
	issue, err := in.client.Issue(ctx, in.n)
	if err != nil {
		return err
	}
	switch {
	case issue.IsPullRequest:
		in.say("#%d is a pull request, not an issue; nothing to do", in.n)
		return nil
	case issue.State != "open":
		in.say("issue #%d is %s; nothing to do", in.n, issue.State)
		return nil
	}
	answers := intake.Parse(issue.Body)
	if answers == nil {
		in.say("issue #%d was not written with a request form; nothing to do", in.n)
		return nil
	}
	author, err := draft.Login(issue.Author)
	if err != nil {
		return fmt.Errorf("issue #%d: its author %q is not a GitHub login", in.n, report.Printable(issue.Author))
	}
	form := answers.Form
	req, wantID, problems := intake.Build(answers, author, in.ws.cfg)
	branch := gh.IntakeBranch(in.n)
	pr, err := in.client.PullRequestFrom(ctx, branch)
	if err != nil {
		return err
	}
	prNumber := 0
	if pr != nil {
		prNumber = pr.Number
	}
	asks := "a new dataset"
	if form.Kind == docket.KindAPIAccess {
		asks = "API access"
	}
	in.say("issue #%d by %s: a request for %s (%s)", in.n, author, asks, form.File)

	id, idProblem, err := in.chooseID(ctx, wantID, req.Title, prNumber)
	if err != nil {
		return err
	}
	if idProblem != "" {
		problems = append(problems, intake.Problem{Question: form.Question("id").Label, Message: idProblem})
	}
	text, err := draft.Request(req)
	if err != nil {
		return err
	}
	text = in.ws.hinted(text)
	file := path.Join(docket.RequestsDir, id, docket.RequestFile)
	_, findings, err := in.ws.v.Repository(draft.Overlay(os.DirFS(in.ws.dir), map[string][]byte{file: text}),
		validate.Options{Today: in.ws.today, Only: func(s string) bool { return s == id }})
	if err != nil {
		return err
	}
	var mine []docket.Finding
	var warnings []string
	for _, f := range findings {
		if f.Path != file {
			continue
		}
		mine = append(mine, f)
		if f.Severity == docket.Warning {
			warnings = append(warnings, f.Message)
		}
	}
	problems = intake.FromFindings(form, problems, mine)

	if len(problems) > 0 {
		body := intake.ProblemsComment(problems, prNumber)
		what, err := in.client.UpsertComment(ctx, in.n, intake.Marker, body)
		if err != nil {
			return err
		}
		in.say("%s to fix; comment on issue #%d: %s", docket.Count(len(problems), "answer", "answers"), in.n, in.would(what))
		if in.dryRun {
			fmt.Fprintf(in.stdout, "\n%s", body)
		}
		return nil
	}

	baseBranch := in.base
	if baseBranch == "" {
		if baseBranch, err = in.client.DefaultBranch(ctx); err != nil {
			return err
		}
	}
	baseSHA, err := in.client.BranchTip(ctx, baseBranch)
	if err != nil {
		return err
	}
	in.say("%s: %s", file, docket.Count(strings.Count(string(text), "\n"), "line", "lines"))
	head, what, err := in.client.PutFile(ctx, branch, baseSHA, file, text, fmt.Sprintf("Request %s, from issue #%d", id, in.n))
	if err != nil {
		return err
	}
	in.say("branch %s: %s", branch, in.would(what))
	title := "Request: " + oneLine(req.Title, 200)
	prBody := fmt.Sprintf("This request was made by docket intake from the answers @%s gave in #%d. To change an answer, edit the issue: this pull request follows.\n\nCloses #%d\n", author, in.n, in.n)
	switch {
	case pr == nil:
		if prNumber, err = in.client.OpenPullRequest(ctx, branch, baseBranch, title, prBody); err != nil {
			return err
		}
		in.say("pull request from %s into %s: %s", branch, baseBranch, in.would("created"))
	case pr.Title != title || pr.Body != prBody:
		if err := in.client.EditPullRequest(ctx, pr.Number, title, prBody); err != nil {
			return err
		}
		in.say("pull request #%d: %s", pr.Number, in.would("updated"))
	default:
		in.say("pull request #%d: unchanged", pr.Number)
	}
	body := intake.DoneComment(id, prNumber, warnings)
	cwhat, err := in.client.UpsertComment(ctx, in.n, intake.Marker, body)
	if err != nil {
		return err
	}
	in.say("comment on issue #%d: %s", in.n, in.would(cwhat))
	if in.dryRun {
		fmt.Fprintf(in.stdout, "\n%s\n%s", text, body)
		return nil
	}
	if head == "" && pr != nil {
		head = pr.HeadSHA
	}
	return writeOutputs(map[string]string{"pr": fmt.Sprint(prNumber), "head": head, "id": id})
}

// would says what was done, or with --dry-run what would have been.
func (in *intaker) would(what string) string {
	if !in.dryRun || what == "unchanged" {
		return what
	}
	return "would be " + what
}

// chooseID returns the request's id: the one the form asked for, when it is valid and free,
// or one made from the title and made free. An id held by this issue's own pull request is
// free for it. The problem says why the id asked for cannot be used.
func (in *intaker) chooseID(ctx context.Context, want, title string, ownPR int) (string, string, error) {
	claimed := map[string]bool{}
	prs, err := in.client.PendingRequests(ctx)
	if err != nil {
		return "", "", err
	}
	for _, p := range prs {
		if p.Number == ownPR {
			continue
		}
		for _, id := range p.IDs {
			claimed[id] = true
		}
	}
	taken := func(id string) bool { return in.ws.taken(id) || claimed[id] }
	if want != "" {
		switch {
		case !docket.ValidID(want):
			return "request-" + fmt.Sprint(in.n), "the id " + docket.ExplainID(want), nil
		case in.ws.taken(want):
			return want, fmt.Sprintf("%s is taken by a request already in the docket; choose another id, or leave this empty for one made from the title", want), nil
		case claimed[want]:
			return want, fmt.Sprintf("%s is taken by another open pull request; choose another id, or leave this empty for one made from the title", want), nil
		}
		return want, "", nil
	}
	id := draft.Slug(title)
	if id == "" {
		id = "request-" + fmt.Sprint(in.n)
	}
	return draft.FreeID(id, taken), "", nil
}

// oneLine keeps text to one line of at most n characters.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		s = string(r[:n-1]) + "…"
	}
	return s
}

// writeOutputs sets step outputs in GitHub Actions ($GITHUB_OUTPUT); elsewhere it does nothing.
func writeOutputs(kv map[string]string) error {
	p := os.Getenv("GITHUB_OUTPUT")
	if p == "" {
		return nil
	}
	f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	for _, k := range []string{"pr", "head", "id"} {
		if v, ok := kv[k]; ok {
			// Values are numbers, commit ids and request ids: one line each, nothing to escape.
			fmt.Fprintf(f, "%s=%s\n", k, v)
		}
	}
	return f.Close()
}
