package check

import (
	"fmt"
	"strings"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/gitrepo"
)

// ChangedFolders says which open pull requests a push from before to after may have changed the
// verdict on: the ids of the request folders whose files changed, or all when the configuration
// changed (it is the rules for every request) or before is unknown (a new branch, whose before
// is all zeros, or a commit no longer in the repository after a force push).
func ChangedFolders(r *gitrepo.Repo, before, after string) (ids map[string]bool, all bool, err error) {
	to, err := r.Commit(after)
	if err != nil {
		return nil, false, err
	}
	if strings.Trim(before, "0") == "" {
		return nil, true, nil
	}
	from, err := r.Commit(before)
	if err != nil {
		return nil, true, nil // checking every pull request again is the safe side
	}
	fromTree, err := from.Tree()
	if err != nil {
		return nil, false, fmt.Errorf("reading %s: %w", before, err)
	}
	toTree, err := to.Tree()
	if err != nil {
		return nil, false, fmt.Errorf("reading %s: %w", after, err)
	}
	diff, err := gitrepo.Diff(fromTree, toTree)
	if err != nil {
		return nil, false, err
	}
	ids = map[string]bool{}
	for _, d := range diff {
		ch := classify(d)
		switch {
		case ch.Area == AreaConfig:
			all = true
		case ch.ID != "":
			ids[ch.ID] = true
		case strings.HasPrefix(d.Path, docket.RequestsDir+"/"):
			all = true // a file directly under requests/: say nothing is skipped
		}
	}
	return ids, all, nil
}
