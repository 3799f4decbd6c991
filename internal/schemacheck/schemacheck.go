// Package schemacheck validates parsed files against docket's JSON Schemas and rewrites every
// schema error into a finding a requester can act on: located at the line the field was written,
// naming the field, and saying in plain words what is allowed. The schemas are compiled once per
// Checker, which is safe for concurrent use.
package schemacheck

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/secrets"
	"github.com/opendata-docket/docket/internal/suggest"
	"github.com/opendata-docket/docket/internal/yamldoc"
	"github.com/opendata-docket/docket/schema"
	"github.com/santhosh-tekuri/jsonschema/v5"
)

var schemaFiles = map[docket.FileKind]string{
	docket.KindRequestFile:     schema.Request,
	docket.KindDecisionFile:    schema.Decision,
	docket.KindAppealFile:      schema.Appeal,
	docket.KindEnforcementFile: schema.Enforcement,
	docket.KindAcceptanceFile:  schema.Acceptance,
	docket.KindConfigFile:      schema.Config,
}

// Checker holds the compiled schemas and their source, which messages quote from.
type Checker struct {
	compiled map[docket.FileKind]*jsonschema.Schema
	raw      map[string]any                          // schema $id → parsed schema JSON
	ids      map[docket.FileKind]string              // the $id of each kind's schema
	homes    map[docket.FileKind]map[string][]string // field name → the objects it is a field of
}

// New compiles every schema in the schema package.
func New() (*Checker, error) {
	return NewFromFS(schema.FS)
}

// NewFromFS compiles the schemas from fsys, which holds the files named in the schema package.
func NewFromFS(fsys fs.FS) (*Checker, error) {
	c := &Checker{compiled: map[docket.FileKind]*jsonschema.Schema{}, raw: map[string]any{}, ids: map[docket.FileKind]string{}}
	comp := jsonschema.NewCompiler()
	comp.Draft = jsonschema.Draft2020
	comp.AssertFormat = true
	ids := c.ids
	for kind, name := range schemaFiles {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("reading schema %s: %w", name, err)
		}
		var doc map[string]any
		if err := json.Unmarshal(data, &doc); err != nil {
			return nil, fmt.Errorf("parsing schema %s: %w", name, err)
		}
		id, _ := doc["$id"].(string)
		if id == "" {
			return nil, fmt.Errorf("schema %s has no $id", name)
		}
		if err := comp.AddResource(id, strings.NewReader(string(data))); err != nil {
			return nil, fmt.Errorf("loading schema %s: %w", name, err)
		}
		c.raw[id] = doc
		ids[kind] = id
	}
	for kind, id := range ids {
		s, err := comp.Compile(id)
		if err != nil {
			return nil, fmt.Errorf("compiling schema %s: %w", schemaFiles[kind], err)
		}
		c.compiled[kind] = s
	}
	c.homes = map[docket.FileKind]map[string][]string{}
	for kind := range ids {
		c.homes[kind] = c.fieldHomes(kind)
	}
	return c, nil
}

// MaxNamed is how many unknown names in one place (the fields of one object, the columns of
// a file's sample rows) are reported one by one, each with its "did you mean"; the rest are
// counted in one more finding.
const MaxNamed = 10

// Check validates doc as a file of the given kind and returns its findings, unsorted.
func (c *Checker) Check(kind docket.FileKind, doc *yamldoc.Document) []docket.Finding {
	s := c.compiled[kind]
	if s == nil {
		return []docket.Finding{{Path: doc.Path, Line: 1, Col: 1, Message: fmt.Sprintf("docket has no schema for %s files", kind)}}
	}
	var all []*jsonschema.ValidationError
	if err := s.Validate(doc.Value); err != nil {
		var ve *jsonschema.ValidationError
		if !errors.As(err, &ve) {
			return []docket.Finding{{Path: doc.Path, Line: 1, Col: 1, Message: "this file could not be checked: it holds a value docket cannot read"}}
		}
		all = leaves(ve, nil)
	}
	reported := make(map[string]bool, len(all))
	for _, leaf := range all {
		reported[leaf.InstanceLocation] = true
	}
	// Text cut short by a comment is reported as that; what the schema says about the rest
	// of it (too short, empty) follows from it.
	// A decimal point in a whole number is a thousands separator or a slip; said once, as that.
	texts, cut, wholes, dotted := c.texts(kind, doc, reported)
	texts = append(texts, wholes...)
	for p := range dotted {
		cut[p] = true
	}
	// A member that is not allowed at all is reported once; what its own schema would say about
	// its content is noise.
	var banned []string
	for _, leaf := range all {
		if c.isFalseSchema(leaf) {
			banned = append(banned, leaf.InstanceLocation)
		}
	}
	out := texts
	for _, leaf := range all {
		if !c.isFalseSchema(leaf) && slices.ContainsFunc(banned, func(b string) bool {
			return leaf.InstanceLocation == b || strings.HasPrefix(leaf.InstanceLocation, b+"/")
		}) {
			continue
		}
		if cut[leaf.InstanceLocation] {
			continue
		}
		out = append(out, c.explain(kind, doc, leaf)...)
	}
	return out
}

