// Package yamldoc reads one YAML file written by a person into plain data that keeps, for every
// value, the line and column it was written on. It accepts only what a request needs to be:
// one document of mappings, lists and scalars in UTF-8, with no anchors, aliases, merge keys,
// custom tags or duplicate keys, so that what a reviewer reads in the diff is exactly what docket
// sees. Every problem comes back as a finding in plain words, never as a raw parser message, and
// no input makes it panic.
package yamldoc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/secrets"
	"go.yaml.in/yaml/v3"
)

// MaxSize is the largest file docket reads. Requests are short; anything larger is a mistake
// or an attack on the validator.
const MaxSize = 1 << 20

// maxDepth bounds nesting. The deepest schema is five levels; the bound keeps recursion safe.
const maxDepth = 64

// Document is a parsed file: its JSON-compatible value and the YAML nodes behind it, which
// locate every value at its line and column.
type Document struct {
	Path  string
	Value any // map[string]any, []any, string, json.Number, bool or nil; nil after Compact

	data []byte // the file as read, to find positions again after Compact
	mu   sync.Mutex
	root *yaml.Node // nil after Compact until a position is asked for
}

// Compact drops the parsed value and node tree, which are many times the size of the file,
// once the file has been checked and decoded. A repository of ten thousand requests is then held
// in a few megabytes. Positions are still found: the file is parsed again on first need, which
// is only when a finding is reported.
func (d *Document) Compact() {
	d.mu.Lock()
	d.root, d.Value = nil, nil
	d.mu.Unlock()
}

// nodes returns the root node, parsing the file again if Compact dropped it.
func (d *Document) nodes() *yaml.Node {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.root == nil {
		if again, _ := Parse(d.Path, d.data); again != nil {
			d.root = again.root
		} else {
			// Cannot happen for a file that parsed before; locate everything at its start.
			d.root = &yaml.Node{Kind: yaml.MappingNode, Line: 1, Column: 1}
		}
	}
	return d.root
}

// Parse reads data, the contents of the file at path. It returns the document, or nil and the
// findings that stop it from being read. A document with findings about its content (duplicate
// keys, aliases) is also returned as nil: its meaning is ambiguous.
func Parse(path string, data []byte) (*Document, []docket.Finding) {
	doc, findings := parse(path, data)
	if len(findings) > 0 {
		// A message may quote part of a line; no part of a secret on it may be repeated.
		found := secrets.In(string(data))
		for i := range findings {
			findings[i].Message = secrets.RedactParts(findings[i].Message, found)
			findings[i].Field = secrets.RedactParts(findings[i].Field, found)
		}
	}
	return doc, findings
}

// Source returns the file as it was read.
func (d *Document) Source() []byte { return d.data }

func parse(path string, data []byte) (doc *Document, findings []docket.Finding) {
	p := &parser{path: path}
	defer func() {
		// The YAML library is not ours; if it ever panics on a hostile file, say so and go on.
		if r := recover(); r != nil {
			doc = nil
			findings = []docket.Finding{p.at(1, 1, "", "this file could not be read as YAML; check it for unusual characters or structure")}
		}
	}()
	if len(data) > MaxSize {
		return nil, []docket.Finding{p.at(1, 1, "", fmt.Sprintf("file is %s; the limit is 1 MiB", humanSize(len(data))))}
	}
	if f, bad := p.checkText(data); bad {
		return nil, []docket.Finding{f}
	}
	if f, bad := p.checkSpaces(data); bad {
		return nil, []docket.Finding{f}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var n yaml.Node
	if err := dec.Decode(&n); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, []docket.Finding{p.at(1, 1, "", "file is empty")}
		}
		return nil, []docket.Finding{p.syntax(err, data)}
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		line := extra.Line
		if len(extra.Content) > 0 {
			line = extra.Content[0].Line
		}
		p.findings = append(p.findings, p.at(documentStart(data, line), 1, "", `only one YAML document is allowed; remove the "---" line and everything after it, or move it to its own file`))
	case !errors.Is(err, io.EOF):
		p.findings = append(p.findings, p.syntax(err, data))
	}
	root := &n
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return nil, []docket.Finding{p.at(1, 1, "", "file is empty")}
		}
		root = root.Content[0]
	}
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return nil, []docket.Finding{p.at(1, 1, "", "file has no fields; it holds only comments or an empty value")}
	}
	v := p.value(root, nil, 0)
	if len(p.findings) > 0 {
		return nil, p.findings
	}
	return &Document{Path: path, Value: v, data: data, root: root}, nil
}

