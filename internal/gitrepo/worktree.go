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
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
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
	if err := repo.blobsUnder(c.TreeHash, dir, committed); err != nil {
		return nil, err
	}
	// git's index keeps each file's size and modification time as it last hashed it: a file
	// whose size and time are still those, and whose hash there is HEAD's, has HEAD's content,
	// so it need not be read again (as git status does). A file changed within the same second
	// the index was written could keep its time, so such entries are read after all.
	type stat struct {
		hash plumbing.Hash
		size int64
		mod  time.Time
	}
	known := map[string]stat{}
	if idx, err := r.Storer.Index(); err == nil {
		written := time.Now()
		if fi, err := os.Stat(filepath.Join(wt.Filesystem.Root(), ".git", "index")); err == nil {
			written = fi.ModTime()
		}
		for _, e := range idx.Entries {
			if strings.HasPrefix(e.Name, dir+"/") && e.ModifiedAt.Before(written.Truncate(time.Second)) {
				known[e.Name] = stat{e.Hash, int64(e.Size), e.ModifiedAt}
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
			if k, ok := known[rel]; ok && k.hash == committed[rel] {
				if fi, err := d.Info(); err == nil && fi.Size() == k.size && fi.ModTime().Equal(k.mod) {
					return nil // as committed, by the index's word
				}
			}
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

// blobsUnder adds to out the hash of every file (not folder or submodule) under dir in the tree
// root, by its slash-separated path; nothing when dir is not in the tree. Trees are read raw
// (ReadObject), not decoded into go-git's objects.
func (repo *Repo) blobsUnder(root plumbing.Hash, dir string, out map[string]plumbing.Hash) error {
	h := root
	for _, name := range strings.Split(dir, "/") {
		tree, err := repo.ReadObject(TreeObject, Hash(h), MaxObjectSize)
		if err != nil {
			return err
		}
		e, ok := FindRaw(tree, name)
		if !ok || !e.Dir() {
			return nil
		}
		h = plumbing.Hash(e.Hash)
	}
	var walk func(h plumbing.Hash, prefix string) error
	walk = func(h plumbing.Hash, prefix string) error {
		tree, err := repo.ReadObject(TreeObject, Hash(h), MaxObjectSize)
		if err != nil {
			return err
		}
		it := &rawIter{b: tree}
		for it.next() {
			switch name := prefix + string(it.name); {
			case it.mode == Dir:
				if err := walk(plumbing.Hash(it.hash), name+"/"); err != nil {
					return err
				}
			case it.mode != Submodule:
				out[name] = plumbing.Hash(it.hash)
			}
		}
		return it.err
	}
	return walk(h, dir+"/")
}
