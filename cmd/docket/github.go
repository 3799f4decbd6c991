package main

import (
	"os"

	"github.com/opendata-docket/docket/internal/gh"
)

// githubEnv is how docket reaches GitHub, as Actions describes it in the environment. A command
// reads it once, with its flags, before any work.
type githubEnv struct {
	token      string // GITHUB_TOKEN
	repository string // GITHUB_REPOSITORY, owner/name
	apiURL     string // GITHUB_API_URL; empty means github.com
}

// readGitHubEnv reads GITHUB_TOKEN, GITHUB_REPOSITORY and GITHUB_API_URL through getenv.
func readGitHubEnv(getenv func(string) string) githubEnv {
	return githubEnv{token: getenv("GITHUB_TOKEN"), repository: getenv("GITHUB_REPOSITORY"), apiURL: getenv("GITHUB_API_URL")}
}

// set reports whether both the token and the repository are given.
func (e githubEnv) set() bool { return e.token != "" && e.repository != "" }

// client returns a client whose dry-run mode is fixed now, or nil when the token or the
// repository is missing. The error is a repository that is not owner/name or a bad API address.
func (e githubEnv) client(dryRun bool) (*gh.Client, error) {
	if !e.set() {
		return nil, nil
	}
	return gh.New(e.token, e.repository, e.apiURL, dryRun)
}

// githubClient returns a client for the GitHub the environment names, as githubEnv.client does.
func githubClient(dryRun bool) (*gh.Client, error) {
	return readGitHubEnv(os.Getenv).client(dryRun)
}
