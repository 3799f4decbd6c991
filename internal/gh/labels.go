package gh

import (
	"context"
	"fmt"
	"slices"

	"github.com/google/go-github/v60/github"
)

// SetLabels makes the labels of pull request number that are in managed exactly want: it adds
// what is missing and removes managed labels no longer wanted, leaving every other label alone.
// It returns the labels added and removed.
func (c *Client) SetLabels(ctx context.Context, number int, want, managed []string) (added, removed []string, err error) {
	current, _, err := c.api.Issues.ListLabelsByIssue(ctx, c.owner, c.repo, number, &github.ListOptions{PerPage: 100})
	if err != nil {
		return nil, nil, explain(fmt.Sprintf("reading the labels of pull request #%d", number), err)
	}
	have := map[string]bool{}
	for _, l := range current {
		have[l.GetName()] = true
	}
	for _, l := range want {
		if !have[l] {
			added = append(added, l)
		}
	}
	for _, l := range managed {
		if have[l] && !slices.Contains(want, l) {
			removed = append(removed, l)
		}
	}
	if c.DryRun {
		return added, removed, nil
	}
	if len(added) > 0 {
		if _, _, err := c.api.Issues.AddLabelsToIssue(ctx, c.owner, c.repo, number, added); err != nil {
			return nil, nil, explain(fmt.Sprintf("labelling pull request #%d", number), err)
		}
	}
	for _, l := range removed {
		if _, err := c.api.Issues.RemoveLabelForIssue(ctx, c.owner, c.repo, number, l); err != nil {
			return nil, nil, explain(fmt.Sprintf("removing the label %s from pull request #%d", l, number), err)
		}
	}
	return added, removed, nil
}

// PullRequestHead returns the commit at the head of pull request number and its author.
func (c *Client) PullRequestHead(ctx context.Context, number int) (sha, author string, err error) {
	pr, _, err := c.api.PullRequests.Get(ctx, c.owner, c.repo, number)
	if err != nil {
		return "", "", explain(fmt.Sprintf("reading pull request #%d", number), err)
	}
	return pr.GetHead().GetSHA(), pr.GetUser().GetLogin(), nil
}
