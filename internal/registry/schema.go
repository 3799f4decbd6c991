package registry

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/opendata-docket/docket/schema"
)

// The registry is checked against schema/keys.schema.json itself, not a copy of its rules: a
// keys.json with no keys array, a null where a list belongs or a key missing a field must be
// refused, never read as an empty registry (which would issue every key again). The schema
// uses a small part of JSON Schema (type, required, properties, additionalProperties, items,
// enum, const, pattern, minimum, minItems, maxLength, $ref to $defs), and that part is checked
// here; the full validator lives with the request files (internal/schemacheck), and a test
// checks that both agree on what docket writes.

type node struct {
	Ref                  string           `json:"$ref"`
	Type                 string           `json:"type"`
	Required             []string         `json:"required"`
	Properties           map[string]*node `json:"properties"`
	AdditionalProperties *bool            `json:"additionalProperties"`
	Items                *node            `json:"items"`
	Enum                 []any            `json:"enum"`
	Const                any              `json:"const"`
	Pattern              string           `json:"pattern"`
	Minimum              *float64         `json:"minimum"`
	MinItems             *int             `json:"minItems"`
	MaxLength            *int             `json:"maxLength"`
	Defs                 map[string]*node `json:"$defs"`
	re                   *regexp.Regexp
}

var (
	schemaOnce sync.Once
	schemaRoot *node
	schemaErr  error
)

func loadSchema() (*node, error) {
	schemaOnce.Do(func() {
		data, err := schema.FS.ReadFile(schema.Keys)
		if err != nil {
			schemaErr = err
			return
		}
		var n node
		if err := json.Unmarshal(data, &n); err != nil {
			schemaErr = fmt.Errorf("%s: %w", schema.Keys, err)
			return
		}
		schemaRoot = &n
	})
	return schemaRoot, schemaErr
}

// checkSchema checks data (keys.json) against the registry's schema and returns every place it
// breaks it.
func checkSchema(data []byte) error {
	root, err := loadSchema()
	if err != nil {
		return err
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	var errs []string
	root.check(root, v, "", &errs)
	if len(errs) > 0 {
		if len(errs) > 5 {
			errs = append(errs[:5], fmt.Sprintf("and %d more", len(errs)-5))
		}
		return fmt.Errorf("does not match %s: %s", schema.Keys, strings.Join(errs, "; "))
	}
	return nil
}

func (n *node) check(root *node, v any, at string, errs *[]string) {
	if n.Ref != "" {
		name, ok := strings.CutPrefix(n.Ref, "#/$defs/")
		d := root.Defs[name]
		if !ok || d == nil {
			*errs = append(*errs, fmt.Sprintf("%s: the schema's %s is not known", where(at), n.Ref))
			return
		}
		d.check(root, v, at, errs)
		return
	}
	bad := func(format string, a ...any) { *errs = append(*errs, where(at)+": "+fmt.Sprintf(format, a...)) }
	if n.Const != nil && !equalJSON(n.Const, v) {
		bad("must be %v", n.Const)
		return
	}
	if n.Enum != nil && !slices.ContainsFunc(n.Enum, func(e any) bool { return equalJSON(e, v) }) {
		bad("must be one of %v, not %v", n.Enum, v)
		return
	}
	switch n.Type {
	case "object":
		obj, ok := v.(map[string]any)
		if !ok {
			bad("must be an object, not %s", kind(v))
			return
		}
		for _, r := range n.Required {
			if _, ok := obj[r]; !ok {
				*errs = append(*errs, fmt.Sprintf("%s: %s is missing", where(at), r))
			}
		}
		for k, fv := range obj {
			p := n.Properties[k]
			if p == nil {
				if n.AdditionalProperties != nil && !*n.AdditionalProperties {
					*errs = append(*errs, fmt.Sprintf("%s: unknown field %s", where(at), k))
				}
				continue
			}
			p.check(root, fv, join(at, k), errs)
		}
	case "array":
		arr, ok := v.([]any)
		if !ok {
			bad("must be a list, not %s", kind(v))
			return
		}
		if n.MinItems != nil && len(arr) < *n.MinItems {
			bad("must have at least %d items", *n.MinItems)
		}
		if n.Items != nil {
			for i, e := range arr {
				n.Items.check(root, e, fmt.Sprintf("%s[%d]", at, i), errs)
			}
		}
	case "string":
		s, ok := v.(string)
		if !ok {
			bad("must be a string, not %s", kind(v))
			return
		}
		if n.MaxLength != nil && len([]rune(s)) > *n.MaxLength {
			bad("must be at most %d characters", *n.MaxLength)
		}
		if n.Pattern != "" {
			if n.re == nil {
				n.re = regexp.MustCompile(n.Pattern)
			}
			if !n.re.MatchString(s) {
				bad("does not have the form the schema gives (%s)", n.Pattern)
			}
		}
	case "integer", "number":
		f, ok := v.(float64)
		if !ok {
			bad("must be a number, not %s", kind(v))
			return
		}
		if n.Type == "integer" && f != math.Trunc(f) {
			bad("must be a whole number")
		}
		if n.Minimum != nil && f < *n.Minimum {
			bad("must be at least %g", *n.Minimum)
		}
	}
}

func equalJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "true or false"
	}
	return fmt.Sprintf("%T", v)
}

func join(at, k string) string {
	if at == "" {
		return k
	}
	return at + "." + k
}

func where(at string) string {
	if at == "" {
		return "the registry"
	}
	return at
}
