package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// publish.yml is the only workflow that provisions keys: on pushes to the default branch, one
// run at a time, with write access only in the job that provisions, and never a dry run.
func TestPublishProvisions(t *testing.T) {
	wfs := readWorkflows(t)
	pub, ok := wfs["publish.yml"]
	if !ok {
		t.Fatal("no publish.yml")
	}
	push, _ := pub.On["push"].(map[string]any)
	if branches, _ := push["branches"].([]any); len(branches) != 1 || branches[0] != "main" {
		t.Errorf("publish.yml must run on pushes to main, runs on %v", pub.On)
	}
	data, err := os.ReadFile(filepath.Join("..", "..", ".github", "workflows", "publish.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var raw struct {
		Concurrency struct {
			Group            string `yaml:"group"`
			CancelInProgress bool   `yaml:"cancel-in-progress"`
		} `yaml:"concurrency"`
		Jobs map[string]struct {
			If    string `yaml:"if"`
			Needs any    `yaml:"needs"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	if raw.Concurrency.Group == "" || raw.Concurrency.CancelInProgress {
		t.Errorf("publish.yml must run one at a time and never cancel a run that provisions: %+v", raw.Concurrency)
	}
	provisions := ""
	for name, job := range pub.Jobs {
		runs := false
		for _, s := range job.Steps {
			if strings.Contains(s.Run, " provision ") {
				runs = true
				if !strings.Contains(s.Run, "--confirm") {
					t.Errorf("job %s provisions without --confirm: a dry run that publishes a stale registry", name)
				}
			}
		}
		if runs {
			provisions = name
			if raw.Jobs[name].If != "github.ref_name == github.event.repository.default_branch" {
				t.Errorf("job %s provisions on any branch: if is %q", name, raw.Jobs[name].If)
			}
			continue
		}
		for perm, level := range job.Permissions {
			if level == "write" && perm != "pages" && perm != "id-token" {
				t.Errorf("job %s does not provision and may write %s", name, perm)
			}
		}
	}
	if provisions == "" {
		t.Fatal("no job of publish.yml runs docket provision")
	}
	want := map[string]string{"contents": "write", "pull-requests": "write", "issues": "write"}
	if got := pub.Jobs[provisions].Permissions; len(got) != len(want) {
		t.Errorf("the provision job may %v, want exactly %v", got, want)
	} else {
		for p, l := range want {
			if got[p] != l {
				t.Errorf("the provision job has %s: %s, want %s", p, got[p], l)
			}
		}
	}
}
