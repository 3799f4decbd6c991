package repo

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/schemacheck"
)

func TestDecode(t *testing.T) {
	v := map[string]any{
		"outcome":    "approved",
		"decided_by": "staff-ann",
		"date":       "2026-04-01",
		"conditions": map[string]any{
			"scopes":                 []any{"calls-311"},
			"limits":                 map[string]any{"requests_per_day": json.Number("5000"), "requests_per_second": json.Number("2.5")},
			"expires":                "2027-03-31",
			"data_sharing_agreement": true,
			"terms_version":          "2026-01",
		},
	}
	got, err := decode(docket.KindDecisionFile, v)
	if err != nil {
		t.Fatal(err)
	}
	d := got.(*docket.Decision)
	if d.Outcome != docket.OutcomeApproved || d.Date.String() != "2026-04-01" || d.Conditions == nil ||
		d.Conditions.Limits.RequestsPerDay != 5000 || d.Conditions.Limits.RequestsPerSecond != 2.5 ||
		!d.Conditions.DataSharingAgreement || d.Conditions.Expires.String() != "2027-03-31" || d.Evaluation != nil {
		t.Errorf("decoded %+v, conditions %+v", d, d.Conditions)
	}

	for name, bad := range map[string]map[string]any{
		"text for a number": {"actions": []any{map[string]any{"date": json.Number("3")}}},
		"bad date":          {"actions": []any{map[string]any{"date": "yesterday"}}},
		"list for a record": {"actions": map[string]any{}},
	} {
		if _, err := decode(docket.KindEnforcementFile, bad); err == nil {
			t.Errorf("%s: decoded without error", name)
		}
	}
}

// Only limits the request folders read; the configuration is always read.
func TestLoaderOnly(t *testing.T) {
	c, err := schemacheck.New()
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{
		"requests/a/request.yaml": {Data: []byte("kind: nonsense\n")},
		"requests/b/request.yaml": {Data: []byte("kind: nonsense\n")},
		"requests/stray.txt":      {Data: []byte("hello\n")},
	}
	l := Loader{Checker: c, Only: func(id string) bool { return id == "b" }}
	r, findings, err := l.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Folders) != 1 || r.Folders[0].ID != "b" {
		t.Errorf("folders = %v", r.Folders)
	}
	for _, f := range findings {
		if strings.HasPrefix(f.Path, "requests/a/") {
			t.Errorf("a folder outside Only was read: %v", f)
		}
	}
	if len(findings) == 0 || findings[0].Path != docket.ConfigPath {
		t.Errorf("the missing configuration was not reported: %v", findings)
	}
	// A file directly under requests/ is no folder's, so Only cannot leave it out.
	if !slices.ContainsFunc(findings, func(f docket.Finding) bool { return f.Path == "requests/stray.txt" }) {
		t.Errorf("the stray file was not reported: %v", findings)
	}
}
