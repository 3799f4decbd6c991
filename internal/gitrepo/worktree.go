package gitrepo

import (
	"bufio"
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Uncommitted lists the paths under dir (a slash-separated folder of the repository) whose
// content in the work tree differs from the commit checked out (HEAD): changed, added and not
// ignored, or deleted. docket check compares commits, so a requester who has not committed
// their change would otherwise see it pass without it being checked. A bare repository, or one
// with nothing checked out, has nothing uncommitted.
func (repo *Repo) Uncommitted(dir string) ([]string, error) {
	r := repo.g
	wt, err := r.Worktree()
	if errors.Is(err, git.ErrIsBareRepository) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	head, err := r.Head()
	if err != nil {
		return nil, nil // nothing checked out yet
	}
	c, err := r.CommitObject(head.Hash())
	if err != nil {
		return nil, err
	}
	committed := map[string]plumbing.Hash{}
	if t, err := c.Tree(); err != nil {
		return nil, err
	} else if sub, err := t.Tree(dir); err == nil {
		w := object.NewTreeWalker(sub, true, nil)
		defer w.Close()
		for {
			name, e, err := w.Next()
			if err != nil {
				break
			}
			if e.Mode != filemode.Dir && e.Mode != filemode.Submodule {
				committed[dir+"/"+name] = e.Hash
			}
		}
	}

	root := wt.Filesystem.Root()
	ignore := ignoreFile(filepath.Join(root, ".git", "info", "exclude"), nil)
	ignore = append(ignore, ignoreFile(filepath.Join(root, ".gitignore"), nil)...)
	var out []string
	seen := map[string]bool{}
	err = filepath.WalkDir(filepath.Join(root, filepath.FromSlash(dir)), func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		parts := strings.Split(rel, "/")
		if gitignore.NewMatcher(ignore).Match(parts, d.IsDir()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			if _, tracked := committed[rel]; !tracked {
				return nil
			}
		}
		if d.IsDir() {
			ignore = append(ignore, ignoreFile(filepath.Join(p, ".gitignore"), parts)...)
			return nil
		}
		seen[rel] = true
		var data []byte
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			data = []byte(filepath.ToSlash(target))
		case d.Type().IsRegular():
			if data, err = os.ReadFile(p); err != nil {
				return err
			}
		default:
			return nil
		}
		if h, ok := committed[rel]; !ok || h != plumbing.ComputeHash(plumbing.BlobObject, data) {
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for p := range committed {
		if !seen[p] {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out, nil
}

// ignoreFile reads the patterns of a .gitignore file, for paths under domain.
func ignoreFile(name string, domain []string) []gitignore.Pattern {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil
	}
	var ps []gitignore.Pattern
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if line := sc.Text(); !strings.HasPrefix(line, "#") && strings.TrimSpace(line) != "" {
			ps = append(ps, gitignore.ParsePattern(line, slices.Clone(domain)))
		}
	}
	return ps
}
