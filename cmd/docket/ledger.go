package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/opendata-docket/docket/internal/gitrepo"
	"github.com/opendata-docket/docket/internal/history"
	"github.com/opendata-docket/docket/internal/ledger"
	"github.com/opendata-docket/docket/internal/state"
)

const ledgerUsage = `Usage: docket ledger record [--repo DIR] [--state DIR | --state-branch NAME] [--branch NAME]
                          [--all] [--dry-run]

Records who changed each request folder, and when, as GitHub says: for every commit of the
default branch that changed a folder under requests/, docket asks GitHub which pull request
carried it ("list pull requests associated with a commit") and writes that pull request's
number, author, when it was opened, who merged it and when into ledger.json
(schema/ledger.schema.json) on the branch docket-state of the clone's remote origin, committed
and pushed with go-git; with --state, in a folder instead. docket build reads it: a request is
submitted on the day its pull request was opened.

Each run asks only about the commits after the one the ledger was last recorded through, so the
publish workflow runs it on every push. On a repository without a ledger, the first run asks
about every commit: that is the backfill, one command:

    GITHUB_TOKEN=... GITHUB_REPOSITORY=owner/name docket ledger record --branch main

A commit pushed without a pull request is left out (the site dates it by its commit). GitHub
allows some thousands of calls an hour: a backfill of a large docket may have to be run again
later, and then goes on where it stopped. Reading needs GITHUB_TOKEN and GITHUB_REPOSITORY
(GITHUB_API_URL optionally); pushing the state branch needs a token that may write contents.

Flags:
    --repo DIR           the repository (default: the one the current folder is in); its HEAD is
                         the default branch, with its whole history
    --state DIR          keep ledger.json in this folder (created if needed) instead of a branch
    --state-branch NAME  the branch of origin that holds ledger.json (default docket-state)
    --branch NAME        the default branch, which the pull requests were merged into (default:
                         $GITHUB_REF_NAME)
    --all                ask about every commit again, not only those after the last run
    --dry-run            ask GitHub and print what would be recorded; write nothing

Exit status: 0 when the ledger was recorded (or printed), 1 when something failed (running again
goes on from the last commit recorded), 2 when docket was called wrongly.
`