// isFalseSchema reports whether the error comes from a `false` schema: a member that is not
// allowed at all in this case. additionalProperties: false is one too, but it is reported on
// the object, and explainKeyword names the fields.
func (c *Checker) isFalseSchema(ve *jsonschema.ValidationError) bool {
	url, frag, _ := strings.Cut(ve.AbsoluteKeywordLocation, "#")
	kw := yamldoc.SplitPointer(frag)
	b, ok := lookup(c.raw[url], kw).(bool)
	return ok && !b && (len(kw) == 0 || kw[len(kw)-1] != "additionalProperties")
}

func leaves(ve *jsonschema.ValidationError, acc []*jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(ve.Causes) == 0 {
		return append(acc, ve)
	}
	for _, c := range ve.Causes {
		acc = leaves(c, acc)
	}
	return acc
}

// site is one schema error being explained: where in the instance and where in the schema.
type site struct {
	c       *Checker
	kind    docket.FileKind
	doc     *yamldoc.Document
	ptr     []string // instance location
	value   any      // the instance value at ptr
	keyword string   // the failing keyword
	schema  map[string]any
	when    string // the condition under which the failing part of the schema applies
}

func (c *Checker) explain(kind docket.FileKind, doc *yamldoc.Document, ve *jsonschema.ValidationError) []docket.Finding {
	url, frag, _ := strings.Cut(ve.AbsoluteKeywordLocation, "#")
	kw := yamldoc.SplitPointer(frag)
	root := c.raw[url]
	s := &site{c: c, kind: kind, doc: doc, ptr: yamldoc.SplitPointer(ve.InstanceLocation)}
	s.value = valueAt(doc.Value, s.ptr)
	s.when = conditionOf(root, kw)

	if c.isFalseSchema(ve) {
		return s.at(s.keyPos(s.ptr), s.ptr, "is not allowed"+s.whenText("")+"; remove it")
	}
	if len(kw) == 0 {
		return s.at(s.pos(s.ptr), s.ptr, "does not match the schema")
	}
	s.keyword = kw[len(kw)-1]
	s.schema, _ = lookup(root, kw[:len(kw)-1]).(map[string]any)
	return s.explainKeyword()
}

