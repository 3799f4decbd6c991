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
	if c.dryRun {
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

// PullRequest is what docket needs to know of one pull request, as GitHub vouches for it.
type PullRequest struct {
	Number  int
	State   string // open or closed
	HeadSHA string
	BaseSHA string
	BaseRef string
	Author  string
}

// PullRequest reads pull request number.
func (c *Client) PullRequest(ctx context.Context, number int) (*PullRequest, error) {
	pr, _, err := c.api.PullRequests.Get(ctx, c.owner, c.repo, number)
	if err != nil {
		return nil, explain(fmt.Sprintf("reading pull request #%d", number), err)
	}
	p, err := c.pullRequestOf(ctx, pr)
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// pullRequestOf describes pr, with as its author whom it speaks for: docket intake's pull
// requests speak for the issue's author (see requesterOf).
func (c *Client) pullRequestOf(ctx context.Context, pr *github.PullRequest) (PullRequest, error) {
	author, err := c.requesterOf(ctx, pr)
	if err != nil {
		return PullRequest{}, err
	}
	return PullRequest{
		Number:  pr.GetNumber(),
		State:   pr.GetState(),
		HeadSHA: pr.GetHead().GetSHA(),
		BaseSHA: pr.GetBase().GetSHA(),
		BaseRef: pr.GetBase().GetRef(),
		Author:  author,
	}, nil
}

// StatusContext names docket's commit status; branch protection should require it.
const StatusContext = "docket"

// SetStatus sets docket's commit status on sha: state is success, failure or error. GitHub keeps
// descriptions to 140 characters.
func (c *Client) SetStatus(ctx context.Context, sha, state, description, targetURL string) error {
	if r := []rune(description); len(r) > 140 {
		description = string(r[:139]) + "…"
	}
	if c.dryRun {
		return nil
	}
	st := &github.RepoStatus{State: github.String(state), Description: github.String(description), Context: github.String(StatusContext)}
	if targetURL != "" {
		st.TargetURL = github.String(targetURL)
	}
	if _, _, err := c.api.Repositories.CreateStatus(ctx, c.owner, c.repo, sha, st); err != nil {
		return explain(fmt.Sprintf("setting the %s status on %s", StatusContext, sha), err)
	}
	return nil
}
