package website

import (
	"bufio"
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
	// The path is never cleaned as text: "link/.." means what the kernel makes of it, the
	// parent of where link points, not the folder link sits in.
	raw := out
	if !filepath.IsAbs(raw) {
		wd, err := os.Getwd()
		if err != nil {
			return fmt.Errorf("--out %s: %w", out, err)
		}
		raw = wd + string(filepath.Separator) + out
	}
	if fi, err := os.Lstat(trimSeparators(raw)); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
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
	// Follow the path one name at a time, as the kernel does: no name on the way may be a
	// symbolic link that sits inside the repository.
	sep := string(filepath.Separator)
	at := ""
	for i, name := range strings.Split(raw, sep) {
		switch {
		case i == 0:
			at = name + sep // "" on Unix, a volume name on Windows
			continue
		case name == "" || name == ".":
			continue
		}
		next := at + name
		if name != ".." {
			if fi, err := os.Lstat(next); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
				if dir, err := filepath.EvalSymlinks(at); err != nil || within(realRepo, dir) {
					return fmt.Errorf("%w: --out %s goes through the symbolic link %s in the repository; give a real folder", ErrUnsafeOut, out, next)
				}
			}
		}
		at = next + sep
	}
	realOut := resolveExisting(raw)
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

// trimSeparators drops trailing separators, so that Lstat looks at a link rather than through
// it ("_site/" names the folder a link points to).
func trimSeparators(p string) string {
	if t := strings.TrimRight(p, string(filepath.Separator)); t != "" {
		return t
	}
	return p
}

// within reports whether p is dir or inside it.
func within(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// resolveExisting returns where the path p (absolute, not cleaned) leads: the real path of its
// longest existing prefix, taken name by name as the kernel does, with the rest appended.
func resolveExisting(p string) string {
	sep := string(filepath.Separator)
	names := strings.Split(p, sep)
	for n := len(names); n > 0; n-- {
		prefix := strings.Join(names[:n], sep)
		if prefix == "" {
			prefix = sep
		}
		if real, err := filepath.EvalSymlinks(prefix); err == nil {
			return filepath.Join(append([]string{real}, names[n:]...)...)
		}
	}
	return filepath.Clean(p)
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

// outWriter writes the files of a site into the folder prepareOut made, marked and emptied.
// It uses plain paths below that folder's real path rather than an os.Root: a root resolves
// every name one openat at a time (four system calls for requests/<id>/index.html), which was
// a third of a large build's time. Nothing else writes there during a build, every name is
// the site's own (request ids are checked by validation), each folder is made by Mkdir, which
// never follows a link, and each file is created with O_EXCL, which refuses anything already
// there, a symbolic link included.
type outWriter struct {
	dir  string   // the output folder's real, absolute path
	dirs sync.Map // folders made so far, by their path in the site
}

func newOutWriter(out string) (*outWriter, error) {
	abs, err := filepath.Abs(out)
	if err == nil {
		abs, err = filepath.EvalSymlinks(abs)
	}
	if err != nil {
		return nil, err
	}
	return &outWriter{dir: abs}, nil
}

// mkdir makes the folder p (a path in the site) and its parents, once each.
func (o *outWriter) mkdir(p string) error {
	if p == "." {
		return nil
	}
	if _, ok := o.dirs.Load(p); ok {
		return nil
	}
	if err := o.mkdir(path.Dir(p)); err != nil {
		return err
	}
	full := filepath.Join(o.dir, filepath.FromSlash(p))
	if err := os.Mkdir(full, 0o755); err != nil {
		// Another worker may have made it first; anything but a real folder is refused.
		fi, lerr := os.Lstat(full)
		if lerr != nil || !fi.IsDir() {
			return err
		}
	}
	o.dirs.Store(p, true)
	return nil
}

// write renders one job into its file through bw.
func (o *outWriter) write(j job, bw *bufio.Writer) error {
	if err := o.mkdir(path.Dir(j.path)); err != nil {
		return err
	}
	name := filepath.Join(o.dir, filepath.FromSlash(j.path))
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	bw.Reset(f)
	err = j.render(bw)
	if err == nil {
		err = bw.Flush()
	}
	bw.Reset(nil)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name) // no half-written page is left behind (the build fails)
	}
	return err
}