func (s *site) explainKeyword() []docket.Finding {
	kwv := s.schema[s.keyword]
	switch s.keyword {
	case "required":
		obj, _ := s.value.(map[string]any)
		props, _ := s.schema["properties"].(map[string]any)
		var out []docket.Finding
		for _, r := range strings_(kwv) {
			if _, ok := obj[r]; ok {
				continue
			}
			if slices.ContainsFunc(slices.Collect(maps.Keys(obj)), func(k string) bool { return strings.HasPrefix(k, r+":") }) {
				continue // written without a space after the colon; said on that field
			}
			if s.misplaced(obj, r) || s.movedAway(r) {
				continue // written one level too deep or too shallow, or under another field; said where it is
			}
			if s.misspelled(obj, props, r) {
				continue // written with a typo; the unknown field says "did you mean"
			}
			msg := "is required but missing"
			if s.when != "" {
				msg = "is required when " + s.when + ", but missing"
			}
			if p, ok := props[r].(map[string]any); ok {
				if vals := strings_(p["enum"]); len(vals) > 0 {
					msg += "; use one of " + strings.Join(vals, ", ")
				}
			}
			child := append(slices.Clip(s.ptr), r)
			out = append(out, s.at(s.containerPos(), child, msg)...)
		}
		return out
	case "additionalProperties":
		obj, _ := s.value.(map[string]any)
		props, _ := s.schema["properties"].(map[string]any)
		allowed := make([]string, 0, len(props))
		for k := range props {
			allowed = append(allowed, k)
		}
		sort.Strings(allowed)
		// In the order they are written; only the first few get a message (and a search for
		// what was meant) each, so that a file of thousands of stray keys costs no more to
		// explain than it took to read.
		var unknown []string
		written := s.doc.Keys(s.ptr)
		if len(written) != len(obj) { // not where the document says: every key, sorted
			written = slices.Sorted(maps.Keys(obj))
		}
		for _, k := range written {
			if _, ok := props[k]; !ok {
				if _, ok := obj[k]; ok {
					unknown = append(unknown, k)
				}
			}
		}
		named := unknown[:min(len(unknown), MaxNamed)]
		out, explained := s.cutByComma(named)
		for _, k := range named {
			if explained[k] {
				continue
			}
			msg := "unknown field"
			if hint := s.unknownHint(k); hint != "" {
				msg = hint
			} else if guess := suggest.Closest(k, allowed); guess != "" {
				msg += "; did you mean " + guess + "?"
			} else if len(allowed) > 0 {
				msg += "; the fields allowed here are " + strings.Join(allowed, ", ")
			}
			child := append(slices.Clip(s.ptr), k)
			out = append(out, s.at(s.keyPos(child), child, msg)...)
		}
		if more := len(unknown) - MaxNamed; more > 0 {
			msg := fmt.Sprintf("has %d unknown fields; the first %d are listed on their own lines", len(unknown), MaxNamed)
			if len(allowed) > 0 {
				msg += "; the fields allowed here are " + strings.Join(allowed, ", ")
			}
			out = append(out, s.at(s.pos(s.ptr), s.ptr, msg)...)
		}
		return out
	case "type":
		want := strings_(kwv)
		if w, ok := kwv.(string); ok {
			want = []string{w}
		}
		if hint := s.typeHint(want); hint != "" {
			return s.at(s.pos(s.ptr), s.ptr, hint)
		}
		names := make([]string, len(want))
		for i, w := range want {
			names[i] = typeNames[w]
		}
		msg := "must be " + orList(names) + ", not " + describe(s.value)
		if _, isNum := s.value.(json.Number); isNum && slices.Contains(want, "string") {
			msg += "; put it in quotes"
		}
		if _, isBool := s.value.(bool); isBool && slices.Contains(want, "string") {
			msg += "; put it in quotes" // title: true, or a yes/no answer where text belongs
		}
		if str, isStr := s.value.(string); isStr && (slices.Contains(want, "integer") || slices.Contains(want, "number") || slices.Contains(want, "boolean")) {
			if _, err := strconv.ParseFloat(str, 64); err == nil || str == "true" || str == "false" {
				msg += "; remove the quotes"
			}
		}
		return s.at(s.pos(s.ptr), s.ptr, msg)
	case "enum", "const":
		vals := strings_(kwv)
		if c, ok := kwv.(string); ok {
			vals = []string{c}
		}
		msg := "must be one of " + strings.Join(vals, ", ") + ", not " + describe(s.value)
		if len(vals) == 1 {
			msg = "must be " + vals[0] + ", not " + describe(s.value)
		}
		if str, ok := s.value.(string); ok {
			if hint := enumHint(str, vals); hint != "" {
				msg += "; " + hint
			} else if guess := suggest.Closest(str, vals); guess != "" {
				msg += "; did you mean " + guess + "?"
			}
		}
		return s.at(s.pos(s.ptr), s.ptr, msg)
	case "minLength":
		str, _ := s.value.(string)
		if strings.TrimSpace(str) == "" {
			return s.at(s.pos(s.ptr), s.ptr, "must not be empty")
		}
		return s.at(s.pos(s.ptr), s.ptr, fmt.Sprintf("is too short: write at least %s characters (it has %d)", num(kwv), utf8.RuneCountInString(str)))
	case "maxLength":
		str, _ := s.value.(string)
		return s.at(s.pos(s.ptr), s.ptr, fmt.Sprintf("is too long: at most %s characters are allowed (it has %d)", num(kwv), utf8.RuneCountInString(str)))
	case "pattern":
		hint, _ := s.schema["x-hint"].(string)
		if hint == "" {
			hint = "in the expected form"
		}
		msg := "must be " + hint + ", not " + describe(s.value)
		if str, ok := s.value.(string); ok {
			if h := s.patternHint(str); h != "" {
				msg += "; " + h
			}
		}
		return s.at(s.pos(s.ptr), s.ptr, msg)
	case "format":
		f, _ := kwv.(string)
		if str, ok := s.value.(string); ok && f == "date" {
			return s.at(s.pos(s.ptr), s.ptr, dateMessage(str, describe(s.value)))
		}
		return s.at(s.pos(s.ptr), s.ptr, "must be "+formatNames(f)+", not "+describe(s.value))
	case "minimum":
		return s.at(s.pos(s.ptr), s.ptr, "must be at least "+num(kwv)+", not "+describe(s.value))
	case "maximum":
		return s.at(s.pos(s.ptr), s.ptr, "must be at most "+num(kwv)+", not "+describe(s.value))
	case "exclusiveMinimum":
		return s.at(s.pos(s.ptr), s.ptr, "must be more than "+num(kwv)+", not "+describe(s.value))
	case "exclusiveMaximum":
		return s.at(s.pos(s.ptr), s.ptr, "must be less than "+num(kwv)+", not "+describe(s.value))
	case "minItems":
		list, _ := s.value.([]any)
		if len(list) == 0 {
			return s.at(s.pos(s.ptr), s.ptr, "must list at least "+num(kwv)+" item"+plural(num(kwv)))
		}
		return s.at(s.pos(s.ptr), s.ptr, fmt.Sprintf("must list at least %s items (it has %d)", num(kwv), len(list)))
	case "maxItems":
		list, _ := s.value.([]any)
		return s.at(s.pos(s.ptr), s.ptr, fmt.Sprintf("lists %d items; at most %s are allowed", len(list), num(kwv)))
	case "uniqueItems":
		list, _ := s.value.([]any)
		seen := map[string]bool{}
		for i, v := range list {
			k := fmt.Sprint(v)
			if seen[k] {
				child := append(slices.Clip(s.ptr), strconv.Itoa(i))
				return s.at(s.pos(child), s.ptr, "lists "+describe(v)+" more than once; list each only once")
			}
			seen[k] = true
		}
	}
	return s.at(s.pos(s.ptr), s.ptr, "is not allowed here; see the field reference for what this field takes")
}

