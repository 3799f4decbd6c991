package check

import (
	"github.com/opendata-docket/docket/internal/gitrepo"
	"strings"
	"testing"
	"time"

	"github.com/opendata-docket/docket/internal/gitrepo/gittest"
	"github.com/opendata-docket/docket/internal/report"
)

func TestResultDetails(t *testing.T) {
	t.Run("a decision says what merging does", func(t *testing.T) {
		res := run(t, base.With("requests/open/decision.yaml", approved("2026-11-20")), "staff-ann", Options{})
		if !res.OK() || !res.Staff {
			t.Fatalf("not OK: %v", res.Findings)
		}
		if got := res.Labels; len(got) != 1 || got[0] != LabelDecision {
			t.Errorf("labels = %v, want [decision]", got)
		}
		want := `Merging approves "Daily 311 calls for a dashboard" (open) and issues an API key to @rita for calls-311, limited to 5000 calls a day and 2 a second, valid until 2027-03-31 under terms 2026-01.`
		if len(res.Effects) != 1 || !strings.HasPrefix(res.Effects[0], want) {
			t.Errorf("effects = %q\nwant it to start %q", res.Effects, want)
		}
		if res.Checked != 1 {
			t.Errorf("checked %d folders, want only the one touched", res.Checked)
		}
	})
	t.Run("changes outside requests/ are labelled for staff", func(t *testing.T) {
		res := run(t, base.With("README.md", "new", "requests/bus-feed/request.yaml", request("maria")), "maria", Options{})
		if !res.OK() {
			t.Fatalf("not OK: %v", res.Findings)
		}
		if got := strings.Join(res.Labels, ","); got != "request,needs-staff-review" {
			t.Errorf("labels = %s", got)
		}
		if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "README.md") {
			t.Errorf("notes = %q", res.Notes)
		}
		if len(res.Effects) != 1 || !strings.Contains(res.Effects[0], "Staff aim to respond within 5 days") {
			t.Errorf("effects = %q", res.Effects)
		}
	})
	t.Run("a configuration change checks every request", func(t *testing.T) {
		res := run(t, base.With(".github/docket.yml", strings.Replace(config, "Test Open Data Requests", "Testville Open Data Requests", 1)), "staff-ann", Options{})
		if res.Checked != 7 {
			t.Errorf("checked %d folders, want all 7", res.Checked)
		}
	})
}

// When the base branch moves on after the pull request was opened, the policy is judged
// against the base as it is now: an id taken meanwhile is taken.
func TestBaseMovedOn(t *testing.T) {
	r := gittest.Memory()
	t0 := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	b, _ := gittest.Commit(r, "", base, t0, "base")
	if _, err := gittest.Commit(r, "main", base.With("requests/bus-feed/request.yaml", request("other")), t0.Add(time.Hour), "other request", b.Hash); err != nil {
		t.Fatal(err)
	}
	if _, err := gittest.Commit(r, "pr", base.With("requests/bus-feed/request.yaml", request("maria")), t0.Add(2*time.Hour), "mine", b.Hash); err != nil {
		t.Fatal(err)
	}
	v := newValidator(t)
	res, err := Run(gitrepo.Wrap(r), v, Options{Base: "main", Head: "pr", Actor: "maria", Today: today})
	if err != nil {
		t.Fatal(err)
	}
	got := errorsOf(res)
	if len(got) != 1 || !strings.Contains(got[0], "this request belongs to @other") {
		t.Errorf("errors = %q", got)
	}
}

func TestReportRoundTripAndMarkdown(t *testing.T) {
	hostile := request("maria")
	hostile = strings.Replace(hostile, "Daily 311 calls for a dashboard", "<img src=x onerror=alert(1)> @everyone [click](https://evil.example) | col", 1)
	res := run(t, base.With("requests/bus-feed/request.yaml", hostile, "requests/bus-feed/decision.yaml", approved("2026-11-20")), "maria", Options{})
	rep := res.Report(7, "abc123")
	var buf strings.Builder
	if err := writeJSON(&buf, rep); err != nil {
		t.Fatal(err)
	}
	back, err := ReadReport(strings.NewReader(buf.String()))
	if err != nil {
		t.Fatal(err)
	}
	md := back.Markdown()
	for _, bad := range []string{"<img", "@everyone", "[click](", "https://evil"} {
		if strings.Contains(md, bad) {
			t.Errorf("markdown contains %q:\n%s", bad, md)
		}
	}
	if !strings.Contains(md, "### ❌ docket found 1 problem to fix") || !strings.Contains(md, "only staff may decide requests") {
		t.Errorf("markdown misses the problem:\n%s", md)
	}
	rows := 0
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "| ❌") || strings.HasPrefix(line, "| ⚠") {
			rows++
			if n := strings.Count(strings.ReplaceAll(line, `\|`, ""), "|"); n != 5 {
				t.Errorf("a finding row has %d cell borders, want 5: %q", n, line)
			}
		}
	}
	if rows == 0 {
		t.Error("no finding rows in the markdown")
	}
}

func TestReadReportRejects(t *testing.T) {
	for name, in := range map[string]string{
		"unknown field":   `{"version":1,"pull_request":3,"extra":1}`,
		"foreign label":   `{"version":1,"pull_request":3,"labels":["approved"]}`,
		"no pull request": `{"version":1}`,
		"wrong version":   `{"version":9,"pull_request":3}`,
		"trailing data":   `{"version":1,"pull_request":3} {}`,
		"too long":        `{"version":1,"pull_request":3,"notes":["` + strings.Repeat("x", 3000) + `"]}`,
		"not json":        `<html>`,
	} {
		if _, err := ReadReport(strings.NewReader(in)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := ReadReport(strings.NewReader(`{"version":1,"pull_request":3,"labels":["request"]}`)); err != nil {
		t.Errorf("a valid report was refused: %v", err)
	}
}

// However much a pull request changes, the comment stays within GitHub's size limit.
func TestMarkdownFitsAComment(t *testing.T) {
	rep := &Report{Version: 1, PullRequest: 3, Actor: "staff-ann", Staff: true, OK: true}
	for i := range 5000 {
		long := strings.Repeat("word ", 300)
		rep.Effects = append(rep.Effects, long)
		rep.Notes = append(rep.Notes, long)
		rep.Changes = append(rep.Changes, Change{Path: "requests/r/decision.yaml", Action: "added", Area: "decision", ID: "r"})
		rep.Findings = append(rep.Findings, report.JSONFinding{Path: "requests/r/decision.yaml", Line: i + 1, Column: 1, Message: long, Severity: "warning"})
	}
	md := rep.Markdown()
	if len(md) > 65536 {
		t.Errorf("comment is %d characters", len(md))
	}
	if !strings.HasSuffix(md, "request folders validated.</sub>\n") && !strings.Contains(md, "validated.</sub>") {
		t.Errorf("the footer was cut off")
	}
	if !strings.Contains(escape("costs $5 and $6"), `\$5`) {
		t.Error("dollar signs are not escaped")
	}
}
