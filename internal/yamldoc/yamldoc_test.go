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
		{"control character", "a: 1\nb: x\x1by\n", []string{"2:5: b: contains the invisible control character U+001B; delete it"}},
		{"line separator", "title: ok  # note\u2028kind: dataset\n", []string{"1:18: file contains the invisible line separator U+2028; delete it"}},
		{"lone carriage return", "title: ok  # note\rkind: dataset\n", []string{"1:18: file contains a carriage return that does not end a line (an old Mac line ending); save it with LF or CRLF line endings"}},
		{"bidi control", "title: \u202Eevil\n", []string{"1:8: title: contains the invisible text-direction control U+202E; delete it"}},
		{"escaped bidi control", "title: \"Harmless \\u202Eteews\"\n", []string{"1:8: title: contains the invisible text-direction control U+202E (written as an escape); remove it"}},
		{"escaped escape character", "name: \"a \\e[31m\"\n", []string{"1:7: name: contains the invisible control character U+001B (written as an escape); remove it"}},
		{"escaped key", "\"k\\x07\": 1\n", []string{"1:1: contains the invisible control character U+0007 (written as an escape); remove it"}},
		{"tab indentation", "a:\n\tb: 1\n", []string{"2:1: YAML syntax error near here: tabs cannot be used for indentation; indent with spaces"}},
		{"bad indentation", "a: 1\n b: 2\nc: 3\n", []string{"2:1: b is indented by one space, but a above it is not indented; line up the fields that belong together"}},
		{"empty second document", "a: 1\n--- \n", []string{`2:1: only one YAML document is allowed; remove the "---" line and everything after it, or move it to its own file`}},
		{"alias to nothing", "a: 1\nb: [x, *nowhere]\n", []string{"2:8: aliases (*nowhere) are not allowed; write the value out in full"}},
		{"tab reported a line late", "a:\n  b: 1\n\tc: 2\n", []string{"3:1: YAML syntax error near here: tabs cannot be used for indentation; indent with spaces"}},
		{"unclosed quote", "a: \"x\n", []string{`1:4: a: the quote that starts the a is never closed; end it with " too: a: "x"`}},
		{"unclosed quote without a final newline", "a: \"x", []string{`1:4: a: the quote that starts the a is never closed; end it with " too: a: "x"`}},
		{"unclosed list", "a: [1, 2\n", []string{`1:4: a: the list in [brackets] is never closed; end it with ]: a: [1, 2]`}},
		{"quote never closed, the file read on", "title: 'Daily 311\nkind: x\nb: c\n", []string{`1:8: title: the quote that starts the title is never closed; end it with ' too: title: 'Daily 311'`}},
		// The common slips, recognised where they are and confirmed by their repair.
		{"block text not indented", "purpose:\n  use: analytics\n  description: |\n  We chart response times.\n  By district.\nprivacy:\n  a: b\n",
			[]string{`4:1: purpose.description: the text under "description: |" must be indented further than description; add two spaces before each line of it`}},
		{"folded text at column 0", "reasons: >-\nThe data is public.\n", []string{`2:1: reasons: the text under "reasons: >-" must be indented further than reasons; add two spaces before each line of it`}},
		{"apostrophe in single quotes", "privacy:\n  considerations: 'We don't collect names.'\nb: 2\n",
			[]string{`2:26: privacy.considerations: the apostrophe in "don't" ends the text in 'single quotes'; write it twice (don''t), or put all the considerations in "double quotes"`}},
		{"quote in double quotes", "title: \"The \"best\" data\"\nb: 2\n",
			[]string{`1:13: title: the quote mark before "best" ends the text in "double quotes"; write it as \" or put the whole title in 'single quotes'`}},
		{"curly quotes around a colon", "kind: x\ntitle: \u201cData: 311 calls\u201d\nb: 2\n",
			[]string{"2:8: title: the title is in curly quotes \u201c\u2026\u201d, which YAML does not read as quotes; type straight quotes instead: \"Data: 311 calls\""}},
		{"colon in a value", "a: 1\ntitle: Data: 311 calls\nb: 2\n",
			[]string{`2:12: title: a ":" followed by a space starts a new field; put the whole title in quotes: "Data: 311 calls"`}},
		{"no space after colon", "kind: x\ntitle:Daily 311 calls\nb: 2\n", []string{"2:6: put a space after the colon: title: Daily 311 calls"}},
		{"markdown bullets", "datasets:\n* a\n* b\nx: y\n", []string{`2:1: start each list item with "- " (a dash and a space), not "* "`}},
		{"bracket starts text", "title: [Draft] Daily 311 calls\nx: y\n", []string{`1:8: title: a value starting with "[" is read as a list; put the whole title in quotes: "[Draft] Daily 311 calls"`}},
		{"text after quotes", "title: \"Daily\" 311 calls\nx: y\n", []string{`1:15: title: text follows the closing quote; to keep the quotes, put the whole title in single quotes: '"Daily" 311 calls'`}},
		{"markdown emphasis", "note: *Public* data\nx: y\n", []string{`1:7: note: a value starting with "*" is an alias to YAML, and aliases are not allowed; if it is text, put it in quotes: "*Public* data"`}},
		{"at sign", "requester:\n  github: @maria\n", []string{`2:11: requester.github: a value starting with "@" must be put in quotes; for a GitHub login, leave out the @: maria`}},
		{"comment in braces", "ev: {verdict: met, note: Public data #1}\n", []string{`1:38: " #" starts a comment, even inside {braces}, and the comment takes the rest of the line with it; put the note in quotes: note: "Public data #1"`}},
		{"one space too many", "requester:\n  github: x\n   type: y\nb: 2\n", []string{"3:1: type is indented by three spaces, but github above it is indented by two spaces; line up the fields that belong together"}},
		{"one space too few", "requester:\n  github: x\n type: y\nb: 2\n", []string{"3:1: type is indented by one space, but github above it is indented by two spaces; line up the fields that belong together"}},
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
octal: 010000
hex: 0x3D090
plus: +5
exp: 1e4
under: 1_000
zip: 06101
half: .5
neg: -2
flag: true
none: ~
day: 2026-04-01
block: |
  line one
  line two
