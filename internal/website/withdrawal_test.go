package website

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opendata-docket/docket/internal/docket"
)

// TestWithdrawalIsTheRequesters: a withdrawal is the requester's act. Its page says so under
// "Withdrawal", not "Decision"; its note is set apart as the requester's words, with its
// heading turned to plain bold text; and nothing of a withdrawal reaches the site as the city's
// findings, even if a decision in memory held reasons, an evaluation or a reason code (the
// schema refuses them in the file): not on the page, the feed, the JSON or the CSV.
func TestWithdrawalIsTheRequesters(t *testing.T) {
	dir := hostileDocket(t)
	r := validDocket(t, dir)
	const city = "Zq7CityWords"
	for _, f := range r.Folders {
		if d := f.Record.Decision; d != nil && d.Outcome == docket.OutcomeWithdrawn {
			d.Reasons = city + " reasons: the city approves."
			d.ReasonCode = city
			d.Review = city
			d.EstimatedReviewDays = 4242
			c := docket.Criterion{Verdict: "met", Note: city + " note"}
			d.Evaluation = docket.Evaluation{"sensitivity": c, "feasibility": c, "resources": c, "legal": c}
			d.Appeal = &docket.AppealTerms{Instructions: city + " appeal", Deadline: docket.MustDate("2026-05-01")}
		}
	}
	b, err := New()
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "site")
	if _, err := b.Build(&Input{Repo: r, Files: os.DirFS(dir)}, out); err != nil {
		t.Fatal(err)
	}
	files := readSite(t, out)
	for p, b := range files {
		if bytes.Contains(b, []byte(city)) || bytes.Contains(b, []byte("4242")) {
			t.Errorf("%s shows what a withdrawal cannot hold as the city's", p)
		}
	}
	page := string(files["requests/xss-withdrawn/index.html"])
	for _, want := range []string{
		`<h2 id="decision">Withdrawal</h2>`,
		`by the requester, <a href="https://github.com/mallory">@mallory</a>`,
		`<div class="prose by-requester"><p class="written-by">In the requester’s words</p><p><strong>Decision</strong></p>`,
		`<div><dt>Withdrawn</dt><dd><time datetime=`,
		`<p><strong>Approved by the city.</strong> All four criteria are met. &lt;script&gt;`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the withdrawal's page lacks %s", want)
		}
	}
	for _, bad := range []string{`<h2 id="decision">Decision</h2>`, "<h3>Reasons</h3>", "The four criteria", "The evaluation criteria", "How to appeal", "main reason", "<dt>Decided</dt>"} {
		if strings.Contains(page, bad) {
			t.Errorf("the withdrawal's page has %s", bad)
		}
	}
	// In the feed, whose author is the program, a title is quoted as the requester's.
	if !strings.Contains(string(files["feed.xml"]), "<title>Withdrawn: “A withdrawal that tries to speak for the city”</title>") {
		t.Error("the feed does not quote the withdrawn request's title")
	}
	var recs []jsonRecord
	if err := json.Unmarshal(files["requests.json"], &recs); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, rec := range recs {
		if rec.ID != "xss-withdrawn" {
			continue
		}
		found = true
		got, _ := json.Marshal(rec.Decision)
		if string(got) != `{"outcome":"withdrawn","decided_by":"mallory","date":"2026-03-03"}` {
			t.Errorf("requests.json: the withdrawal's decision is %s", got)
		}
		if !strings.HasPrefix(rec.WithdrawalNote, "## Decision\n\n**Approved by the city.**") {
			t.Errorf("requests.json: withdrawal_note is %q", rec.WithdrawalNote)
		}
	}
	if !found {
		t.Error("requests.json has no record of the withdrawal")
	}
	rows, err := csv.NewReader(bytes.NewReader(files["requests.csv"])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	for _, row := range rows[1:] {
		if row[col["id"]] == "xss-withdrawn" && (row[col["outcome"]] != "withdrawn" || row[col["reason_code"]] != "" || row[col["review"]] != "") {
			t.Errorf("requests.csv: %q", row)
		}
	}
}
