package check

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/gitrepo"
	"github.com/opendata-docket/docket/internal/secrets"
)

// scan looks at the text a change adds for secrets, and refuses binary files under requests/.
func (c *checker) scan(d gitrepo.Change, ch Change) error {
	data, err := blob(c.headTree, d.Path)
	if err != nil {
		return err
	}
	if bytes.IndexByte(data, 0) >= 0 || !utf8.Valid(data) {
		if ch.underRequests() {
			c.refuse(d.Path, nil, "binary files are not allowed under requests/; a request folder holds only YAML text files")
		}
		return nil
	}
	var old []byte
	if d.From.Exists() {
		if old, err = blob(c.forkTree, d.Path); err != nil {
			return err
		}
	}
	for _, line := range addedLines(old, data) {
		for _, m := range secrets.Scan(line.text) {
			c.res.Findings = append(c.res.Findings, docket.Finding{Path: d.Path, Line: line.n, Col: m.Col,
				Message: fmt.Sprintf("this line contains what looks like a %s; remove it from every commit of this pull request and revoke it, because a secret pushed to git stays in its history", m.Kind)})
		}
	}
	return nil
}

// maxCommits bounds how many of a pull request's commits are scanned for secrets.
const maxCommits = 250

// scanHistory looks for secrets that a commit of the pull request added and a later commit
// removed: they are gone from the last commit but stay in the history that merging brings in.
// Secrets still in the last commit are reported by scan, on their line.
func (c *checker) scanHistory(head, fork *object.Commit) error {
	commits, err := gitrepo.Since(head, fork, maxCommits)
	if err != nil {
		return err
	}
	for _, cm := range commits {
		if cm.Hash == head.Hash {
			continue
		}
		var parentTree *object.Tree
		if cm.NumParents() == 1 {
			p, err := cm.Parent(0)
			if err != nil {
				return fmt.Errorf("reading the parent of %s: %w", cm.Hash, err)
			}
			if parentTree, err = p.Tree(); err != nil {
				return err
			}
		}
		tree, err := cm.Tree()
		if err != nil {
			return err
		}
		changes, err := gitrepo.Diff(parentTree, tree)
		if err != nil {
			return err
		}
		for _, d := range changes {
			if !d.To.Exists() || d.To.Mode == filemode.Submodule || d.To.Mode == filemode.Symlink || strings.ContainsFunc(d.Path, unicode.IsControl) {
				continue
			}
			data, err := blob(tree, d.Path)
			if err != nil {
				return err
			}
			var old []byte
			if d.From.Exists() && parentTree != nil {
				if old, err = blob(parentTree, d.Path); err != nil {
					return err
				}
			}
			now, _ := blob(c.headTree, d.Path) // missing in the last commit: nothing to compare
			for _, line := range addedLines(old, data) {
				matches := secrets.Scan(line.text)
				if len(matches) == 0 || bytes.Contains(now, []byte(line.text)) {
					continue
				}
				c.res.Findings = append(c.res.Findings, docket.Finding{Path: d.Path, Line: 1, Col: 1,
					Message: fmt.Sprintf("commit %s added what looks like a %s on line %d; a later commit removed it, but it stays in the history merging would bring in: rewrite the branch without it (or open a new pull request) and revoke it",
						cm.Hash.String()[:12], matches[0].Kind, line.n)})
			}
		}
	}
	return nil
}

// maxScan bounds how much of one file is read for secrets.
const maxScan = 8 << 20

func blob(t *object.Tree, path string) ([]byte, error) {
	f, err := t.File(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	r, err := f.Reader()
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	defer r.Close()
	return io.ReadAll(io.LimitReader(r, maxScan))
}

type numbered struct {
	n    int
	text string
}

// addedLines returns the lines of now that were not in old (as many times as they were added).
func addedLines(old, now []byte) []numbered {
	count := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(old))
	sc.Buffer(nil, maxScan)
	for sc.Scan() {
		count[sc.Text()]++
	}
	var out []numbered
	sc = bufio.NewScanner(bytes.NewReader(now))
	sc.Buffer(nil, maxScan)
	for n := 1; sc.Scan(); n++ {
		if count[sc.Text()] > 0 {
			count[sc.Text()]--
			continue
		}
		out = append(out, numbered{n, sc.Text()})
	}
	return out
}
