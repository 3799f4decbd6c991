package gitrepo

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// ErrUnknownRevision is returned when no branch, tag or commit has the name given.
var ErrUnknownRevision = errors.New("no branch, tag or commit of that name")

// Revision is what a revision named, resolved as git rev-parse does.
type Revision struct {
	Commit *Commit
	// Ref is the full name of the reference the name matched, like refs/heads/feed; empty when
	// it was a commit id.
	Ref string
	// Shadowed lists the commits (12-character ids) whose ids start with the name but that were
	// not chosen because a reference of that name exists, which git prefers (and warns about).
	Shadowed []string
}

// Commit resolves a revision (a branch, tag, remote branch, commit id or a prefix of one, with
// ~N and ^N suffixes) to a commit, as git does; see Resolve.
func (r *Repo) Commit(rev string) (*Commit, error) {
	c, err := commitOf(r.g, rev)
	return wrapCommit(c, r.g.Storer), missing(err)
}

func commitOf(r *git.Repository, rev string) (*object.Commit, error) {
	res, err := resolve(r, rev)
	if err != nil {
		return nil, err
	}
	return res.commit, nil
}

// minPrefix is the shortest commit id prefix git accepts.
const minPrefix = 4

var (
	fullHash = regexp.MustCompile(`^[0-9a-fA-F]{40}$`)
	hexOnly  = regexp.MustCompile(`^[0-9a-fA-F]+$`)
	rootRef  = regexp.MustCompile(`^([A-Z_]*_)?HEAD$`) // HEAD, FETCH_HEAD, ORIG_HEAD…
)

// Resolve resolves a revision in the order of gitrevisions(7), which go-git's ResolveRevision
// does not follow (it prefers a commit id prefix to a branch of the same name, so that a branch
// named feed could be checked as some commit whose id starts with feed): a full 40-character
// commit id; then the name as a reference (refs/<name> as given, refs/<name>, refs/tags/<name>,
// refs/heads/<name>, refs/remotes/<name>, refs/remotes/<name>/HEAD); and only when no reference
// matches, a prefix of at least 4 hexadecimal characters of exactly one commit. A name that
// matches references to different commits, or a prefix of several commits, is an error naming
// them: a gate must not guess. Annotated tags are peeled to their commit.
func (r *Repo) Resolve(rev string) (*Revision, error) {
	res, err := resolve(r.g, rev)
	if err != nil {
		return nil, missing(err)
	}
	return &Revision{Commit: wrapCommit(res.commit, r.g.Storer), Ref: res.ref, Shadowed: res.shadowed}, nil
}

// revision is a Revision as resolve finds it.
type revision struct {
	commit   *object.Commit
	ref      string
	shadowed []string
}

func resolve(r *git.Repository, rev string) (*revision, error) {
	name, suffix := splitRevision(rev)
	if name == "" {
		return nil, fmt.Errorf("revision %q: %w", rev, ErrUnknownRevision)
	}
	res, err := resolveName(r, name)
	if err != nil {
		return nil, fmt.Errorf("revision %q: %w", rev, err)
	}
	if res.commit, err = walkSuffix(res.commit, suffix); err != nil {
		return nil, fmt.Errorf("revision %q: %w", rev, err)
	}
	return res, nil
}

// splitRevision cuts a revision into its name and its ~ and ^ suffixes; neither character can be
// part of a reference name.
func splitRevision(rev string) (name, suffix string) {
	i := strings.IndexAny(rev, "~^")
	if i < 0 {
		i = len(rev)
	}
	name, suffix = rev[:i], rev[i:]
	if name == "@" {
		name = "HEAD"
	}
	return name, suffix
}

