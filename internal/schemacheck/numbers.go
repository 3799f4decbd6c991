package schemacheck

import (
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/yamldoc"
)

// wholeNumber checks the value v at ptr, whose schema is s, for a whole number written with a
// decimal point, which YAML reads as a fraction: 10.000 is 10 to YAML and ten thousand to a
// European. Whatever the value reads as, the field is refused with the number meant
// (yamldoc.DotAdvice): the finding goes to out, its instance location to at, for which the
// schema's own errors are not reported. texts calls it for each number in its walk of the file.
func (c *Checker) wholeNumber(doc *yamldoc.Document, s map[string]any, v any, ptr []string, out *[]docket.Finding, at map[string]bool) {
	if _, ok := v.(json.Number); !ok || s["type"] != "integer" || len(*out) >= maxTextFindings {
		return
	}
	text, ok := doc.Plain(ptr)
	if !ok || !strings.Contains(text, ".") {
		return
	}
	if msg := yamldoc.DotAdvice(text); msg != "" {
		line, col := doc.Pos(ptr)
		at[pointer(ptr)] = true
		*out = append(*out, docket.Finding{Path: doc.Path, Line: line, Col: col, Field: doc.FieldName(ptr), Message: msg})
	}
}

// eachValue calls leaf for every value in v that is neither a mapping nor a list, with the
// schema that applies to it (resolved from root by child) and its pointer, mapping members in
// the order of their names, while more says to go on.
func (c *Checker) eachValue(root map[string]any, v any, more func() bool, leaf func(s map[string]any, v any, ptr []string)) {
	var walk func(s map[string]any, v any, ptr []string)
	walk = func(s map[string]any, v any, ptr []string) {
		if s == nil || !more() {
			return
		}
		switch x := v.(type) {
		case map[string]any:
			for _, k := range slices.Sorted(maps.Keys(x)) {
				sub, _ := c.child(root, s, v, k)
				walk(sub, x[k], append(ptr, k))
			}
		case []any:
			for i, item := range x {
				sub, _ := c.child(root, s, v, "")
				walk(sub, item, append(ptr, strconv.Itoa(i)))
			}
		default:
			leaf(s, v, ptr)
		}
	}
	walk(root, v, nil)
}