type parser struct {
	path     string
	findings []docket.Finding
}

func (p *parser) at(line, col int, field, msg string) docket.Finding {
	return docket.Finding{Path: p.path, Line: max(line, 1), Col: max(col, 1), Field: field, Message: msg}
}

func (p *parser) add(n *yaml.Node, path []pathElem, msg string) {
	p.findings = append(p.findings, p.at(n.Line, n.Column, fieldName(path), msg))
}

// checkText finds what is not text: bytes that are not UTF-8, and control characters, which
// the YAML library reports without a line.
func (p *parser) checkText(data []byte) (docket.Finding, bool) {
	line, col := 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return p.at(line, col, "", "file is not UTF-8 text; save it with UTF-8 encoding"), true
		case r == '\n':
			line, col = line+1, 0
		case r == '\r' && (i+1 >= len(data) || data[i+1] != '\n'):
			// A lone carriage return ends a line for YAML but not for git or GitHub: text after
			// it would be read as a field while the diff shows it as part of the line before.
			return p.at(line, col, "", "file contains a carriage return that does not end a line (an old Mac line ending); save it with LF or CRLF line endings"), true
		case r == '\t' || r == '\r' || r == '\uFEFF':
		case invisible(r) != "":
			// Said of the field whose line it is on, when the line is one: the title, not the file.
			ls := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
			before := string([]rune(ls[line-1])[:max(0, min(col-1, utf8.RuneCountInString(ls[line-1])))])
			if field := outline(ls, line-1); field != "" && !strings.Contains(" "+before, " #") {
				return p.at(line, col, field, fmt.Sprintf("contains the invisible %s U+%04X; delete it", invisible(r), r)), true
			}
			return p.at(line, col, "", fmt.Sprintf("file contains the invisible %s U+%04X; delete it", invisible(r), r)), true
		}
		i += size
		col++
	}
	return docket.Finding{}, false
}

// invisible names the characters no docket file may hold, even written as an escape: control
// characters (but tab and newline), line and paragraph separators (YAML may break lines there,
// git does not), and bidirectional controls (text would display in another order than it is
// read). It returns "" for any other character.
func invisible(r rune) string {
	switch {
	case r == '\t' || r == '\n':
		return ""
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
		return "control character"
	case r == '\u2028' || r == '\u2029':
		return "line separator"
	case r >= '\u202A' && r <= '\u202E', r >= '\u2066' && r <= '\u2069':
		return "text-direction control"
	}
	return ""
}

// checkValue reports a text value or field name that holds an invisible character, which an
// escape in a "double-quoted" value can write without it being in the file's bytes.
func (p *parser) checkValue(n *yaml.Node, path []pathElem) { p.checkScalar(n, path, "contains") }

// checkKey is checkValue for a field name.
func (p *parser) checkKey(n *yaml.Node, path []pathElem) {
	p.checkScalar(n, path, "a field name here contains")
}

func (p *parser) checkScalar(n *yaml.Node, path []pathElem, what string) {
	// A secret in a value is found here as well as in the lines a pull request adds: written
	// with escapes ("ghp\x5f…") or split over lines it is whole only once decoded, and it
	// would be published decoded.
	for _, m := range secrets.Scan(n.Value) {
		p.add(n, path, fmt.Sprintf("%s what looks like %s; remove it from every commit and revoke it, because this repository and its site are public", what, secrets.Named(m.Kind)))
		return
	}
	for _, r := range n.Value {
		if what := invisible(r); what != "" {
			p.add(n, path, fmt.Sprintf("contains the invisible %s U+%04X (written as an escape); remove it", what, r))
			return
		}
	}
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntax turns a YAML library error into a located finding in plain words.
func (p *parser) syntax(err error, data []byte) docket.Finding {
	msg := err.Error()
	line := 1
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	if m := unknownAnchor.FindStringSubmatch(msg); m != nil {
		if s, ok := diagnose(data, err); ok {
			return p.at(s.line, s.col, s.field, s.msg) // text starting with *, like Markdown
		}
		// An alias to an anchor that does not exist: say what is wrong with aliases at all.
		l, c := locate(data, []byte("*"+m[1]))
		return p.at(l, c, "", fmt.Sprintf("aliases (*%s) are not allowed; write the value out in full", m[1]))
	}
	say := explainSyntax(msg)
	// A tab in the indentation is the most common error in files typed by hand, and the YAML
	// library reports it obliquely, sometimes a line early.
	for _, l := range []int{line, line + 1} {
		if indentedWithTab(data, l) {
			line = min(l, bytes.Count(data, []byte("\n"))+1)
			return p.at(line, 1, "", "YAML syntax error near here: tabs cannot be used for indentation; indent with spaces")
		}
	}
	// The common slips are recognised on the line where they are, with their repair.
	if s, ok := diagnose(data, err); ok {
		return p.at(s.line, s.col, s.field, s.msg)
	}
	// The library may point one line past the end of a file that does not end in a newline.
	line = min(line, bytes.Count(data, []byte("\n"))+1)
	return p.at(line, 1, "", "YAML syntax error near here: "+say)
}

var unknownAnchor = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)

