package gh

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/go-github/v60/github"
)

// SSHKeys returns the public SSH keys GitHub lists for a user, one authorized_keys line each:
// what a key is encrypted to when the request names no age recipient. GitHub shows them to
// anyone (https://github.com/<login>.keys), so no special permission is needed.
func (c *Client) SSHKeys(ctx context.Context, login string) ([]string, error) {
	var out []string
	opts := &github.ListOptions{PerPage: 100}
	for {
		ks, resp, err := c.api.Users.ListKeys(ctx, login, opts)
		if err != nil {
			return nil, explain(fmt.Sprintf("reading the SSH keys of @%s", login), err)
		}
		for _, k := range ks {
			if s := strings.TrimSpace(k.GetKey()); s != "" {
				out = append(out, s)
			}
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}

// ErrNoPullRequest is returned when no merged pull request brought a commit in: it was pushed
// to the branch directly.
var ErrNoPullRequest = errors.New("no merged pull request brought this commit in")

// MergedPullRequest returns the pull request into branch whose merge brought the commit sha in
// (the merge, squash or rebase commit GitHub made, or a commit of the pull request itself), or
// ErrNoPullRequest. Its Author is the pull request's author as GitHub reports it.
func (c *Client) MergedPullRequest(ctx context.Context, sha, branch string) (*PullRequest, error) {
	opts := &github.ListOptions{PerPage: 100}
	for {
		prs, resp, err := c.api.PullRequests.ListPullRequestsWithCommit(ctx, c.owner, c.repo, sha, opts)
		if err != nil {
			return nil, explain(fmt.Sprintf("finding the pull request of commit %s", sha), err)
		}
		for _, pr := range prs {
			if pr.MergedAt != nil && (branch == "" || pr.GetBase().GetRef() == branch) {
				p, err := c.pullRequestOf(ctx, pr) // an intake pull request is the issue author's
				if err != nil {
					return nil, err
				}
				return &p, nil
			}
		}
		if resp.NextPage == 0 {
			return nil, fmt.Errorf("commit %s: %w", sha, ErrNoPullRequest)
		}
		opts.Page = resp.NextPage
	}
}

// ErrDryRun is returned by calls that would have changed something on GitHub in a dry run, when
// pretending they had would mislead: a comment that carries a key must not be recorded as
// delivered when it was not posted.
var ErrDryRun = errors.New("dry run: nothing was posted")

// FindComment looks on issue or pull request number for a comment docket posted (as the
// Actions bot, or as Client.Login when the token is another account's) that contains marker,
// and returns its address. Anyone else quoting the marker does not count, another bot
// included: a comment found means the key is recorded as delivered, and a forged one would
// keep the requester from ever getting it.
func (c *Client) FindComment(ctx context.Context, number int, marker string) (string, bool, error) {
	poster := cmp.Or(c.Login, actionsBot)
	opts := &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100}}
	for {
		comments, resp, err := c.api.Issues.ListComments(ctx, c.owner, c.repo, number, opts)
		if err != nil {
			return "", false, explain(fmt.Sprintf("reading the comments on #%d", number), err)
		}
		for _, cm := range comments {
			u := cm.GetUser()
			if strings.Contains(cm.GetBody(), marker) && u.GetLogin() == poster && (poster != actionsBot || u.GetType() == "Bot") {
				return cm.GetHTMLURL(), true, nil
			}
		}
		if resp.NextPage == 0 {
			return "", false, nil
		}
		opts.Page = resp.NextPage
	}
}

// PostComment adds a comment to issue or pull request number and returns its address. In a
// dry run it posts nothing and returns ErrDryRun.
func (c *Client) PostComment(ctx context.Context, number int, body string) (string, error) {
	if c.dryRun {
		return "", ErrDryRun
	}
	cm, _, err := c.api.Issues.CreateComment(ctx, c.owner, c.repo, number, &github.IssueComment{Body: github.String(body)})
	if err != nil {
		return "", explain(fmt.Sprintf("commenting on #%d", number), err)
	}
	return cm.GetHTMLURL(), nil
}
