package website

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
)

// marker is the file that marks a folder as built by docket, so a rebuild may empty it.
const marker = ".docket-site"

// ErrUnsafeOut is wrapped by every refusal of an output folder.
var ErrUnsafeOut = errors.New("unsafe output folder")

// CheckOut refuses an output folder that a build must not empty or write into: one that is a
// symbolic link or is reached through one inside the repository in repoDir, one that is the
// repository, contains it, or lies in its .git folder. A pull request controls every path in
// the repository, so no path in it may decide what a build deletes (a committed link
// "_site -> ." plus a marker file would otherwise make a rebuild empty the repository).
// Symbolic links outside the repository (a system's /tmp, say) are the user's own and allowed.
// repoDir may be empty when the site is not built from a folder on disk.
func CheckOut(repoDir, out string) error {
	absOut, err := filepath.Abs(out)
	if err != nil {
		return fmt.Errorf("--out %s: %w", out, err)
	}
	if fi, err := os.Lstat(absOut); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		return fmt.Errorf("%w: --out %s is a symbolic link; give a real folder", ErrUnsafeOut, out)
	}
	if repoDir == "" {
		return nil
	}
	absRepo, err := filepath.Abs(repoDir)
	if err != nil {
		return fmt.Errorf("--repo %s: %w", repoDir, err)
	}
	realRepo, err := filepath.EvalSymlinks(absRepo)
	if err != nil {
		return fmt.Errorf("--repo %s: %w", repoDir, err)
	}
	// Every existing folder on the way to out that lies inside the repository must be a real
	// folder, not a link.
	for p := absOut; ; p = filepath.Dir(p) {
		if fi, err := os.Lstat(p); err == nil && fi.Mode()&fs.ModeSymlink != 0 && (within(absRepo, p) || within(realRepo, p)) {
			return fmt.Errorf("%w: --out %s goes through the symbolic link %s in the repository; give a real folder", ErrUnsafeOut, out, p)
		}
		if p == filepath.Dir(p) {
			break
		}
	}
	realOut := resolveExisting(absOut)
	switch {
	case realOut == realRepo:
		return fmt.Errorf("%w: --out %s is the repository itself; give a folder of its own, such as _site", ErrUnsafeOut, out)
	case within(realOut, realRepo):
		return fmt.Errorf("%w: --out %s contains the repository; give a folder of its own, such as _site", ErrUnsafeOut, out)
	case within(filepath.Join(realRepo, ".git"), realOut):
		return fmt.Errorf("%w: --out %s is inside the repository's .git folder; give a folder of its own, such as _site", ErrUnsafeOut, out)
	}
	return nil
}

// within reports whether p is dir or inside it.
func within(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// resolveExisting resolves the symbolic links of the longest existing prefix of the absolute
// path p and appends the rest as written.
func resolveExisting(p string) string {
	rest := ""
	for {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(real, rest)
		}
		parent := filepath.Dir(p)
		if parent == p {
			return filepath.Join(p, rest)
		}
		rest = filepath.Join(filepath.Base(p), rest)
		p = parent
	}
}

// prepareOut makes out an empty folder marked as docket's and returns it opened as a root:
// every later write goes through the root, which never leaves the folder, and emptying removes
// links themselves, never what they point to. A non-empty folder without the marker is refused.
func prepareOut(out string) (*os.Root, error) {
	if fi, err := os.Lstat(out); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		return nil, fmt.Errorf("%w: %s is a symbolic link; give a real folder", ErrUnsafeOut, out)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(out)
	if err != nil {
		return nil, err
	}
	entries, err := fs.ReadDir(root.FS(), ".")
	if err != nil {
		root.Close()
		return nil, fmt.Errorf("reading %s: %w", out, err)
	}
	if len(entries) > 0 {
		if fi, err := root.Lstat(marker); err != nil || !fi.Mode().IsRegular() {
			root.Close()
			return nil, fmt.Errorf("%s is not empty and was not made by docket build; choose another --out or empty it", out)
		}
		for _, e := range entries {
			if err := root.RemoveAll(e.Name()); err != nil {
				root.Close()
				return nil, fmt.Errorf("emptying %s: %w", out, err)
			}
		}
	}
	if err := root.WriteFile(marker, []byte("This folder is written by docket build and emptied by the next build.\n"), 0o644); err != nil {
		root.Close()
		return nil, err
	}
	return root, nil
}

// writeFile writes one file of the site below root, making its folders once.
func writeFile(root *os.Root, name string, b []byte, dirs *sync.Map) error {
	if dir := path.Dir(name); dir != "." {
		if _, ok := dirs.Load(dir); !ok {
			if err := root.MkdirAll(dir, 0o755); err != nil {
				return err
			}
			dirs.Store(dir, true)
		}
	}
	return root.WriteFile(name, b, 0o644)
}
