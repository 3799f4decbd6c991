package main

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/opendata-docket/docket/internal/docket"
)

// env is an environment for parse*Args: a map read as os.Getenv reads the real one.
func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// parseCase is a command line, an environment, and what parsing them gives: the options, bad
// usage with a message ("" for any), or another failure.
type parseCase[T any] struct {
	name  string
	args  []string
	env   map[string]string
	want  *T
	usage string // the *usageError's message
	fail  bool   // an error that is not bad usage
}

func runParseCases[T any](t *testing.T, parse func([]string, func(string) string) (*T, error), tests []parseCase[T]) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parse(tt.args, env(tt.env))
			var ue *usageError
			switch {
			case tt.want != nil:
				if err != nil {
					t.Fatalf("error: %v", err)
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Errorf("got  %+v\nwant %+v", got, tt.want)
				}
			case tt.fail:
				if err == nil || errors.As(err, &ue) {
					t.Errorf("error %v (%T), want a failure that is not bad usage", err, err)
				}
			default:
				if !errors.As(err, &ue) {
					t.Fatalf("error %v (%T), want bad usage", err, err)
				}
				if tt.usage != "" && ue.msg != tt.usage {
					t.Errorf("message %q, want %q", ue.msg, tt.usage)
				}
			}
		})
	}
}

// parseCheckArgs reads the flags, the event and the environment into one value, and refuses a
// command line that cannot be acted on before any work, as peribolos' parseArgs does.
func TestParseCheckArgs(t *testing.T) {
	event := filepath.Join(t.TempDir(), "event.json")
	payload := `{"pull_request": {"number": 7, "base": {"sha": "b0", "ref": "main"}, "head": {"sha": "h0"}, "user": {"login": "maria"}}}`
	if err := os.WriteFile(event, []byte(payload), 0o644); err != nil {
		t.Fatal(err)
	}
	day := mustDate(t, "2026-11-27")
	base := map[string]string{asOfEnv: "2026-11-27"}
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	github := githubEnv{token: "t0ken", repository: "kcmo/requests"}
	tests := []parseCase[checkOptions]{{
		name: "flags",
		args: []string{"--repo", "r", "--base", "main", "--head", "pr", "--actor", "maria", "--pr", "9", "--summary", "s.md", "--report", "out.json"},
		env:  base,
		want: &checkOptions{pullRequestCheck: pullRequestCheck{dir: "r", base: "main", head: "pr", actor: "maria", pr: 9, today: day},
			format: "text", summaries: []string{"s.md"}, reportPath: "out.json"},
	}, {
		name: "the event fills in what the flags leave out",
		args: []string{"--repo", "r", "--head", "mine"},
		env:  with("GITHUB_EVENT_PATH", event, "GITHUB_STEP_SUMMARY", "step.md", "GITHUB_ACTIONS", "true"),
		want: &checkOptions{pullRequestCheck: pullRequestCheck{dir: "r", base: "b0", baseBranch: "main", head: "mine", actor: "maria", pr: 7, today: day},
			format: "text", summaries: []string{"step.md"}, inActions: true},
	}, {
		name: "a --base given is not replaced by the branch",
		args: []string{"--repo", "r", "--base", "old"},
		env:  with("GITHUB_EVENT_PATH", event),
		want: &checkOptions{pullRequestCheck: pullRequestCheck{dir: "r", base: "old", head: "h0", actor: "maria", pr: 7, today: day}, format: "text"},
	}, {
		name: "comment",
		args: []string{"--repo", "r", "--base", "main", "--head", "pr", "--actor", "maria", "--pr", "9", "--comment", "--dry-run", "--format", "json"},
		env:  with("GITHUB_TOKEN", "t0ken", "GITHUB_REPOSITORY", "kcmo/requests"),
		want: &checkOptions{pullRequestCheck: pullRequestCheck{dir: "r", base: "main", head: "pr", actor: "maria", pr: 9, today: day},
			format: "json", comment: true, dryRun: true, github: github},
	}, {
		name:  "missing revisions",
		args:  []string{"--repo", "r", "--actor", "maria"},
		env:   base,
		usage: "--base, --head not given, and there is no pull_request event to read it from",
	}, {
		name:  "--comment without --pr",
		args:  []string{"--base", "main", "--head", "pr", "--actor", "maria", "--comment", "--summary", "s.md"},
		env:   with("GITHUB_TOKEN", "t0ken", "GITHUB_REPOSITORY", "kcmo/requests"),
		usage: "--comment needs the pull request's number (--pr)",
	}, {
		name:  "--dry-run without --comment",
		args:  []string{"--base", "main", "--head", "pr", "--actor", "maria", "--dry-run"},
		env:   base,
		usage: "--dry-run goes with --comment",
	}, {
		name: "--comment without a token",
		args: []string{"--base", "main", "--head", "pr", "--actor", "maria", "--pr", "9", "--comment"},
		env:  base,
		fail: true,
	}, {
		name:  "unknown format",
		args:  []string{"--base", "main", "--head", "pr", "--actor", "maria", "--format", "xml"},
		env:   base,
		usage: `unknown --format "xml": use one of text, github, json`,
	}, {
		name:  "bad day",
		args:  []string{"--base", "main", "--head", "pr", "--actor", "maria"},
		env:   with(asOfEnv, "2026-13-01"),
		usage: "",
	}, {
		name:  "an argument",
		args:  []string{"main"},
		env:   base,
		usage: `unexpected argument "main"`,
	}, {
		name: "an event that cannot be read",
		args: []string{"--repo", "r"},
		env:  with("GITHUB_EVENT_PATH", filepath.Join(t.TempDir(), "missing.json")),
		fail: true,
	}}
	runParseCases(t, parseCheckArgs, tests)
	if _, err := parseCheckArgs([]string{"-h"}, env(base)); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h: %v", err)
	}
}

