package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/gh"
	"github.com/opendata-docket/docket/internal/gitrepo"
	"github.com/opendata-docket/docket/internal/history"
	"github.com/opendata-docket/docket/internal/ledger"
	"github.com/opendata-docket/docket/internal/registry"
	"github.com/opendata-docket/docket/internal/report"
	"github.com/opendata-docket/docket/internal/validate"
	"github.com/opendata-docket/docket/internal/website"
)

const buildUsage = `Usage: docket build [--repo DIR] [--out DIR] [--keys FILE] [--ledger FILE | --state-branch NAME]
                    [--history-cache FILE] [--as-of YYYY-MM-DD]

Validates the docket in DIR like docket validate and, when there are no errors, writes the
public transparency site into the output folder: every request with its decision and timeline,
statistics, an Atom feed, the whole log as JSON and CSV, the schemas and the guides. Open the
folder's index.html in a browser, or publish the folder as it is (GitHub Pages, any web server);
every link inside the site is relative.

Timelines come from the git history of the default branch (HEAD); a shallow clone or a folder
outside git still builds, without them. Who changed a request, and when, comes from the ledger
docket ledger record keeps (ledger.json on the state branch): a request is submitted on the day
its pull request was opened, and each change is dated when GitHub merged it. Without a ledger
(a fresh clone, no remote), requests are dated by their commits, and docket says so. When
GITHUB_TOKEN and GITHUB_REPOSITORY are set (as in GitHub Actions; GITHUB_API_URL optionally),
open pull requests that add requests are listed and counted as open requests from the day
they were opened.

Every day shown is a day in the program's time zone (program.time_zone; UTC without one), and
the counters (days open, overdue, days left) are as of today there, so a site rebuilt on a later
day with no new commit shows them current. The same commit, ledger and --as-of day give the
same bytes.

Flags:
    --repo DIR          the repository to build (default: the one the current folder is in)
    --out DIR           where to write the site (default: _site in the repository); a folder
                        written by an earlier build is emptied first, any other non-empty
                        folder is refused
    --keys FILE         the key registry docket provision keeps (keys.json): each approved
                        request's page shows its key's id, status, limits, last day and
                        delivery (never the key), and the site publishes it as keys.json
    --ledger FILE       read the ledger from FILE instead of the state branch
    --state-branch NAME the branch of origin that holds ledger.json (default docket-state)
    --history-cache FILE
                        keep the timelines read from git in FILE, for the commit they were
                        read at, and read only the commits after it at the next build; a
                        cache that does not fit (another history, another cache format, a
                        damaged file) is said once and ignored. What a well-formed cache
                        says is believed: keep it where only trusted runs can write it
    --as-of YYYY-MM-DD  the day to judge dates against and to compute counters (days open,
                        overdue) for (default: $DOCKET_AS_OF, or the current day in the
                        program's time zone)

Exit status: 0 when the site was built, 1 when the docket has errors (nothing is written) or
the build failed, 2 when docket was called wrongly.
`

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("build")
	root := repoRoot()
	dir := fs.String("repo", root, "")
	out := fs.String("out", filepath.Join(root, "_site"), "")
	keysFile := fs.String("keys", "", "")
	ledgerFile := fs.String("ledger", "", "")
	stateBranch := fs.String("state-branch", "docket-state", "")
	historyCache := fs.String("history-cache", "", "")
	clk := addClock(fs)
	if code, ok := parseFlags(fs, buildUsage, args, stdout, stderr); !ok {
		return code
	}
	if _, err := clk.today(); err != nil {
		errorf(stderr, "%s", err)
		return 2
	}
	if err := website.CheckOut(*dir, *out); err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		// Rendering thousands of pages makes much short-lived garbage over a live heap that
		// grows with the docket (its records: about 100 MB at 10,000 requests, 250 MB at
		// 40,000). Letting the heap grow to 1.6 times what is live keeps the collector's work
		// in proportion to the docket (a fixed soft limit made a 40,000-request build spend
		// half its CPU collecting) and the peak near 180 MB at 10,000 requests.
		debug.SetGCPercent(60)
	}
	b, err := website.New()
	if err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	bo := &builder{site: b, dir: *dir, clock: clk, stdout: stdout, stderr: stderr, env: os.Getenv, keys: *keysFile,
		ledgerFile: *ledgerFile, stateBranch: *stateBranch, historyCache: *historyCache}
	return bo.build(ctx, *out)
}

