package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/draft"
	"github.com/opendata-docket/docket/internal/gh"
	"github.com/opendata-docket/docket/internal/history"
	"github.com/opendata-docket/docket/internal/queue"
	"github.com/opendata-docket/docket/internal/website"
)

const remindUsage = `Usage: docket remind [--tracking-issue] [--appeal-days N] [--expiry-days N] [--dry-run]
                     [--repo DIR] [--as-of YYYY-MM-DD]

Chases the docket's own service targets, for a scheduled workflow. It finds what is due as of
the day: requests past the first-response or the decision target (those the site lists as
overdue), appeal windows closing within --appeal-days and API keys expiring within
--expiry-days. Each of these milestones is posted once, ever: a comment on the pull request that
brought the request in (found from the git history), marked so that no later run posts it again.
Reminders for the requester (an appeal window, a key) mention them.

A request whose pull request cannot be found, and every milestone with --tracking-issue, goes
to one tracking issue instead, opened once and updated in place with what is due.

The plan is printed first. With --dry-run nothing is posted, and without GITHUB_TOKEN and
GITHUB_REPOSITORY --dry-run still lists what is due.

Flags:
    --tracking-issue    keep every reminder in one tracking issue instead of commenting on the
                        requests' pull requests
    --appeal-days N     remind of an appeal window closing within N days (default 7)
    --expiry-days N     remind of a key expiring within N days (default 30)
    --dry-run           print what would be posted, and post nothing
    --repo DIR          the repository (default: the one the current folder is in); it needs
                        its git history (fetch-depth: 0) for submission days
` + asOfHelp + `

Exit status: 0 when every reminder due is posted (or printed), 1 on failure, 2 when docket was
called wrongly.
`

// trackingMarker is hidden in the body of the tracking issue, so each run finds it again.
const trackingMarker = "<!-- docket:remind-tracking -->"