func TestParseCommentArgs(t *testing.T) {
	day := mustDate(t, "2026-11-27")
	gh := map[string]string{asOfEnv: "2026-11-27", "GITHUB_TOKEN": "t0ken", "GITHUB_REPOSITORY": "kcmo/requests", "GITHUB_REF_NAME": "main"}
	github := githubEnv{token: "t0ken", repository: "kcmo/requests"}
	tests := []parseCase[commentOptions]{{
		name: "a pull request",
		args: []string{"--repo", "r", "--head-sha", "abc", "--pr", "7", "--dry-run"},
		env:  gh,
		want: &commentOptions{headSHA: "abc", pr: 7, branch: "main", dir: "r", dryRun: true, today: day, github: github},
	}, {
		name: "recheck",
		args: []string{"--repo", "r", "--recheck", "--before", "b0"},
		env:  gh,
		want: &commentOptions{recheck: true, before: "b0", branch: "main", dir: "r", today: day, github: github},
	}, {
		name:  "recheck with a pull request",
		args:  []string{"--recheck", "--before", "b0", "--pr", "7"},
		env:   gh,
		usage: "--recheck goes with --before and --branch, not with --head-sha, --pr or --report",
	}, {
		name:  "recheck without --before",
		args:  []string{"--recheck"},
		env:   gh,
		usage: "--recheck needs --before and --branch",
	}, {
		name:  "both --pr and --report",
		args:  []string{"--head-sha", "abc", "--pr", "7", "--report", "r.json"},
		env:   gh,
		usage: "give --head-sha, and either --pr or --report",
	}, {
		name: "no token",
		args: []string{"--head-sha", "abc", "--pr", "7"},
		env:  map[string]string{asOfEnv: "2026-11-27"},
		fail: true,
	}}
	runParseCases(t, parseCommentArgs, tests)
}

func mustDate(t *testing.T, s string) docket.Date {
	t.Helper()
	d, err := docket.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
