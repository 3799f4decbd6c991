package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/opendata-docket/docket/internal/check"
	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/gh"
	"github.com/opendata-docket/docket/internal/gitrepo"
	"github.com/opendata-docket/docket/internal/report"
	"github.com/opendata-docket/docket/internal/validate"
	"github.com/opendata-docket/docket/internal/yamldoc"
)

const checkUsage = `Usage: docket check [--repo DIR] [--base REV] [--head REV] [--actor LOGIN] [--pr N]
                    [--format text|github|json] [--summary FILE] [--report FILE]
                    [--comment [--dry-run]] [--as-of YYYY-MM-DD]

Checks a pull request: the files it changes between the merge base of --base and --head, and
whether its author (--actor) may change them. Anyone may add a request in their own name;
requesters may edit their own request until it is decided (or while staff ask for more
information), withdraw it, and appeal a denial before the deadline; staff (from the
configuration on --base, which the pull request cannot change) may decide and take enforcement
actions; nobody may delete or rename request files or rewrite a merged decision. Changes outside
requests/ are allowed but labelled for staff review. Files at --head are validated as by
docket validate, and added text is scanned for secrets. Reads git with go-git; no git binary.

In GitHub Actions, on a pull_request event, --base, --head, --actor and --pr default from the
event ($GITHUB_EVENT_PATH) and the Markdown summary is added to $GITHUB_STEP_SUMMARY. With
GITHUB_TOKEN and GITHUB_REPOSITORY set, docket also asks GitHub which ids other open pull
requests claim, and whether the author is in the configured staff team.

Flags:
    --repo DIR          the repository (default: the one the current folder is in); needs the
                        history of both revisions (in Actions, check out with fetch-depth: 0)
    --base REV          the branch the pull request goes into (a branch, tag or commit)
    --head REV          the pull request's last commit
    --actor LOGIN       the pull request's author, as GitHub reports it
    --pr N              the pull request's number
    --format FORMAT     text (the default), github (annotations) or json
    --summary FILE      also write the Markdown summary to FILE
    --report FILE       write the result as JSON for docket comment (the artifact of the check job)
    --comment           post the summary as the one docket comment on the pull request and set its
                        labels; needs a token that may write to pull requests
    --dry-run           with --comment, say what would change on GitHub without changing it
` + asOfHelp + `

Exit status: 0 when nothing blocks the pull request (warnings may be printed), 1 when something
does, 2 when docket was called wrongly.
`

// event is the part of a pull_request event payload docket reads.
type event struct {
	PullRequest *struct {
		Number int `json:"number"`
		Base   struct {
			SHA string `json:"sha"`
			Ref string `json:"ref"`
		} `json:"base"`
		Head struct {
			SHA string `json:"sha"`
		} `json:"head"`
		User struct {
			Login string `json:"login"`
		} `json:"user"`
	} `json:"pull_request"`
}

// checkOptions is docket check's command line, with what the pull_request event and the
// environment fill in, parsed and validated before any work, as peribolos' parseArgs does.
type checkOptions struct {
	pullRequestCheck
	format     string   // one of report.Formats
	summaries  []string // files to append the Markdown summary to: --summary, $GITHUB_STEP_SUMMARY
	reportPath string   // --report
	comment    bool     // --comment
	dryRun     bool     // --dry-run
	github     githubEnv
	inActions  bool // $GITHUB_ACTIONS is true: a fresh checkout nobody has edited
}

