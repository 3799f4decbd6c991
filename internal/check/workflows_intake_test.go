package check

import (
	"strings"
	"testing"
)

// intake.yml writes to the repository on an event anyone can raise by opening an issue: it
// must run on issues only, from the default branch, with no pull request's code, and pass the
// issue's number to docket through the environment.
func TestIntakeAndRemindWorkflows(t *testing.T) {
	wfs := readWorkflows(t)
	in, ok := wfs["intake.yml"]
	if !ok {
		t.Fatal("no intake.yml")
	}
	if _, ok := in.On["issues"]; !ok || len(in.On) != 1 {
		t.Errorf("intake.yml must run on issues only, runs on %v", in.On)
	}
	intake, comment := false, false
	for name, job := range in.Jobs {
		for perm, level := range job.Permissions {
			switch perm {
			case "contents", "pull-requests", "issues", "statuses":
			default:
				t.Errorf("intake.yml job %s grants %s: %s, which opening a pull request does not need", name, perm, level)
			}
		}
		for _, s := range job.Steps {
			if strings.HasPrefix(s.Uses, "actions/checkout@") && (s.With["ref"] != "" || s.With["repository"] != "") {
				t.Errorf("intake.yml checks out something other than the default branch: %v", s.With)
			}
			intake = intake || strings.Contains(s.Run, `docket" intake --issue "$ISSUE"`)
			comment = comment || strings.Contains(s.Run, `docket" comment --pr "$PR" --head-sha "$HEAD_SHA"`)
		}
	}
	if !intake || !comment {
		t.Errorf("intake.yml must run docket intake, then check the pull request with docket comment (intake %v, comment %v)", intake, comment)
	}
	rm, ok := wfs["remind.yml"]
	if !ok {
		t.Fatal("no remind.yml")
	}
	if _, ok := rm.On["schedule"]; !ok {
		t.Errorf("remind.yml must run on a schedule, runs on %v", rm.On)
	}
	for name, job := range rm.Jobs {
		for perm, level := range job.Permissions {
			if perm == "contents" && level != "read" || perm != "contents" && perm != "pull-requests" && perm != "issues" {
				t.Errorf("remind.yml job %s grants %s: %s", name, perm, level)
			}
		}
	}
}