// builder runs one build; docket serve keeps one for all its rebuilds so that notes about
// missing history or a missing token are said once.
type builder struct {
	site           *website.Builder
	dir            string
	clock          *clock // read at every build: docket serve may run past midnight
	stdout, stderr io.Writer
	env            func(string) string
	said           map[string]bool
	keys           string // the key registry to publish, when given
	basePath       string // the path the last site built is served under (see website.BasePath)
	// ledgerFile is a ledger to read instead of the state branch; stateBranch names the branch
	// of origin to read ledger.json from ("": none, as in docket serve).
	ledgerFile, stateBranch string
	ledgerRead              bool           // read once per builder: docket serve rebuilds often
	ledgerKept              *ledger.Ledger // what was read
	historyCache            string         // the file timelines are cached in (--history-cache), or ""
}

// note prints an explanation once per builder.
func (bo *builder) note(s string) {
	if bo.said == nil {
		bo.said = map[string]bool{}
	}
	if !bo.said[s] {
		bo.said[s] = true
		sayf(bo.stderr, "%s", s)
	}
}

func (bo *builder) build(ctx context.Context, out string) int {
	today, err := bo.clock.today()
	if err != nil {
		errorf(bo.stderr, "%s", err)
		return 2
	}
	files := os.DirFS(bo.dir)
	// Lean: each folder's parsed files are dropped as soon as its rules have run (the site
	// reads records, never positions), so a large docket is never held whole as parse trees.
	_, r, findings, err := validateDirWith(bo.dir, validate.Options{Today: today, Lean: true})
	if err != nil {
		errorf(bo.stderr, "%s", err)
		return 1
	}
	if err := report.Write(bo.stdout, "text", findings); err != nil {
		errorf(bo.stderr, "writing findings: %s", err)
		return 1
	}
	if docket.HasErrors(findings) {
		sayf(bo.stderr, "%s", summary(len(r.Folders), findings))
		errorf(bo.stderr, "the site was not built; fix the errors above and build again")
		return 1
	}
	website.Release(r)
	bo.basePath = website.BasePath(r.Config.Program.BaseURL)
	// The site is as of today (in the program's time zone), so counters are current whenever
	// it is built, with or without a new commit.
	in := &website.Input{Repo: r, Files: files, Dir: bo.dir, AsOf: today}

	h, cacheNotes, err := history.ReadCached(bo.dir, bo.historyCache)
	for _, n := range cacheNotes {
		bo.note(n)
	}
	var ue *history.UnavailableError
	switch {
	case errors.As(err, &ue):
		in.HistoryNote = ue.Reason
		bo.note("no timelines: " + ue.Reason)
	case err != nil:
		in.HistoryNote = "the git history could not be read"
		bo.note("no timelines: " + err.Error())
	default:
		in.History = h
	}

	if bo.keys != "" {
		data, err := os.ReadFile(bo.keys)
		if err == nil {
			in.Keys, err = registry.Decode(data)
		}
		if err != nil {
			errorf(bo.stderr, "--keys %s: %s", bo.keys, err)
			return 1
		}
	}
	if !bo.ledgerRead {
		l, err := bo.ledger(ctx)
		if err != nil {
			errorf(bo.stderr, "%s", err)
			hintf(bo.stderr, "run docket ledger record again to rewrite it, or give --ledger FILE")
			return 1
		}
		bo.ledgerKept, bo.ledgerRead = l, true
	}
	in.Ledger = bo.ledgerKept
	if l := in.Ledger; l != nil && in.History != nil && l.RecordedThrough != in.History.Head {
		// A ledger behind HEAD (a run stopped by GitHub's rate limit, or not run yet): the
		// changes after it are dated by their commits, and the reader should know.
		through := "commit " + short(l.RecordedThrough)
		if l.RecordedThrough == "" {
			through = "no commit yet"
		}
		bo.note("the ledger is recorded through " + through + ", not through HEAD (" + short(in.History.Head) + "): changes it has not recorded are dated by their commits until docket ledger record runs again")
	}
	in.Pending, in.PendingNote = bo.pending(ctx, r.Config)
	if repoName := bo.env("GITHUB_REPOSITORY"); repoName != "" {
		server := bo.env("GITHUB_SERVER_URL")
		if server == "" {
			server = "https://github.com"
		}
		in.Source = strings.TrimSuffix(server, "/") + "/" + repoName
	}

	sum, err := bo.site.Build(in, out)
	if err != nil {
		errorf(bo.stderr, "%s", err)
		return 1
	}
	sayf(bo.stderr, "built %s (%s, %s) in %s", docket.Count(sum.Pages, "file", "files"), docket.Count(sum.Requests, "request", "requests"), docket.Count(len(in.Pending), "open pull request", "open pull requests"), out)
	return 0
}