// parseCheckArgs reads docket check's flags, then the pull_request event ($GITHUB_EVENT_PATH)
// and the environment through getenv, and checks that they go together. Errors: flag.ErrHelp
// for -h; a *usageError for a command line docket cannot act on; any other error (an event that
// cannot be read) is a failure.
func parseCheckArgs(args []string, getenv func(string) string) (*checkOptions, error) {
	fs := newFlagSet("check")
	o := &checkOptions{}
	fs.StringVar(&o.dir, "repo", repoRoot(), "")
	fs.StringVar(&o.base, "base", "", "")
	fs.StringVar(&o.head, "head", "", "")
	fs.StringVar(&o.actor, "actor", "", "")
	fs.IntVar(&o.pr, "pr", 0, "")
	fs.StringVar(&o.format, "format", "text", "")
	summary := fs.String("summary", "", "")
	fs.StringVar(&o.reportPath, "report", "", "")
	fs.BoolVar(&o.comment, "comment", false, "")
	fs.BoolVar(&o.dryRun, "dry-run", false, "")
	var err error
	if o.today, err = parseDated(fs, args, getenv); err != nil {
		return nil, err
	}
	if !slices.Contains(report.Formats, o.format) {
		return nil, &usageError{msg: fmt.Sprintf("unknown --format %q: use one of %s", o.format, strings.Join(report.Formats, ", "))}
	}
	if p := getenv("GITHUB_EVENT_PATH"); p != "" {
		ev, err := readEvent(p)
		if err != nil {
			return nil, err
		}
		if pr := ev.PullRequest; pr != nil {
			if o.base == "" {
				o.baseBranch = pr.Base.Ref
			}
			o.base = cmp.Or(o.base, pr.Base.SHA)
			o.head = cmp.Or(o.head, pr.Head.SHA)
			o.actor = cmp.Or(o.actor, pr.User.Login)
			o.pr = cmp.Or(o.pr, pr.Number)
		}
	}
	var missing []string
	for _, f := range []struct{ name, value string }{{"--base", o.base}, {"--head", o.head}, {"--actor", o.actor}} {
		if f.value == "" {
			missing = append(missing, f.name)
		}
	}
	o.github = readGitHubEnv(getenv)
	switch {
	case len(missing) > 0:
		return nil, &usageError{msg: strings.Join(missing, ", ") + " not given, and there is no pull_request event to read it from", withUsage: true}
	case o.dryRun && !o.comment:
		return nil, &usageError{msg: "--dry-run goes with --comment"}
	case o.comment && o.pr <= 0:
		return nil, &usageError{msg: "--comment needs the pull request's number (--pr)"}
	case o.comment && !o.github.set():
		return nil, errors.New("--comment needs GITHUB_TOKEN and GITHUB_REPOSITORY")
	}
	for _, p := range []string{*summary, getenv("GITHUB_STEP_SUMMARY")} {
		if p != "" {
			o.summaries = append(o.summaries, p)
		}
	}
	o.inActions = getenv("GITHUB_ACTIONS") == "true"
	return o, nil
}

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseCheckArgs(args, os.Getenv)
	if err != nil {
		return commandLineFailed(err, checkUsage, stdout, stderr)
	}
	client, err := o.github.client(o.dryRun)
	if err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	res, r, err := checkPullRequest(ctx, client, o.pullRequestCheck, stderr)
	if err != nil {
		errorf(stderr, "%s", err)
		if errors.Is(err, gitrepo.ErrUnknownRevision) || errors.Is(err, gitrepo.ErrMissingObject) {
			hintf(stderr, "is the clone shallow? docket check needs both revisions and their history (actions/checkout with fetch-depth: 0)")
		}
		return 1
	}
	res.Notes = append(res.Notes, checkNotes(r, [][2]string{{"--base", o.base}, {"--head", o.head}}, o.inActions)...)
	if err := report.Write(stdout, o.format, res.Findings); err != nil {
		errorf(stderr, "writing findings: %s", err)
		return 1
	}
	rep := res.Report(o.pr, o.head)
	md := rep.Markdown()
	for _, p := range o.summaries {
		if err := appendFile(p, md); err != nil {
			errorf(stderr, "writing the summary: %s", err)
			return 1
		}
	}
	if o.reportPath != "" {
		if err := writeReport(o.reportPath, rep); err != nil {
			errorf(stderr, "writing the report: %s", err)
			return 1
		}
	}
	if o.format == "text" {
		for _, e := range res.Effects {
			sayf(stderr, "%s", e)
		}
		for _, n := range res.Notes {
			notef(stderr, "%s", n)
		}
		sayf(stderr, "%s", checkSummary(res, o.base, o.head))
	}
	if o.comment {
		if err := postComment(ctx, client, rep, stderr); err != nil {
			errorf(stderr, "%s", err)
			return 1
		}
	}
	if !res.OK() {
		return 1
	}
	return 0
}

// pullRequestCheck names one check of a pull request.
type pullRequestCheck struct {
	dir        string // the repository, or a folder in it
	base, head string // revisions
	baseBranch string // when set, the base branch's name: its tip in the clone replaces base
	actor      string // the pull request's author
	pr         int    // the pull request's number; 0 when not known
	today      docket.Date
}

// checkPullRequest is the one check pipeline of docket check and docket comment: it opens the
// repository, asks GitHub (when client is not nil) which ids older open pull requests claim and
// who is in a staff team, and checks the pull request. It returns the result and the opened
// repository; the error is a repository that cannot be opened or read.
func checkPullRequest(ctx context.Context, client *gh.Client, c pullRequestCheck, stderr io.Writer) (*check.Result, *gitrepo.Repo, error) {
	r, err := gitrepo.Open(c.dir)
	if err != nil {
		return nil, nil, fmt.Errorf("--repo %s: not a git repository: %w", c.dir, err)
	}
	if c.baseBranch != "" {
		// The event's base commit is where the branch was when the pull request last changed;
		// a full clone knows where it is now.
		tip := "refs/remotes/origin/" + c.baseBranch
		if _, err := r.Commit(tip); err == nil {
			c.base = tip
		} else {
			notef(stderr, "%s is not in the clone, so the pull request is checked against the base commit of the event, which may be older than the branch", tip)
		}
	}
	opts := check.Options{}
	var notes []string
	if client == nil {
		sayf(stderr, "no GITHUB_TOKEN and GITHUB_REPOSITORY: ids claimed by other open pull requests and membership of a staff team are not checked")
	} else {
		opts, notes = githubOptions(ctx, client, c.pr, stderr)
	}
	opts.Base, opts.Head, opts.Actor, opts.Today = c.base, c.head, c.actor, c.today
	v, err := validate.New()
	if err != nil {
		return nil, nil, err
	}
	res, err := check.Run(r, v, opts)
	if err != nil {
		return nil, nil, err
	}
	res.Notes = append(res.Notes, notes...)
	return res, r, nil
}