func runRemind(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("remind")
	tracking := fs.Bool("tracking-issue", false, "")
	within := addWithin(fs)
	dryRun := fs.Bool("dry-run", false, "")
	dir := fs.String("repo", repoRoot(), "")
	clk := addClock(fs)
	if code, ok := parseFlags(fs, remindUsage, args, stdout, stderr); !ok {
		return code
	}
	today, err := clk.today()
	if err != nil {
		errorf(stderr, "%s", err)
		return 2
	}
	opts, err := within.options()
	if err != nil {
		errorf(stderr, "%s", err)
		return 2
	}
	client, err := githubClient(*dryRun)
	if err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	if client == nil && !*dryRun {
		errorf(stderr, "GITHUB_TOKEN and GITHUB_REPOSITORY must be set to post reminders")
		hintf(stderr, "docket remind --dry-run lists what is due without them")
		return 1
	}
	ws, code := openWorkspace(*dir, today, stderr)
	if ws == nil {
		return code
	}
	entries, note := ws.entries()
	if note != "" {
		sayf(stderr, "no submission days, so no request can be found overdue: %s", note)
	}
	ms := queue.Milestones(entries, ws.cfg, today, opts)
	r := &reminder{client: client, cfg: ws.cfg, today: today, dryRun: *dryRun, stdout: stdout, entries: map[string]*website.Entry{}}
	for _, e := range entries {
		if e.PR == nil {
			r.entries[e.ID] = e
		}
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	if err := r.run(ctx, ms, *tracking); err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	return 0
}

type reminder struct {
	client  *gh.Client // nil in a dry run without a token
	cfg     *docket.Config
	today   docket.Date
	dryRun  bool
	stdout  io.Writer
	entries map[string]*website.Entry
}

func (r *reminder) run(ctx context.Context, ms []queue.Milestone, tracking bool) error {
	switch len(ms) {
	case 0:
		sayf(r.stdout, "nothing is due as of %s", r.today)
	default:
		sayf(r.stdout, "%s due as of %s", docket.Count(len(ms), "reminder", "reminders"), r.today)
	}
	var toIssue []queue.Milestone
	for _, m := range ms {
		fmt.Fprintf(r.stdout, "%s: %s\n    %s\n", m.ID, m.Summary(), m.Text)
		if r.client == nil {
			fmt.Fprintln(r.stdout, "    where: not looked up (no GITHUB_TOKEN and GITHUB_REPOSITORY)")
			continue
		}
		pr := 0
		if !tracking {
			var err error
			if pr, err = r.thread(ctx, m.ID); err != nil {
				return err
			}
		}
		if pr == 0 {
			toIssue = append(toIssue, m)
			fmt.Fprintln(r.stdout, "    in the tracking issue")
			continue
		}
		marker := fmt.Sprintf("<!-- docket:remind %s %s -->", m.ID, m.Key)
		done, err := r.client.HasMarkedComment(ctx, pr, marker)
		if err != nil {
			return err
		}
		switch {
		case done:
			fmt.Fprintf(r.stdout, "    already posted on pull request #%d\n", pr)
		default:
			if err := r.client.AddComment(ctx, pr, r.comment(m, marker)); err != nil {
				return err
			}
			fmt.Fprintf(r.stdout, "    %s on pull request #%d\n", r.would("posted"), pr)
		}
	}
	if r.client == nil || (!tracking && len(toIssue) == 0) {
		return nil
	}
	title, body := r.trackingIssue(toIssue)
	n, what, err := r.client.UpsertTrackingIssue(ctx, trackingMarker, title, body)
	if err != nil {
		return err
	}
	if n > 0 {
		sayf(r.stdout, "tracking issue #%d: %s", n, r.would(what))
	} else {
		sayf(r.stdout, "tracking issue: %s", r.would(what))
	}
	if r.dryRun {
		fmt.Fprintf(r.stdout, "\n%s", body)
	}
	return nil
}

func (r *reminder) would(what string) string {
	if !r.dryRun || what == "unchanged" {
		return what
	}
	return "would be " + what
}

// thread returns the pull request that brought the request in: the conversation of the request,
// where staff and the requester already are. 0 when it cannot be found.
func (r *reminder) thread(ctx context.Context, id string) (int, error) {
	e := r.entries[id]
	if e == nil {
		return 0, nil
	}
	for _, ev := range e.Events {
		if ev.Change == history.Submitted {
			return r.client.PullRequestOf(ctx, ev.Commit)
		}
	}
	return 0, nil
}

// comment is one reminder as posted on a pull request. Only docket's own words and the
// requester's login, which GitHub vouches for, are in it.
func (r *reminder) comment(m queue.Milestone, marker string) string {
	var b strings.Builder
	b.WriteString(marker + "\n")
	if m.Who == "requester" {
		if e := r.entries[m.ID]; e != nil && isLogin(e.Requester.GitHub) {
			b.WriteString("@" + e.Requester.GitHub + " ")
		}
	}
	fmt.Fprintf(&b, "**Service reminder** (%s): %s\n", r.today, m.Text)
	if link := r.page(m.ID); link != "" {
		fmt.Fprintf(&b, "\nWhere the request stands: %s\n", link)
	}
	b.WriteString("\n<sub>Posted once by docket remind, which chases the program's service targets.</sub>\n")
	return b.String()
}

// isLogin reports whether s is a GitHub login as written, so that @s mentions that account
// and nothing else.
func isLogin(s string) bool {
	v, err := draft.Login(s)
	return err == nil && v == s
}

// page is the request's page on the site, when the configuration says where the site is.
func (r *reminder) page(id string) string {
	if r.cfg.Program.BaseURL == "" {
		return ""
	}
	return strings.TrimSuffix(r.cfg.Program.BaseURL, "/") + "/requests/" + id + "/"
}

// trackingIssue is the title and body of the tracking issue: what is due, one line each. Each
// line depends only on the milestone, not on the day, so a run that finds nothing new leaves
// the issue as it is.
func (r *reminder) trackingIssue(ms []queue.Milestone) (string, string) {
	var b strings.Builder
	b.WriteString(trackingMarker + "\n")
	b.WriteString("docket remind keeps this list of what is due, and updates it in place: requests past a service target, appeal windows closing and API keys expiring.\n\n")
	if len(ms) == 0 {
		b.WriteString("Nothing is due.\n")
		return "Service reminders: nothing due", b.String()
	}
	for _, m := range ms {
		fmt.Fprintf(&b, "- `%s`: %s", m.ID, m.Summary())
		if link := r.page(m.ID); link != "" {
			fmt.Fprintf(&b, ", %s", link)
		}
		b.WriteString("\n")
	}
	return fmt.Sprintf("Service reminders: %s due", docket.Count(len(ms), "item", "items")), b.String()
}