func runLedger(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "record" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
			fmt.Fprint(stdout, ledgerUsage)
			return 0
		}
		errorf(stderr, "docket ledger needs the word record: docket ledger record [--dry-run]")
		fmt.Fprint(stderr, ledgerUsage)
		return 2
	}
	flags := newFlagSet("ledger record")
	dir := flags.String("repo", repoRoot(), "")
	stateDir := flags.String("state", "", "")
	stateBranch := flags.String("state-branch", "docket-state", "")
	branch := flags.String("branch", os.Getenv("GITHUB_REF_NAME"), "")
	all := flags.Bool("all", false, "")
	dryRun := flags.Bool("dry-run", false, "")
	if code, ok := parseFlags(flags, ledgerUsage, args[1:], stdout, stderr); !ok {
		return code
	}
	if *branch == "" {
		errorf(stderr, "give --branch NAME: the default branch the pull requests were merged into (GITHUB_REF_NAME is not set)")
		return 2
	}
	client, err := githubClient()
	if err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	if client == nil {
		errorf(stderr, "GITHUB_TOKEN and GITHUB_REPOSITORY are not both set; docket asks GitHub which pull request carried each commit")
		hintf(stderr, "set them (GITHUB_REPOSITORY=owner/name) and run again")
		return 1
	}
	r, err := git.PlainOpenWithOptions(*dir, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	if err != nil {
		errorf(stderr, "%s is not in a git repository; the ledger records the history of the default branch", *dir)
		return 1
	}
	h, err := history.Read(*dir)
	if err != nil {
		errorf(stderr, "%s", err)
		return 1
	}

	var backend state.Backend = &state.Dir{Path: *stateDir, DryRun: *dryRun}
	if *stateDir == "" {
		backend = &gitrepo.StateBranch{Dir: *dir, Branch: *stateBranch, Token: os.Getenv("GITHUB_TOKEN"),
			Name: "github-actions[bot]", Email: "41898282+github-actions[bot]@users.noreply.github.com", When: time.Now, DryRun: *dryRun}
	}
	where := ledger.FileName + " on the " + backend.String()
	if *stateDir != "" {
		where = backend.String() + "/" + ledger.FileName
	}
	l := ledger.New(client.Repository())
	data, err := backend.Read(ctx, ledger.FileName)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		fmt.Fprintf(stderr, "docket: no ledger yet (%s); asking about every commit\n", printableText(where))
	case err != nil:
		errorf(stderr, "%s", printableText(err.Error()))
		return 1
	default:
		if l, err = ledger.Decode(data); err != nil {
			errorf(stderr, "%s: %s", printableText(where), err)
			hintf(stderr, "a ledger that cannot be read is never replaced by docket; move it aside and run again to record it anew")
			return 1
		}
		if l.Repository != client.Repository() {
			errorf(stderr, "%s is the ledger of %s, not of %s", printableText(where), l.Repository, client.Repository())
			return 1
		}
	}

	line, err := firstParentLine(r, plumbing.NewHash(h.Head))
	if err != nil {
		errorf(stderr, "reading the history: %s", err)
		return 1
	}
	done := map[string]bool{} // commits at or before the last one recorded
	if l.RecordedThrough != "" && !*all {
		i := slices.Index(line, l.RecordedThrough)
		if i < 0 {
			fmt.Fprintf(stderr, "docket: the commit the ledger was recorded through (%s) is not on the default branch any more; asking about every commit not recorded yet\n", short(l.RecordedThrough))
		} else {
			for _, c := range line[i:] {
				done[c] = true
			}
		}
	}
	// The folders each commit changed, oldest commit first.
	folders := map[string][]string{}
	for id, evs := range h.Events {
		for _, ev := range evs {
			if !slices.Contains(folders[ev.Commit], id) {
				folders[ev.Commit] = append(folders[ev.Commit], id)
			}
		}
	}
	asked, direct, added := 0, 0, 0
	for i := len(line) - 1; i >= 0; i-- {
		sha := line[i]
		ids := folders[sha]
		if len(ids) == 0 || done[sha] {
			continue
		}
		slices.Sort(ids)
		known := true
		for _, id := range ids {
			known = known && l.ByCommit(id, sha) != nil
		}
		if known {
			continue
		}
		asked++
		pr, err := client.PullRequestOfCommit(ctx, sha, *branch)
		if err != nil {
			// What was asked so far is kept: the next run goes on from here.
			errorf(stderr, "%s", printableText(err.Error()))
			if i+1 < len(line) && asked > 1 {
				l.RecordedThrough = line[i+1]
				if code := saveLedger(ctx, backend, l, where, stderr); code != 0 {
					return code
				}
			}
			return 1
		}
		if pr == nil {
			direct++
			continue
		}
		for _, id := range ids {
			if l.ByCommit(id, sha) != nil {
				continue
			}
			l.Add(id, ledger.PullRequest{Number: pr.Number, Issue: pr.Issue, Author: pr.Author, OpenedAt: pr.OpenedAt, MergedAt: pr.MergedAt, MergedBy: pr.MergedBy}, sha)
			added++
			by := ""
			if pr.MergedBy != "" {
				by = " by @" + pr.MergedBy
			}
			fmt.Fprintln(stdout, printableText(fmt.Sprintf("+ %s: #%d by @%s, opened %s, merged %s%s (commit %s)", id, pr.Number, pr.Author,
				pr.OpenedAt.UTC().Format(time.RFC3339), pr.MergedAt.UTC().Format(time.RFC3339), by, short(sha))))
		}
	}
	// Support is counted afresh on every run: reactions change without a commit.
	supportChanged, err := recordSupport(ctx, client, l)
	if err != nil {
		errorf(stderr, "counting support: %s", printableText(err.Error()))
		hintf(stderr, "the pull requests are still recorded; support is counted again on the next run")
	}
	changed := added > 0 || supportChanged || l.RecordedThrough != h.Head
	l.RecordedThrough = h.Head
	summary := fmt.Sprintf("%s asked about, %s recorded, %s pushed without a pull request",
		count(asked, "commit", "commits"), count(added, "change", "changes"), count(direct, "commit", "commits"))
	if *dryRun {
		fmt.Fprintf(stderr, "docket: dry run: %s; nothing was written to %s\n", summary, printableText(where))
		return 0
	}
	if !changed {
		// A scheduled run with no new commit: nothing to commit on the state branch.
		fmt.Fprintf(stderr, "docket: nothing new: %s is recorded through %s\n", printableText(where), short(h.Head))
		return 0
	}
	if code := saveLedger(ctx, backend, l, where, stderr); code != 0 {
		return code
	}
	fmt.Fprintf(stderr, "docket: %s; %s is recorded through %s\n", summary, printableText(where), short(h.Head))
	return 0
}

func saveLedger(ctx context.Context, backend state.Backend, l *ledger.Ledger, where string, stderr io.Writer) int {
	data, err := l.Encode()
	if err == nil {
		err = backend.Write(ctx, map[string][]byte{ledger.FileName: data}, "ledger: recorded through "+l.RecordedThrough)
	}
	if err != nil {
		errorf(stderr, "writing %s: %s", printableText(where), printableText(err.Error()))
		return 1
	}
	return 0
}

// firstParentLine returns the commits of the first-parent line from head, newest first (full
// hashes).
func firstParentLine(r *git.Repository, head plumbing.Hash) ([]string, error) {
	var out []string
	for h := head; ; {
		c, err := r.CommitObject(h)
		if err != nil {
			return nil, err
		}
		out = append(out, c.Hash.String())
		if len(c.ParentHashes) == 0 {
			return out, nil
		}
		h = c.ParentHashes[0]
	}
}
