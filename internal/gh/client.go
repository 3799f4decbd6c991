// Package gh holds docket's conversations with GitHub: open pull requests that add requests
// (shown on the site as submitted, and checked so two pull requests cannot claim one id), team
// membership for staff, and the one bot comment and labels on a pull request. Every call that
// changes something goes through Client, which enforces dry runs at this boundary.
package gh

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/google/go-github/v60/github"
)

// Client talks to one repository on GitHub.
type Client struct {
	api         *github.Client
	owner, repo string
	// dryRun makes every call that would change something on GitHub a no-op that reports
	// success, so a plan can be rehearsed with a read-only token. It is fixed by New, so no
	// code path can post by forgetting to set it.
	dryRun bool
	// Login is the account the token posts as, when it is not the Actions bot
	// (github-actions[bot]): FindComment takes only its comments for docket's own.
	Login string

	merged map[int]*Merge // pull requests read by PullRequestOfCommit, by number
}

// New returns a client for repository ("owner/name") authenticated with token. apiURL is
// GitHub's API address; empty means https://api.github.com/ (Actions sets GITHUB_API_URL).
// With dryRun, every call that would change something on GitHub changes nothing and reports
// what it would have done.
func New(token, repository, apiURL string, dryRun bool) (*Client, error) {
	owner, repo, ok := strings.Cut(repository, "/")
	if !ok || owner == "" || repo == "" || strings.Contains(repo, "/") {
		return nil, fmt.Errorf("repository %q: want owner/name", repository)
	}
	api := github.NewClient(&http.Client{})
	if token != "" {
		api = api.WithAuthToken(token)
	}
	if apiURL != "" {
		u, err := url.Parse(strings.TrimSuffix(apiURL, "/") + "/")
		if err != nil {
			return nil, fmt.Errorf("API address %q: %w", apiURL, err)
		}
		api.BaseURL = u
	}
	return &Client{api: api, owner: owner, repo: repo, dryRun: dryRun}, nil
}

// DryRun reports whether the client changes nothing on GitHub.
func (c *Client) DryRun() bool { return c.dryRun }

// Repository returns owner/name.
func (c *Client) Repository() string { return c.owner + "/" + c.repo }

// explain turns GitHub's errors into sentences that say what to do.
func explain(what string, err error) error {
	var rl *github.RateLimitError
	var ae *github.AbuseRateLimitError
	var er *github.ErrorResponse
	switch {
	case errors.As(err, &rl), errors.As(err, &ae):
		return fmt.Errorf("%s: GitHub's rate limit was reached; try again later: %w", what, err)
	case errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusUnauthorized:
		return fmt.Errorf("%s: GitHub did not accept the token: %w", what, err)
	case errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusForbidden:
		return fmt.Errorf("%s: the token is not allowed to do this: %w", what, err)
	case errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusNotFound:
		return fmt.Errorf("%s: not found, or the token cannot see it: %w", what, err)
	}
	return fmt.Errorf("%s: %w", what, err)
}
