package gh

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/google/go-github/v60/github"
)

// IsTeamMember reports whether login is an active member of team ("org/team-slug"). Asking
// needs a token that may read the organization's teams; the default Actions token cannot.
func (c *Client) IsTeamMember(ctx context.Context, team, login string) (bool, error) {
	org, slug, ok := strings.Cut(team, "/")
	if !ok {
		return false, fmt.Errorf("team %q: want organization/team-slug", team)
	}
	m, _, err := c.api.Teams.GetTeamMembershipBySlug(ctx, org, slug, login)
	var er *github.ErrorResponse
	if errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusNotFound {
		return false, nil // not a member (or the team is not visible to the token)
	}
	if err != nil {
		return false, explain(fmt.Sprintf("asking whether %s is in the team %s", login, team), err)
	}
	return m.GetState() == "active", nil
}
