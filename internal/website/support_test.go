package website

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/opendata-docket/docket/internal/ledger"
)

// supportLedger records a pull request for every sample request (an intake issue for one) and
// counts support for some of them.
func supportLedger(ids []string, counts map[string]int) *ledger.Ledger {
	l := ledger.New("opendata-docket/docket")
	for i, id := range ids {
		pr := ledger.PullRequest{Number: 100 + i, Author: "someone", OpenedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), MergedAt: time.Date(2026, 1, 3, 3, 4, 5, 0, time.UTC)}
		if id == "streetcar-ridership-weather-study" {
			pr.Issue = 77 // asked in an issue form
		}
		l.Add(id, pr, fmt.Sprintf("%040x", i+1))
	}
	l.Support = map[string]ledger.Support{}
	for id, c := range counts {
		l.Support[id] = ledger.Support{Number: l.Thread(id), Count: c}
	}
	return l
}

// Support from the ledger: a counter and the follow and support links on the request's page,
// a column and an order on the lists, and the most supported open requests on the statistics
// page, ties included.
func TestSupportFromTheLedger(t *testing.T) {
	dir := sampleDocket(t)
	r := validDocket(t, dir)
	var ids []string
	for _, f := range r.Folders {
		ids = append(ids, f.ID)
	}
	counts := map[string]int{
		"streetcar-ridership-weather-study": 1200,
		"sidewalk-repair-requests-dataset":  5,
		"ems-response-times-research":       5,
		"illegal-dumping-cleanup-cases":     40, // approved: not open, not in the open list
	}
	files := readSite(t, buildSite(t, dir, &Input{Ledger: supportLedger(ids, counts), Source: "https://github.com/opendata-docket/docket"}))

	page := string(files["requests/streetcar-ridership-weather-study/index.html"])
	for _, want := range []string{
		`<span class="count-n">1,200</span> <span class="count-label">people support this request</span>`,
		`<a href="https://github.com/opendata-docket/docket/issues/77">The conversation on GitHub</a>`,
		`<a href="feed.xml">Follow this request in a feed reader</a>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the request page lacks %s", want)
		}
	}
	other := string(files["requests/sidewalk-repair-requests-dataset/index.html"])
	if !strings.Contains(other, `href="https://github.com/opendata-docket/docket/pull/`) || !strings.Contains(other, `">Support this request</a>`) {
		t.Error("an open dataset request asked by pull request does not link to it for support")
	}
	// Support is asked for open requests for a new dataset only: a key is the requester's own.
	if strings.Contains(page, "Support this request") {
		t.Error("a request for an API key asks for support")
	}
	// A request the ledger knows but whose support was not counted shows no count.
	if p := string(files["requests/dangerous-buildings-volunteer-map/index.html"]); strings.Contains(p, "support this request</span>") || strings.Contains(p, "supports this request</span>") {
		t.Error("a request with no count shows one")
	}

	index := string(files["index.html"])
	if !strings.Contains(index, `<th scope="col">Support</th>`) || !strings.Contains(index, `<select id="sort">`) || !strings.Contains(index, `data-support="5"`) {
		t.Error("the index has no support column or order")
	}

	stats := string(files["stats/index.html"])
	sec := stats[strings.Index(stats, `<h2 id="support">`):]
	sec = sec[:strings.Index(sec, "</section>")]
	for _, e := range []string{"sidewalk-repair-requests-dataset", "ems-response-times-research"} {
		if !strings.Contains(sec, "requests/"+e+"/index.html") {
			t.Errorf("the most supported list lacks %s:\n%s", e, sec)
		}
	}
	if strings.Contains(sec, "illegal-dumping-cleanup-cases") {
		t.Error("a decided request is listed among the most supported open requests")
	}

	// Without a ledger: no column, no order, no list.
	plain := readSite(t, buildSite(t, sampleDocket(t), nil))
	if strings.Contains(string(plain["index.html"]), "Support") || strings.Contains(string(plain["stats/index.html"]), `id="support"`) {
		t.Error("support is shown without a ledger")
	}
}

func TestMostSupportedKeepsTies(t *testing.T) {
	var es []*Entry
	for i, s := range []int{9, 7, 7, 7, 3, 0, -1} {
		es = append(es, &Entry{ID: fmt.Sprintf("r%d", i), Open: true, Support: s})
	}
	es = append(es, &Entry{ID: "closed", Open: false, Support: 100})
	got := mostSupported(es, 2)
	var ids []string
	for _, e := range got {
		ids = append(ids, e.ID)
	}
	if strings.Join(ids, " ") != "r0 r1 r2 r3" {
		t.Errorf("top 2 with ties: %v", ids)
	}
	if n := len(mostSupported(es, 10)); n != 5 {
		t.Errorf("%d supported open requests, want 5 (none with 0 or uncounted)", n)
	}
}
