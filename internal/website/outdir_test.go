package website

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every placement of a symbolic link that could turn the output folder into the repository
// (or a folder outside the build) is refused, and so are the repository, a folder that
// contains it and its .git folder. Real folders, inside or outside the repository, are fine.
func TestCheckOutRefusesEveryLinkPlacement(t *testing.T) {
	top := t.TempDir()
	repoDir := filepath.Join(top, "repo")
	elsewhere := filepath.Join(top, "elsewhere")
	for _, d := range []string{repoDir + "/.git", repoDir + "/requests/x", repoDir + "/real", elsewhere} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	links := map[string]string{
		"repo/_site":        ".",
		"repo/up":           "..",
		"repo/abs":          repoDir,
		"repo/out-there":    elsewhere,
		"repo/via":          "requests",
		"repo/real/nested":  "../..",
		"repo/dangling":     "nowhere",
		"linked-repo":       "repo",
		"outside-link":      "elsewhere",
		"outside-to-repo":   "repo",
		"repo/git-link":     ".git",
		"repo/real/to-git":  "../.git",
		"repo/chain-a":      "chain-b",
		"repo/chain-b":      ".",
		"elsewhere/to-repo": "../repo",
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(top, name)); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		repo, out string
		refused   bool
	}{
		{"repo", "repo/_site", true},
		{"repo", "repo/_site/sub", true},
		{"repo", "repo/up", true},
		{"repo", "repo/abs/site", true},
		{"repo", "repo/out-there", true},
		{"repo", "repo/out-there/site", true},
		{"repo", "repo/via/site", true},
		{"repo", "repo/real/nested/site", true},
		{"repo", "repo/dangling", true},
		{"repo", "repo/chain-a", true},
		{"repo", "repo/git-link/site", true},
		{"repo", "repo/real/to-git", true},
		{"repo", "repo", true},
		{"repo", "repo/requests/..", true},
		{"repo", top, true},
		{"repo", "repo/.git", true},
		{"repo", "repo/.git/site", true},
		{"linked-repo", "linked-repo/_site", true},
		{"linked-repo", "repo", true},
		{"repo", "outside-to-repo", true},
		{"repo", "elsewhere/to-repo/site", false}, // the same as repo/site: the user's own link
		{"repo", "outside-link", true},            // the folder itself is a link
		{"repo", "repo/out-there/../site", true},
		{"repo", "repo/via/../../site", true},
		{"repo", "repo/_site/", true},
		{"repo", "repo/_site/.", true},
		{"repo", "repo/real/nested/../x", true},
		// Fine: real folders, and links outside the repository on the way.
		{"repo", "repo/_site2", false},
		{"repo", "repo/real/../site", false},
		{"repo", "repo/./real//site", false},
		{"repo", "repo/real/../site", false},
		{"repo", "repo/./real//site", false},
		{"repo", "repo/real", false},
		{"repo", "repo/real/site", false},
		{"repo", "elsewhere/site", false},
		{"repo", "outside-link/site", false},
		{"linked-repo", "elsewhere", false},
	}
	for _, tt := range tests {
		rel := func(p string) string {
			if filepath.IsAbs(p) {
				return p
			}
			return top + string(filepath.Separator) + p // not cleaned: ".." must mean what the kernel makes of it
		}
		err := CheckOut(rel(tt.repo), rel(tt.out))
		if tt.refused != (err != nil) {
			t.Errorf("CheckOut(%s, %s) = %v; refused %v", tt.repo, tt.out, err, tt.refused)
		}
		if err != nil && !errors.Is(err, ErrUnsafeOut) {
			t.Errorf("CheckOut(%s, %s) = %v; not ErrUnsafeOut", tt.repo, tt.out, err)
		}
	}
}

// Emptying an earlier build never follows a link inside it: the link goes, what it points to
// stays.
func TestPrepareOutNeverFollowsLinks(t *testing.T) {
	top := t.TempDir()
	out := filepath.Join(top, "site")
	keep := filepath.Join(top, "keep")
	if err := os.MkdirAll(filepath.Join(out, "requests"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(keep, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{filepath.Join(out, marker), filepath.Join(keep, "precious.txt")} {
		if err := os.WriteFile(f, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, l := range []string{filepath.Join(out, "link"), filepath.Join(out, "requests", "deep")} {
		if err := os.Symlink(keep, l); err != nil {
			t.Fatal(err)
		}
	}
	root, err := prepareOut(out)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	if _, err := os.Stat(filepath.Join(keep, "precious.txt")); err != nil {
		t.Errorf("emptying followed a link: %v", err)
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 1 || entries[0].Name() != marker {
		t.Errorf("after emptying, %s holds %v", out, entries)
	}
	// Writes go through the root: a name that climbs out is refused.
	if err := root.WriteFile("../escaped.txt", []byte("x"), 0o644); err == nil {
		t.Error("a write escaped the output folder")
	}

	// A marker that is itself a link does not mark the folder.
	other := filepath.Join(top, "other")
	if err := os.MkdirAll(other, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(other, "data"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(out, marker), filepath.Join(other, marker)); err != nil {
		t.Fatal(err)
	}
	if _, err := prepareOut(other); err == nil || !strings.Contains(err.Error(), "was not made by docket build") {
		t.Errorf("a linked marker was trusted: %v", err)
	}
	if _, err := os.Stat(filepath.Join(other, "data")); err != nil {
		t.Error("a folder with a linked marker was emptied")
	}
}
