package check

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/gitrepo"
	"github.com/opendata-docket/docket/internal/secrets"
)

// maxBlob bounds the size of a file docket reads to scan for secrets. GitHub refuses files
// larger than this; a larger file is refused here too, never scanned in part.
var maxBlob int64 = 100 << 20 // a variable so tests can lower it

// maxCommits bounds the commits of a pull request that are scanned for secrets. Each distinct
// file version is scanned once however many commits hold it, so scanning every commit is
// cheap (see BenchmarkScanManyCommits); the bound only stops a runaway history, and reaching it
// fails the check rather than leaving commits unscanned.
const maxCommits = 100_000

// scan refuses binary files under requests/, which holds only YAML text. Secrets, in any file,
// are found by scanHistory.
func (c *checker) scan(d gitrepo.Change, ch Change) error {
	if !ch.underRequests() {
		return nil
	}
	data, err := gitrepo.ReadBlob(c.headTree, d.To.Hash, maxBlob)
	if errors.Is(err, gitrepo.ErrTooLarge) {
		return nil // scanHistory refuses it
	}
	if err != nil {
		return fmt.Errorf("reading %s: %w", d.Path, err)
	}
	if bytes.IndexByte(data, 0) >= 0 || !utf8.Valid(data) {
		c.refuse(d.Path, nil, "binary files are not allowed under requests/; a request folder holds only YAML text files")
	}
	return nil
}

// scanHistory looks for secrets in everything merging the pull request brings in. A secret in the
// last commit is reported on its line there. A secret that a commit added (a line not in any of
// its parents' versions of the file, so that merge commits are scanned for what they add
// themselves, and not for what they merge) and a later commit removed is reported with the
// commit: it is gone from the last commit but stays in the history. So are file names and commit
// messages. Text in UTF-16, invalid UTF-8 and binary files is scanned too (see texts).
func (c *checker) scanHistory(head, fork *gitrepo.Commit) error {
	s := &secretScan{c: c, blobs: map[gitrepo.Hash]*blobHits{}, reported: map[string]bool{}}
	for _, d := range c.diff {
		if !d.To.Exists() || d.To.Mode == gitrepo.Submodule {
			continue
		}
		b, err := s.scan(d.Path, d.To.Hash)
		if err != nil {
			return err
		}
		if b.size > maxBlob {
			s.tooLarge(d.Path, "", b.size)
			continue
		}
		old, err := s.lines(gitrepo.EntryAt(c.forkTree, d.Path))
		if err != nil {
			return err
		}
		for _, h := range b.hits {
			if old[h.text] {
				continue // in the base branch already
			}
			s.reported[d.Path+"\x00"+h.text] = true
			// Validation reports a secret in a YAML value too (it may be hidden by escapes);
			// on the same line, this finding says it for the pull request, once.
			c.res.Findings = slices.DeleteFunc(c.res.Findings, func(f docket.Finding) bool {
				return f.Path == d.Path && f.Line == h.line && strings.Contains(f.Message, "what looks like")
			})
			c.res.Findings = append(c.res.Findings, docket.Finding{Path: d.Path, Line: h.line, Col: h.col,
				Message: fmt.Sprintf("this line contains what looks like %s; remove it from every commit of this pull request and revoke it, because a secret pushed to git stays in its history", secrets.Named(h.kind))})
		}
	}

	commits, err := gitrepo.Between(head, fork, maxCommits)
	if errors.Is(err, gitrepo.ErrTooManyCommits) {
		return fmt.Errorf("this pull request has more than %d commits, more than docket scans for secrets, so it cannot be checked; squash its commits and push again", maxCommits)
	}
	if err != nil {
		return err
	}
	// Oldest first, so that a secret is reported with the commit that first added it.
	for _, cm := range slices.Backward(commits) {
		if err := s.commit(cm); err != nil {
			return err
		}
	}
	return nil
}

// secretScan scans each distinct blob once, however many commits and paths hold it.
type secretScan struct {
	c        *checker
	blobs    map[gitrepo.Hash]*blobHits
	reported map[string]bool // path and line (or what else) already reported
}

type blobHits struct {
	size int64 // more than maxBlob: not read
	hits []lineHit
}

