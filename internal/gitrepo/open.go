package gitrepo

import "github.com/go-git/go-git/v5"

// Open opens the git repository that dir is in (dir or a folder above it, as git finds it),
// including a linked work tree's shared repository.
func Open(dir string) (*git.Repository, error) {
	return git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
}
