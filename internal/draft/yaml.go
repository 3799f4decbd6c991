// Package draft writes docket's files for people who should not have to: a request from the
// answers to docket new or an issue form, a decision prefilled from the request and the
// configuration for docket decide, an enforcement action for docket enforce. The YAML is built
// with a YAML encoder from the domain types, never by pasting text into a template, so nothing a
// requester typed can add a field or end a value early; it reads back through the strict loader
// as exactly the value that was written.
package draft

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/opendata-docket/docket/internal/docket"
	"go.yaml.in/yaml/v3"
)

// Request returns requests/<id>/request.yaml for req.
func Request(req *docket.Request) ([]byte, error) {
	var order map[string][]string
	if req.Dataset != nil {
		// Sample rows in the order of the columns, as a person would write them.
		cols := make([]string, len(req.Dataset.Fields))
		for i, f := range req.Dataset.Fields {
			cols[i] = f.Name
		}
		order = map[string][]string{"dataset.sample_rows.*": cols}
	}
	return encode(req, "request", nil, order)
}

// Decision returns requests/<id>/decision.yaml for d. Comments, keyed by a dotted path such as
// "evaluation.sensitivity.verdict", are written at the end of their line: the choices a field
// allows, for whoever edits the draft.
//
// The evaluation lists the criteria in the order of criteria, the program's (Config.Criteria);
// without them, in the order of docket.DefaultCriteria, then by id.
func Decision(d *docket.Decision, comments map[string]string, criteria ...docket.CriterionDef) ([]byte, error) {
	if len(criteria) == 0 {
		criteria = docket.DefaultCriteria
	}
	var ids []string
	for _, c := range criteria {
		ids = append(ids, c.ID)
	}
	return encode(d, "decision", comments, map[string][]string{"evaluation": ids})
}

// Enforcement returns requests/<id>/enforcement.yaml for e.
func Enforcement(e *docket.Enforcement, comments map[string]string) ([]byte, error) {
	return encode(e, "enforcement", comments, nil)
}

// encode writes v, through its JSON form (whose field order is the schema's), as YAML under the
// yaml-language-server comment that names the schema of kind.
func encode(v any, kind string, comments map[string]string, order map[string][]string) ([]byte, error) {
	js, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.UseNumber()
	n, err := node(dec, "", comments, order)
	if err != nil {
		return nil, fmt.Errorf("writing the %s file: %w", kind, err)
	}
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "# yaml-language-server: $schema=../../schema/%s.schema.json\n", kind)
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return nil, fmt.Errorf("writing the %s file: %w", kind, err)
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

var plainDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// node reads one JSON value from dec as a YAML node, keeping the order of object keys.
func node(dec *json.Decoder, path string, comments map[string]string, order map[string][]string) (*yaml.Node, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	var n *yaml.Node
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n = &yaml.Node{Kind: yaml.MappingNode}
			type pair struct{ k, v *yaml.Node }
			var pairs []pair
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				key := kt.(string)
				v, err := node(dec, join(path, key), comments, order)
				if err != nil {
					return nil, err
				}
				pairs = append(pairs, pair{&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, v})
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			if want, ok := order[wildcard(path)]; ok {
				rank := map[string]int{}
				for i, k := range want {
					rank[k] = i + 1
				}
				sorted := make([]pair, 0, len(pairs))
				for _, k := range want {
					for _, p := range pairs {
						if p.k.Value == k {
							sorted = append(sorted, p)
						}
					}
				}
				for _, p := range pairs {
					if rank[p.k.Value] == 0 {
						sorted = append(sorted, p)
					}
				}
				pairs = sorted
			}
			for _, p := range pairs {
				n.Content = append(n.Content, p.k, p.v)
			}
		case '[':
			n = &yaml.Node{Kind: yaml.SequenceNode}
			i := 0
			for dec.More() {
				v, err := node(dec, join(path, fmt.Sprint(i)), comments, order)
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, v)
				i++
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			if allScalars(n.Content) && len(n.Content) <= 10 {
				n.Style = yaml.FlowStyle
			}
		}
	case string:
		n = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: t}
		switch {
		case plainDate.MatchString(t):
			// Dates are written as people write them, unquoted; docket reads them as text.
			n.Tag = ""
		case strings.Contains(strings.TrimRight(t, "\n"), "\n"):
			n.Style = yaml.LiteralStyle
		}
	case json.Number:
		n = &yaml.Node{Kind: yaml.ScalarNode, Value: t.String()}
		if strings.ContainsAny(t.String(), ".eE") {
			n.Tag = "!!float"
		} else {
			n.Tag = "!!int"
		}
	case bool:
		n = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: fmt.Sprint(t)}
	case nil:
		n = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
	}
	if c, ok := comments[path]; ok && n != nil {
		n.LineComment = "# " + c
	}
	return n, nil
}

func allScalars(ns []*yaml.Node) bool {
	for _, n := range ns {
		if n.Kind != yaml.ScalarNode || n.Style == yaml.LiteralStyle {
			return false
		}
	}
	return true
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// wildcard replaces list indexes in a dotted path with *.
func wildcard(path string) string {
	parts := strings.Split(path, ".")
	for i, p := range parts {
		if p != "" && strings.Trim(p, "0123456789") == "" {
			parts[i] = "*"
		}
	}
	return strings.Join(parts, ".")
}
