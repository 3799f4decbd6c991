package gh

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"
)

// Issue is an issue as GitHub vouches for it.
type Issue struct {
	Number        int
	Author        string // the login of whoever opened it
	Title, Body   string
	State         string // open or closed
	IsPullRequest bool   // the issues API also returns pull requests
}

// Issue reads issue number.
func (c *Client) Issue(ctx context.Context, number int) (*Issue, error) {
	is, _, err := c.api.Issues.Get(ctx, c.owner, c.repo, number)
	if err != nil {
		return nil, explain(fmt.Sprintf("reading issue #%d", number), err)
	}
	return &Issue{Number: is.GetNumber(), Author: is.GetUser().GetLogin(), Title: is.GetTitle(), Body: is.GetBody(),
		State: is.GetState(), IsPullRequest: is.IsPullRequest()}, nil
}

// IntakeBranch is the branch that carries the request docket intake made from issue number.
func IntakeBranch(issue int) string { return intakePrefix + strconv.Itoa(issue) }

const intakePrefix = "docket-intake/issue-"

// intakeIssue returns the issue a pull request was made from by docket intake: one opened by
// the Actions bot from this repository's docket-intake/issue-N branch. Only a workflow of
// this repository with its token writes as the Actions bot, and a fork cannot name this
// repository as its head, so nobody else can make a pull request that passes for one.
func (c *Client) intakeIssue(pr *github.PullRequest) (int, bool) {
	if pr.GetUser().GetLogin() != actionsBot || pr.GetUser().GetType() != "Bot" {
		return 0, false
	}
	if !strings.EqualFold(pr.GetHead().GetRepo().GetFullName(), c.Repository()) {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimPrefix(pr.GetHead().GetRef(), intakePrefix))
	if !strings.HasPrefix(pr.GetHead().GetRef(), intakePrefix) || err != nil || n <= 0 || IntakeBranch(n) != pr.GetHead().GetRef() {
		return 0, false
	}
	return n, true
}

// requesterOf returns whom a pull request speaks for: its author, or for a pull request
// docket intake opened from an issue, the issue's author, who wrote every answer in it and
// whom the request names. The gate judges it as theirs: their request, their open limit.
func (c *Client) requesterOf(ctx context.Context, pr *github.PullRequest) (string, error) {
	login, _, _, err := c.askedBy(ctx, pr)
	return login, err
}

// askedBy returns who asked through a pull request and when: its author and its opening, or for
// a pull request docket intake made from an issue, the issue's author and the issue's opening
// (the requester asked then), with the issue's number (0 for other pull requests).
func (c *Client) askedBy(ctx context.Context, pr *github.PullRequest) (string, time.Time, int, error) {
	n, ok := c.intakeIssue(pr)
	if !ok {
		return pr.GetUser().GetLogin(), pr.GetCreatedAt().Time, 0, nil
	}
	is, _, err := c.api.Issues.Get(ctx, c.owner, c.repo, n)
	if err != nil {
		return "", time.Time{}, 0, explain(fmt.Sprintf("reading issue #%d, which pull request #%d was made from", n, pr.GetNumber()), err)
	}
	return is.GetUser().GetLogin(), is.GetCreatedAt().Time, n, nil
}

// DefaultBranch returns the repository's default branch.
func (c *Client) DefaultBranch(ctx context.Context) (string, error) {
	r, _, err := c.api.Repositories.Get(ctx, c.owner, c.repo)
	if err != nil {
		return "", explain("reading the repository "+c.Repository(), err)
	}
	if r.GetDefaultBranch() == "" {
		return "", fmt.Errorf("reading the repository %s: GitHub named no default branch", c.Repository())
	}
	return r.GetDefaultBranch(), nil
}

// HasMarkedComment reports whether a bot already commented on number with marker.
func (c *Client) HasMarkedComment(ctx context.Context, number int, marker string) (bool, error) {
	cm, err := c.findMarked(ctx, number, marker)
	return cm != nil, err
}

// AddComment comments on issue or pull request number.
func (c *Client) AddComment(ctx context.Context, number int, body string) error {
	if c.dryRun {
		return nil
	}
	if _, _, err := c.api.Issues.CreateComment(ctx, c.owner, c.repo, number, &github.IssueComment{Body: github.String(body)}); err != nil {
		return explain(fmt.Sprintf("commenting on #%d", number), err)
	}
	return nil
}

func (c *Client) findMarked(ctx context.Context, number int, marker string) (*github.IssueComment, error) {
	opts := &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100}}
	var other *github.IssueComment
	for {
		comments, resp, err := c.api.Issues.ListComments(ctx, c.owner, c.repo, number, opts)
		if err != nil {
			return nil, explain(fmt.Sprintf("reading the comments on #%d", number), err)
		}
		for _, cm := range comments {
			if !strings.Contains(cm.GetBody(), marker) || cm.GetUser().GetType() != "Bot" {
				continue
			}
			if cm.GetUser().GetLogin() == actionsBot {
				return cm, nil
			}
			if other == nil {
				other = cm
			}
		}
		if resp.NextPage == 0 {
			return other, nil
		}
		opts.Page = resp.NextPage
	}
}

// Branch results of PutFile.
const (
	BranchCreated   = "created"
	BranchUpdated   = "updated"
	BranchUnchanged = "unchanged"
)

