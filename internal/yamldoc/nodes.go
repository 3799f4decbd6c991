package yamldoc

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// What a value looked like in the file, for messages that depend on how it was written rather
// than on what it means: a number in a form a person misreads, text that a "#" cut short, a
// value that a comma split in two.

// Plain returns the text of the value at ptr when it was written as a plain scalar: without
// quotes, not as a | or > block, not as a list or mapping.
func (d *Document) Plain(ptr []string) (string, bool) {
	n, _, found := d.walk(ptr)
	if !found || !plain(n) {
		return "", false
	}
	return n.Value, true
}

// DoubleQuoted reports whether the value at ptr was written in "double quotes", where a
// backslash starts an escape.
func (d *Document) DoubleQuoted(ptr []string) bool {
	n, _, found := d.walk(ptr)
	return found && n.Kind == yaml.ScalarNode && n.Style&yaml.DoubleQuotedStyle != 0
}

func plain(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0
}

// BlockIndent returns how far the text of the value at ptr is indented, when it was written as
// a | or > block.
func (d *Document) BlockIndent(ptr []string) (int, bool) {
	n, _, found := d.walk(ptr)
	if !found || n.Kind != yaml.ScalarNode || n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0 {
		return 0, false
	}
	ls := bytes.Split(d.data, []byte("\n"))
	for l := n.Line; l < len(ls) && l < n.Line+lookBack; l++ { // the lines after the header
		if t := bytes.TrimLeft(ls[l], " "); len(bytes.TrimSpace(t)) > 0 {
			return len(ls[l]) - len(t), true
		}
	}
	return 0, false
}

// A Comment is a "#" comment on the same line as a plain value: to YAML the text from " #" on
// is not part of the value, however much it reads like it (route #35).
type Comment struct {
	Ptr       []string // the value's JSON pointer tokens
	Value     string   // the value as YAML reads it, without the comment
	Text      string   // the comment, starting with "#"
	Line, Col int      // where the comment starts
	// Below says the comment is the line below the value, indented deeper than its field:
	// `title: Route` then `  #35 and 47`. YAML drops it; the person meant the text to go on.
	Below bool
}

// TrailingComments lists the comments that follow a plain value on its line, in file order.
// Comments on their own line, and after quoted values, blocks, lists and mappings, are not
// listed: nothing is cut short there.
func (d *Document) TrailingComments() []Comment {
	var out []Comment
	var starts []int // the offset of each line, found when first needed
	var walk func(n *yaml.Node, ptr []string)
	walk = func(n *yaml.Node, ptr []string) {
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if v.Kind == yaml.ScalarNode && v.Tag == "!!null" && v.Value == "" && k.LineComment != "" && plain(k) {
					// `title: #35 bus`: the comment is all there is, and YAML keeps it on the name.
					line, col := d.findComment(k)
					out = append(out, Comment{Ptr: append(append([]string(nil), ptr...), k.Value), Text: k.LineComment, Line: line, Col: col})
					continue
				}
				walk(v, append(ptr, k.Value))
				if c, ok := d.commentBelow(k, v, &starts); ok {
					c.Ptr = append(append([]string(nil), ptr...), k.Value)
					out = append(out, c)
				}
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				walk(c, append(ptr, strconv.Itoa(i)))
			}
		case yaml.ScalarNode:
			if n.LineComment != "" && plain(n) && n.Tag != "!!null" {
				line, col := d.findComment(n)
				out = append(out, Comment{Ptr: append([]string(nil), ptr...), Value: n.Value, Text: n.LineComment, Line: line, Col: col})
			}
		}
	}
	walk(d.nodes(), nil)
	return out
}

// commentBelow finds a comment line directly below the plain one-line value v of the field k,
// indented deeper than k: to YAML a comment, to the person who wrote it the rest of the text.
func (d *Document) commentBelow(k, v *yaml.Node, starts *[]int) (Comment, bool) {
	if v.Kind != yaml.ScalarNode || !plain(v) || v.Tag == "!!null" || v.Line != k.Line || v.LineComment != "" {
		return Comment{}, false
	}
	if *starts == nil {
		*starts = make([]int, 1, bytes.Count(d.data, []byte("\n"))+1)
		for i, b := range d.data {
			if b == '\n' {
				*starts = append(*starts, i+1)
			}
		}
	}
	if v.Line >= len(*starts) {
		return Comment{}, false
	}
	// The value is on one line: the line after it is the next in the file.
	start := (*starts)[v.Line]
	end := len(d.data)
	if v.Line+1 < len(*starts) {
		end = (*starts)[v.Line+1]
	}
	l := string(bytes.TrimRight(d.data[start:end], "\r\n"))
	indent := len(l) - len(bytes.TrimLeft([]byte(l), " "))
	if indent < k.Column || indent >= len(l) || l[indent] != '#' {
		return Comment{}, false
	}
	return Comment{Value: v.Value, Text: strings.TrimRight(l[indent:], " \t"), Line: v.Line + 1, Col: indent + 1, Below: true}, true
}

// findComment locates the comment after n: the first "#" after the value's start that follows
// a space or tab and begins the comment text. It falls back to the value's position.
func (d *Document) findComment(n *yaml.Node) (line, col int) {
	start := offset(d.data, n.Line, n.Column)
	if start < 0 {
		return n.Line, n.Column
	}
	rest := d.data[start:]
	for i := 0; i < len(rest); {
		j := bytes.Index(rest[i:], []byte(n.LineComment))
		if j < 0 {
			break
		}
		at := i + j
		if at > 0 && (rest[at-1] == ' ' || rest[at-1] == '\t') {
			l, c := position(d.data, start+at)
			return l, c
		}
		i = at + 1
	}
	return n.Line, n.Column
}

// offset is the byte offset of line:col (both from 1, col counted in characters), or -1.
func offset(data []byte, line, col int) int {
	i := 0
	for l := 1; l < line; l++ {
		j := bytes.IndexByte(data[i:], '\n')
		if j < 0 {
			return -1
		}
		i += j + 1
	}
	for c := 1; c < col && i < len(data) && data[i] != '\n'; c++ {
		_, size := utf8.DecodeRune(data[i:])
		i += size
	}
	return i
}

// position is the line and column (from 1, in characters) of byte offset i.
func position(data []byte, i int) (line, col int) {
	line = 1 + bytes.Count(data[:i], []byte("\n"))
	startOfLine := bytes.LastIndexByte(data[:i], '\n') + 1
	return line, 1 + utf8.RuneCount(data[startOfLine:i])
}

// CutByComma reports whether the member at ptr was written inside a {mapping in braces} as
// words with no ":" after them, following a comma: `{verdict: met, note: Public data, no names}`
// reads as a note "Public data" and a field "no names". It returns the name of the member
// written just before, whose value the comma cut short (or which was cut itself).
func (d *Document) CutByComma(ptr []string) (prev string, ok bool) {
	if len(ptr) == 0 {
		return "", false
	}
	parent, _, found := d.walk(ptr[:len(ptr)-1])
	if !found || parent.Kind != yaml.MappingNode || parent.Style&yaml.FlowStyle == 0 {
		return "", false
	}
	for i := 2; i+1 < len(parent.Content); i += 2 {
		k, v := parent.Content[i], parent.Content[i+1]
		if k.Value != ptr[len(ptr)-1] {
			continue
		}
		bare := plain(k) && v.Kind == yaml.ScalarNode && v.Tag == "!!null" && v.Value == "" &&
			v.Line == k.Line && v.Column == k.Column+utf8.RuneCountInString(k.Value)
		return parent.Content[i-2].Value, bare
	}
	return "", false
}
