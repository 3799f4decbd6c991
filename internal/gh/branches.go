package gh

import (
	"context"
	"fmt"

	"github.com/google/go-github/v60/github"
)

// BranchTip returns the commit branch points at now. A pull request's base commit, as GitHub
// reports it, is where the base branch was when the pull request last changed; the gate judges
// against the branch as it is.
func (c *Client) BranchTip(ctx context.Context, branch string) (string, error) {
	b, _, err := c.api.Repositories.GetBranch(ctx, c.owner, c.repo, branch, 1)
	if err != nil {
		return "", explain(fmt.Sprintf("reading the branch %s", branch), err)
	}
	sha := b.GetCommit().GetSHA()
	if sha == "" {
		return "", fmt.Errorf("reading the branch %s: GitHub named no commit", branch)
	}
	return sha, nil
}

// OpenPullRequest is an open pull request into a branch, with the paths it changes.
type OpenPullRequest struct {
	PullRequest
	Paths []string // every path the pull request adds, changes or removes (renames: both names)
}

// OpenPullRequests lists the open pull requests into base, oldest first, with the paths each
// changes.
func (c *Client) OpenPullRequests(ctx context.Context, base string) ([]OpenPullRequest, error) {
	var out []OpenPullRequest
	opts := &github.PullRequestListOptions{State: "open", Base: base, Sort: "created", Direction: "asc", ListOptions: github.ListOptions{PerPage: 100}}
	for {
		prs, resp, err := c.api.PullRequests.List(ctx, c.owner, c.repo, opts)
		if err != nil {
			return nil, explain("listing open pull requests of "+c.Repository(), err)
		}
		for _, pr := range prs {
			paths, err := c.changedPaths(ctx, pr.GetNumber())
			if err != nil {
				return nil, err
			}
			p, err := c.pullRequestOf(ctx, pr)
			if err != nil {
				return nil, err
			}
			out = append(out, OpenPullRequest{PullRequest: p, Paths: paths})
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}

func (c *Client) changedPaths(ctx context.Context, number int) ([]string, error) {
	files, err := c.files(ctx, number)
	if err != nil {
		return nil, err
	}
	var paths []string
	for _, f := range files {
		paths = append(paths, f.GetFilename())
		if prev := f.GetPreviousFilename(); prev != "" {
			paths = append(paths, prev)
		}
	}
	return paths, nil
}

// files lists every file a pull request changes, all pages of them.
func (c *Client) files(ctx context.Context, number int) ([]*github.CommitFile, error) {
	var all []*github.CommitFile
	opts := &github.ListOptions{PerPage: 100}
	for {
		files, resp, err := c.api.PullRequests.ListFiles(ctx, c.owner, c.repo, number, opts)
		if err != nil {
			return nil, explain(fmt.Sprintf("listing the files of pull request #%d", number), err)
		}
		all = append(all, files...)
		if resp.NextPage == 0 {
			return all, nil
		}
		opts.Page = resp.NextPage
	}
}
