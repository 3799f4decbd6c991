package gh

import (
	"context"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/opendata-docket/docket/internal/docket"
)

// PendingRequest is an open pull request that adds one or more request files.
type PendingRequest struct {
	Number  int
	Title   string
	Author  string // the pull request author's login, which GitHub vouches for
	URL     string
	Created time.Time
	Updated time.Time
	IDs     []string // request ids whose request.yaml the pull request adds
}

// PendingRequests lists the open pull requests that add requests/<id>/request.yaml, oldest
// first. Pull requests that only change existing requests are left out.
func (c *Client) PendingRequests(ctx context.Context) ([]PendingRequest, error) {
	var out []PendingRequest
	opts := &github.PullRequestListOptions{State: "open", Sort: "created", Direction: "asc", ListOptions: github.ListOptions{PerPage: 100}}
	for {
		prs, resp, err := c.api.PullRequests.List(ctx, c.owner, c.repo, opts)
		if err != nil {
			return nil, explain("listing open pull requests of "+c.Repository(), err)
		}
		for _, pr := range prs {
			ids, err := c.addedRequests(ctx, pr.GetNumber())
			if err != nil {
				return nil, err
			}
			if len(ids) == 0 {
				continue
			}
			out = append(out, PendingRequest{
				Number:  pr.GetNumber(),
				Title:   pr.GetTitle(),
				Author:  pr.GetUser().GetLogin(),
				URL:     pr.GetHTMLURL(),
				Created: pr.GetCreatedAt().Time,
				Updated: pr.GetUpdatedAt().Time,
				IDs:     ids,
			})
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}

// addedRequests returns the ids of the request files a pull request adds.
func (c *Client) addedRequests(ctx context.Context, number int) ([]string, error) {
	var ids []string
	opts := &github.ListOptions{PerPage: 100}
	for {
		files, resp, err := c.api.PullRequests.ListFiles(ctx, c.owner, c.repo, number, opts)
		if err != nil {
			return nil, explain(fmt.Sprintf("listing the files of pull request #%d", number), err)
		}
		for _, f := range files {
			if f.GetStatus() != "added" {
				continue
			}
			if id, ok := requestID(f.GetFilename()); ok {
				ids = append(ids, id)
			}
		}
		if resp.NextPage == 0 {
			return ids, nil
		}
		opts.Page = resp.NextPage
	}
}

// requestID returns the id of a path requests/<id>/request.yaml.
func requestID(p string) (string, bool) {
	dir, file := path.Split(p)
	parent, id := path.Split(strings.TrimSuffix(dir, "/"))
	if file != docket.RequestFile || parent != docket.RequestsDir+"/" || !docket.ValidID(id) {
		return "", false
	}
	return id, true
}