func resolveName(r *git.Repository, name string) (*revision, error) {
	if strings.Contains(name, "@{") || strings.Contains(name, ":") {
		return nil, errors.New("docket understands branch, tag and remote names, commit ids, and ~N and ^N after them, but not @{…} or :path")
	}
	if fullHash.MatchString(name) {
		// git takes a full id as an id even when a reference has the same name.
		c, err := peel(r, plumbing.NewHash(strings.ToLower(name)))
		if err != nil {
			return nil, err
		}
		return &revision{commit: c}, nil
	}
	refs, err := matchingRefs(r, name)
	if err != nil {
		return nil, err
	}
	if len(refs) > 0 {
		res := &revision{commit: refs[0].commit, ref: refs[0].name}
		var others []string
		for _, m := range refs[1:] {
			if m.commit.Hash != res.commit.Hash {
				others = append(others, m.name)
			}
		}
		if len(others) > 0 {
			desc := make([]string, len(refs))
			for i, m := range refs {
				desc[i] = m.name + " (commit " + short(m.commit.Hash) + ")"
			}
			return nil, fmt.Errorf("the name is ambiguous: it matches %s; write the full name of the one you mean", strings.Join(desc, " and "))
		}
		if len(name) >= minPrefix && hexOnly.MatchString(name) {
			commits, _, err := commitsWithPrefix(r, name)
			if err != nil {
				return nil, err
			}
			for _, h := range commits {
				if h != res.commit.Hash {
					res.shadowed = append(res.shadowed, short(h))
				}
			}
		}
		return res, nil
	}
	if len(name) < minPrefix || !hexOnly.MatchString(name) {
		return nil, ErrUnknownRevision
	}
	commits, others, err := commitsWithPrefix(r, name)
	if err != nil {
		return nil, err
	}
	switch len(commits) {
	case 0:
		if len(others) > 0 {
			return nil, fmt.Errorf("%s is the start of the id of a %s, not of a commit", name, strings.Join(others, " and a "))
		}
		return nil, ErrUnknownRevision
	case 1:
		c, err := peel(r, commits[0])
		if err != nil {
			return nil, err
		}
		return &revision{commit: c}, nil
	}
	ids := make([]string, len(commits))
	for i, h := range commits {
		ids[i] = short(h)
	}
	return nil, fmt.Errorf("the short commit id is ambiguous: it is the start of %s; write more of the id", strings.Join(ids, " and "))
}

type refMatch struct {
	name   string
	commit *object.Commit
}

// matchingRefs returns the references a short name can mean, in git's order of preference.
func matchingRefs(r *git.Repository, name string) ([]refMatch, error) {
	var out []refMatch
	for _, rule := range plumbing.RefRevParseRules {
		full := plumbing.ReferenceName(fmt.Sprintf(rule, name))
		if rule == "%s" && !strings.HasPrefix(name, "refs/") && !rootRef.MatchString(name) {
			continue // only refs/… and HEAD-like names stand for themselves, never files such as config
		}
		if full != plumbing.HEAD && !rootRef.MatchString(string(full)) && full.Validate() != nil {
			continue
		}
		ref, err := storer.ResolveReference(r.Storer, full)
		if errors.Is(err, plumbing.ErrReferenceNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", full, err)
		}
		c, err := peel(r, ref.Hash())
		if err != nil {
			return nil, fmt.Errorf("%s: %w", full, err)
		}
		out = append(out, refMatch{string(full), c})
	}
	return out, nil
}