// pending lists open pull requests that add requests, when GitHub is configured, each with when
// staff (staff.logins) first reviewed or commented on it: an open pull request is overdue when
// the first-response target passes before that.
func (bo *builder) pending(ctx context.Context, cfg *docket.Config) ([]docket.ProposedRequest, string) {
	token, repoName := bo.env("GITHUB_TOKEN"), bo.env("GITHUB_REPOSITORY")
	if token == "" || repoName == "" {
		bo.note("GITHUB_TOKEN and GITHUB_REPOSITORY are not both set; open pull requests are not listed")
		return nil, ""
	}
	c, err := gh.New(token, repoName, bo.env("GITHUB_API_URL"), false)
	if err != nil {
		bo.note("open pull requests are not listed: " + err.Error())
		return nil, "Open pull requests could not be listed"
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	prs, err := c.PendingRequests(ctx)
	if err != nil {
		bo.note("open pull requests are not listed: " + err.Error())
		return nil, "Open pull requests could not be listed"
	}
	staff := map[string]bool{}
	if cfg != nil {
		for _, l := range cfg.Staff.Logins {
			staff[strings.ToLower(l)] = true
		}
	}
	isStaff := func(login string) bool { return staff[strings.ToLower(login)] }
	for i := range prs {
		if prs[i].Answered, err = c.StaffAnswered(ctx, prs[i].Number, prs[i].Author, isStaff); err != nil {
			// Not knowing whether staff answered, the site could call an answered request
			// overdue: no open pull request is listed rather than a wrong one.
			bo.note("open pull requests are not listed: " + err.Error())
			return nil, "Open pull requests could not be listed"
		}
	}
	return prs, ""
}

// ledger reads the ledger from --ledger or the state branch. Without one it says once that
// requests are dated by their commits and returns nil; a ledger that cannot be read is an error,
// never taken for an empty one.
func (bo *builder) ledger(ctx context.Context) (*ledger.Ledger, error) {
	const fallback = "requests are dated by their commits, not by when their pull requests were opened"
	if bo.ledgerFile != "" {
		data, err := os.ReadFile(bo.ledgerFile)
		if err != nil {
			return nil, fmt.Errorf("--ledger %s: %w", bo.ledgerFile, err)
		}
		l, err := ledger.Decode(data)
		if err != nil {
			return nil, fmt.Errorf("--ledger %s: %w", bo.ledgerFile, err)
		}
		return l, nil
	}
	if bo.stateBranch == "" {
		bo.note("no ledger: " + fallback)
		return nil, nil
	}
	l, why, err := stateLedger(ctx, bo.dir, bo.stateBranch, bo.env("GITHUB_TOKEN"))
	if why != "" {
		bo.note("no ledger (" + why + "): " + fallback)
	}
	return l, err
}

// stateLedger reads ledger.json from the state branch of the repository in dir's remote origin.
// Without one (no git repository, no remote, no branch, no file) it returns nil and why, for a
// note; a ledger that is there but cannot be read is an error.
func stateLedger(ctx context.Context, dir, branch, token string) (*ledger.Ledger, string, error) {
	if _, err := gitrepo.Open(dir); err != nil {
		return nil, dir + " is not in a git repository", nil
	}
	sb := &gitrepo.StateBranch{Dir: dir, Branch: branch, Token: token}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	data, err := sb.Read(ctx, ledger.FileName)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, ledger.FileName + " is not on the " + sb.String(), nil
	case err != nil:
		return nil, err.Error(), nil
	}
	l, err := ledger.Decode(data)
	if err != nil {
		return nil, "", fmt.Errorf("%s on the %s: %w", ledger.FileName, sb, err)
	}
	return l, "", nil
}
