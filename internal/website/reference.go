package website

import (
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"slices"
	"strings"

	"github.com/opendata-docket/docket/schema"
)

// The field reference is generated from the descriptions in the JSON Schemas, the single
// source of truth for every field, so it cannot drift from what docket validate checks.

type referenceSchema struct {
	File, Title string
	Description template.HTML
	Fields      []referenceField
}

type referenceField struct {
	Path, Type, Values string
	Required           bool
	Description        template.HTML
	Depth              int
}

// BreakablePath is the field's path, escaped, with a line-break opportunity (<wbr>) after each
// dot and underscore, so a narrow column breaks api_access.traffic.requests_per_day between its
// words and never inside one.
func (f referenceField) BreakablePath() template.HTML {
	var b strings.Builder
	for _, r := range f.Path {
		b.WriteString(template.HTMLEscapeString(string(r)))
		if r == '.' || r == '_' {
			b.WriteString("<wbr>")
		}
	}
	return template.HTML(b.String())
}

// jsonSchema is the part of a schema the reference reads.
type jsonSchema struct {
	Ref                  string                 `json:"$ref"`
	Title                string                 `json:"title"`
	Description          string                 `json:"description"`
	Type                 any                    `json:"type"`
	Enum                 []any                  `json:"enum"`
	Const                any                    `json:"const"`
	Format               string                 `json:"format"`
	Required             []string               `json:"required"`
	Properties           map[string]*jsonSchema `json:"properties"`
	Items                *jsonSchema            `json:"items"`
	AdditionalProperties any                    `json:"additionalProperties"`
	Defs                 map[string]*jsonSchema `json:"$defs"`
}

var schemaOrder = []string{schema.Request, schema.Decision, schema.Appeal, schema.Acceptance, schema.Enforcement, schema.Config}

func loadReference(md *markdown) ([]referenceSchema, error) {
	var out []referenceSchema
	for _, name := range schemaOrder {
		b, err := fs.ReadFile(schema.FS, name)
		if err != nil {
			return nil, err
		}
		var s jsonSchema
		if err := json.Unmarshal(b, &s); err != nil {
			return nil, fmt.Errorf("reading %s: %w", name, err)
		}
		defs := s.Defs
		rs := referenceSchema{File: name, Title: s.Title, Description: md.HTML(s.Description)}
		var walk func(prefix string, s *jsonSchema, depth int)
		walk = func(prefix string, s *jsonSchema, depth int) {
			if depth > 8 {
				return
			}
			keys := make([]string, 0, len(s.Properties))
			for k := range s.Properties {
				keys = append(keys, k)
			}
			// Properties in a stable order: required first, each group alphabetical.
			slices.SortFunc(keys, func(a, b string) int {
				ra, rb := slices.Contains(s.Required, a), slices.Contains(s.Required, b)
				if ra != rb {
					if ra {
						return -1
					}
					return 1
				}
				return strings.Compare(a, b)
			})
			for _, k := range keys {
				p := resolveIn(s.Properties[k], defs)
				f := referenceField{Path: prefix + k, Required: slices.Contains(s.Required, k), Type: typeOf(p), Values: values(p), Description: md.HTML(p.Description), Depth: depth}
				rs.Fields = append(rs.Fields, f)
				switch {
				case len(p.Properties) > 0:
					walk(prefix+k+".", p, depth+1)
				case p.Items != nil:
					it := resolveIn(p.Items, defs)
					if len(it.Properties) > 0 {
						walk(prefix+k+"[].", it, depth+1)
					}
				}
			}
		}
		walk("", &s, 0)
		out = append(out, rs)
	}
	return out, nil
}

// resolveIn follows a local "#/$defs/name" reference.
func resolveIn(p *jsonSchema, defs map[string]*jsonSchema) *jsonSchema {
	if p == nil || !strings.HasPrefix(p.Ref, "#/$defs/") {
		return p
	}
	d, ok := defs[strings.TrimPrefix(p.Ref, "#/$defs/")]
	if !ok {
		return p
	}
	merged := *d
	if p.Description != "" {
		merged.Description = p.Description
	}
	return &merged
}

func typeOf(s *jsonSchema) string {
	switch t := s.Type.(type) {
	case string:
		if t == "array" && s.Items != nil {
			if it := typeOf(s.Items); it != "" {
				return "list of " + it
			}
		}
		if s.Format != "" {
			return t + " (" + s.Format + ")"
		}
		return t
	case []any:
		var parts []string
		for _, x := range t {
			parts = append(parts, fmt.Sprint(x))
		}
		return strings.Join(parts, " or ")
	}
	if len(s.Enum) > 0 {
		return "one of"
	}
	return ""
}

func values(s *jsonSchema) string {
	var parts []string
	for _, v := range s.Enum {
		parts = append(parts, fmt.Sprint(v))
	}
	return strings.Join(parts, ", ")
}