// commitsWithPrefix lists the commits (and annotated tags, peeled) whose ids start with the hex
// prefix, and names the kinds of the other objects that do.
func commitsWithPrefix(r *git.Repository, prefix string) (commits []plumbing.Hash, others []string, err error) {
	prefix = strings.ToLower(prefix)
	even, err := hex.DecodeString(prefix[:len(prefix)&^1])
	if err != nil {
		return nil, nil, err
	}
	var hashes []plumbing.Hash
	type prefixed interface {
		HashesWithPrefix(prefix []byte) ([]plumbing.Hash, error)
	}
	if st, ok := r.Storer.(prefixed); ok {
		if hashes, err = st.HashesWithPrefix(even); err != nil {
			return nil, nil, fmt.Errorf("listing objects: %w", err)
		}
	} else {
		iter, err := r.Storer.IterEncodedObjects(plumbing.AnyObject)
		if err != nil {
			return nil, nil, fmt.Errorf("listing objects: %w", err)
		}
		err = iter.ForEach(func(o plumbing.EncodedObject) error {
			if h := o.Hash(); bytes.HasPrefix(h[:], even) {
				hashes = append(hashes, h)
			}
			return nil
		})
		if err != nil {
			return nil, nil, fmt.Errorf("listing objects: %w", err)
		}
	}
	slices.SortFunc(hashes, func(a, b plumbing.Hash) int { return bytes.Compare(a[:], b[:]) })
	hashes = slices.Compact(hashes)
	for _, h := range hashes {
		if !strings.HasPrefix(h.String(), prefix) {
			continue
		}
		o, err := r.Storer.EncodedObject(plumbing.AnyObject, h)
		if err != nil {
			return nil, nil, fmt.Errorf("reading object %s: %w", short(h), err)
		}
		switch o.Type() {
		case plumbing.CommitObject:
			commits = append(commits, h)
		case plumbing.TagObject:
			if _, err := peel(r, h); err == nil {
				commits = append(commits, h)
				continue
			}
			others = append(others, "tag")
		default:
			others = append(others, o.Type().String())
		}
	}
	return commits, others, nil
}

// peel returns the commit an object names: itself, or what an annotated tag (or a chain of them)
// points at.
func peel(r *git.Repository, h plumbing.Hash) (*object.Commit, error) {
	for range 10 {
		o, err := r.Storer.EncodedObject(plumbing.AnyObject, h)
		if err != nil {
			return nil, fmt.Errorf("object %s: %w", short(h), err)
		}
		switch o.Type() {
		case plumbing.CommitObject:
			return object.DecodeCommit(r.Storer, o)
		case plumbing.TagObject:
			t, err := object.DecodeTag(r.Storer, o)
			if err != nil {
				return nil, err
			}
			h = t.Target
		default:
			return nil, fmt.Errorf("%s is a %s, not a commit", short(h), o.Type())
		}
	}
	return nil, fmt.Errorf("%s: tags nested too deep", short(h))
}

// walkSuffix applies ~N (N first parents back), ^N (the Nth parent; ^0 the commit itself) and
// ^{} or ^{commit} (the commit itself, as tags are already peeled).
func walkSuffix(c *object.Commit, suffix string) (*object.Commit, error) {
	for suffix != "" {
		op := suffix[0]
		suffix = suffix[1:]
		if op == '^' && (strings.HasPrefix(suffix, "{}") || strings.HasPrefix(suffix, "{commit}")) {
			suffix = suffix[strings.IndexByte(suffix, '}')+1:]
			continue
		}
		digits := len(suffix) - len(strings.TrimLeft(suffix, "0123456789"))
		n := 1
		if digits > 0 {
			var err error
			if n, err = strconv.Atoi(suffix[:digits]); err != nil || n > 1<<20 {
				return nil, fmt.Errorf("%q is not a number of commits", suffix[:digits])
			}
			suffix = suffix[digits:]
		}
		switch op {
		case '~':
			for range n {
				if c.NumParents() == 0 {
					return nil, fmt.Errorf("commit %s has no parent", short(c.Hash))
				}
				p, err := c.Parent(0)
				if err != nil {
					return nil, err
				}
				c = p
			}
		case '^':
			if n == 0 {
				continue
			}
			if n > c.NumParents() {
				return nil, fmt.Errorf("commit %s has no parent %d", short(c.Hash), n)
			}
			p, err := c.Parent(n - 1)
			if err != nil {
				return nil, err
			}
			c = p
		default:
			return nil, fmt.Errorf("cannot read %q; docket understands NAME, NAME~N and NAME^N", string(op)+suffix)
		}
	}
	return c, nil
}

func short(h plumbing.Hash) string { return h.String()[:12] }
