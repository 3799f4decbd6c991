package gh

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/go-github/v60/github"
)

// CommentMarker is hidden in docket's comment on a pull request, so each run finds and updates
// the one comment instead of adding another.
const CommentMarker = "<!-- docket:check -->"

// UpsertComment makes the bot's comment on pull request number read body (which must contain
// CommentMarker): it edits the existing comment, or creates one. Only comments written by a bot
// count, so a person quoting the marker cannot capture the comment; the Actions bot's own comment
// is preferred over another app's. It returns "created", "updated" or "unchanged".
func (c *Client) UpsertComment(ctx context.Context, number int, body string) (string, error) {
	if !strings.Contains(body, CommentMarker) {
		return "", fmt.Errorf("comment body lacks the marker %s", CommentMarker)
	}
	existing, err := c.findComment(ctx, number)
	if err != nil {
		return "", err
	}
	switch {
	case existing != nil && existing.GetBody() == body:
		return "unchanged", nil
	case c.dryRun && existing != nil:
		return "updated", nil
	case c.dryRun:
		return "created", nil
	case existing != nil:
		_, _, err := c.api.Issues.EditComment(ctx, c.owner, c.repo, existing.GetID(), &github.IssueComment{Body: github.String(body)})
		if err != nil {
			return "", explain(fmt.Sprintf("updating the comment on pull request #%d", number), err)
		}
		return "updated", nil
	}
	_, _, err = c.api.Issues.CreateComment(ctx, c.owner, c.repo, number, &github.IssueComment{Body: github.String(body)})
	if err != nil {
		return "", explain(fmt.Sprintf("commenting on pull request #%d", number), err)
	}
	return "created", nil
}

// actionsBot is the login of the GITHUB_TOKEN's comments.
const actionsBot = "github-actions[bot]"

func (c *Client) findComment(ctx context.Context, number int) (*github.IssueComment, error) {
	return c.findMarked(ctx, number, CommentMarker)
}
