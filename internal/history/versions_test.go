package history

import (
	"testing"
)

// TestDecisionVersions: every decision.yaml a commit wrote stays readable from the history,
// though the file itself is overwritten at each step of the review.
func TestDecisionVersions(t *testing.T) {
	tr := newTestRepo(t)
	const dir = "requests/bus-api/"
	tr.commit("request", map[string]string{dir + "request.yaml": "kind: dataset\ntitle: Bus stops\n"})
	tr.commit("deny", map[string]string{dir + "decision.yaml": "outcome: denied\ndecided_by: kc-opendata-lee\ndate: 2026-01-07\nreasons: The data hold home addresses of riders.\nreason_code: privacy\n"})
	tr.commit("appeal", map[string]string{dir + "appeal.yaml": "date: 2026-01-09\ngrounds: Block-level counts are enough for us.\n"})
	tr.commit("approve", map[string]string{dir + "decision.yaml": "outcome: approved\nreview: appeal\ndecided_by: kc-director\ndate: '2026-01-20'\nreasons: Block-level counts carry no addresses.\n"})
	tr.commit("broken", map[string]string{dir + "decision.yaml": "outcome: [approved\n"})
	h, err := Open(tr.r)
	if err != nil {
		t.Fatal(err)
	}
	evs := h.Events["bus-api"]
	var got []string
	for _, ev := range evs {
		switch {
		case ev.Decision != nil:
			got = append(got, string(ev.Change)+":"+string(ev.Decision.Outcome)+":"+ev.Decision.DecidedBy+":"+ev.Decision.Date.String()+":"+ev.Decision.Review)
		case ev.Appeal != nil:
			got = append(got, string(ev.Change)+":"+ev.Appeal.Date.String()+":"+ev.Appeal.Grounds)
		default:
			got = append(got, string(ev.Change)+":"+ev.File)
		}
	}
	want := []string{
		"submitted:request.yaml",
		"denied:denied:kc-opendata-lee:2026-01-07:",
		"appealed:2026-01-09:Block-level counts are enough for us.",
		"approved:approved:kc-director:2026-01-20:appeal",
		"edited:decision.yaml",
	}
	if len(got) != len(want) {
		t.Fatalf("events:\n%q\nwant\n%q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("event %d: %q, want %q", i, got[i], want[i])
		}
	}
	if d := evs[1].Decision; d.ReasonCode != "privacy" || d.Reasons == "" {
		t.Errorf("the denial's reasons were not kept: %+v", d)
	}
}
