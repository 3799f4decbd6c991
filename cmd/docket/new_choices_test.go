package main

import (
	"slices"
	"testing"

	"github.com/opendata-docket/docket/internal/docket"
)

// docket new offers exactly the values the schema allows, in its order; the hints are its own.
func TestNewChoicesAreTheSchemas(t *testing.T) {
	for name, tc := range map[string]struct {
		choices []choice
		want    []string
	}{
		"requester types": {typeChoices, docket.RequesterTypes()},
		"uses":            {useChoices, docket.PurposeUses()},
		"frequencies":     {frequencyChoices, docket.UpdateFrequencies()},
	} {
		var got []string
		for _, c := range tc.choices {
			got = append(got, c.value)
		}
		if !slices.Equal(got, tc.want) || len(got) == 0 {
			t.Errorf("%s: docket new offers %q, the schema allows %q", name, got, tc.want)
		}
	}
}