// lines splits data into lines without their line ends.
func lines(data []byte) [][]byte {
	return bytes.Split(data, []byte("\n"))
}

// indentedWithTab reports whether the given line (from 1) is indented with a tab.
func indentedWithTab(data []byte, line int) bool {
	ls := lines(data)
	if line < 1 || line > len(ls) {
		return false
	}
	l := ls[line-1]
	indent := l[:len(l)-len(bytes.TrimLeft(l, " \t"))]
	return bytes.IndexByte(indent, '\t') >= 0
}

// locate returns the line and column of the first occurrence of needle, or 1:1.
func locate(data, needle []byte) (line, col int) {
	i := bytes.Index(data, needle)
	if i < 0 {
		return 1, 1
	}
	line = 1 + bytes.Count(data[:i], []byte("\n"))
	return line, i - bytes.LastIndexByte(data[:i], '\n')
}

// documentStart finds the "---" line that starts the document whose first value is on line
// (or which is empty, when line is past its marker): the line to remove.
func documentStart(data []byte, line int) int {
	ls := lines(data)
	for l := min(line, len(ls)); l >= 1; l-- {
		if s := ls[l-1]; bytes.HasPrefix(s, []byte("---")) && (len(s) == 3 || s[3] == ' ' || s[3] == '\t' || s[3] == '\r') {
			return l
		}
	}
	return line
}

// syntaxHints maps the YAML library's messages to advice a requester can act on.
var syntaxHints = []struct{ contains, say string }{
	{"mapping values are not allowed", `a ":" followed by a space starts a new field here; if it is part of a text value, put the whole value in quotes, and check that this line is indented like the field it belongs to`},
	{"found a tab character", "tabs cannot be used for indentation; indent with spaces"},
	{"cannot start any token", "this line starts with a character that cannot begin a value: tabs cannot indent, and a text value starting with @, ` or % must be put in quotes"},
	{"did not find expected key", "this line is not indented like the fields around it; line up fields that belong together with spaces"},
	{"could not find expected ':'", `a field name here has no ":" after it`},
	{"did not find expected '-' indicator", `a list item here does not line up with the items above it; start each item with "- " at the same indentation`},
	{"did not find expected node content", "a value is missing or not indented under its field"},
	{"did not find expected ',' or ']'", `a list written in [brackets] is not closed with "]"`},
	{"did not find expected ',' or '}'", `a mapping written in {braces} is not closed with "}"`},
	{"found unexpected end of stream", "the file ends inside an unfinished value; is a quote or bracket left open?"},
	{"found unknown escape character", `a backslash in a "double-quoted" value starts an unknown escape; use 'single quotes' or write \\ for a backslash`},
	{"found unexpected ':'", `a ":" appears where it cannot; put the value in quotes`},
	{"block sequence entries are not allowed", `a list item ("- ") appears where a value was expected; put it on its own line, indented under its field`},
	{"found undefined tag handle", "tags (words starting with !) are not allowed"},
	{"found character that cannot start any token", "a value here must be put in quotes"},
	{"did not find the expected alphabetic or numeric character", "an anchor, alias or tag here is incomplete; anchors (&), aliases (*) and tags (!) are not allowed"},
	{"did not find URI escaped octet", "tags (words starting with !) are not allowed"},
	{"exceeded max depth", "the file is nested too deeply"},
	{"document contains excessive aliasing", "anchors and aliases are not allowed"},
}

