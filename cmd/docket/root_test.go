package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFindRoot(t *testing.T) {
	top := t.TempDir()
	mk := func(p string, dir bool) {
		p = filepath.Join(top, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if dir {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			return
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mk("git/.git", true)
	mk("git/.github/docket.yml", false)
	mk("git/requests/feed", true)
	mk("git/nested/.github/docket.yml", false) // .git above wins, as for git itself
	mk("git/nested/requests/x", true)
	mk("worktree/.git", false) // a worktree or submodule: .git is a file
	mk("worktree/requests/y", true)
	mk("plain/.github/docket.yml", false) // a copy without history
	mk("plain/requests/z", true)
	mk("none/requests/w", true)
	tests := []struct{ from, want string }{
		{"git", "."},
		{"git/requests/feed", "../.."},
		{"git/nested/requests/x", "../../.."},
		{"worktree/requests/y", "../.."},
		{"plain/requests/z", "../.."},
		{"plain", "."},
	}
	for _, tt := range tests {
		if got := findRoot(filepath.Join(top, filepath.FromSlash(tt.from))); got != filepath.FromSlash(tt.want) {
			t.Errorf("findRoot(%s) = %q, want %q", tt.from, got, tt.want)
		}
	}
	// Outside any repository: the current folder, where docket says what is missing. (The
	// temporary folder may itself be inside a repository; only check when it is not.)
	if _, ok := findUp(top, ".git"); !ok {
		if _, ok := findUp(top, filepath.Join(".github", "docket.yml")); !ok {
			if got := findRoot(filepath.Join(top, "none", "requests", "w")); got != "." {
				t.Errorf("findRoot outside a repository = %q, want .", got)
			}
		}
	}
}

// From inside a linked folder, the repository is found as git finds it: above where the link
// points, not above the folder the link sits in.
func TestRepoRootFollowsTheFolderOnDisk(t *testing.T) {
	top, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"repo/.git", "outside/.git", "outside/inner"} {
		if err := os.MkdirAll(filepath.Join(top, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(top, "outside", "inner"), filepath.Join(top, "repo", "link")); err != nil {
		t.Fatal(err)
	}
	logical := filepath.Join(top, "repo", "link")
	t.Chdir(logical)
	t.Setenv("PWD", logical) // as a shell that walked through the link would
	if got, want := repoRoot(), filepath.Join(top, "outside"); got != want {
		t.Errorf("repoRoot() = %q, want %q", got, want)
	}
}
