package gh

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/go-github/v60/github"
)

// PullRequestOf returns the number of the pull request that brought commit sha into the
// repository (the merge, squash or rebase commit GitHub made, or a commit of the pull request):
// the conversation about a request, where docket remind posts. It returns 0 when there is none.
func (c *Client) PullRequestOf(ctx context.Context, sha string) (int, error) {
	prs, _, err := c.api.PullRequests.ListPullRequestsWithCommit(ctx, c.owner, c.repo, sha, &github.ListOptions{PerPage: 100})
	if err != nil {
		return 0, explain(fmt.Sprintf("finding the pull request of commit %s", sha), err)
	}
	// For a commit of the default branch, GitHub lists the merged pull request that brought it
	// in; the one whose merge commit it is comes first if there are several.
	merged := 0
	for _, pr := range prs {
		switch {
		case pr.MergedAt != nil && pr.GetMergeCommitSHA() == sha:
			return pr.GetNumber(), nil
		case pr.MergedAt != nil && merged == 0:
			merged = pr.GetNumber()
		}
	}
	return merged, nil
}

// UpsertTrackingIssue makes the one open issue that carries marker in its body, opened by a
// bot, read title and body: it edits it, or opens it. It returns the issue's number (0 when a
// dry run would open it) and "created", "updated" or "unchanged".
func (c *Client) UpsertTrackingIssue(ctx context.Context, marker, title, body string) (int, string, error) {
	if marker == "" || !strings.Contains(body, marker) {
		return 0, "", fmt.Errorf("issue body lacks the marker %s", marker)
	}
	existing, err := c.findTrackingIssue(ctx, marker)
	if err != nil {
		return 0, "", err
	}
	switch {
	case existing != nil && existing.GetBody() == body && existing.GetTitle() == title:
		return existing.GetNumber(), "unchanged", nil
	case c.dryRun && existing != nil:
		return existing.GetNumber(), "updated", nil
	case c.dryRun:
		return 0, "created", nil
	case existing != nil:
		if _, _, err := c.api.Issues.Edit(ctx, c.owner, c.repo, existing.GetNumber(), &github.IssueRequest{Title: github.String(title), Body: github.String(body)}); err != nil {
			return 0, "", explain(fmt.Sprintf("updating issue #%d", existing.GetNumber()), err)
		}
		return existing.GetNumber(), "updated", nil
	}
	is, _, err := c.api.Issues.Create(ctx, c.owner, c.repo, &github.IssueRequest{Title: github.String(title), Body: github.String(body)})
	if err != nil {
		return 0, "", explain("opening the tracking issue", err)
	}
	return is.GetNumber(), "created", nil
}

func (c *Client) findTrackingIssue(ctx context.Context, marker string) (*github.Issue, error) {
	opts := &github.IssueListByRepoOptions{State: "open", Sort: "created", Direction: "asc", ListOptions: github.ListOptions{PerPage: 100}}
	for {
		issues, resp, err := c.api.Issues.ListByRepo(ctx, c.owner, c.repo, opts)
		if err != nil {
			return nil, explain("listing the open issues of "+c.Repository(), err)
		}
		for _, is := range issues {
			if !is.IsPullRequest() && is.GetUser().GetType() == "Bot" && strings.Contains(is.GetBody(), marker) {
				return is, nil
			}
		}
		if resp.NextPage == 0 {
			return nil, nil
		}
		opts.Page = resp.NextPage
	}
}