func explainSyntax(msg string) string {
	for _, h := range syntaxHints {
		if strings.Contains(msg, h.contains) {
			return h.say
		}
	}
	return "the structure cannot be read; check the indentation and quotes on this line and the one before"
}

// value converts n to plain data, recording findings for what a request may not contain. path
// is a stack shared down the recursion (a finding copies it into a field name at once), so a
// file of a million nested values allocates no path per value.
func (p *parser) value(n *yaml.Node, path []pathElem, depth int) any {
	if depth > maxDepth {
		p.add(n, path[:1], fmt.Sprintf("is nested more than %d levels deep; no docket file needs more than a few", maxDepth))
		return nil
	}
	if n.Anchor != "" {
		p.add(n, path, fmt.Sprintf("anchors (&%s) are not allowed; write each value out in full", n.Anchor))
	}
	if (n.Kind == yaml.MappingNode && n.Tag != "!!map") || (n.Kind == yaml.SequenceNode && n.Tag != "!!seq") {
		p.add(n, path, fmt.Sprintf("tags like %s are not allowed; remove the tag", n.Tag))
	}
	switch n.Kind {
	case yaml.AliasNode:
		p.add(n, path, fmt.Sprintf("aliases (*%s) are not allowed; write the value out in full", n.Value))
		return nil
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				p.add(k, path, "a field name must be plain text, not a list or mapping")
				continue
			}
			p.checkKey(k, path)
			if k.Tag == "!!merge" {
				p.add(k, path, "merge keys (<<) are not allowed; write the fields out in full")
				continue
			}
			kpath := append(path, pathElem{key: k.Value})
			if k.Anchor != "" {
				p.add(k, kpath, fmt.Sprintf("anchors (&%s) are not allowed; write each value out in full", k.Anchor))
			}
			if _, dup := m[k.Value]; dup {
				p.add(k, kpath, fmt.Sprintf("appears twice in the same place (first on line %d); keep one", firstLine(n.Content[:i], k.Value)))
				continue
			}
			m[k.Value] = p.value(v, kpath, depth+1)
		}
		return m
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for i, c := range n.Content {
			s = append(s, p.value(c, append(path, pathElem{index: i, isIndex: true}), depth+1))
		}
		return s
	case yaml.ScalarNode:
		return p.scalar(n, path)
	}
	p.add(n, path, "this value cannot be read")
	return nil
}

// firstLine is the line of the first of the keys (every other node of content, a mapping's
// members before the one looked at) named key: where a field written twice was first written.
func firstLine(content []*yaml.Node, key string) int {
	for i := 0; i+1 < len(content); i += 2 {
		if k := content[i]; k.Kind == yaml.ScalarNode && k.Tag != "!!merge" && k.Value == key {
			return k.Line
		}
	}
	return 0
}

func (p *parser) scalar(n *yaml.Node, path []pathElem) any {
	switch n.Tag {
	case "!!str", "!!timestamp", "":
		// Dates stay text: the schema and the typed model read them as YYYY-MM-DD.
		p.checkValue(n, path)
		return n.Value
	case "!!null":
		return nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err == nil {
			return b
		}
	case "!!int", "!!float":
		if !plainNumber(n.Value) {
			// 010000 is 4096 to YAML, 0x3D090 is 250000 and 1e4 is 10000, but not to a reviewer
			// reading the diff. Such a value stays the text it was written as: in a text field
			// that is what it means, and a number field refuses it (see NumberAdvice).
			p.checkValue(n, path)
			return n.Value
		}
		if n.Tag == "!!int" {
			if i, err := strconv.ParseInt(n.Value, 10, 64); err == nil {
				return json.Number(strconv.FormatInt(i, 10))
			}
			return json.Number(n.Value) // out of range for Go, but a number as written
		}
		if plainInt.MatchString(n.Value) {
			// A whole number too large for YAML's integers: kept as written, not as 1e+23.
			return json.Number(n.Value)
		}
		if f, err := strconv.ParseFloat(n.Value, 64); err == nil && !math.IsInf(f, 0) {
			return json.Number(strconv.FormatFloat(f, 'g', -1, 64))
		}
		return n.Value
	}
	p.add(n, path, fmt.Sprintf("tags like %s are not allowed; remove the tag (put the value in quotes if it is text)", n.Tag))
	return nil
}

func humanSize(n int) string {
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}
