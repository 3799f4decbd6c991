package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/gh"
	"github.com/opendata-docket/docket/internal/history"
	"github.com/opendata-docket/docket/internal/registry"
	"github.com/opendata-docket/docket/internal/report"
	"github.com/opendata-docket/docket/internal/website"
)

const buildUsage = `Usage: docket build [--repo DIR] [--out DIR] [--keys FILE] [--as-of YYYY-MM-DD]

Validates the docket in DIR like docket validate and, when there are no errors, writes the
public transparency site into the output folder: every request with its decision and timeline,
statistics, an Atom feed, the whole log as JSON and CSV, the schemas and the guides. Open the
folder's index.html in a browser, or publish the folder as it is (GitHub Pages, any web server);
every link inside the site is relative.

Timelines come from the git history of the default branch (HEAD); a shallow clone or a folder
outside git still builds, without them. When GITHUB_TOKEN and GITHUB_REPOSITORY are set (as in
GitHub Actions; GITHUB_API_URL optionally), open pull requests that add requests are listed as
submitted.

Flags:
    --repo DIR          the repository to build (default: the one the current folder is in)
    --out DIR           where to write the site (default: _site in the repository); a folder
                        written by an earlier build is emptied first, any other non-empty
                        folder is refused
    --keys FILE         the key registry docket provision keeps (keys.json): each approved
                        request's page shows its key's id, status, limits, last day and
                        delivery (never the key), and the site publishes it as keys.json
    --as-of YYYY-MM-DD  the day to judge dates against and to compute counters (days open,
                        overdue) for (default: $DOCKET_AS_OF; without either, dates are judged
                        against the current day and counters are as of the last commit's day,
                        so the same commit gives the same site)

Exit status: 0 when the site was built, 1 when the docket has errors (nothing is written) or
the build failed, 2 when docket was called wrongly.
`

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("build")
	root := repoRoot()
	dir := fs.String("repo", root, "")
	out := fs.String("out", filepath.Join(root, "_site"), "")
	keysFile := fs.String("keys", "", "")
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
	if os.Getenv("GOMEMLIMIT") == "" {
		// Garbage from rendering thousands of pages otherwise lets the heap grow to twice
		// what is live; a soft limit keeps a 10,000-request build well under 300 MB.
		debug.SetMemoryLimit(256 << 20)
	}
	b, err := website.New()
	if err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	bo := &builder{site: b, dir: *dir, clock: clk, stdout: stdout, stderr: stderr, env: os.Getenv, keys: *keysFile}
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
}

// note prints an explanation once per builder.
func (bo *builder) note(s string) {
	if bo.said == nil {
		bo.said = map[string]bool{}
	}
	if !bo.said[s] {
		bo.said[s] = true
		fmt.Fprintln(bo.stderr, "docket: "+s)
	}
}

func (bo *builder) build(ctx context.Context, out string) int {
	today, err := bo.clock.today()
	if err != nil {
		errorf(bo.stderr, "%s", err)
		return 2
	}
	files := os.DirFS(bo.dir)
	_, r, findings, err := validateDir(bo.dir, today)
	if err != nil {
		errorf(bo.stderr, "%s", err)
		return 1
	}
	if err := report.Write(bo.stdout, "text", findings); err != nil {
		errorf(bo.stderr, "writing findings: %s", err)
		return 1
	}
	if docket.HasErrors(findings) {
		fmt.Fprintln(bo.stderr, "docket: "+summary(len(r.Folders), findings))
		errorf(bo.stderr, "the site was not built; fix the errors above and build again")
		return 1
	}
	website.Release(r)
	bo.basePath = website.BasePath(r.Config.Program.BaseURL)
	in := &website.Input{Repo: r, Files: files, Dir: bo.dir}
	if bo.clock.set() {
		in.AsOf = today
	} else {
		in.NotAfter = today
	}

	h, err := history.Read(bo.dir)
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
	in.Pending, in.PendingNote = bo.pending(ctx)
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
	fmt.Fprintf(bo.stderr, "docket: built %s (%s, %s) in %s\n", count(sum.Pages, "file", "files"), count(sum.Requests, "request", "requests"), count(len(in.Pending), "open pull request", "open pull requests"), out)
	return 0
}

// pending lists open pull requests that add requests, when GitHub is configured.
func (bo *builder) pending(ctx context.Context) ([]gh.PendingRequest, string) {
	token, repoName := bo.env("GITHUB_TOKEN"), bo.env("GITHUB_REPOSITORY")
	if token == "" || repoName == "" {
		bo.note("GITHUB_TOKEN and GITHUB_REPOSITORY are not both set; open pull requests are not listed")
		return nil, ""
	}
	c, err := gh.New(token, repoName, bo.env("GITHUB_API_URL"))
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
	return prs, ""
}
