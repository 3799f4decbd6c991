package gh

import (
	"context"
	"strconv"
	"time"

	"github.com/google/go-github/v60/github"
)

// Merge is what GitHub says of the pull request that brought a commit to the default
// branch: facts the platform sets, for the ledger.
type Merge struct {
	Number   int
	Author   string // its author's login
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
	m := &Merge{
		Number:   full.GetNumber(),
		Author:   full.GetUser().GetLogin(),
		OpenedAt: full.GetCreatedAt().Time.UTC(),
		MergedAt: full.GetMergedAt().Time.UTC(),
		MergedBy: full.GetMergedBy().GetLogin(),
	}
	c.merged[m.Number] = m
	return m, nil
}