func (s *site) at(pos [2]int, ptr []string, msg string) []docket.Finding {
	field := s.doc.FieldName(ptr)
	if field == "" {
		msg = "the file " + msg
	}
	return []docket.Finding{{Path: s.doc.Path, Line: pos[0], Col: pos[1], Field: field, Message: msg}}
}

func (s *site) pos(ptr []string) [2]int {
	l, c := s.doc.Pos(ptr)
	return [2]int{l, c}
}

func (s *site) keyPos(ptr []string) [2]int {
	l, c := s.doc.KeyPos(ptr)
	return [2]int{l, c}
}

func (s *site) containerPos() [2]int {
	l, c := s.doc.ContainerPos(s.ptr)
	return [2]int{l, c}
}

func (s *site) whenText(prefix string) string {
	if s.when == "" {
		return prefix + " here"
	}
	return prefix + " when " + s.when
}

// conditionOf finds the x-when text of the conditional schema the keyword sits in, if any.
func conditionOf(root any, kw []string) string {
	for i := len(kw); i > 0; i-- {
		if m, ok := lookup(root, kw[:i]).(map[string]any); ok {
			if w, ok := m["x-when"].(string); ok && slices.Contains(kw[i:], "then") {
				return w
			}
		}
	}
	return ""
}

func lookup(v any, ptr []string) any {
	for _, tok := range ptr {
		switch x := v.(type) {
		case map[string]any:
			v = x[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

func valueAt(v any, ptr []string) any { return lookup(v, ptr) }

func strings_(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

var typeNames = map[string]string{
	"string":  "text",
	"integer": "a whole number",
	"number":  "a number",
	"boolean": "true or false",
	"object":  "a set of fields (name: value)",
	"array":   "a list",
	"null":    "empty",
}

func formatNames(f string) string {
	switch f {
	case "date":
		return "a date written YYYY-MM-DD, like 2026-04-14"
	case "uri":
		return "a full web address"
	case "email":
		return "an email address"
	}
	return "in " + f + " form"
}

// describe names a value for a message. Requester text is quoted and shortened; output
// formats escape it further for where it is shown.
func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "empty"
	case bool:
		return strconv.FormatBool(x)
	case json.Number:
		return string(x)
	case string:
		return quote(x)
	case []any:
		return "a list"
	case map[string]any:
		return "a set of fields"
	}
	return "this value"
}

// quote shortens and quotes a value for a message. secrets.Shorten redacts before it cuts: a
// secret cut first would keep most of its characters and no longer look like one.
func quote(s string) string {
	return strconv.Quote(secrets.Shorten(s, 60))
}

func num(v any) string {
	switch x := v.(type) {
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case json.Number:
		return string(x)
	}
	return fmt.Sprint(v)
}

func plural(n string) string {
	if n == "1" {
		return ""
	}
	return "s"
}

func orList(names []string) string {
	switch len(names) {
	case 0:
		return "something else"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
