package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"docket": func() { os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the CLI scenarios in testdata/script: one user story a file, with the exact
// messages a user sees. A scenario that writes no .github/docket.yml gets testdata/config.yml,
// unless it has a file named no-config.
func TestScripts(t *testing.T) {
	config, err := os.ReadFile(filepath.Join("testdata", "config.yml"))
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir: filepath.Join("testdata", "script"),
		Setup: func(env *testscript.Env) error {
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
