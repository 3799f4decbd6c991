package validate

import (
	"reflect"
	"testing"
)

func TestAcceptanceRules(t *testing.T) {
	const (
		req = "requests/feed/request.yaml"
		dec = "requests/feed/decision.yaml"
		acc = "requests/feed/acceptance.yaml"
	)
	ok := "accepted_by: req-rita\ndate: 2026-04-02\nterms_version: \"2026-01\"\n"
	tests := []struct {
		name  string
		files []string
		want  []string
	}{
		{"accepted", []string{req, apiRequest, dec, approved, acc, ok}, nil},
		{"a new key asked for", []string{req, apiRequest, dec, approved, acc, ok + "new_keys:\n  - {date: 2026-09-01, reason: lost}\n  - {date: 2026-10-01, reason: leaked}\n"}, nil},
		{"not the requester", []string{req, apiRequest, dec, approved, acc, sub(ok, "req-rita", "staff-ann")},
			[]string{acc + ":1:14: accepted_by: staff-ann is not the requester; only req-rita, who made the request, may accept its terms"}},
		{"no decision", []string{req, apiRequest, acc, ok},
			[]string{acc + ":1:1: terms are accepted after an approval, and this request has no decision yet"}},
		{"denied", []string{req, apiRequest, dec, denied, acc, ok},
			[]string{acc + ":1:1: warning: the decision on this request is denied, so no key is issued whatever is accepted here"}},
		{"other terms", []string{req, apiRequest, dec, approved, acc, sub(ok, "2026-01", "2025-07")},
			[]string{acc + ":3:16: warning: terms_version: accepts terms 2025-07, but the decision in force names terms 2026-01; no key is issued until the requester accepts them"}},
		{"agreement missing", []string{req, apiRequest, dec, sub(approved, "data_sharing_agreement: false", "data_sharing_agreement: true"), acc, ok},
			[]string{acc + ":3:16: warning: terms_version: the decision requires a signed data-sharing agreement; no key is issued until the requester adds data_sharing_agreement: true"}},
		{"new keys out of order", []string{req, apiRequest, dec, approved, acc, ok + "new_keys:\n  - {date: 2026-09-01, reason: lost}\n  - {date: 2026-08-01, reason: routine}\n"},
			[]string{acc + ":6:12: new_keys[2].date: 2026-08-01 is before 2026-09-01 above it; add requests for a new key at the end, oldest first"}},
		{"a reason that is not one", []string{req, apiRequest, dec, approved, acc, ok + "new_keys:\n  - {date: 2026-09-01, reason: stolen}\n"},
			[]string{acc + ":5:32: new_keys[1].reason: must be one of lost, leaked, routine, not \"stolen\""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := run(t, files(tc.files...)); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("findings:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}
