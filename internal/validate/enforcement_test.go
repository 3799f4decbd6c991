package validate

import (
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

// The enforcement actions the city's guidance names besides warnings, suspensions and
// revocations, on both kinds of request.
func TestEnforcementActions(t *testing.T) {
	const req, dec, enf = "requests/feed/request.yaml", "requests/feed/decision.yaml", "requests/feed/enforcement.yaml"
	datasetApproved := approved[:strings.Index(approved, "conditions:")]
	removal := func(extra string) string {
		return `actions:
  - action: removal-request
    date: 2026-06-01
    by: staff-bo
    reason: A public map made from the data shows home addresses.
    deadline: 2026-06-15
` + extra
	}
	tests := []struct {
		name string
		fsys fstest.MapFS
		want []string
	}{
		{"removal request on a dataset", files(req, datasetRequest, dec, datasetApproved, enf, removal("")), nil},
		{"removal request done in time", files(req, datasetRequest, dec, datasetApproved, enf, removal("    outcome: {result: complied, date: 2026-06-10}\n")), nil},
		{"removal request done late", files(req, datasetRequest, dec, datasetApproved, enf, removal("    outcome: {result: complied-late, date: 2026-06-20, note: Taken down after a reminder.}\n")), nil},
		{"late called in time", files(req, datasetRequest, dec, datasetApproved, enf, removal("    outcome: {result: complied-late, date: 2026-06-10}\n")),
			[]string{enf + ":7:23: actions[1].outcome.result: complied-late means done after the deadline (2026-06-15), and the outcome is dated 2026-06-10; write complied"}},
		{"not done before the deadline", files(req, datasetRequest, dec, datasetApproved, enf, removal("    outcome: {result: not-complied, date: 2026-06-10}\n")),
			[]string{enf + ":7:43: actions[1].outcome.date: 2026-06-10 is not after the deadline (2026-06-15); the requester still has until then to comply"}},
		{"outcome before the request", files(req, datasetRequest, dec, datasetApproved, enf, removal("    outcome: {result: withdrawn, date: 2026-05-10}\n")),
			[]string{enf + ":7:40: actions[1].outcome.date: 2026-05-10 is before the removal-request it answers (2026-06-01)"}},
		{"removal request without a deadline", files(req, datasetRequest, dec, datasetApproved, enf, strings.Replace(removal(""), "    deadline: 2026-06-15\n", "", 1)),
			[]string{enf + ":2:5: actions[1].deadline: is required when the action is a remediation-request or a removal-request, but missing"}},
		{"deadline on a warning", files(req, datasetRequest, dec, datasetApproved, enf, strings.Replace(removal(""), "removal-request", "warning", 1)),
			[]string{enf + ":6:5: actions[1].deadline: is not allowed when the action asks nothing of the requester; remove it"}},
		{"suspension on a dataset", files(req, datasetRequest, dec, datasetApproved, enf, suspension),
			[]string{enf + ":6:13: actions[2].action: a suspension acts on an API key, and this request is kind dataset; for misuse of shared data use warning, agreement-termination, remediation-request or removal-request"}},
		{"termination ends the key for good", files(req, apiRequest, dec, approved, enf, sub(suspension, "action: warning", "action: agreement-termination")),
			[]string{enf + ":6:13: actions[2].action: the data-sharing agreement was terminated on 2026-06-01, which ends access for good (renewal is a new request)"}},
		{"requests may follow a revocation", files(req, apiRequest, dec, approved, enf, sub(sub(suspension, "action: warning", "action: revocation"), "action: suspension\n    date: 2026-07-01\n    until: 2026-07-31", "action: remediation-request\n    date: 2026-07-01\n    deadline: 2026-07-31")), nil},
		{"termination without an agreement", files(req, sub(apiRequest, "data_sharing_agreement: true", "data_sharing_agreement: false"), dec, approved, enf, strings.Replace(suspension[:strings.Index(suspension, "  - action: suspension")], "action: warning", "action: agreement-termination", 1)),
			[]string{enf + ":2:13: warning: actions[1].action: no data-sharing agreement is recorded for this request (neither data_sharing_agreement in request.yaml nor conditions.data_sharing_agreement in decision.yaml); check that this is the right request"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := run(t, tt.fsys); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("findings:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}
