package gh

import (
	"context"

	"github.com/google/go-github/v60/github"
)

// SupportCounts returns the 👍 reactions on each of the issues and pull requests numbers
// (GitHub numbers them together), as GitHub's reaction summary gives them. It lists the
// repository's issues and pull requests a hundred at a time, most recently updated first, and
// stops once every number asked for is found, so counting 10,000 requests costs about a hundred
// calls, not ten thousand. A number GitHub does not list (deleted, or transferred) is left out
// of the result.
func (c *Client) SupportCounts(ctx context.Context, numbers []int) (map[int]int, error) {
	want := map[int]bool{}
	for _, n := range numbers {
		if n > 0 {
			want[n] = true
		}
	}
	out := map[int]int{}
	if len(want) == 0 {
		return out, nil
	}
	opts := &github.IssueListByRepoOptions{State: "all", Sort: "updated", Direction: "desc", ListOptions: github.ListOptions{PerPage: 100}}
	for {
		issues, resp, err := c.api.Issues.ListByRepo(ctx, c.owner, c.repo, opts)
		if err != nil {
			return nil, explain("listing the issues and pull requests for their reactions", err)
		}
		for _, is := range issues {
			n := is.GetNumber()
			if !want[n] {
				continue
			}
			out[n] = is.GetReactions().GetPlusOne()
			delete(want, n)
		}
		if len(want) == 0 || resp.NextPage == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}
