package main

import (
	"fmt"
	"strings"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/gitrepo"
)

// checkNotes says what a reader of docket check's result should know about what was compared:
// a revision that is a branch (or tag) and also the start of another commit's id, which git
// resolves to the branch with a warning; and changes under requests/ in the work tree, which
// a check of two commits does not include (unless inActions: a fresh checkout).
func checkNotes(r *gitrepo.Repo, revs [][2]string, inActions bool) []string {
	var notes []string
	for _, rv := range revs {
		flag, rev := rv[0], rv[1]
		res, err := r.Resolve(rev)
		if err != nil || len(res.Shadowed) == 0 {
			continue
		}
		kind, name := refKind(res.Ref)
		notes = append(notes, fmt.Sprintf("%s %s is the %s %s, and also the start of the id of commit %s; as git does, docket checked the %s (to check the commit, give more of its id).",
			flag, rev, kind, name, strings.Join(res.Shadowed, " and commit "), kind))
	}
	if inActions {
		// A fresh checkout, which nobody has edited; reading every request file to tell costs
		// about half a second on 10,000 requests.
		return notes
	}
	dirty, err := r.Uncommitted(docket.RequestsDir)
	if err == nil && len(dirty) > 0 {
		shown := dirty[:min(len(dirty), 5)]
		more := ""
		if len(dirty) > len(shown) {
			more = fmt.Sprintf(" and %d more", len(dirty)-len(shown))
		}
		notes = append(notes, fmt.Sprintf("The work tree has changes under %s/ that are not committed (%s%s); docket check compares commits, so those changes are not included: commit them and check again.",
			docket.RequestsDir, strings.Join(shown, ", "), more))
	}
	return notes
}

// refKind names what a reference is, for a sentence: ("branch", "feed"), ("tag", "v1").
func refKind(ref string) (kind, name string) {
	for _, k := range []struct{ prefix, kind string }{
		{"refs/heads/", "branch"}, {"refs/tags/", "tag"}, {"refs/remotes/", "remote branch"},
	} {
		if name, ok := strings.CutPrefix(ref, k.prefix); ok {
			return k.kind, name
		}
	}
	return "reference", ref
}
