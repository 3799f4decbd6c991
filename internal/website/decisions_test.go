package website

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/docket/dockettest"
	"github.com/opendata-docket/docket/internal/gitrepo/gittest"
	"github.com/rogpeppe/go-internal/txtar"
)

// TestAppealedRequestTimes: submitted on day 0, denied on day 7, appealed on day 12 and
// approved on appeal on day 66. "Decided" is the final decision (66 days), the first decision
// took 7 days and the appeal 54; the statistics count the request once, as approved.
func TestAppealedRequestTimes(t *testing.T) {
	scripts := filepath.Join("..", "..", "cmd", "docket", "testdata", "script", "build_every_decision.txtar")
	files := txtarFiles(t, scripts)
	dir := t.TempDir()
	r, err := gittest.Disk(dir)
	if err != nil {
		t.Fatal(err)
	}
	snap := gittest.Text(".github/docket.yml", files[".github/docket.yml"], "requests/feed/request.yaml", files["request.yaml"])
	var parent []plumbing.Hash
	day0 := time.Date(2026, 8, 3, 15, 0, 0, 0, time.UTC)
	commit := func(s gittest.Snapshot, days int) {
		c, err := gittest.Commit(r, "master", s, day0.AddDate(0, 0, days), "change", parent...)
		if err != nil {
			t.Fatal(err)
		}
		parent = []plumbing.Hash{c.Hash}
	}
	denial := strings.NewReplacer("2026-11-01", "2026-08-10", "2026-12-01", "2026-09-09").Replace(files["denial.yaml"])
	commit(snap, 0)
	snap = snap.With("requests/feed/decision.yaml", denial)
	commit(snap, 7)
	snap = snap.With("requests/feed/appeal.yaml", strings.ReplaceAll(files["appeal.yaml"], "2026-11-01", "2026-08-15"))
	commit(snap, 12)
	snap = snap.With("requests/feed/decision.yaml", strings.NewReplacer("2026-11-01", "2026-10-08", "2027-10-31", "2027-10-07").Replace(files["approval.yaml"]))
	commit(snap, 66)
	for p, f := range snap {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, p), []byte(f.Data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := buildSite(t, dir, &Input{AsOf: docket.MustDate("2026-11-27")})
	b, err := os.ReadFile(filepath.Join(out, "requests.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("requests.csv: %v %q", err, rows)
	}
	got := map[string]string{}
	for i, h := range rows[0] {
		got[h] = rows[1][i]
	}
	for col, want := range map[string]string{
		"submitted": "2026-08-03", "decided": "2026-10-08", "days_to_decision": "66", "status": "approved",
		"first_decided": "2026-08-10", "days_to_first_decision": "7",
		"appeal_decided": "2026-10-08", "days_to_appeal_decision": "54", "appeal_overdue": "false",
		"decisions": "denied 2026-08-10;approved on appeal 2026-10-08",
	} {
		if got[col] != want {
			t.Errorf("requests.csv %s = %q, want %q", col, got[col], want)
		}
	}
	// The columns that were there before keep their places.
	if rows[0][0] != "id" || rows[0][14] != "days_to_decision" || rows[0][23] != "page" || rows[0][31] != "days_waiting_for_publication_date" || rows[0][len(csvColumns)-1] != "conversation" {
		t.Errorf("columns moved: %q", rows[0])
	}
	page, _ := os.ReadFile(filepath.Join(out, "requests", "feed", "index.html"))
	for _, want := range []string{
		`<dt>Decided</dt><dd><time datetime="2026-10-08">`,
		`Days to decision</span> <span class="count-note">(target: 30 days, missed)`,
		`Days to first decision</span>`,
		`Days to decision on appeal</span> <span class="count-note">(from the appeal; target: 20 days, missed)`,
	} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the request page lacks %s", want)
		}
	}
	stats, _ := os.ReadFile(filepath.Join(out, "stats", "index.html"))
	for _, want := range []string{
		`<th scope="row">Submission to final decision</th><td>1</td><td>66</td>`,
		`<th scope="row">Submission to first decision, appealed requests</th><td>1</td><td>7</td>`,
		`<th scope="row">Appeal to decision on appeal</th><td>1</td><td>54</td>`,
		`approved (1 approved, 0 denied)`,
	} {
		if !strings.Contains(string(stats), want) {
			t.Errorf("the statistics lack %s", want)
		}
	}
}

