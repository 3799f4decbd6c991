package gitrepo

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/opendata-docket/docket/internal/gitrepo/gittest"
)

// revRepo makes a repository with a main branch of two commits, the first of whose id starts
// with feed, and a branch feed (from main) whose tip is another commit: the example of
// src-d/go-git#823, where go-git resolves "feed" to the commit instead of the branch.
func revRepo(t *testing.T) (r *git.Repository, first, second, feed *object.Commit) {
	t.Helper()
	r = gittest.Memory()
	s := gittest.Text("a", "1")
	var err error
	if first, err = gittest.CommitWithPrefix(r, "", s, t0, "first", "feed"); err != nil {
		t.Fatal(err)
	}
	if second, err = gittest.Commit(r, "main", s.With("a", "2"), t0.Add(time.Hour), "second", first.Hash); err != nil {
		t.Fatal(err)
	}
	if feed, err = gittest.Commit(r, "feed", s.With("b", "3"), t0.Add(2*time.Hour), "branch", second.Hash); err != nil {
		t.Fatal(err)
	}
	if err := r.Storer.SetReference(plumbing.NewSymbolicReference(plumbing.HEAD, "refs/heads/main")); err != nil {
		t.Fatal(err)
	}
	return r, first, second, feed
}

func TestResolveLikeGit(t *testing.T) {
	r, first, second, feed := revRepo(t)
	tagged, err := gittest.AnnotatedTag(r, "v1", second.Hash, t0)
	if err != nil {
		t.Fatal(err)
	}
	gittest.SetRef(r, "refs/remotes/origin/main", first.Hash)
	r.Storer.SetReference(plumbing.NewSymbolicReference("refs/remotes/origin/HEAD", "refs/remotes/origin/main"))
	gittest.SetRef(r, "refs/heads/"+feed.Hash.String()[:7], first.Hash) // a branch named like a commit id prefix

	for _, tc := range []struct {
		rev  string
		want plumbing.Hash
		ref  string
	}{
		{"feed", feed.Hash, "refs/heads/feed"}, // the branch, not the commit whose id starts with feed
		{"heads/feed", feed.Hash, "refs/heads/feed"},
		{"refs/heads/feed", feed.Hash, "refs/heads/feed"},
		{"feed~1", second.Hash, "refs/heads/feed"},
		{"feed^", second.Hash, "refs/heads/feed"},
		{"feed^1~1", first.Hash, "refs/heads/feed"},
		{"feed^0", feed.Hash, "refs/heads/feed"},
		{"main", second.Hash, "refs/heads/main"},
		{"HEAD", second.Hash, "HEAD"},
		{"@~1", first.Hash, "HEAD"},
		{"v1", second.Hash, "refs/tags/v1"}, // an annotated tag, peeled to its commit
		{"v1^{}", second.Hash, "refs/tags/v1"},
		{"tags/v1^{commit}", second.Hash, "refs/tags/v1"},
		{"origin/main", first.Hash, "refs/remotes/origin/main"},
		{"origin", first.Hash, "refs/remotes/origin/HEAD"},
		{first.Hash.String(), first.Hash, ""},
		{strings.ToUpper(second.Hash.String()[:10]), second.Hash, ""},
		{tagged.String()[:12], second.Hash, ""},                                      // a tag object's id names its commit
		{feed.Hash.String()[:7], first.Hash, "refs/heads/" + feed.Hash.String()[:7]}, // the branch wins over the id
		{feed.Hash.String()[:8], feed.Hash, ""},
	} {
		res, err := Wrap(r).Resolve(tc.rev)
		if err != nil {
			t.Errorf("Resolve(%s): %v", tc.rev, err)
			continue
		}
		if res.Commit.Hash != Hash(tc.want) || res.Ref != tc.ref {
			t.Errorf("Resolve(%s) = %s (%s), want %s (%s)", tc.rev, short(plumbing.Hash(res.Commit.Hash)), res.Ref, short(tc.want), tc.ref)
		}
	}
	// The branch feed shadows the commit whose id starts with feed, as git warns.
	res, _ := Wrap(r).Resolve("feed")
	if len(res.Shadowed) != 1 || res.Shadowed[0] != short(first.Hash) {
		t.Errorf("Shadowed = %v, want [%s]", res.Shadowed, short(first.Hash))
	}
	if res, _ := Wrap(r).Resolve("main"); len(res.Shadowed) != 0 {
		t.Errorf("main shadows %v", res.Shadowed)
	}
}

func TestResolveRefuses(t *testing.T) {
	r, first, second, feed := revRepo(t)
	// A tag and a branch of the same name on different commits: which one is meant?
	gittest.SetRef(r, "refs/tags/main", first.Hash)
	// Two commits whose ids start with the same four characters.
	other, err := gittest.CommitWithPrefix(r, "", gittest.Text("z", "z"), t0, "other", second.Hash.String()[:4])
	if err != nil {
		t.Fatal(err)
	}
	// A tree whose id does not start any commit's.
	tree, _ := second.Tree()
	for _, tc := range []struct{ rev, want string }{
		{"main", `revision "main": the name is ambiguous: it matches refs/tags/main (commit ` + short(first.Hash) + `) and refs/heads/main (commit ` + short(second.Hash) + `); write the full name of the one you mean`},
		{second.Hash.String()[:4], `revision "` + second.Hash.String()[:4] + `": the short commit id is ambiguous: it is the start of ` + sortedShort(second.Hash, other.Hash) + `; write more of the id`},
		{first.Hash.String()[:3], `revision "` + first.Hash.String()[:3] + `": no branch, tag or commit of that name`}, // too short to be an id
		{"nope", `revision "nope": no branch, tag or commit of that name`},
		{"config", `revision "config": no branch, tag or commit of that name`},
		{"../../config", `revision "../../config": no branch, tag or commit of that name`},
		{"", `revision "": no branch, tag or commit of that name`},
		{"feed~9", `revision "feed~9": commit ` + short(first.Hash) + ` has no parent`},
		{"feed^2", `revision "feed^2": commit ` + short(feed.Hash) + ` has no parent 2`},
		{"feed@{1}", `revision "feed@{1}": docket understands branch, tag and remote names, commit ids, and ~N and ^N after them, but not @{…} or :path`},
		{"feed~x", `revision "feed~x": cannot read "x"; docket understands NAME, NAME~N and NAME^N`},
	} {
		_, err := Wrap(r).Resolve(tc.rev)
		if err == nil || err.Error() != tc.want {
			t.Errorf("Resolve(%q):\n got %v\nwant %s", tc.rev, err, tc.want)
		}
	}
	if _, err := Wrap(r).Resolve("nope"); !errors.Is(err, ErrUnknownRevision) {
		t.Errorf("unknown revision: %v is not ErrUnknownRevision", err)
	}
	// Only a tree starts with these characters (when no commit does).
	prefix := tree.Hash.String()[:6]
	if _, _, err := commitsWithPrefix(r, prefix); err == nil {
		if _, err := Wrap(r).Resolve(prefix); err == nil || !strings.Contains(err.Error(), "is the start of the id of a tree, not of a commit") {
			t.Errorf("Resolve(tree prefix) = %v", err)
		}
	}
}

func sortedShort(a, b plumbing.Hash) string {
	x, y := short(a), short(b)
	if y < x {
		x, y = y, x
	}
	return x + " and " + y
}
