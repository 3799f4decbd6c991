package schemacheck

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/docket/dockettest"
	"github.com/opendata-docket/docket/internal/yamldoc"
)

// validRequest is the shared API-access request (dockettest.APIRequest); the messages below
// name its lines.
const validRequest = dockettest.APIRequest

func check(t *testing.T, kind docket.FileKind, in string) []string {
	t.Helper()
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	doc, findings := yamldoc.Parse("f.yaml", []byte(in))
	if doc == nil {
		t.Fatalf("parse: %v", findings)
	}
	var got []string
	for _, f := range docket.SortFindings(c.Check(kind, doc)) {
		got = append(got, strings.TrimPrefix(f.String(), "f.yaml:"))
	}
	return got
}

// edit replaces old with new in the valid request, failing if old is not there.
func edit(t *testing.T, old, new string) string {
	t.Helper()
	if !strings.Contains(validRequest, old) {
		t.Fatalf("%q not in the valid request", old)
	}
	return strings.Replace(validRequest, old, new, 1)
}

func TestValidRequest(t *testing.T) {
	if got := check(t, docket.KindRequestFile, validRequest); len(got) > 0 {
		t.Fatalf("valid request has findings: %q", got)
	}
}

func TestRequestMessages(t *testing.T) {
	tests := []struct {
		name, old, new string
		want           []string
	}{
		{"bad enum with suggestion", "kind: api-access", "kind: api_access",
			[]string{`1:7: kind: must be one of dataset, api-access, not "api_access"; did you mean api-access?`}},
		{"missing required", "title: Daily 311 calls for a dashboard\n", "",
			[]string{"1:1: title: is required but missing"}},
		{"missing nested required with values", "  type: nonprofit\n", "",
			[]string{"3:1: requester.type: is required but missing; use one of individual, nonprofit, academic, business, government, media"}},
		{"unknown field with suggestion", "  type: nonprofit\n", "  type: nonprofit\n  organisation: Westside\n",
			[]string{"6:3: requester.organisation: unknown field; did you mean organization?"}},
		{"unknown field lists allowed", "data_sharing_agreement: true\n", "data_sharing_agreement: true\ncolour: blue\n",
			[]string{"19:1: colour: unknown field; the fields allowed here are api_access, data_sharing_agreement, dataset, delivery, kind, privacy, purpose, requester, title"}},
		{"number for text", "title: Daily 311 calls for a dashboard", "title: 20260401",
			[]string{"2:8: title: must be text, not 20260401; put it in quotes"}},
		{"quoted number", "requests_per_day: 2000", `requests_per_day: "2000"`,
			[]string{`9:23: api_access.traffic.requests_per_day: must be a whole number, not "2000"; remove the quotes`}},
		{"fraction for integer", "requests_per_day: 2000", "requests_per_day: 20.5",
			[]string{"9:23: api_access.traffic.requests_per_day: must be a whole number, not 20.5"}},
		{"yes for boolean", "personal_data: false", "personal_data: yes",
			[]string{`16:18: privacy.personal_data: must be true or false, not "yes"; write true`}},
		{"list for text", "  use: analytics", "  use: [analytics]",
			[]string{"13:8: purpose.use: must be one of analytics, integration, research, publication, other, not a list"}},
		{"empty text", "considerations: Only counts by ZIP code are published.", `considerations: ""`,
			[]string{"17:19: privacy.considerations: must not be empty"}},
		{"short text", "title: Daily 311 calls for a dashboard", "title: Data",
			[]string{"2:8: title: is too short: write at least 8 characters (it has 4)"}},
		{"long text", "title: Daily 311 calls for a dashboard", "title: " + strings.Repeat("x", 121),
			[]string{"2:8: title: is too long: at most 120 characters are allowed (it has 121)"}},
		{"pattern with hint", "github: req-rita", "github: maria--delgado",
			[]string{`4:11: requester.github: must be a GitHub login (letters, digits and single hyphens, at most 39 characters), not "maria--delgado"`}},
		{"minimum", "requests_per_day: 2000", "requests_per_day: 0",
			[]string{"9:23: api_access.traffic.requests_per_day: must be at least 1, not 0"}},
		{"exclusive minimum", "peak_requests_per_second: 2", "peak_requests_per_second: 0",
			[]string{"10:31: api_access.traffic.peak_requests_per_second: must be more than 0, not 0"}},
		{"empty list", "datasets: [calls-311]", "datasets: []",
			[]string{"7:13: api_access.datasets: must list at least 1 item"}},
		{"duplicate list item", "datasets: [calls-311]", "datasets: [a-b, c, a-b]",
			[]string{`7:22: api_access.datasets: lists "a-b" more than once; list each only once`}},
		{"conditional required", "kind: api-access", "kind: dataset",
			[]string{
				"1:1: dataset: is required when kind is dataset, but missing",
				"6:1: api_access: is not allowed when kind is dataset; remove it",
			}},
		{"mapping for scalar", "  use: analytics", "  use:\n    main: analytics",
			[]string{"14:5: purpose.use: must be one of analytics, integration, research, publication, other, not a set of fields"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := check(t, docket.KindRequestFile, edit(t, tt.old, tt.new))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("findings:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestWholeFileType(t *testing.T) {
	got := check(t, docket.KindRequestFile, "- a\n- b\n")
	want := []string{"1:1: the file must be a set of fields (name: value), not a list"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestDecisionMessages(t *testing.T) {
	denied := `outcome: denied
decided_by: kc-opendata-lee
date: 2026-04-01
reasons: The requested fields identify individual residents.
reason_code: privacy
evaluation:
  sensitivity: {verdict: not-met, note: Names and addresses.}
  feasibility: {verdict: met, note: Already extracted nightly.}
  resources: {verdict: met, note: Little work.}
  legal: {verdict: concern, note: Sunshine law exclusions apply.}
`
	tests := []struct {
		name, in string
		want     []string
	}{
		{"denial needs appeal terms", denied,
			[]string{"1:1: appeal: is required when a request is denied at first review, but missing"}},
		{"final denial on appeal takes no appeal terms", denied + "review: appeal\nappeal:\n  instructions: Open a pull request adding appeal.yaml.\n  deadline: 2026-05-01\n",
			[]string{"12:1: appeal: is not allowed when the decision is a denial on appeal, which is final; remove it"}},
		{"bad date", strings.Replace(denied, "date: 2026-04-01", "date: 04/01/2026", 1) + "review: appeal\n",
			[]string{`3:7: date: must be a date written YYYY-MM-DD; 04/01/2026 can be read two ways: write 2026-04-01 for April 1, or 2026-01-04 for January 4`}},
		{"impossible date", strings.Replace(denied, "date: 2026-04-01", "date: 2026-02-30", 1) + "review: appeal\n",
			[]string{`3:7: date: there is no 2026-02-30: February 2026 has 28 days`}},
		{"criterion verdict through $ref", strings.Replace(denied, "verdict: met, note: Little", "verdict: fine, note: Little", 1) + "review: appeal\n",
			[]string{`9:24: evaluation.resources.verdict: must be one of met, concern, not-met, not "fine"`}},
		{"acknowledged needs an estimate", "outcome: acknowledged\ndecided_by: kc-opendata-lee\ndate: 2026-04-01\n",
			[]string{"1:1: estimated_review_days: is required when the outcome is acknowledged or needs-info, but missing"}},
		{"conditions only on approval", "outcome: acknowledged\ndecided_by: kc-opendata-lee\ndate: 2026-04-01\nestimated_review_days: 5\nconditions:\n  scopes: [a]\n",
			[]string{"5:1: conditions: is not allowed when the outcome is not approved; remove it"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := check(t, docket.KindDecisionFile, tt.in)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("findings:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestEnforcementMessages(t *testing.T) {
	in := `actions:
  - action: suspension
    date: 2026-08-01
    by: kc-opendata-lee
    reason: Sustained traffic far above the limit.
  - action: warning
    date: 2026-08-02
    until: 2026-09-01
    by: kc-opendata-lee
    reason: Second notice about the traffic.
  - action: fine
    date: 2026-08-03
    by: kc-opendata-lee
    reason: There are no fines in the city's pages.
`
	want := []string{
		"2:5: actions[1].until: is required when the action is a suspension, but missing",
		"8:5: actions[2].until: is not allowed when the action is not a suspension; remove it",
		`11:13: actions[3].action: must be one of warning, suspension, revocation, reinstatement, agreement-termination, remediation-request, removal-request, not "fine"`,
	}
	if got := check(t, docket.KindEnforcementFile, in); !reflect.DeepEqual(got, want) {
		t.Errorf("findings:\n got %q\nwant %q", got, want)
	}
}

// Every schema must give every property a description, and every property that holds a value
// examples: they are the field reference on the site and the hover text in editors. The whole
// example at the top of each schema must itself be valid.
func TestSchemasDescribeEveryProperty(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for id, raw := range c.raw {
		var walk func(path string, v any)
		walk = func(path string, v any) {
			m, ok := v.(map[string]any)
			if !ok {
				return
			}
			conditional := strings.Contains(path, "/allOf")
			if props, ok := m["properties"].(map[string]any); ok && !conditional {
				for name, p := range props {
					pm, _ := p.(map[string]any)
					if _, ok := pm["description"]; !ok {
						t.Errorf("%s%s/%s has no description", id, path, name)
					}
					if _, ok := pm["examples"]; !ok && holdsValue(pm) {
						t.Errorf("%s%s/%s has no examples", id, path, name)
					}
				}
			}
			for k, child := range m {
				switch c := child.(type) {
				case map[string]any:
					walk(path+"/"+k, c)
				case []any:
					for i, x := range c {
						walk(fmt.Sprintf("%s/%s/%d", path, k, i), x)
					}
				}
			}
		}
		walk("#", raw)
		m := raw.(map[string]any)
		if m["additionalProperties"] != false {
			t.Errorf("%s does not set additionalProperties: false", id)
		}
		examples, _ := m["examples"].([]any)
		if len(examples) == 0 {
			t.Errorf("%s has no whole-document example", id)
		}
		validated := false
		for kind, s := range c.compiled {
			if s.Location == id || strings.HasPrefix(s.Location, id+"#") {
				validated = true
				for _, ex := range examples {
					if err := s.Validate(ex); err != nil {
						t.Errorf("%s (%s): example is not valid: %v", id, kind, err)
					}
				}
			}
		}
		if !validated {
			t.Errorf("%s: no compiled schema found to check its examples", id)
		}
	}
}

// holdsValue reports whether a property schema describes a value rather than a set of fields
// or a list of them, which are described by their own properties.
func holdsValue(p map[string]any) bool {
	if _, ref := p["$ref"]; ref || p["type"] == "object" {
		return false
	}
	if items, ok := p["items"].(map[string]any); ok && items["type"] == "object" {
		return false
	}
	return true
}
