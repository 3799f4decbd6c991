package gh

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/go-github/v60/github"
)

// TrackIssue keeps one issue, found by marker among the open issues a bot opened, saying what
// needs a person's attention: with open, it creates the issue or updates its body; without, it
// closes the issue if there is one. It returns "created", "updated", "unchanged", "closed" or
// "none". In a dry run it changes nothing and says what it would have done.
func (c *Client) TrackIssue(ctx context.Context, marker, title, body string, open bool) (string, error) {
	if !strings.Contains(body, marker) {
		return "", fmt.Errorf("issue body lacks the marker %s", marker)
	}
	existing, err := c.findIssue(ctx, marker)
	if err != nil {
		return "", err
	}
	switch {
	case !open && existing == nil:
		return "none", nil
	case open && existing != nil && existing.GetBody() == body:
		return "unchanged", nil
	case c.dryRun && !open:
		return "closed", nil
	case c.dryRun && existing != nil:
		return "updated", nil
	case c.dryRun:
		return "created", nil
	case !open:
		_, _, err := c.api.Issues.Edit(ctx, c.owner, c.repo, existing.GetNumber(), &github.IssueRequest{Body: github.String(body), State: github.String("closed")})
		if err != nil {
			return "", explain(fmt.Sprintf("closing issue #%d", existing.GetNumber()), err)
		}
		return "closed", nil
	case existing != nil:
		_, _, err := c.api.Issues.Edit(ctx, c.owner, c.repo, existing.GetNumber(), &github.IssueRequest{Body: github.String(body)})
		if err != nil {
			return "", explain(fmt.Sprintf("updating issue #%d", existing.GetNumber()), err)
		}
		return "updated", nil
	}
	_, _, err = c.api.Issues.Create(ctx, c.owner, c.repo, &github.IssueRequest{Title: github.String(title), Body: github.String(body)})
	if err != nil {
		return "", explain("opening an issue", err)
	}
	return "created", nil
}

func (c *Client) findIssue(ctx context.Context, marker string) (*github.Issue, error) {
	opts := &github.IssueListByRepoOptions{State: "open", ListOptions: github.ListOptions{PerPage: 100}}
	for {
		issues, resp, err := c.api.Issues.ListByRepo(ctx, c.owner, c.repo, opts)
		if err != nil {
			return nil, explain("listing the open issues of "+c.Repository(), err)
		}
		for _, is := range issues {
			if !is.IsPullRequest() && strings.Contains(is.GetBody(), marker) && is.GetUser().GetType() == "Bot" {
				return is, nil
			}
		}
		if resp.NextPage == 0 {
			return nil, nil
		}
		opts.Page = resp.NextPage
	}
}
