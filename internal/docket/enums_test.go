package docket

import (
	"slices"
	"testing"
)

// The enumerations come from the schemas; an empty one means the schema moved the property.
func TestSchemaEnums(t *testing.T) {
	for name, tc := range map[string]struct {
		got  []string
		want string
	}{
		"requester types": {RequesterTypes(), "nonprofit"},
		"reason codes":    {ReasonCodes(), "already-available"},
		"uses":            {PurposeUses(), "analytics"},
		"frequencies":     {UpdateFrequencies(), "quarterly"},
	} {
		if !slices.Contains(tc.got, tc.want) {
			t.Errorf("%s = %q, want a list with %q", name, tc.got, tc.want)
		}
	}
	if got, want := Verdicts(), []string{VerdictMet, VerdictConcern, VerdictNotMet}; !slices.Equal(got, want) {
		t.Errorf("verdicts in the schema = %q, constants = %q", got, want)
	}
	if got := schemaEnum("decision.schema.json", "$defs", "nothing", "verdict"); got != nil {
		t.Errorf("a missing definition: %q", got)
	}
	if got := schemaEnum("request.schema.json", "requester", "nothing"); got != nil {
		t.Errorf("a missing property: %q", got)
	}
}
