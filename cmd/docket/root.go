package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

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

// explainNoRepo rewords the finding that the configuration file is missing when dir, the
// folder docket read, is in no repository at all: then the cause is where docket was run, and
// the message says which folder was searched and what marks a repository.
func explainNoRepo(dir string, findings []docket.Finding) []docket.Finding {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return findings
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	if _, ok := findUp(abs, ".git"); ok {
		return findings
	}
	if _, ok := findUp(abs, filepath.FromSlash(docket.ConfigPath)); ok {
		return findings
	}
	for i, f := range findings {
		if f.Path == docket.ConfigPath && strings.HasPrefix(f.Message, "configuration file is missing; docket needs it") {
			findings[i].Message = fmt.Sprintf("configuration file is missing: no docket repository was found in %s or any folder above it (none holds .git or .github/docket.yml); run docket inside the repository, or give its folder with --repo", abs)
		}
	}
	return findings
}
