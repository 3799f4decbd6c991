// Package state keeps the files docket carries from one run to the next (the key registry,
// keys.json, and the provision run record) behind one small interface with two backends: a
// folder, for local runs and tests (docket provision --state DIR), and a branch of the
// repository (docket-state by default) committed and pushed with go-git, which only the
// publish workflow writes. Dry runs are enforced here, at the boundary: a backend made with
// DryRun reads as usual and writes nothing.
package state

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
)

// Backend reads and writes state files by name (a plain file name, like keys.json).
type Backend interface {
	// Read returns a file's content, or an error wrapping fs.ErrNotExist when there is none.
	Read(ctx context.Context, name string) ([]byte, error)
	// Write stores files (name → content) with a message saying why. Each file is replaced
	// whole or not at all; a reader never sees half a file.
	Write(ctx context.Context, files map[string][]byte, message string) error
	// String says where the state is, for messages.
	String() string
}

var fileName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

func checkName(name string) error {
	if !fileName.MatchString(name) {
		return fmt.Errorf("state file name %q: want a plain file name", name)
	}
	return nil
}

// sortedNames returns the names of files in order, so writes happen in a fixed order.
func sortedNames(files map[string][]byte) []string {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Dir keeps state files in a folder.
type Dir struct {
	Path   string
	DryRun bool
}

func (d *Dir) String() string { return d.Path }

// Read reads a file from the folder.
func (d *Dir) Read(_ context.Context, name string) ([]byte, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	data, err := os.ReadFile(filepath.Join(d.Path, name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", filepath.Join(d.Path, name), fs.ErrNotExist)
	}
	return data, err
}

// Write replaces each file through a temporary file and a rename, synced to disk, so a crash
// leaves either the old file or the new one. The folder is created if needed.
func (d *Dir) Write(_ context.Context, files map[string][]byte, _ string) error {
	for _, n := range sortedNames(files) {
		if err := checkName(n); err != nil {
			return err
		}
	}
	if d.DryRun {
		return nil
	}
	if err := os.MkdirAll(d.Path, 0o755); err != nil {
		return fmt.Errorf("making the state folder: %w", err)
	}
	for _, n := range sortedNames(files) {
		if err := WriteFileAtomic(filepath.Join(d.Path, n), files[n], 0o644); err != nil {
			return err
		}
	}
	return nil
}

// WriteFileAtomic writes data to path through a temporary file in the same folder, synced and
// renamed into place, then syncs the folder: a crash leaves the old file or the new one.
func WriteFileAtomic(path string, data []byte, perm fs.FileMode) error {
	return writeFile(path, data, perm, false)
}

// WriteFileNew is WriteFileAtomic for a file that must not exist yet: the temporary file is
// linked into place, which fails (with an error wrapping fs.ErrExist) rather than replace a file
// that appeared meanwhile. A delivered key's file is written this way: it is never overwritten.
func WriteFileNew(path string, data []byte, perm fs.FileMode) error {
	return writeFile(path, data, perm, true)
}

func writeFile(path string, data []byte, perm fs.FileMode, noClobber bool) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename, there is nothing to remove; after a link, the name only
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if noClobber {
		if err := os.Link(tmp.Name(), path); err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
	} else if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if f, err := os.Open(dir); err == nil {
		f.Sync() // best effort: not every file system syncs folders
		f.Close()
	}
	return nil
}