// lineHit is one secret in a blob: where, what kind, and the line it is on (kept to tell whether
// a parent had the same line; never shown).
type lineHit struct {
	line, col int
	kind      string
	text      string
}

func (s *secretScan) scan(path string, h gitrepo.Hash) (*blobHits, error) {
	if b, ok := s.blobs[h]; ok {
		return b, nil
	}
	b := &blobHits{}
	data, err := gitrepo.ReadBlob(s.c.headTree, h, maxBlob)
	switch {
	case errors.Is(err, gitrepo.ErrTooLarge):
		b.size = maxBlob + 1
	case err != nil:
		return nil, fmt.Errorf("reading %s: %w", path, err)
	default:
		b.hits = findSecrets(data)
	}
	s.blobs[h] = b
	return b, nil
}

// lines returns the set of lines of a file version, as texts decodes them; nil for none.
func (s *secretScan) lines(e gitrepo.Entry) (map[string]bool, error) {
	if !e.Exists() || e.Mode == gitrepo.Submodule {
		return nil, nil
	}
	data, err := gitrepo.ReadBlob(s.c.headTree, e.Hash, maxBlob)
	if errors.Is(err, gitrepo.ErrTooLarge) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	set := map[string]bool{}
	for _, t := range texts(data) {
		for line := range strings.SplitSeq(t, "\n") {
			set[strings.TrimSuffix(line, "\r")] = true
		}
	}
	return set, nil
}

// commit reports the secrets a commit of the pull request added that are no longer in the last
// commit (those that are, scanHistory reported on their line).
func (s *secretScan) commit(cm *gitrepo.Commit) error {
	id := cm.Hash.String()[:12]
	c := s.c
	for _, m := range secrets.Scan(cm.Message) {
		c.res.Findings = append(c.res.Findings, docket.Finding{Path: "commit " + id, Line: m.Line, Col: m.Col,
			Message: fmt.Sprintf("the message of commit %s contains what looks like %s; it stays in the history merging would bring in: reword the commit (git rebase -i), push again, and revoke it", id, secrets.Named(m.Kind))})
	}
	// The names and e-mail addresses of a commit's author and committer are merged too.
	for _, who := range []struct{ role, text string }{
		{"author's name", cm.Author.Name}, {"author's e-mail address", cm.Author.Email},
		{"committer's name", cm.Committer.Name}, {"committer's e-mail address", cm.Committer.Email},
	} {
		for _, m := range secrets.Scan(who.text) {
			c.res.Findings = append(c.res.Findings, docket.Finding{Path: "commit " + id, Line: 1, Col: 1,
				Message: fmt.Sprintf("the %s of commit %s contains what looks like %s; it stays in the history merging would bring in: fix it (git commit --amend --reset-author, or git rebase), push again, and revoke it", who.role, id, secrets.Named(m.Kind))})
		}
	}
	tree, err := cm.Tree()
	if err != nil {
		return fmt.Errorf("reading commit %s: %w", id, err)
	}
	pcs, err := cm.Parents()
	if err != nil {
		return fmt.Errorf("reading the parents of commit %s: %w", id, err)
	}
	parents := make([]*gitrepo.Tree, len(pcs))
	for i, p := range pcs {
		if parents[i], err = p.Tree(); err != nil {
			return fmt.Errorf("reading the parents of commit %s: %w", id, err)
		}
	}
	var first *gitrepo.Tree // a root commit adds everything
	if len(parents) > 0 {
		first = parents[0]
	}
	changes, err := gitrepo.Diff(first, tree)
	if err != nil {
		return err
	}
	for _, d := range changes {
		if !d.To.Exists() || d.To.Mode == gitrepo.Submodule {
			continue
		}
		before := make([]gitrepo.Entry, len(parents))
		took, isNew := false, true
		for i, p := range parents {
			before[i] = gitrepo.EntryAt(p, d.Path)
			took = took || (i > 0 && before[i].Hash == d.To.Hash)
			isNew = isNew && !before[i].Exists()
		}
		if took {
			continue // a merge that took the file as another parent had it adds nothing to it
		}
		now := gitrepo.EntryAt(c.headTree, d.Path)
		if isNew && !now.Exists() {
			for _, m := range secrets.Scan(d.Path) {
				if key := d.Path + "\x00name"; !s.reported[key] {
					s.reported[key] = true
					c.refuse(d.Path, nil, "commit %s added a file whose name contains what looks like %s; a later commit renamed or removed it, but it stays in the history merging would bring in: rewrite the branch without it (or open a new pull request) and revoke it", id, secrets.Named(m.Kind))
				}
			}
		}
		b, err := s.scan(d.Path, d.To.Hash)
		if err != nil {
			return err
		}
		if b.size > maxBlob {
			s.tooLarge(d.Path, id, b.size)
			continue
		}
		if len(b.hits) == 0 {
			continue
		}
		had := map[string]bool{}
		for _, e := range append(before, now) {
			set, err := s.lines(e)
			if err != nil {
				return err
			}
			for l := range set {
				had[l] = true
			}
		}
		for _, h := range b.hits {
			key := d.Path + "\x00" + h.text
			if had[h.text] || s.reported[key] {
				continue // not added here, still in the last commit, or already said
			}
			s.reported[key] = true
			c.res.Findings = append(c.res.Findings, docket.Finding{Path: d.Path, Line: 1, Col: 1,
				Message: fmt.Sprintf("commit %s added what looks like %s on line %d; a later commit removed it, but it stays in the history merging would bring in: rewrite the branch without it (or open a new pull request) and revoke it",
					id, secrets.Named(h.kind), h.line)})
		}
	}
	return nil
}

