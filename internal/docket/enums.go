package docket

import (
	"encoding/json"
	"sync"

	"github.com/opendata-docket/docket/schema"
)

// The closed sets of values whose only definition is the schemas (package schema), read from
// them once. Code that lists or counts by them (the site's statistics, forms) uses these
// instead of copying the lists.
var (
	// RequesterTypes returns the values of a request's requester.type, in the schema's order.
	RequesterTypes = sync.OnceValue(func() []string { return schemaEnum(schema.Request, "requester", "type") })
	// ReasonCodes returns the values of a decision's reason_code, in the schema's order.
	ReasonCodes = sync.OnceValue(func() []string { return schemaEnum(schema.Decision, "reason_code") })
	// PurposeUses returns the values of a request's purpose.use, in the schema's order.
	PurposeUses = sync.OnceValue(func() []string { return schemaEnum(schema.Request, "purpose", "use") })
	// UpdateFrequencies returns the values of a dataset request's dataset.update_frequency.
	UpdateFrequencies = sync.OnceValue(func() []string { return schemaEnum(schema.Request, "dataset", "update_frequency") })
	// Verdicts returns the verdicts on a criterion (VerdictMet, VerdictConcern, VerdictNotMet).
	Verdicts = sync.OnceValue(func() []string { return schemaEnum(schema.Decision, "$defs", "criterion", "verdict") })
)

// schemaEnum returns the enum of the property at path (property names, each under
// "properties"; a path starting "$defs", name reads that definition) in the schema file, or nil when the schema has none there; the schemas are
// embedded, and a test keeps every enum read here non-empty.
func schemaEnum(file string, path ...string) []string {
	data, err := schema.FS.ReadFile(file)
	if err != nil {
		return nil
	}
	type node struct {
		Properties map[string]json.RawMessage `json:"properties"`
		Enum       []string                   `json:"enum"`
	}
	var n node
	if json.Unmarshal(data, &n) != nil {
		return nil
	}
	if len(path) >= 2 && path[0] == "$defs" {
		var defs struct {
			Defs map[string]json.RawMessage `json:"$defs"`
		}
		n = node{}
		if json.Unmarshal(data, &defs) != nil || json.Unmarshal(defs.Defs[path[1]], &n) != nil {
			return nil
		}
		path = path[2:]
	}
	for _, name := range path {
		raw, ok := n.Properties[name]
		if !ok {
			return nil
		}
		n = node{}
		if json.Unmarshal(raw, &n) != nil {
			return nil
		}
	}
	return n.Enum
}
