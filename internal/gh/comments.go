package gh

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/go-github/v60/github"
)

// UpsertComment makes the bot's comment on issue (or pull request) number that carries marker
// (an HTML comment hidden in body, which must contain it) read body: it edits the existing
// comment, or creates one, so each run updates one comment instead of adding another. Only
// comments written by a bot count, so a person quoting the marker cannot capture the comment;
// the Actions bot's own comment is preferred over another app's. It returns "created",
// "updated" or "unchanged".
func (c *Client) UpsertComment(ctx context.Context, number int, marker, body string) (string, error) {
	if marker == "" || !strings.Contains(body, marker) {
		return "", fmt.Errorf("comment body lacks the marker %s", marker)
	}
	existing, err := c.findMarked(ctx, number, marker)
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
		if _, _, err := c.api.Issues.EditComment(ctx, c.owner, c.repo, existing.GetID(), &github.IssueComment{Body: github.String(body)}); err != nil {
			return "", explain(fmt.Sprintf("updating the comment on #%d", number), err)
		}
		return "updated", nil
	}
	if _, _, err := c.api.Issues.CreateComment(ctx, c.owner, c.repo, number, &github.IssueComment{Body: github.String(body)}); err != nil {
		return "", explain(fmt.Sprintf("commenting on #%d", number), err)
	}
	return "created", nil
}

// actionsBot is the login of the GITHUB_TOKEN's comments.
const actionsBot = "github-actions[bot]"
