package yamldoc

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// A pointer is a JSON Pointer (RFC 6901) split into its unescaped reference tokens: the
// instance locations the schema validator reports, and what rules use to name a field.

// SplitPointer splits a JSON Pointer such as /fields/0/name into its tokens.
func SplitPointer(p string) []string {
	if p == "" {
		return nil
	}
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, s := range parts {
		s = strings.ReplaceAll(s, "~1", "/")
		parts[i] = strings.ReplaceAll(s, "~0", "~")
	}
	return parts
}

type pathElem struct {
	key     string
	index   int
	isIndex bool
}

// fieldName names a field the way messages show it: mapping keys joined by dots, list items
// by their position counted from 1, as a person counts them: fields[2].name.
func fieldName(path []pathElem) string {
	var b strings.Builder
	for _, e := range path {
		if e.isIndex {
			b.WriteString("[" + strconv.Itoa(e.index+1) + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(e.key)
	}
	return b.String()
}

// FieldName names the field at ptr, as messages show it.
func (d *Document) FieldName(ptr []string) string {
	path := make([]pathElem, 0, len(ptr))
	n := d.nodes()
	for _, tok := range ptr {
		if n != nil && n.Kind == yaml.SequenceNode {
			if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(n.Content) {
				path = append(path, pathElem{index: i, isIndex: true})
				n = n.Content[i]
				continue
			}
		}
		path = append(path, pathElem{key: tok})
		n = member(n, tok)
	}
	return fieldName(path)
}

// member returns the value of the mapping member named key, or nil.
func member(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// Pos returns the line and column where the value at ptr was written. When ptr names a member
// that does not exist, it returns the position of the nearest enclosing field's name, which is
// where a missing field would be added.
func (d *Document) Pos(ptr []string) (line, col int) {
	n, key, _ := d.walk(ptr)
	if n == nil {
		return key.Line, key.Column
	}
	return n.Line, n.Column
}

// KeyPos returns where the name of the field at ptr was written: the line to point at for an
// unknown or misplaced field. For a list item it is the item itself.
func (d *Document) KeyPos(ptr []string) (line, col int) {
	n, key, _ := d.walk(ptr)
	if key != nil {
		return key.Line, key.Column
	}
	return n.Line, n.Column
}

// ContainerPos is where to report a problem with the mapping or list at ptr as a whole, such as
// a missing field: the line naming it, or the first line of the file for the top level.
func (d *Document) ContainerPos(ptr []string) (line, col int) {
	if len(ptr) == 0 {
		root := d.nodes()
		return root.Line, root.Column
	}
	return d.KeyPos(ptr)
}

// walk follows ptr from the root. It returns the node found (nil when missing) and the key node
// naming the deepest member reached (the list item itself for list items, nil at the root).
func (d *Document) walk(ptr []string) (n, key *yaml.Node, found bool) {
	n = d.nodes()
	key = nil
	for _, tok := range ptr {
		var next, nextKey *yaml.Node
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == tok {
					nextKey, next = n.Content[i], n.Content[i+1]
					break
				}
			}
		case yaml.SequenceNode:
			if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(n.Content) {
				next = n.Content[i]
				nextKey = next
			}
		}
		if next == nil {
			if key == nil {
				key = n
			}
			return nil, key, false
		}
		n, key = next, nextKey
	}
	if key == nil {
		key = n
	}
	return n, key, true
}

// Keys returns the names of the members of the mapping at ptr in the order they are written,
// or nil when ptr does not name a mapping. It walks the mapping once, so listing thousands of
// members costs what reading them did (KeyPos for each would cost their square).
func (d *Document) Keys(ptr []string) []string {
	n, _, found := d.walk(ptr)
	if !found || n.Kind != yaml.MappingNode {
		return nil
	}
	keys := make([]string, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		keys = append(keys, n.Content[i].Value)
	}
	return keys
}