// PutFile makes branch hold base's tree with one file, path, set to content, in one commit on
// top of base: created when the branch does not exist, replaced (a forced update: the branch
// belongs to docket) when it holds anything else, left alone when it already holds the file.
// It returns the branch's commit and what was done. In a dry run nothing is written and the
// commit is "".
func (c *Client) PutFile(ctx context.Context, branch, base, path string, content []byte, message string) (string, string, error) {
	tip, exists, err := c.ref(ctx, branch)
	if err != nil {
		return "", "", err
	}
	if exists {
		file, _, resp, err := c.api.Repositories.GetContents(ctx, c.owner, c.repo, path, &github.RepositoryContentGetOptions{Ref: tip})
		switch {
		case err == nil && file != nil:
			if have, err := file.GetContent(); err == nil && bytes.Equal([]byte(have), content) {
				return tip, BranchUnchanged, nil
			}
		case resp != nil && resp.StatusCode == http.StatusNotFound:
		case err != nil:
			return "", "", explain(fmt.Sprintf("reading %s on %s", path, branch), err)
		}
	}
	what := BranchCreated
	if exists {
		what = BranchUpdated
	}
	if c.dryRun {
		return "", what, nil
	}
	baseCommit, _, err := c.api.Git.GetCommit(ctx, c.owner, c.repo, base)
	if err != nil {
		return "", "", explain("reading the commit "+base, err)
	}
	blob, _, err := c.api.Git.CreateBlob(ctx, c.owner, c.repo, &github.Blob{Content: github.String(string(content)), Encoding: github.String("utf-8")})
	if err != nil {
		return "", "", explain("writing "+path, err)
	}
	tree, _, err := c.api.Git.CreateTree(ctx, c.owner, c.repo, baseCommit.GetTree().GetSHA(), []*github.TreeEntry{
		{Path: github.String(path), Mode: github.String("100644"), Type: github.String("blob"), SHA: blob.SHA},
	})
	if err != nil {
		return "", "", explain("writing the tree with "+path, err)
	}
	commit, _, err := c.api.Git.CreateCommit(ctx, c.owner, c.repo, &github.Commit{
		Message: github.String(message), Tree: &github.Tree{SHA: tree.SHA}, Parents: []*github.Commit{{SHA: github.String(base)}},
	}, nil)
	if err != nil {
		return "", "", explain("writing the commit with "+path, err)
	}
	ref := &github.Reference{Ref: github.String("refs/heads/" + branch), Object: &github.GitObject{SHA: commit.SHA}}
	if exists {
		_, _, err = c.api.Git.UpdateRef(ctx, c.owner, c.repo, ref, true)
	} else {
		_, _, err = c.api.Git.CreateRef(ctx, c.owner, c.repo, ref)
	}
	if err != nil {
		return "", "", explain("moving the branch "+branch, err)
	}
	return commit.GetSHA(), what, nil
}

// ref returns the commit a branch points at, and whether it exists.
func (c *Client) ref(ctx context.Context, branch string) (string, bool, error) {
	r, resp, err := c.api.Git.GetRef(ctx, c.owner, c.repo, "heads/"+branch)
	if resp != nil && resp.StatusCode == http.StatusNotFound {
		return "", false, nil
	}
	if err != nil {
		return "", false, explain("reading the branch "+branch, err)
	}
	return r.GetObject().GetSHA(), true, nil
}

// BranchPullRequest is an open pull request from a branch of this repository.
type BranchPullRequest struct {
	Number      int
	Title, Body string
	HeadSHA     string
}

// PullRequestFrom returns the open pull request from branch of this repository, or nil.
func (c *Client) PullRequestFrom(ctx context.Context, branch string) (*BranchPullRequest, error) {
	prs, _, err := c.api.PullRequests.List(ctx, c.owner, c.repo, &github.PullRequestListOptions{State: "open", Head: c.owner + ":" + branch})
	if err != nil {
		return nil, explain("looking for the pull request from "+branch, err)
	}
	for _, pr := range prs {
		if pr.GetHead().GetRef() == branch && strings.EqualFold(pr.GetHead().GetRepo().GetFullName(), c.Repository()) {
			return &BranchPullRequest{Number: pr.GetNumber(), Title: pr.GetTitle(), Body: pr.GetBody(), HeadSHA: pr.GetHead().GetSHA()}, nil
		}
	}
	return nil, nil
}

// OpenPullRequest opens a pull request from branch into base. In a dry run it returns 0.
func (c *Client) OpenPullRequest(ctx context.Context, branch, base, title, body string) (int, error) {
	if c.dryRun {
		return 0, nil
	}
	pr, _, err := c.api.PullRequests.Create(ctx, c.owner, c.repo, &github.NewPullRequest{
		Title: github.String(title), Head: github.String(branch), Base: github.String(base), Body: github.String(body),
	})
	if err != nil {
		return 0, explain("opening a pull request from "+branch, err)
	}
	return pr.GetNumber(), nil
}

// EditPullRequest sets the title and body of pull request number.
func (c *Client) EditPullRequest(ctx context.Context, number int, title, body string) error {
	if c.dryRun {
		return nil
	}
	if _, _, err := c.api.PullRequests.Edit(ctx, c.owner, c.repo, number, &github.PullRequest{Title: github.String(title), Body: github.String(body)}); err != nil {
		return explain(fmt.Sprintf("updating pull request #%d", number), err)
	}
	return nil
}