func checkSummary(res *check.Result, baseRev, headRev string) string {
	role := "requester"
	if res.Staff {
		role = "staff"
	}
	if len(res.Changes) == 0 && len(res.Findings) == 0 {
		// Not "nothing blocks merging": a check of the wrong revision looks just like this.
		return fmt.Sprintf("pull request by %s (%s): %s changes no file compared with %s (from the commit where they fork), so there is nothing to check", res.Actor, role, headRev, baseRev)
	}
	head := fmt.Sprintf("pull request by %s (%s), %s changed, %s checked", res.Actor, role,
		docket.Count(len(res.Changes), "file", "files"), docket.Count(res.Checked, "request folder", "request folders"))
	errs := 0
	for _, f := range res.Findings {
		if f.Severity == docket.Error {
			errs++
		}
	}
	switch warns := len(res.Findings) - errs; {
	case errs > 0:
		return head + ": " + docket.Count(errs, "problem blocks", "problems block") + " merging"
	case warns > 0:
		return head + ": nothing blocks merging; " + docket.Count(warns, "warning", "warnings") + " for staff"
	}
	return head + ": nothing blocks merging"
}

// postComment makes the pull request's docket comment and labels match the report.
func postComment(ctx context.Context, client *gh.Client, rep *check.Report, stderr io.Writer) error {
	verb, err := client.UpsertComment(ctx, rep.PullRequest, check.CommentMarker, rep.Markdown())
	if err != nil {
		return err
	}
	added, removed, err := client.SetLabels(ctx, rep.PullRequest, rep.Labels, check.ManagedLabels)
	if err != nil {
		return err
	}
	if client.DryRun() {
		sayf(stderr, "dry run: comment would be %s on pull request #%d; labels to add: %s; to remove: %s", verb, rep.PullRequest, listOrNone(added), listOrNone(removed))
		return nil
	}
	sayf(stderr, "comment %s on pull request #%d; labels added: %s; removed: %s", verb, rep.PullRequest, listOrNone(added), listOrNone(removed))
	return nil
}

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

func readEvent(path string) (*event, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the event payload: %w", err)
	}
	var ev event
	if err := json.Unmarshal(data, &ev); err != nil {
		return nil, fmt.Errorf("reading the event payload %s: %w", path, err)
	}
	return &ev, nil
}

func writeReport(path string, rep *check.Report) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	// Write to a temporary file and rename, so an interrupted run leaves no half report.
	tmp, err := os.CreateTemp(filepath.Dir(path), ".report-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := rep.WriteJSON(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func appendFile(path, text string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(f, text); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// githubOptions asks GitHub what docket check needs beyond the repository: the ids that older
// open pull requests add (a later pull request cannot take a valid one from an earlier one), and
// team membership. What cannot be asked is said in the returned notes.
func githubOptions(ctx context.Context, client *gh.Client, pr int, stderr io.Writer) (check.Options, []string) {
	var opts check.Options
	var notes []string
	opts.TeamMember = func(team, login string) (bool, error) { return client.IsTeamMember(ctx, team, login) }
	opts.SSHKeys = func(login string) ([]string, error) { return client.SSHKeys(ctx, login) }
	pending, err := client.PendingRequests(ctx)
	if err != nil {
		warningf(stderr, "other open pull requests could not be listed, so ids they claim are not checked: %s", err)
		notes = append(notes, "Other open pull requests could not be listed, so whether another one claims the same id was not checked.")
	}
	for _, p := range pending {
		if p.Number == pr || (pr > 0 && p.Number > pr) {
			continue // this pull request, or a later one
		}
		for _, id := range p.IDs {
			opts.Claims = append(opts.Claims, check.Claim{ID: id, Number: p.Number, Author: p.Author,
				Read: func() ([]byte, error) { return client.RequestFile(ctx, p.HeadSHA, id, yamldoc.MaxSize) }})
		}
	}
	return opts, notes
}
