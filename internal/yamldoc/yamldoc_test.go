package yamldoc

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string // findings as line:col: text
	}{
		{"empty", "", []string{"1:1: file is empty"}},
		{"only comments", "# nothing here\n", []string{"1:1: file is empty"}},
		{"null document", "~\n", []string{"1:1: file has no fields; it holds only comments or an empty value"}},
		{"duplicate key", "title: a\nkind: dataset\ntitle: b\n",
			[]string{"3:1: title: appears twice in the same place (first on line 1); keep one"}},
		{"nested duplicate key", "requester:\n  github: a\n  github: b\n",
			[]string{"3:3: requester.github: appears twice in the same place (first on line 2); keep one"}},
		{"duplicate in list item", "fields:\n  - name: a\n  - name: b\n    name: c\n",
			[]string{"4:5: fields[2].name: appears twice in the same place (first on line 3); keep one"}},
		{"anchor and alias", "a: &x hello\nb: *x\n", []string{
			"1:4: a: anchors (&x) are not allowed; write each value out in full",
			"2:4: b: aliases (*x) are not allowed; write the value out in full",
		}},
		{"merge key", "base: {a: 1}\nother:\n  <<: {a: 1}\n",
			[]string{"3:3: other: merge keys (<<) are not allowed; write the fields out in full"}},
		{"custom tag", "a: !secret x\n", []string{"1:4: a: tags like !secret are not allowed; remove the tag (put the value in quotes if it is text)"}},
		{"binary tag", "a: !!binary aGk=\n", []string{"1:4: a: tags like !!binary are not allowed; remove the tag (put the value in quotes if it is text)"}},
		{"tag on mapping", "a: !thing {b: 1}\n", []string{"1:4: a: tags like !thing are not allowed; remove the tag"}},
		{"two documents", "a: 1\n---\nb: 2\n", []string{`2:1: only one YAML document is allowed; remove the "---" line and everything after it, or move it to its own file`}},
		{"not utf-8", "a: caf\xe9\n", []string{"1:7: file is not UTF-8 text; save it with UTF-8 encoding"}},
		{"utf-16", "\xff\xfea\x00:\x00", []string{"1:1: file is not UTF-8 text; save it with UTF-8 encoding"}},
		{"control character", "a: 1\nb: x\x1by\n", []string{"2:5: file contains the invisible control character U+001B; delete it"}},
		{"line separator", "title: ok  # note\u2028kind: dataset\n", []string{"1:18: file contains the invisible line separator U+2028; delete it"}},
		{"lone carriage return", "title: ok  # note\rkind: dataset\n", []string{"1:18: file contains a carriage return that does not end a line (an old Mac line ending); save it with LF or CRLF line endings"}},
		{"bidi control", "title: \u202Eevil\n", []string{"1:8: file contains the invisible text-direction control U+202E; delete it"}},
		{"escaped bidi control", "title: \"Harmless \\u202Eteews\"\n", []string{"1:8: title: contains the invisible text-direction control U+202E (written as an escape); remove it"}},
		{"escaped escape character", "name: \"a \\e[31m\"\n", []string{"1:7: name: contains the invisible control character U+001B (written as an escape); remove it"}},
		{"escaped key", "\"k\\x07\": 1\n", []string{"1:1: contains the invisible control character U+0007 (written as an escape); remove it"}},
		{"hexadecimal number", "count: 0x3D090\n", []string{"1:8: count: write numbers in plain decimal digits, not 0x3D090"}},
		{"tab indentation", "a:\n\tb: 1\n", []string{"2:1: YAML syntax error near here: tabs cannot be used for indentation; indent with spaces"}},
		{"bad indentation", "a: 1\n b: 2\nc: 3\n", []string{`2:1: YAML syntax error near here: a ":" followed by a space starts a new field here; if it is part of a text value, put the whole value in quotes, and check that this line is indented like the field it belongs to`}},
		{"empty second document", "a: 1\n--- \n", []string{`2:1: only one YAML document is allowed; remove the "---" line and everything after it, or move it to its own file`}},
		{"alias to nothing", "a: 1\nb: [x, *nowhere]\n", []string{"2:8: aliases (*nowhere) are not allowed; write the value out in full"}},
		{"tab reported a line late", "a:\n  b: 1\n\tc: 2\n", []string{"3:1: YAML syntax error near here: tabs cannot be used for indentation; indent with spaces"}},
		{"unclosed quote", "a: \"x\n", []string{"2:1: YAML syntax error near here: the file ends inside an unfinished value; is a quote or bracket left open?"}},
		{"unclosed quote without a final newline", "a: \"x", []string{"1:1: YAML syntax error near here: the file ends inside an unfinished value; is a quote or bracket left open?"}},
		{"unclosed list", "a: [1, 2\n", []string{`1:1: YAML syntax error near here: a list written in [brackets] is not closed with "]"`}},
		{"complex key", "? [a, b]\n: 1\n", []string{"1:3: a field name must be plain text, not a list or mapping"}},
		{"nested too deeply", "a: " + strings.Repeat("[", 100) + strings.Repeat("]", 100) + "\n",
			[]string{"1:68: a: is nested more than 64 levels deep; no docket file needs more than a few"}},
		{"too large", "a: " + strings.Repeat("x", MaxSize) + "\n", []string{"1:1: file is 1.0 MiB; the limit is 1 MiB"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, findings := Parse("f.yaml", []byte(tt.in))
			if doc != nil {
				t.Errorf("Parse returned a document for a rejected file")
			}
			var got []string
			for _, f := range findings {
				if f.Path != "f.yaml" {
					t.Errorf("finding path = %q, want f.yaml", f.Path)
				}
				got = append(got, strings.TrimPrefix(f.String(), "f.yaml:"))
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("findings:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestParseValues(t *testing.T) {
	in := `# yaml-language-server: $schema=x
---
title: "Quoted: text"
count: 31
crlf: "ok"
rate: 2.5
big: 1e400
inf: .inf
flag: true
none: ~
day: 2026-04-01
block: |
  line one
  line two
list: [a, 1]
nested: {k: v}
`
	doc, findings := Parse("f.yaml", []byte(in))
	if len(findings) > 0 {
		t.Fatalf("unexpected findings: %v", findings)
	}
	want := map[string]any{
		"title":  "Quoted: text",
		"count":  json.Number("31"),
		"crlf":   "ok",
		"rate":   json.Number("2.5"),
		"big":    "1e400", // out of range stays text, so the schema says it is not a number
		"inf":    ".inf",
		"flag":   true,
		"none":   nil,
		"day":    "2026-04-01", // dates stay as written
		"block":  "line one\nline two\n",
		"list":   []any{"a", json.Number("1")},
		"nested": map[string]any{"k": "v"},
	}
	if !reflect.DeepEqual(doc.Value, want) {
		t.Errorf("value:\n got %#v\nwant %#v", doc.Value, want)
	}
}

func TestLocate(t *testing.T) {
	in := "kind: dataset\ndataset:\n  fields:\n    - name: a\n      type: text\n    - name: b\n"
	doc, findings := Parse("f.yaml", []byte(in))
	if len(findings) > 0 {
		t.Fatal(findings)
	}
	tests := []struct {
		ptr               string
		pos, key, contain [2]int
		field             string
	}{
		{"", [2]int{1, 1}, [2]int{1, 1}, [2]int{1, 1}, ""},
		{"/kind", [2]int{1, 7}, [2]int{1, 1}, [2]int{1, 1}, "kind"},
		{"/dataset/fields/1/name", [2]int{6, 13}, [2]int{6, 7}, [2]int{6, 7}, "dataset.fields[2].name"},
		{"/dataset/fields/0", [2]int{4, 7}, [2]int{4, 7}, [2]int{4, 7}, "dataset.fields[1]"},
		// A missing member is located at the nearest field that exists.
		{"/dataset/fields/0/description", [2]int{4, 7}, [2]int{4, 7}, [2]int{4, 7}, "dataset.fields[1].description"},
		{"/dataset/missing", [2]int{2, 1}, [2]int{2, 1}, [2]int{2, 1}, "dataset.missing"},
	}
	for _, tt := range tests {
		ptr := SplitPointer(tt.ptr)
		if l, c := doc.Pos(ptr); [2]int{l, c} != tt.pos {
			t.Errorf("Pos(%q) = %d:%d, want %v", tt.ptr, l, c, tt.pos)
		}
		if l, c := doc.KeyPos(ptr); [2]int{l, c} != tt.key {
			t.Errorf("KeyPos(%q) = %d:%d, want %v", tt.ptr, l, c, tt.key)
		}
		if l, c := doc.ContainerPos(ptr); [2]int{l, c} != tt.contain {
			t.Errorf("ContainerPos(%q) = %d:%d, want %v", tt.ptr, l, c, tt.contain)
		}
		if got := doc.FieldName(ptr); got != tt.field {
			t.Errorf("FieldName(%q) = %q, want %q", tt.ptr, got, tt.field)
		}
	}
}

func TestSplitPointer(t *testing.T) {
	for in, want := range map[string][]string{
		"":          nil,
		"/a":        {"a"},
		"/a/0/b":    {"a", "0", "b"},
		"/a~1b/c~0": {"a/b", "c~"},
	} {
		if got := SplitPointer(in); !reflect.DeepEqual(got, want) {
			t.Errorf("SplitPointer(%q) = %q, want %q", in, got, want)
		}
	}
}
