package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/opendata-docket/docket/internal/check"
	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/gh"
	"github.com/opendata-docket/docket/internal/gitrepo"
	"github.com/opendata-docket/docket/internal/provision"
	"github.com/opendata-docket/docket/internal/validate"
)

// gateHeld decides which requests provision must not act on: it keeps the changes an earlier run
// held while their files are as those changes left them, and re-checks every commit of the
// default branch since the last run (or since, when given) with docket check's policy, as the
// author of the pull request that merged it (GitHub says who), holding every request file a
// commit changed when the policy refuses that commit or no pull request brought it in. Only what
// passed the gate acts: a decision pushed directly, or merged while the gate was red, does not.
func gateHeld(ctx context.Context, r *gitrepo.Repo, v *validate.Validator, client *gh.Client, last *provision.Run, since, branch string, today docket.Date, stderr io.Writer) ([]provision.Held, error) {
	head, err := r.Commit("HEAD")
	if err != nil {
		return nil, err
	}
	headTree, err := head.Tree()
	if err != nil {
		return nil, err
	}
	var held []provision.Held
	for _, h := range last.Held {
		if gitrepo.EntryAt(headTree, h.Path).Hash.String() == h.Blob || (h.Blob == "" && !gitrepo.EntryAt(headTree, h.Path).Exists()) {
			held = append(held, h)
		}
	}
	from := cmp.Or(since, last.Commit)
	if from == "" {
		notef(stderr, "this is the first run, so the history before it is taken as it is; later runs check every commit since the one before")
		return held, nil
	}
	commits, err := r.FirstParents(from, "HEAD", maxScanCommits)
	if err != nil {
		return nil, fmt.Errorf("the commits since %s cannot be checked again: %w", short(from), err)
	}
	if len(commits) > 0 && client == nil {
		warningf(stderr, "without GITHUB_TOKEN and GITHUB_REPOSITORY, who merged the %s since %s cannot be asked of GitHub, so they were not checked again", docket.Count(len(commits), "commit", "commits"), short(from))
		return held, nil
	}
	for _, c := range commits {
		tree, err := c.Tree()
		if err != nil {
			return nil, err
		}
		parent, err := c.Parent(0)
		if err != nil {
			return nil, fmt.Errorf("reading the parent of %s: %w", short(c.Hash.String()), err)
		}
		ptree, err := parent.Tree()
		if err != nil {
			return nil, err
		}
		changes, err := gitrepo.Diff(ptree, tree)
		if err != nil {
			return nil, err
		}
		var touched []gitrepo.Change
		for _, ch := range changes {
			if requestOf(ch.Path) != "" {
				touched = append(touched, ch)
			}
		}
		if len(touched) == 0 {
			continue
		}
		why := ""
		pr, err := client.MergedPullRequest(ctx, c.Hash.String(), branch)
		switch {
		case errors.Is(err, gh.ErrNoPullRequest):
			why = "it was pushed without a pull request"
		case err != nil:
			return nil, err
		default:
			res, err := check.Run(r, v, check.Options{Base: parent.Hash.String(), Head: c.Hash.String(), Actor: pr.Author, Today: today,
				TeamMember: func(team, login string) (bool, error) { return client.IsTeamMember(ctx, team, login) }})
			if err != nil {
				return nil, fmt.Errorf("checking commit %s again: %w", short(c.Hash.String()), err)
			}
			if !res.OK() {
				first := ""
				for _, f := range res.Findings {
					if f.Severity == docket.Error {
						first = f.String()
						break
					}
				}
				why = fmt.Sprintf("pull request #%d by %s was merged although docket check refuses it (%s)", pr.Number, pr.Author, first)
			}
		}
		if why == "" {
			continue
		}
		for _, ch := range touched {
			h := provision.Held{Request: requestOf(ch.Path), Path: ch.Path, Commit: c.Hash.String(), Why: why}
			if ch.To.Exists() {
				h.Blob = ch.To.Hash.String()
			}
			if gitrepo.EntryAt(headTree, h.Path) == ch.To {
				held = append(held, h) // still as the refused change left it
			}
		}
	}
	return held, nil
}

// requestOf returns the request id of a path inside a request folder, or "".
func requestOf(p string) string {
	rest, ok := strings.CutPrefix(p, docket.RequestsDir+"/")
	if !ok {
		return ""
	}
	id, _, ok := strings.Cut(rest, "/")
	if !ok {
		return ""
	}
	return id
}

// reportHeld says what is not acted on: on stderr, in the job summary, and in the one tracking
// issue (opened, updated, or closed when nothing is held any more). Only an applied run writes
// to GitHub.
func reportHeld(ctx context.Context, client *gh.Client, held []provision.Held, plan *provision.Plan, applied bool, stderr io.Writer) error {
	for _, h := range held {
		warningf(stderr, "%s is held (nothing gives it access; what takes access away still applies): commit %s changed %s, and %s", h.Request, short(h.Commit), h.Path, h.Why)
	}
	if p := os.Getenv("GITHUB_STEP_SUMMARY"); p != "" {
		if err := appendFile(p, provision.Markdown(plan, held, applied)); err != nil {
			return fmt.Errorf("writing the job summary: %w", err)
		}
	}
	if client == nil || !applied {
		return nil
	}
	verb, err := client.TrackIssue(ctx, provision.HeldMarker, "Changes docket provision did not act on", provision.HeldIssue(held), len(held) > 0)
	if err != nil {
		return err
	}
	if verb != "none" && verb != "unchanged" {
		sayf(stderr, "the issue listing changes not acted on was %s", verb)
	}
	return nil
}