// txtarFiles reads the files of a testscript archive.
func txtarFiles(t *testing.T, path string) map[string]string {
	t.Helper()
	a, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range a.Files {
		out[f.Name] = string(f.Data)
	}
	// The scenario's "fixture NAME PATH [login=…] [agreement=false]" lines (cmd/docket's
	// testscript command) write shared requests; give them too.
	for _, line := range strings.Split(string(a.Comment), "\n") {
		f := strings.Fields(line)
		if len(f) < 3 || f[0] != "fixture" {
			continue
		}
		doc := map[string]string{"api-request": dockettest.APIRequest, "dataset-request": dockettest.DatasetRequest}[f[1]]
		for _, opt := range f[3:] {
			if login, ok := strings.CutPrefix(opt, "login="); ok {
				doc = dockettest.By(doc, login)
			} else if opt == "agreement=false" {
				doc = strings.Replace(doc, "\ndata_sharing_agreement: true\n", "\ndata_sharing_agreement: false\n", 1)
			}
		}
		out[f[2]] = doc
	}
	return out
}

// TestNeedsInfoAndAnswerStayOnThePage: the questions of a needs-info, the requester's answer
// and the approval that followed are three steps, though decision.yaml now holds only the
// approval.
func TestNeedsInfoAndAnswerStayOnThePage(t *testing.T) {
	files := txtarFiles(t, filepath.Join("..", "..", "cmd", "docket", "testdata", "script", "build_every_decision.txtar"))
	dir := t.TempDir()
	r, err := gittest.Disk(dir)
	if err != nil {
		t.Fatal(err)
	}
	var parent []plumbing.Hash
	day := time.Date(2026, 9, 1, 15, 0, 0, 0, time.UTC)
	commit := func(s gittest.Snapshot) {
		day = day.AddDate(0, 0, 3)
		c, err := gittest.Commit(r, "master", s, day, "change", parent...)
		if err != nil {
			t.Fatal(err)
		}
		parent = []plumbing.Hash{c.Hash}
	}
	snap := gittest.Text(".github/docket.yml", files[".github/docket.yml"], "requests/parks/request.yaml", files["dataset.yaml"])
	commit(snap)
	snap = snap.With("requests/parks/decision.yaml", "outcome: needs-info\ndecided_by: staff-ann\ndate: 2026-09-07\nestimated_review_days: 10\nreasons: Which wards do you need, and is a weekly update enough?\nreason_code: incomplete\n")
	commit(snap)
	snap = snap.With("requests/parks/request.yaml", strings.Replace(files["dataset.yaml"], "update_frequency: weekly", "update_frequency: monthly", 1))
	commit(snap)
	snap = snap.With("requests/parks/decision.yaml", strings.ReplaceAll(files["unplanned.yaml"], "2026-11-01", "2026-09-13"))
	commit(snap)
	for p, f := range snap {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, p), []byte(f.Data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := buildSite(t, dir, &Input{AsOf: docket.MustDate("2026-11-27")})
	page, _ := os.ReadFile(filepath.Join(out, "requests", "parks", "index.html"))
	steps := string(page)
	if i := strings.Index(steps, `<ol class="steps">`); i >= 0 {
		steps = steps[i:]
	} else {
		t.Fatal("the page has no list of decisions")
	}
	order := []string{
		`on <time datetime="2026-09-07">2026-09-07</time> by <a href="https://github.com/staff-ann">@staff-ann</a> · main reason: Incomplete`,
		`Which wards do you need, and is a weekly update enough?`,
		`<strong>The requester answered (the request was updated)</strong> on <time datetime="2026-09-10">`,
		`status-approved">Approved</span> on <time datetime="2026-09-13">`,
		`The decision in force, shown in full above.`,
	}
	at := 0
	for _, want := range order {
		i := strings.Index(steps[at:], want)
		if i < 0 {
			t.Fatalf("after position %d the list of decisions lacks %s:\n%s", at, want, steps[:min(len(steps), 3000)])
		}
		at += i + len(want)
	}
}

// A decision read from history was never validated by this docket: what is not of a shape the
// schema allows is left out rather than shown.
func TestEarlierDecisionIsTrimmed(t *testing.T) {
	if earlier(&docket.Decision{Outcome: "<script>"}) != nil {
		t.Error("an unknown outcome is shown")
	}
	d := earlier(&docket.Decision{Outcome: docket.OutcomeDenied, Review: "x", DecidedBy: "../../evil", ReasonCode: "<b>",
		Evaluation: docket.Evaluation{"sensitivity": {Verdict: "x\" onclick=\"y"}, "legal": {Verdict: "met"}, "<b>": {Verdict: "met"}}})
	if d == nil || d.Review != "" || d.DecidedBy != "" || d.ReasonCode != "" || d.Evaluation["sensitivity"].Verdict != "" || d.Evaluation["legal"].Verdict != "met" || len(d.Evaluation) != 2 {
		t.Errorf("not trimmed: %+v %+v", d, d.Evaluation)
	}
	ok := earlier(&docket.Decision{Outcome: docket.OutcomeApproved, Review: docket.ReviewAppeal, DecidedBy: "it-director", ReasonCode: "privacy"})
	if ok.Review != docket.ReviewAppeal || ok.DecidedBy != "it-director" || ok.ReasonCode != "privacy" {
		t.Errorf("valid fields dropped: %+v", ok)
	}
}
