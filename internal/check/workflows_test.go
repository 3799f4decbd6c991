package check

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// workflow is the part of a GitHub Actions workflow these tests read.
type workflow struct {
	On          map[string]any `yaml:"on"`
	Permissions any            `yaml:"permissions"`
	Jobs        map[string]struct {
		Permissions map[string]string `yaml:"permissions"`
		Steps       []struct {
			Uses string            `yaml:"uses"`
			With map[string]string `yaml:"with"`
			Run  string            `yaml:"run"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

func readWorkflows(t *testing.T) map[string]workflow {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "..", ".github", "workflows", "*.yml"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no workflows: %v", err)
	}
	out := map[string]workflow{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var w workflow
		if err := yaml.Unmarshal(data, &w); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		out[filepath.Base(p)] = w
		// Pinned by full commit id, with the version as a comment for people and update bots.
		for i, line := range strings.Split(string(data), "\n") {
			if m := regexp.MustCompile(`^\s*(?:-\s+)?uses:\s*(\S+)`).FindStringSubmatch(line); m != nil {
				if !regexp.MustCompile(`^[\w.-]+/[\w.-]+@[0-9a-f]{40}$`).MatchString(m[1]) || !regexp.MustCompile(`# v\d`).MatchString(line) {
					t.Errorf("%s:%d: action not pinned by full commit id with a version comment: %s", filepath.Base(p), i+1, strings.TrimSpace(line))
				}
			}
			if regexp.MustCompile(`\$\{\{[^}]*secrets\.`).MatchString(line) {
				t.Errorf("%s:%d: workflows use no secrets", filepath.Base(p), i+1)
			}
		}
	}
	return out
}

// The workflows' security rests on a few properties; each is checked here so a later edit
// cannot drop one quietly.
func TestWorkflowsAreLockedDown(t *testing.T) {
	wfs := readWorkflows(t)
	for name, w := range wfs {
		if p, ok := w.Permissions.(map[string]any); !ok || len(p) != 0 {
			t.Errorf("%s: top-level permissions must be {} (jobs grant their own), have %v", name, w.Permissions)
		}
		for jobName, job := range w.Jobs {
			if job.Permissions == nil {
				t.Errorf("%s: job %s grants no explicit permissions", name, jobName)
			}
			for _, s := range job.Steps {
				if strings.HasPrefix(s.Uses, "actions/checkout@") && s.With["persist-credentials"] != "false" {
					t.Errorf("%s: job %s checks out with persisted credentials", name, jobName)
				}
			}
		}
	}
	check, ok := wfs["check.yml"]
	if !ok {
		t.Fatal("no check.yml")
	}
	if _, ok := check.On["pull_request"]; !ok || len(check.On) != 1 {
		t.Errorf("check.yml must run on pull_request only (never pull_request_target), runs on %v", check.On)
	}
	for _, job := range check.Jobs {
		for perm, level := range job.Permissions {
			if level != "read" && level != "none" {
				t.Errorf("check.yml grants %s: %s; pull request code must get no write token", perm, level)
			}
		}
	}
	comment, ok := wfs["comment.yml"]
	if !ok {
		t.Fatal("no comment.yml")
	}
	if _, ok := comment.On["workflow_run"]; !ok {
		t.Errorf("comment.yml must run on workflow_run")
	}
	// A push to the default branch checks the open pull requests again (a merged decision must
	// turn a requester's earlier green edit red).
	if _, ok := comment.On["push"]; !ok {
		t.Errorf("comment.yml must also run on push, to check open pull requests again")
	}
	rechecks := false
	for _, job := range comment.Jobs {
		for _, s := range job.Steps {
			rechecks = rechecks || strings.Contains(s.Run, "comment --recheck")
		}
	}
	if !rechecks {
		t.Errorf("comment.yml has no step that runs docket comment --recheck")
	}
	for _, job := range comment.Jobs {
		for _, s := range job.Steps {
			if strings.HasPrefix(s.Uses, "actions/checkout@") && (s.With["ref"] != "" || s.With["repository"] != "") {
				t.Errorf("comment.yml checks out something other than the default branch: %v", s.With)
			}
			if strings.Contains(s.Run, "${{") {
				t.Errorf("comment.yml interpolates an expression into a shell command: %q; pass it through env", s.Run)
			}
		}
	}
	for _, w := range wfs {
		for _, job := range w.Jobs {
			for _, s := range job.Steps {
				if strings.Contains(s.Run, "${{") {
					t.Errorf("a run step interpolates an expression into a shell command: %q; pass it through env", s.Run)
				}
			}
		}
	}
}
