package main

import (
	"context"
	"github.com/opendata-docket/docket/internal/docket/dockettest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/opendata-docket/docket/internal/gitrepo/gittest"
	"github.com/rogpeppe/go-internal/testscript"
)

// testDay is the day every test in this package runs as of, so that no result depends on the
// day the tests run. A scenario about dates says --as-of itself.
const testDay = "2026-11-27"

func TestMain(m *testing.M) {
	// The tests that call run directly see testDay; scenarios get it from Setup, and a command
	// a scenario runs (this binary again) keeps the day the scenario set.
	if _, ok := os.LookupEnv(asOfEnv); !ok {
		os.Setenv(asOfEnv, testDay)
	}
	testscript.Main(m, map[string]func(){
		"docket": func() { os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the CLI scenarios in testdata/script: one user story a file, with the exact
// messages a user sees. A scenario that writes no .github/docket.yml gets dockettest.Config,
// unless it has a file named no-config.
func TestScripts(t *testing.T) {
	config := []byte(dockettest.Config)
	testscript.Run(t, testscript.Params{
		Dir:  filepath.Join("testdata", "script"),
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){"gitcommit": gitCommit, "gitcommitid": gitCommitID, "gitmerge": gitMerge, "gitempty": gitEmpty, "githead": gitHead, "putsecret": putSecret, "noleak": noLeak, "encode": encode, "mvquoted": moveQuoted, "agekeygen": ageKeygen, "keyopen": keyOpen, "nokey": noKey, "keyleak": keyLeak, "gitblob": gitBlob, "gitcommitat": gitCommitAt, "ledgerpr": ledgerPR, "fakepulls": fakePulls, "fixture": fixture},
		Setup: func(env *testscript.Env) error {
			env.Setenv(asOfEnv, testDay)
			p := filepath.Join(env.WorkDir, ".github", "docket.yml")
			for _, skip := range []string{p, filepath.Join(env.WorkDir, "no-config")} {
				if _, err := os.Lstat(skip); err == nil {
					return nil
				}
			}
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			return os.WriteFile(p, config, 0o644)
		},
	})
}

// gitCommit is the testscript command "gitcommit DIR BRANCH [PARENT]": it commits the files
// now in DIR (a repository is created there if needed) as the whole tree of a new commit on
// BRANCH, whose parent is the tip of PARENT. Executable bits and symbolic links are kept.
func gitCommit(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 || len(args) > 3 {
		ts.Fatalf("usage: gitcommit DIR BRANCH [PARENT]")
	}
	r, snap := openSnapshot(ts, args[0])
	var parents []plumbing.Hash
	if len(args) == 3 {
		ref, err := r.Reference(plumbing.NewBranchReferenceName(args[2]), true)
		ts.Check(err)
		parents = append(parents, ref.Hash())
	}
	n := nextCommit(ts)
	when := time.Date(2026, 11, 1, 9, n, 0, 0, time.UTC)
	_, err := gittest.Commit(r, args[1], snap, when, "commit "+strconv.Itoa(n), parents...)
	ts.Check(err)
}

// nextCommit numbers the commits a scenario makes, for their times and messages. Each scenario
// counts its own, so scenarios running in parallel neither race on a counter nor depend on the
// order they ran in.
func nextCommit(ts *testscript.TestScript) int {
	n, _ := strconv.Atoi(ts.Getenv("DOCKET_TEST_COMMITS"))
	n++
	ts.Setenv("DOCKET_TEST_COMMITS", strconv.Itoa(n))
	return n
}
