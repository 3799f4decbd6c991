package gh

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/google/go-github/v60/github"
	"github.com/opendata-docket/docket/internal/docket"
)

// PendingRequests lists the open pull requests that add requests/<id>/request.yaml, oldest
// first, as proposed requests. Pull requests that only change existing requests are left out.
func (c *Client) PendingRequests(ctx context.Context) ([]docket.ProposedRequest, error) {
	var out []docket.ProposedRequest
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
			author, asked, _, err := c.askedBy(ctx, pr) // docket intake's pull requests speak for the author
			if err != nil {
				return nil, err
			}
			out = append(out, docket.ProposedRequest{
				Number:  pr.GetNumber(),
				Title:   pr.GetTitle(),
				Author:  author,
				URL:     pr.GetHTMLURL(),
				HeadSHA: pr.GetHead().GetSHA(),
				Created: pr.GetCreatedAt().Time,
				Asked:   asked,
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
	files, err := c.files(ctx, number)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, f := range files {
		if f.GetStatus() != "added" {
			continue
		}
		if id, ok := requestID(f.GetFilename()); ok {
			ids = append(ids, id)
		}
	}
	return ids, nil
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

// RequestFile returns requests/<id>/request.yaml as it is at commit sha (an open pull request's
// head), for deciding whether that pull request really claims the id. A file larger than
// maxSize bytes is not downloaded: ErrTooLarge.
func (c *Client) RequestFile(ctx context.Context, sha, id string, maxSize int) ([]byte, error) {
	if !docket.ValidID(id) {
		return nil, fmt.Errorf("%q is not a request id", id)
	}
	p := path.Join(docket.RequestsDir, id, docket.RequestFile)
	file, _, _, err := c.api.Repositories.GetContents(ctx, c.owner, c.repo, p, &github.RepositoryContentGetOptions{Ref: sha})
	if err != nil {
		return nil, explain(fmt.Sprintf("reading %s at %s", p, sha), err)
	}
	if file == nil {
		return nil, fmt.Errorf("reading %s at %s: not a file", p, sha)
	}
	if file.GetSize() > maxSize {
		return nil, fmt.Errorf("reading %s at %s: %w", p, sha, ErrTooLarge)
	}
	text, err := file.GetContent()
	if err != nil {
		return nil, fmt.Errorf("reading %s at %s: %w", p, sha, err)
	}
	if len(text) > maxSize {
		return nil, fmt.Errorf("reading %s at %s: %w", p, sha, ErrTooLarge)
	}
	return []byte(text), nil
}

// ErrTooLarge is returned for a file larger than the caller will read.
var ErrTooLarge = errors.New("the file is too large")