words: |
  Note: a non-breaking space in text is text
   even at the start of a line
list: [a, 1]
nested: {k: v}
`
	doc, findings := Parse("f.yaml", []byte(in))
	if len(findings) > 0 {
		t.Fatalf("unexpected findings: %v", findings)
	}
	want := map[string]any{
		"words": "Note:\u00a0a non-breaking space in text is text\n\u00a0even at the start of a line\n",
		"title": "Quoted: text",
		"count": json.Number("31"),
		"crlf":  "ok",
		"rate":  json.Number("2.5"),
		"big":   "1e400", // out of range stays text, so the schema says it is not a number
		"inf":   ".inf",
		// Number forms a person would misread stay the text they were written as.
		"octal":  "010000",
		"hex":    "0x3D090",
		"plus":   "+5",
		"exp":    "1e4",
		"under":  "1_000",
		"zip":    "06101",
		"half":   json.Number("0.5"),
		"neg":    json.Number("-2"),
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

func TestNumberAdvice(t *testing.T) {
	for in, want := range map[string]string{
		"010000":     "write 10000 without the leading zero; YAML reads 010000 as 4096",
		"0500000":    "write 500000 without the leading zero; YAML reads 0500000 as 163840",
		"-010":       "write -10 without the leading zero; YAML reads -010 as -8",
		"08":         "write 8 without the leading zero",
		"09.5":       "write 9.5 without the leading zero",
		"00.5":       "write 0.5 without the leading zero",
		"0o17":       "write 15 in plain digits; 0o17 is an octal number",
		"0x3D090":    "write 250000 in plain digits; 0x3D090 is a hexadecimal number",
		"0b101":      "write 5 in plain digits; 0b101 is a binary number",
		"+10000":     "write 10000 without the plus sign",
		"+2.5":       "write 2.5 without the plus sign",
		"1e4":        "write 10000 in plain digits, without an exponent (e)",
		"1.5E3":      "write 1500 in plain digits, without an exponent (e)",
		"2e-3":       "write 0.002 in plain digits, without an exponent (e)",
		"1e400":      "write the number in plain digits, without an exponent (e)",
		".inf":       "write the number in digits, like 10000; YAML reads .inf as infinity",
		"-.Inf":      "write the number in digits, like 10000; YAML reads -.Inf as infinity",
		".nan":       `write the number in digits, like 10000; YAML reads .nan as "not a number"`,
		"1_000":      "write 1000 without the underscores",
		"2,000":      "write 2000 without the commas",
		"1,250,000":  "write 1250000 without the commas",
		"10 000":     "write 10000 without the spaces",
		"10k":        "write 10000 in digits",
		"2.5K":       "write 2500 in digits",
		"2000 calls": "write only the number, 2000",
		"2000/day":   "write only the number, 2000",
		"about 2000": "write only the number, 2000",
		"~2000":      "write only the number, 2000",
		"lots":       "",
		"Route 35":   "",
		"2,5":        "",
		"10000":      "",
	} {
		if got := NumberAdvice(in); got != want {
			t.Errorf("NumberAdvice(%q) = %q, want %q", in, got, want)
		}
	}
}
