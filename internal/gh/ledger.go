package gh

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"
)

// Merge is what GitHub says of the pull request that brought a commit to the default
// branch: facts the platform sets, for the ledger.
type Merge struct {
	Number int
	// Issue is the issue docket intake made the pull request from; 0 for any other.
	Issue int
	// Author is whom it speaks for: its author's login, or the issue's author's.
	Author string
	// OpenedAt is when the requester asked: the pull request's opening, or the issue's.
	OpenedAt time.Time
	MergedAt time.Time
	MergedBy string // the login of who merged it; "" when GitHub does not say
}

// PullRequestOfCommit asks GitHub which pull request brought commit sha into branch (the
// default branch), with "list pull requests associated with a commit". Of the merged pull
// requests whose base is branch, the one whose merge commit is sha wins (a merge or a squash),
// else the one merged first (a rebase, whose commits are the pull request's own). It returns
// nil and no error when no merged pull request carried the commit (a direct push). Who merged
// it is read from the pull request itself, once per pull request per Client.
func (c *Client) PullRequestOfCommit(ctx context.Context, sha, branch string) (*Merge, error) {
	var found *github.PullRequest
	opts := &github.ListOptions{PerPage: 100}
	for {
		prs, resp, err := c.api.PullRequests.ListPullRequestsWithCommit(ctx, c.owner, c.repo, sha, opts)
		if err != nil {
			return nil, explain("listing the pull requests of commit "+sha, err)
		}
		for _, pr := range prs {
			if pr.MergedAt == nil || pr.GetBase().GetRef() != branch {
				continue
			}
			if pr.GetMergeCommitSHA() == sha {
				found = pr
				break
			}
			if found == nil || pr.GetMergedAt().Before(found.GetMergedAt().Time) {
				found = pr
			}
		}
		if (found != nil && found.GetMergeCommitSHA() == sha) || resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	if found == nil {
		return nil, nil
	}
	if c.merged == nil {
		c.merged = map[int]*Merge{}
	}
	if m := c.merged[found.GetNumber()]; m != nil {
		return m, nil
	}
	full, _, err := c.api.PullRequests.Get(ctx, c.owner, c.repo, found.GetNumber())
	if err != nil {
		return nil, explain("reading pull request #"+strconv.Itoa(found.GetNumber()), err)
	}
	author, asked, issue, err := c.askedBy(ctx, full)
	if err != nil {
		return nil, err
	}
	m := &Merge{
		Number:   full.GetNumber(),
		Issue:    issue,
		Author:   author,
		OpenedAt: asked.UTC(),
		MergedAt: full.GetMergedAt().Time.UTC(),
		MergedBy: full.GetMergedBy().GetLogin(),
	}
	c.merged[m.Number] = m
	return m, nil
}

// StaffAnswered returns when someone staff counts as staff first answered pull request number:
// its earliest review or comment by a login for which staff reports true (the pull request's
// author excluded). The zero time means nobody has yet. Reviews and comments are facts GitHub
// records; their text is not read.
func (c *Client) StaffAnswered(ctx context.Context, number int, author string, staff func(login string) bool) (time.Time, error) {
	var first time.Time
	seen := func(login string, at time.Time) {
		if login == "" || strings.EqualFold(login, author) || !staff(login) || at.IsZero() {
			return
		}
		if first.IsZero() || at.Before(first) {
			first = at.UTC()
		}
	}
	copts := &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100}}
	for {
		cs, resp, err := c.api.Issues.ListComments(ctx, c.owner, c.repo, number, copts)
		if err != nil {
			return time.Time{}, explain(fmt.Sprintf("reading the comments on #%d", number), err)
		}
		for _, cm := range cs {
			seen(cm.GetUser().GetLogin(), cm.GetCreatedAt().Time)
		}
		if resp.NextPage == 0 {
			break
		}
		copts.Page = resp.NextPage
	}
	ropts := &github.ListOptions{PerPage: 100}
	for {
		rs, resp, err := c.api.PullRequests.ListReviews(ctx, c.owner, c.repo, number, ropts)
		if err != nil {
			return time.Time{}, explain(fmt.Sprintf("reading the reviews of #%d", number), err)
		}
		for _, r := range rs {
			seen(r.GetUser().GetLogin(), r.GetSubmittedAt().Time)
		}
		if resp.NextPage == 0 {
			break
		}
		ropts.Page = resp.NextPage
	}
	return first, nil
}