// tooLarge refuses a file too large to scan, once per path.
func (s *secretScan) tooLarge(path, commit string, size int64) {
	key := path + "\x00too large"
	if s.reported[key] {
		return
	}
	s.reported[key] = true
	where := "this file is"
	if commit != "" {
		where = "commit " + commit + " added a version of this file that is"
	}
	s.c.refuse(path, nil, "%s larger than %d MiB, more than docket scans for secrets, so it cannot be checked; large files do not belong in this repository: remove it from every commit of this pull request", where, maxBlob>>20)
}

// findSecrets returns the secrets in a file, by line, from every reading of it that texts makes.
func findSecrets(data []byte) []lineHit {
	var out []lineHit
	type at struct {
		line int
		kind string
	}
	seen := map[at]bool{}
	for _, t := range texts(data) {
		matches := secrets.Scan(t)
		if len(matches) == 0 {
			continue
		}
		lines := strings.Split(t, "\n")
		for _, m := range matches {
			if seen[at{m.Line, m.Kind}] {
				continue // the same secret, read another way
			}
			seen[at{m.Line, m.Kind}] = true
			out = append(out, lineHit{m.Line, m.Col, m.Kind, strings.TrimSuffix(lines[m.Line-1], "\r")})
		}
	}
	return out
}

// texts returns the readings of a file that are scanned for secrets, so that no encoding hides
// one: the text decoded from UTF-16 when the file starts with a byte order mark (little or big
// endian); the file byte for byte, as it is, so that invalid UTF-8 and binary files are scanned
// too (secrets are ASCII, and a file that only starts like UTF-16 is read as it is as well); and,
// when the file has NUL bytes, the same with them removed, which is how UTF-16 (or UTF-32) text
// without a byte order mark reads. A UTF-8 byte order mark is dropped.
func texts(data []byte) []string {
	var out []string
	switch {
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}):
		out = append(out, decodeUTF16(data[2:], binary.LittleEndian))
	case bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		out = append(out, decodeUTF16(data[2:], binary.BigEndian))
	}
	data = bytes.TrimPrefix(data, []byte{0xef, 0xbb, 0xbf})
	out = append(out, string(data))
	if bytes.IndexByte(data, 0) >= 0 {
		out = append(out, string(bytes.ReplaceAll(data, []byte{0}, nil)))
	}
	return out
}

func decodeUTF16(data []byte, order binary.ByteOrder) string {
	units := make([]uint16, len(data)/2)
	for i := range units {
		units[i] = order.Uint16(data[2*i:])
	}
	return string(utf16.Decode(units))
}
