package main

import (
	"os"
	"path/filepath"

	"github.com/opendata-docket/docket/internal/docket"
)

// repoRoot is the default of every command's --repo: like git, docket works from any folder
// inside the repository. It is the nearest folder at or above the current one that holds .git
// (a folder, or the file a worktree or submodule has), or failing that the nearest that holds
// .github/docket.yml (a copy of the repository without its history). It is "." when the current
// folder is the root or there is none, so that docket then says what is missing where it runs;
// otherwise it is relative to the current folder (like ../..), which keeps messages short.
func repoRoot() string {
	wd, err := os.Getwd()
	if err != nil {
		return "."
	}
	// Like git, walk up the folders as they are on disk: from inside a linked folder, ".."
	// leads to where the link points, not to the folder the link sits in. os.Getwd may give
	// the path as the shell walked it ($PWD), links and all.
	real, err := filepath.EvalSymlinks(wd)
	if err != nil {
		return "."
	}
	root := findRoot(real)
	if real != wd && root != "." {
		// A path relative to the shell's idea of the current folder would be read differently
		// by filepath.Abs and by the kernel; an absolute one means the same to both.
		return filepath.Join(real, root)
	}
	return root
}

// findRoot is repoRoot from the folder wd.
func findRoot(wd string) string {
	for _, marker := range []string{".git", filepath.FromSlash(docket.ConfigPath)} {
		if root, ok := findUp(wd, marker); ok {
			if rel, err := filepath.Rel(wd, root); err == nil {
				return rel
			}
			return root
		}
	}
	return "."
}

// findUp returns the nearest folder at or above dir that holds name.
func findUp(dir, name string) (string, bool) {
	for {
		if _, err := os.Lstat(filepath.Join(dir, name)); err == nil {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}
