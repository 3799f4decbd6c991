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

// publish.yml also runs every day, so the site's counters are as of the day it is built; the
// scheduled run builds with the key registry as a push does. The job that may write contents
// records the ledger (the pull request behind each change to a request) for the build to read;
// no other job can write it.
func TestPublishRunsDailyAndRecordsTheLedger(t *testing.T) {
	pub, ok := readWorkflows(t)["publish.yml"]
	if !ok {
		t.Fatal("no publish.yml")
	}
	sched, _ := pub.On["schedule"].([]any)
	if len(sched) != 1 {
		t.Fatalf("publish.yml must run on one daily schedule, has %v", pub.On["schedule"])
	}
	entry, _ := sched[0].(map[string]any)
	cron, _ := entry["cron"].(string)
	if f := strings.Fields(cron); len(f) != 5 || f[2] != "*" || f[3] != "*" || f[4] != "*" {
		t.Errorf("the schedule %q is not once a day", cron)
	}
	data, err := os.ReadFile(filepath.Join("..", "..", ".github", "workflows", "publish.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var raw struct {
		Jobs map[string]struct {
			If    string `yaml:"if"`
			Steps []struct {
				If  string            `yaml:"if"`
				Run string            `yaml:"run"`
				Env map[string]string `yaml:"env"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	ledgerJob, builds := "", 0
	for name, job := range raw.Jobs {
		if strings.Contains(job.If, "event_name") {
			t.Errorf("job %s depends on the event: a scheduled run must do what a push does (if: %s)", name, job.If)
		}
		for _, s := range job.Steps {
			if strings.Contains(s.If, "event_name") {
				t.Errorf("a step of job %s depends on the event: a scheduled run must do what a push does (if: %s)", name, s.If)
			}
			if strings.Contains(s.Run, " ledger record") {
				ledgerJob = name
				if strings.Contains(s.Run, "--dry-run") || s.Env["GITHUB_TOKEN"] != "${{ github.token }}" {
					t.Errorf("the ledger step must write, with the job's token: %+v", s)
				}
			}
			if strings.Contains(s.Run, "docket build") {
				builds++
				if !strings.Contains(s.Run, "--keys ") {
					t.Errorf("job %s builds the site without the key registry: %s", name, s.Run)
				}
				if strings.Contains(s.Run, "--as-of") || s.Env["DOCKET_AS_OF"] != "" || strings.Contains(s.Run, "--ledger") {
					t.Errorf("job %s builds as of a fixed day or from another ledger: the site is as of the day it is built, from the state branch: %+v", name, s)
				}
				if s.Env["GITHUB_TOKEN"] == "" {
					t.Errorf("job %s builds without a token: open pull requests would not count", name)
				}
			}
		}
	}
	if builds != 1 {
		t.Errorf("publish.yml builds the site %d times, want once, on every event", builds)
	}
	if ledgerJob == "" {
		t.Fatal("no job of publish.yml runs docket ledger record")
	}
	if pub.Jobs[ledgerJob].Permissions["contents"] != "write" {
		t.Errorf("job %s records the ledger without contents: write", ledgerJob)
	}
	for name, job := range pub.Jobs {
		if name != ledgerJob && job.Permissions["contents"] == "write" {
			t.Errorf("job %s may write contents; only the job that records the ledger and provisions may", name)
		}
	}
}

// The timelines cache (docket build --history-cache) is kept with actions/cache only where the
// site is built from the default branch, keyed by the day, the commit and the run and restored
// by the day's prefix (so the first build of a day reads the whole history), and no workflow
// that runs for a pull request reads or writes it: a cache a pull request could write would be
// read by the publish run.
func TestHistoryCacheOnlyInPublish(t *testing.T) {
	wfs := readWorkflows(t)
	found := false
	for file, wf := range wfs {
		_, pr := wf.On["pull_request"]
		_, prt := wf.On["pull_request_target"]
		for name, job := range wf.Jobs {
			cachePath := ""
			for _, s := range job.Steps {
				if !strings.HasPrefix(s.Uses, "actions/cache@") {
					continue
				}
				if file != "publish.yml" || pr || prt {
					t.Errorf("%s job %s uses actions/cache; only the publish run may keep the timelines cache", file, name)
					continue
				}
				if s.With["key"] != "docket-history-${{ steps.day.outputs.day }}-${{ github.sha }}-${{ github.run_id }}" || s.With["restore-keys"] != "docket-history-${{ steps.day.outputs.day }}-" {
					t.Errorf("%s job %s: the cache must be keyed by the day, the commit and the run, and restored by the day: %v", file, name, s.With)
				}
				cachePath = s.With["path"]
			}
			for _, s := range job.Steps {
				if strings.Contains(s.Run, "build") && strings.Contains(s.Run, "--history-cache") {
					if cachePath == "" || !strings.Contains(s.Run, `--history-cache "$RUNNER_TEMP/docket-history/`) || cachePath != "${{ runner.temp }}/docket-history" {
						t.Errorf("%s job %s builds with --history-cache outside the cached folder %q: %s", file, name, cachePath, s.Run)
					}
					found = true
				}
			}
		}
	}
	if !found {
		t.Error("publish.yml does not build with --history-cache")
	}
}
