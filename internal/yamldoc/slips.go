package yamldoc

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// The YAML library reports where it gave up, not what the person typed wrong, and often a
// line or more away from it. For the slips people make most often when they write YAML by hand,
// docket looks at the lines themselves: each detector below recognises one slip on one line
// and knows how to repair it. A diagnosis is believed only when the repaired file reads further
// than the original (it parses, or it fails later or differently), so a detector that
// recognises the wrong thing says nothing and the library's own hint is used instead.

// maxTries bounds how many repairs are tried, each costing a parse of the file; lookBack how
// far up a detector looks for the field a line belongs with, so that no file costs more than
// a few passes over its lines.
const (
	maxTries    = 12
	parseBudget = 4 << 20
	lookBack    = 200
)

// A slip is one recognised mistake: where it is, what to say, and the file repaired.
type slip struct {
	line, col int // from 1; col in characters
	field     string
	msg       string
	fix       func(lines []string) []string // returns the repaired lines; lines is a copy
	whole     bool                          // believed only if the repaired file parses
}

// diagnose looks for a slip that explains err, the library's error for data.
func diagnose(data []byte, err error) (slip, bool) {
	text := string(data)
	if len(text) > 0 && text[len(text)-1] == '\n' {
		text = text[:len(text)-1]
	}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	var candidates []slip
	for i := range lines {
		for _, detect := range detectors {
			if s, ok := detect(lines, i); ok {
				candidates = append(candidates, s)
			}
		}
		if len(candidates) >= maxTries {
			break
		}
	}
	errLine, _ := errorLine(err)
	// Each try parses the file again: a large file gets fewer, so that no file costs more
	// than a few megabytes of parsing to explain.
	tries := min(maxTries, max(1, parseBudget/max(len(data), 1)))
	for _, s := range candidates[:min(len(candidates), tries)] {
		fixed := s.fix(append([]string(nil), lines...))
		again := parses([]byte(strings.Join(fixed, "\n") + "\n"))
		if again == nil {
			return s, true
		}
		if l, ok := errorLine(again); ok && !s.whole && l > max(s.line, errLine) {
			return s, true
		}
	}
	return slip{}, false
}

// parses reports the first error reading data as YAML, or nil.
func parses(data []byte) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var n yaml.Node
	return dec.Decode(&n)
}

// errorLine is the line a library error names, if it names one.
func errorLine(err error) (int, bool) {
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		var l int
		fmt.Sscan(m[1], &l)
		return l, true
	}
	return 0, false
}

var detectors = []func(lines []string, i int) (slip, bool){
	codeFence,
	wideColon,
	blockNotIndented,
	blockDedented,
	valueOnNextLine,
	quoteInQuotes,
	backslash,
	openQuote,
	indicatorValue,
	curlyQuotes,
	textAfterQuote,
	braceText,
	bracketStart,
	specialStart,
	colonInValue,
	noSpaceAfterColon,
	textOverLines,
	dashValue,
	bulletList,
	commentInBraces,
	openBracket,
	listAtEdge,
	misindented,
	missingColon,
	parentWithoutColon,
	textNotIndented,
}

// keyLine matches a line holding a field: indentation, an optional list dash, the name, and
// what follows the ": ".
var keyLine = regexp.MustCompile(`^( *)((?:- +)?)([A-Za-z_][A-Za-z0-9_ .-]*?):(?:( +)(.*))?$`)

type field struct {
	indent int    // column of the name, from 0
	name   string // the field's name
	value  string // what follows ": ", comment included
	valCol int    // column of the value, from 0, in characters
}

func parseField(l string) (field, bool) {
	m := keyLine.FindStringSubmatchIndex(l)
	if m == nil {
		return field{}, false
	}
	f := field{indent: m[6], name: l[m[6]:m[7]]} // the name starts after indentation and dash
	if m[10] >= 0 {
		f.value = l[m[10]:m[11]]
		f.valCol = utf8.RuneCountInString(l[:m[10]])
	}
	return f, true
}

// indentOf is the number of spaces a line starts with.
func indentOf(l string) int { return len(l) - len(strings.TrimLeft(l, " ")) }

func blank(l string) bool {
	t := strings.TrimSpace(l)
	return t == "" || strings.HasPrefix(t, "#")
}

// outline names the field on line i by the fields it is indented under, as messages name
// fields (purpose.description). It gives up ("") where a list is involved.
func outline(lines []string, i int) string {
	f, ok := parseField(lines[i])
	if !ok || strings.Contains(lines[i][:f.indent], "-") {
		return ""
	}
	names := []string{f.name}
	at := f.indent
	for j := i - 1; j >= 0 && at > 0; j-- {
		if blank(lines[j]) || indentOf(lines[j]) >= at {
			continue
		}
		p, ok := parseField(lines[j])
		if !ok || strings.Contains(lines[j][:p.indent], "-") || p.value != "" {
			return ""
		}
		names = append([]string{p.name}, names...)
		at = p.indent
	}
	return strings.Join(names, ".")
}

// noun is how a message names the value of a field: "title", "source department".
func noun(name string) string {
	return strings.ReplaceAll(name, "_", " ")
}

// plural reports whether a field's name is a plural noun: reasons, considerations, grounds.
func plural(name string) bool {
	return strings.HasSuffix(name, "s") && !strings.HasSuffix(name, "ss")
}

// Whole names all of a field's value, for advice: "the whole title", "all the reasons".
func Whole(name string) string {
	if plural(name) {
		return "all the " + noun(name)
	}
	return "the whole " + noun(name)
}

// TheIs names a field's value with its verb: "the title is", "the reasons are".
func TheIs(name string) string {
	if plural(name) {
		return "the " + noun(name) + " are"
	}
	return "the " + noun(name) + " is"
}

// quoteAll writes text as one double-quoted YAML value.
func quoteAll(text string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(text) + `"`
}

// valueAndComment splits a plain value from a trailing " #" comment.
func valueAndComment(v string) (value, comment string) {
	for i := 1; i < len(v); i++ {
		if v[i] == '#' && (v[i-1] == ' ' || v[i-1] == '\t') {
			return strings.TrimRight(v[:i], " \t"), v[i-1:]
		}
	}
	return v, ""
}

var blockHeader = regexp.MustCompile(`^[|>][-+1-9]{0,2}\s*(#.*)?$`)

// blockNotIndented: the text of a "description: |" block written at the indentation of
// description itself, so that YAML sees an empty block and then a line that is not a field.
func blockNotIndented(lines []string, i int) (slip, bool) {
	f, ok := parseField(lines[i])
	if !ok || !blockHeader.MatchString(f.value) {
		return slip{}, false
	}
	j := i + 1
	for j < len(lines) && blank(lines[j]) {
		j++
	}
	if j >= len(lines) || indentOf(lines[j]) > f.indent {
		return slip{}, false
	}
	if next, ok := parseField(lines[j]); ok && next.value == "" || ok && !strings.Contains(next.name, " ") {
		return slip{}, false // a field: the block is empty, and YAML says nothing about that
	}
	add := f.indent + 2 - indentOf(lines[j])
	header := strings.TrimSpace(strings.SplitN(f.value, "#", 2)[0])
	return slip{
		line: j + 1, col: 1, field: outline(lines, i),
		msg: fmt.Sprintf("the text under %q must be indented further than %s; add %s before each line of it",
			f.name+": "+header, f.name, spaces(add)),
		fix: func(ls []string) []string {
			for k := j; k < len(ls); k++ {
				if strings.TrimSpace(ls[k]) != "" {
					if g, ok := parseField(ls[k]); ok && g.indent <= f.indent && !strings.Contains(g.name, " ") {
						break
					}
					if strings.HasPrefix(strings.TrimSpace(ls[k]), "- ") && indentOf(ls[k]) < f.indent {
						break
					}
					ls[k] = strings.Repeat(" ", add) + ls[k]
				}
			}
			return ls
		},
	}, true
}

// blockDedented: a later line of a "description: |" block indented less than the lines above
// it, so that YAML ends the block there and reads the line as something else.
func blockDedented(lines []string, i int) (slip, bool) {
	f, ok := parseField(lines[i])
	if !ok || !blockHeader.MatchString(f.value) {
		return slip{}, false
	}
	first := i + 1
	for first < len(lines) && strings.TrimSpace(lines[first]) == "" {
		first++
	}
	if first >= len(lines) || indentOf(lines[first]) <= f.indent {
		return slip{}, false
	}
	in := indentOf(lines[first])
	for j := first + 1; j < len(lines) && j < first+lookBack; j++ {
		l := lines[j]
		t := strings.TrimSpace(l)
		if t == "" || indentOf(l) >= in {
			continue
		}
		if g, ok := parseField(l); ok && !strings.Contains(g.name, " ") && (g.value == "" || !strings.Contains(g.name, " ")) && unicode.IsLower(rune(g.name[0])) {
			return slip{}, false // a field: the block has ended
		}
		item := strings.HasPrefix(t, "- ") && (indentOf(l) < f.indent || strings.HasPrefix(strings.TrimSpace(lines[i]), "-"))
		if strings.HasPrefix(t, "#") || item || t == "---" {
			return slip{}, false
		}
		if m := bareField.FindStringSubmatch(l); m != nil && indentOf(l) <= f.indent && (strings.Contains(m[2], "_") || !strings.Contains(m[3], " ")) {
			return slip{}, false // `data_sharing_agreement true`: a field without its colon
		}
		return slip{line: j + 1, col: 1, field: outline(lines, i),
			msg: fmt.Sprintf("this line is less indented than the text above it, so it is no longer part of %s; indent it like the lines above (%s)", f.name, spaces(in)),
			fix: func(ls []string) []string {
				ls[j] = strings.Repeat(" ", in) + strings.TrimLeft(ls[j], " ")
				return ls
			}}, true
	}
	return slip{}, false
}

// indented says how far a line is indented.
func indented(n int) string {
	if n == 0 {
		return "not indented"
	}
	return "indented by " + spaces(n)
}

// valueOnNextLine: `title:` with its value on the line below, not indented under it.
func valueOnNextLine(lines []string, i int) (slip, bool) {
	f, ok := parseField(lines[i])
	if !ok || f.value != "" {
		return slip{}, false
	}
	j := i + 1
	for j < len(lines) && blank(lines[j]) {
		j++
	}
	if j >= len(lines) || indentOf(lines[j]) > f.indent {
		return slip{}, false
	}
	t := strings.TrimSpace(lines[j])
	if _, isField := parseField(lines[j]); isField || strings.HasPrefix(t, "- ") || t == "-" {
		return slip{}, false
	}
	return slip{line: j + 1, col: indentOf(lines[j]) + 1, field: outline(lines, i),
		msg: fmt.Sprintf("this line looks like the value of %s; write it on the same line, %s: %s, or indent it by two spaces", f.name, f.name, t),
		fix: func(ls []string) []string {
			ls[i] = strings.TrimRight(ls[i], " ") + " " + t
			ls[j] = ""
			return ls
		}}, true
}

var bareField = regexp.MustCompile(`^( *(?:- +)?)([a-z][a-z0-9_]*) +([^\s:#].*)$`)

// missingColon: `type nonprofit`, a field name without its colon.
func missingColon(lines []string, i int) (slip, bool) {
	m := bareField.FindStringSubmatch(lines[i])
	if m == nil || strings.Contains(lines[i], ": ") {
		return slip{}, false
	}
	if rest, ok := strings.CutPrefix(m[3], "="); ok && strings.TrimSpace(rest) != "" {
		// `title = Daily 311 calls`: an equals sign for the colon, as in other file formats.
		rest = strings.TrimSpace(rest)
		return slip{line: i + 1, col: utf8.RuneCountInString(m[1]+m[2]) + 2, whole: true,
			msg: fmt.Sprintf("write a colon after the field name, not =: %s: %s", m[2], rest),
			fix: func(ls []string) []string {
				ls[i] = m[1] + m[2] + ": " + rest
				return ls
			}}, true
	}
	return slip{line: i + 1, col: utf8.RuneCountInString(m[1]+m[2]) + 1, whole: true,
		msg: fmt.Sprintf("put a colon after the field name: %s: %s", m[2], m[3]),
		fix: func(ls []string) []string {
			ls[i] = m[1] + m[2] + ": " + m[3]
			return ls
		}}, true
}

// Spaces says how many spaces in words: "two spaces".
func Spaces(n int) string { return spaces(n) }

func spaces(n int) string {
	switch n {
	case 1:
		return "one space"
	case 2:
		return "two spaces"
	case 3:
		return "three spaces"
	case 4:
		return "four spaces"
	}
	return fmt.Sprintf("%d spaces", n)
}

// quoteInQuotes: an apostrophe inside 'single quotes' (We don't), or a double quote inside
// "double quotes", ends the quoted text early.
func quoteInQuotes(lines []string, i int) (slip, bool) {
	f, ok := parseField(lines[i])
	if !ok || f.value == "" || (f.value[0] != '\'' && f.value[0] != '"') {
		return slip{}, false
	}
	q := f.value[0]
	v := f.value
	for k := 1; k < len(v); k++ {
		switch {
		case q == '"' && v[k] == '\\':
			k++
			continue
		case v[k] != q:
			continue
		case q == '\'' && k+1 < len(v) && v[k+1] == '\'':
			k++
			continue
		}
		// v[k] closes the quotes. A letter straight after it means the quote was meant to be
		// part of the text.
		if k+1 >= len(v) {
			return slip{}, false
		}
		r, _ := utf8.DecodeRuneInString(v[k+1:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return slip{}, false
		}
		col := f.valCol + utf8.RuneCountInString(v[:k]) + 1
		// The quoted text may go on over the lines indented under the field, to the line that
		// ends with the closing quote.
		text, e := v, i
		if strings.LastIndexByte(v, q) <= k {
			for j := i + 1; j < len(lines) && j < i+lookBack; j++ {
				if strings.TrimSpace(lines[j]) == "" || indentOf(lines[j]) <= f.indent {
					break
				}
				text += "\n" + lines[j]
				if strings.HasSuffix(strings.TrimRight(lines[j], " "), string(q)) {
					e = j
					break
				}
			}
			if e == i {
				return slip{}, false
			}
		}
		last := strings.LastIndexByte(text, q)
		if last <= k {
			return slip{}, false
		}
		// The repair: every quote mark between the first and the last written as the quotes
		// need it (” or \"), so the text is what the person typed.
		inner := text[1:last]
		if q == '\'' {
			inner = strings.ReplaceAll(strings.ReplaceAll(inner, "''", "'"), "'", "''")
		} else {
			inner = strings.ReplaceAll(strings.ReplaceAll(inner, `\"`, `"`), `"`, `\"`)
		}
		fixed := strings.Split(string(q)+inner+text[last:], "\n")
		word := wordAround(v, k)
		var msg string
		if q == '\'' {
			msg = fmt.Sprintf("the apostrophe in %q ends the text in 'single quotes'; write it twice (%s), or put %s in \"double quotes\"",
				word, strings.Replace(word, "'", "''", 1), Whole(f.name))
		} else {
			msg = fmt.Sprintf("the quote mark before %q ends the text in \"double quotes\"; write it as \\\" or put %s in 'single quotes'",
				word, Whole(f.name))
		}
		return slip{line: i + 1, col: col, field: outline(lines, i), msg: msg, fix: func(ls []string) []string {
			ls[i] = ls[i][:len(ls[i])-len(v)] + fixed[0]
			copy(ls[i+1:], fixed[1:])
			return ls
		}}, true
	}
	return slip{}, false
}

// wordAround is the word of v that holds the quote at byte k.
func wordAround(v string, k int) string {
	start, end := k, k+1
	for start > 0 {
		r, size := utf8.DecodeLastRuneInString(v[:start])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			break
		}
		start -= size
	}
	for end < len(v) {
		r, size := utf8.DecodeRuneInString(v[end:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			break
		}
		end += size
	}
	if start == k { // a quote before a word: "best"
		return v[k+1 : end]
	}
	return v[start:end]
}

var curlyOpen = []string{"“", "”", "„", "‘", "’", "‚", "«", "»"}

// curlyQuotes: a value in the quotes a word processor or phone types (“like this”), which YAML
// reads as ordinary characters, so a ": " inside still starts a field.
func curlyQuotes(lines []string, i int) (slip, bool) {
	f, ok := parseField(lines[i])
	if !ok {
		return slip{}, false
	}
	for _, q := range curlyOpen {
		if !strings.HasPrefix(f.value, q) {
			continue
		}
		inner := strings.TrimPrefix(f.value, q)
		for _, c := range curlyOpen {
			inner = strings.TrimSuffix(inner, c)
		}
		return slip{line: i + 1, col: f.valCol + 1, field: outline(lines, i),
			msg: fmt.Sprintf("the %s is in curly quotes %s, which YAML does not read as quotes; type straight quotes instead: %s",
				noun(f.name), q+"…"+ClosingQuote(q), quoteAll(inner)),
			fix: func(ls []string) []string {
				ls[i] = ls[i][:len(ls[i])-len(f.value)] + quoteAll(inner)
				return ls
			}}, true
	}
	return slip{}, false
}

// ClosingQuote returns the curly quote that closes open ("“" → "”", "‘" → "’", "«" → "»", and
// "»" → "«" as German writes them); any other string is returned as it is.
func ClosingQuote(open string) string {
	switch open {
	case "“", "„":
		return "”"
	case "‘", "‚":
		return "’"
	case "«":
		return "»"
	case "»":
		return "«"
	}
	return open
}

// quotedItems is what follows the first of a list of quoted items: , "b", 'c'.
var quotedItems = regexp.MustCompile(`^(?:\s*,\s*(?:"[^"]*"|'[^']*'))+\s*$`)

// textAfterQuote: `title: "Daily" 311 calls`: quotes around the start of a value only.
func textAfterQuote(lines []string, i int) (slip, bool) {
	f, ok := parseField(lines[i])
	if !ok || f.value == "" || (f.value[0] != '\'' && f.value[0] != '"') {
		return slip{}, false
	}
	q := f.value[0]
	v := f.value
	end := -1
	for k := 1; k < len(v); k++ {
		if q == '"' && v[k] == '\\' {
			k++
			continue
		}
		if v[k] == q {
			if q == '\'' && k+1 < len(v) && v[k+1] == '\'' {
				k++
				continue
			}
			end = k
			break
		}
	}
	if rest, _ := valueAndComment(v[end+1:]); end > 0 && quotedItems.MatchString(rest) {
		// `datasets: "calls-311", "ems-times"`: quoted items of a list, without its brackets.
		list, comment := v, ""
		if at := strings.Index(v, " # "); at > end {
			list, comment = strings.TrimRight(v[:at], " "), v[at:]
		}
		return slip{line: i + 1, col: f.valCol + 1, field: outline(lines, i), whole: true,
			msg: fmt.Sprintf("items separated by commas are a list only in [brackets]: %s: [%s]", f.name, list),
			fix: func(ls []string) []string {
				ls[i] = ls[i][:len(ls[i])-len(v)] + "[" + list + "]" + comment
				return ls
			}}, true
	}
	if end < 0 || end+2 >= len(v) || v[end+1] != ' ' {
		return slip{}, false
	}
	rest := strings.TrimSpace(v[end+1:])
	if rest == "" || rest[0] == '#' {
		return slip{}, false
	}
	// A " #" inside the quotes is text, and so is "#47" after them; only "# a note" after
	// them reads as a comment meant as one.
	rest, comment := v[end+1:], ""
	if at := strings.Index(rest, " # "); at >= 0 {
		rest, comment = strings.TrimRight(rest[:at], " \t"), rest[at:]
	}
	whole := v[:end+1] + rest
	fixed, kind := "'"+strings.ReplaceAll(whole, "'", "''")+"'", "single"
	if strings.Contains(whole, "'") && !strings.ContainsAny(whole, `"\`) {
		fixed, kind = `"`+whole+`"`, "double"
	}
	return slip{line: i + 1, col: f.valCol + utf8.RuneCountInString(v[:end]) + 2, field: outline(lines, i),
		msg: fmt.Sprintf("text follows the closing quote; to keep the quotes, put %s in %s quotes: %s", Whole(f.name), kind, fixed),
		fix: func(ls []string) []string {
			ls[i] = ls[i][:len(ls[i])-len(v)] + fixed + comment
			return ls
		}}, true
}

// bracketStart: `title: [Draft] Daily 311 calls`: a value that starts with [ or { is a list or
// a mapping to YAML.
func bracketStart(lines []string, i int) (slip, bool) {
	f, ok := parseField(lines[i])
	if !ok || f.value == "" || (f.value[0] != '[' && f.value[0] != '{') {
		return slip{}, false
	}
	closeAt := strings.IndexByte(f.value, map[byte]byte{'[': ']', '{': '}'}[f.value[0]])
	if closeAt < 0 {
		return slip{}, false
	}
	rest := strings.TrimSpace(f.value[closeAt+1:])
	if rest == "" || rest[0] == '#' {
		return slip{}, false
	}
	whole, comment := valueAndComment(f.value)
	what := "list"
	if f.value[0] == '{' {
		what = "set of fields"
	}
	return slip{line: i + 1, col: f.valCol + 1, field: outline(lines, i),
		msg: fmt.Sprintf("a value starting with %q is read as a %s; put %s in quotes: %s", f.value[:1], what, Whole(f.name), quoteAll(whole)),
		fix: func(ls []string) []string {
			ls[i] = ls[i][:len(ls[i])-len(f.value)] + quoteAll(whole) + comment
			return ls
		}}, true
}

// specialStart: a value starting with a character that means something else to YAML at the
// start of a value: @ and ` are reserved, * is an alias, & an anchor, ! a tag, % a directive.
func specialStart(lines []string, i int) (slip, bool) {
	f, ok := parseField(lines[i])
	if !ok || f.value == "" || !strings.ContainsAny(f.value[:1], "@`*&!%") {
		return slip{}, false
	}
	whole, comment := valueAndComment(f.value)
	msg := fmt.Sprintf("a value starting with %q must be put in quotes: %s", f.value[:1], quoteAll(whole))
	switch f.value[0] {
	case '@':
		if m := atLogin.FindStringSubmatch(whole); m != nil {
			msg = fmt.Sprintf(`a value starting with "@" must be put in quotes; for a GitHub login, leave out the @: %s`, m[1])
		}
	case '*':
		msg = fmt.Sprintf(`a value starting with "*" is an alias to YAML, and aliases are not allowed; if it is text, put it in quotes: %s`, quoteAll(whole))
	case '&':
		msg = fmt.Sprintf(`a value starting with "&" is an anchor to YAML, and anchors are not allowed; if it is text, put it in quotes: %s`, quoteAll(whole))
	case '!':
		msg = fmt.Sprintf(`a value starting with "!" is a tag to YAML, and tags are not allowed; if it is text, put it in quotes: %s`, quoteAll(whole))
	}
	return slip{line: i + 1, col: f.valCol + 1, field: outline(lines, i),
		msg: msg,
		fix: func(ls []string) []string {
			ls[i] = ls[i][:len(ls[i])-len(f.value)] + quoteAll(whole) + comment
			return ls
		}}, true
}

var atLogin = regexp.MustCompile(`^@([A-Za-z0-9](?:-?[A-Za-z0-9])*)$`)

// colonInValue: `title: Data: 311 calls`: a ": " inside a value starts another field.
func colonInValue(lines []string, i int) (slip, bool) {
	f, ok := parseField(lines[i])
	if !ok || f.value == "" || strings.ContainsAny(f.value[:1], `'"[{|>`) {
		return slip{}, false
	}
	whole, comment := valueAndComment(f.value)
	at := strings.Index(whole, ": ")
	if at < 0 && !strings.HasSuffix(whole, ":") {
		return slip{}, false
	}
	if at < 0 {
		at = len(whole) - 1
	}
	return slip{line: i + 1, col: f.valCol + utf8.RuneCountInString(whole[:at]) + 1, field: outline(lines, i),
		msg: fmt.Sprintf(`a ":" followed by a space starts a new field; put %s in quotes: %s`, Whole(f.name), quoteAll(whole)),
		fix: func(ls []string) []string {
			ls[i] = ls[i][:len(ls[i])-len(f.value)] + quoteAll(whole) + comment
			return ls
		}}, true
}

var glued = regexp.MustCompile(`^( *(?:- +)?)([A-Za-z_][A-Za-z0-9_-]*):([^\s:/].*)$`)

// noSpaceAfterColon: `title:Daily 311 calls`: without a space, the colon is part of the text.
func noSpaceAfterColon(lines []string, i int) (slip, bool) {
	m := glued.FindStringSubmatch(lines[i])
	if m == nil {
		return slip{}, false
	}
	return slip{line: i + 1, col: utf8.RuneCountInString(m[1]+m[2]) + 1,
		msg: fmt.Sprintf("put a space after the colon: %s: %s", m[2], m[3]),
		fix: func(ls []string) []string {
			ls[i] = m[1] + m[2] + ": " + m[3]
			return ls
		}}, true
}

// textOverLines: `description:` with lines of text under it that YAML cannot read as one plain
// value: a line with ": ", or a list of bullets after a line of text.
func textOverLines(lines []string, i int) (slip, bool) {
	f, ok := parseField(lines[i])
	if !ok || strings.TrimSpace(strings.SplitN(f.value, "#", 2)[0]) != "" {
		return slip{}, false
	}
	j := i + 1
	for j < len(lines) && strings.TrimSpace(lines[j]) == "" {
		j++
	}
	if j >= len(lines) || indentOf(lines[j]) <= f.indent || !prose(lines[j]) {
		return slip{}, false
	}
	return slip{line: i + 1, col: f.indent + len(f.name) + 2, field: outline(lines, i), whole: true,
		msg: fmt.Sprintf("the lines under %s are text with a \":\" or bullets, which YAML reads as fields or a list; write %s: | and indent the text under it", f.name, f.name),
		fix: func(ls []string) []string {
			ls[i] = strings.TrimRight(ls[i], " ") + " |"
			return ls
		}}, true
}

// dashValue: `title: - Daily 311 calls`, a value that starts with "- ", which YAML reads as a
// list where the value should be.
func dashValue(lines []string, i int) (slip, bool) {
	f, ok := parseField(lines[i])
	if !ok || !strings.HasPrefix(f.value, "- ") || strings.Contains(lines[i][:f.indent], "-") {
		return slip{}, false
	}
	whole, comment := valueAndComment(f.value)
	return slip{line: i + 1, col: f.valCol + 1, field: outline(lines, i), whole: true,
		msg: fmt.Sprintf(`a value starting with "- " is read as a list; put %s in quotes: %s, or leave out the "- "`, Whole(f.name), quoteAll(whole)),
		fix: func(ls []string) []string {
			ls[i] = ls[i][:len(ls[i])-len(f.value)] + quoteAll(whole) + comment
			return ls
		}}, true
}

// prose reports whether a line reads as a sentence, not as a field or a list item.
func prose(l string) bool {
	t := strings.TrimSpace(l)
	if t == "" || strings.ContainsAny(t[:1], "-*•#[{'\"|>") || glued.MatchString(l) {
		return false
	}
	g, ok := parseField(l)
	return !ok || strings.Contains(g.name, " ")
}

var bullet = regexp.MustCompile(`^( *)([*•+]) `)

// bulletList: a list written with Markdown's "* " or a "• " bullet.
func bulletList(lines []string, i int) (slip, bool) {
	m := bullet.FindStringSubmatch(lines[i])
	if m == nil {
		return slip{}, false
	}
	return slip{line: i + 1, col: len(m[1]) + 1,
		msg: fmt.Sprintf(`start each list item with "- " (a dash and a space), not %q`, m[2]+" "),
		fix: func(ls []string) []string {
			for k := i; k < len(ls); k++ {
				if b := bullet.FindStringSubmatch(ls[k]); b != nil && b[1] == m[1] {
					ls[k] = b[1] + "- " + ls[k][len(b[0]):]
				}
			}
			return ls
		}}, true
}

// commentInBraces: `{verdict: met, note: Public data #1}`: " #" starts a comment even inside
// braces or brackets, and the comment takes the closing bracket with it.
func commentInBraces(lines []string, i int) (slip, bool) {
	l := lines[i]
	open := strings.IndexAny(l, "{[")
	if open < 0 {
		return slip{}, false
	}
	hash := strings.Index(l[open:], " #")
	if hash < 0 {
		return slip{}, false
	}
	hash += open + 1
	end := strings.IndexAny(l[hash:], ",}]")
	if end < 0 {
		return slip{}, false
	}
	end += hash
	// The value the # is in starts after the last ": ", "{", "[" or ", " before it.
	start := max(strings.LastIndex(l[:hash], ": ")+2, strings.LastIndexAny(l[:hash], "{[,")+1)
	for start < hash && l[start] == ' ' {
		start++
	}
	value := strings.TrimSpace(l[start:end])
	what, shown := "value", quoteAll(value)
	if key := keyBefore(l[:start]); key != "" && strings.HasSuffix(strings.TrimRight(l[:start], " "), ":") {
		what, shown = noun(key), key+": "+quoteAll(value)
	}
	inside := "[brackets]"
	if l[open] == '{' {
		inside = "{braces}"
	}
	return slip{line: i + 1, col: utf8.RuneCountInString(l[:hash]) + 1,
		msg: fmt.Sprintf(`" #" starts a comment, even inside %s, and the comment takes the rest of the line with it; put the %s in quotes: %s`, inside, what, shown),
		fix: func(ls []string) []string {
			ls[i] = l[:start] + quoteAll(value) + l[end:]
			return ls
		}}, true
}

// keyBefore is the field name just before the ":" that ends s, if any.
func keyBefore(s string) string {
	s = strings.TrimSuffix(strings.TrimRight(s, " "), ":")
	i := strings.LastIndexAny(s, "{[, ")
	return s[i+1:]
}

// misindented: a field indented differently from the fields of its group: one space too many
// or too few.
func misindented(lines []string, i int) (slip, bool) {
	f, ok := parseField(lines[i])
	if !ok || strings.Contains(lines[i][:f.indent], "-") {
		return slip{}, false
	}
	// The field just above at the nearest indentation, and whether it opens a group.
	var prev field
	found := false
	for j := i - 1; j >= max(0, i-lookBack); j-- {
		if blank(lines[j]) {
			continue
		}
		p, ok := parseField(lines[j])
		if !ok || strings.Contains(lines[j][:p.indent], "-") {
			return slip{}, false
		}
		if p.value == "" && p.indent < f.indent {
			return slip{}, false // the first field of a group sets its indentation
		}
		prev, found = p, true
		break
	}
	if !found || prev.indent == f.indent || f.indent > prev.indent+4 {
		return slip{}, false
	}
	target := prev.indent
	if f.indent < prev.indent {
		// Less than the field above: line it up with the group it is nearest to.
		target = -1
		for j := i - 1; j >= max(0, i-lookBack); j-- {
			if p, ok := parseField(lines[j]); ok && !blank(lines[j]) && p.indent <= f.indent {
				target = p.indent
				break
			}
		}
		if target < 0 || target == f.indent {
			return slip{}, false
		}
		if f.indent-target >= prev.indent-f.indent {
			target = prev.indent
		}
	}
	msg := fmt.Sprintf("%s is %s, but %s above it is %s; line up the fields that belong together",
		f.name, indented(f.indent), prev.name, indented(prev.indent))
	if target != prev.indent {
		msg = fmt.Sprintf("%s is %s, which lines it up with no field above it; make it %s", f.name, indented(f.indent), indented(target))
	}
	return slip{line: i + 1, col: 1, msg: msg,
		fix: func(ls []string) []string {
			ls[i] = strings.Repeat(" ", target) + strings.TrimLeft(ls[i], " ")
			return ls
		}}, true
}

var loneName = regexp.MustCompile(`^( *)([a-z][a-z0-9_]*)\s*$`)

// parentWithoutColon: `requester` with its fields indented under it, but no colon after it.
func parentWithoutColon(lines []string, i int) (slip, bool) {
	m := loneName.FindStringSubmatch(lines[i])
	if m == nil || i+1 >= len(lines) || indentOf(lines[i+1]) <= len(m[1]) {
		return slip{}, false
	}
	if _, ok := parseField(lines[i+1]); !ok {
		return slip{}, false
	}
	return slip{line: i + 1, col: len(m[1]) + len(m[2]) + 1, whole: true,
		msg: fmt.Sprintf("put a colon after the field name: %s:", m[2]),
		fix: func(ls []string) []string {
			ls[i] = m[1] + m[2] + ":"
			return ls
		}}, true
}

// textNotIndented: a plain one-line value whose text goes on over the next line, which is not
// indented under its field: `description: We chart…` then `  Second line.` at the field's level.
func textNotIndented(lines []string, i int) (slip, bool) {
	f, ok := parseField(lines[i])
	if !ok || !strings.Contains(strings.TrimSpace(f.value), " ") || strings.ContainsAny(f.value[:1], "'\"[{|>&*!%@`#") || strings.Contains(lines[i][:f.indent], "-") {
		return slip{}, false // text, not a word like api-access
	}
	j := i + 1
	if j >= len(lines) || indentOf(lines[j]) != f.indent || !prose(lines[j]) {
		return slip{}, false
	}
	if m := bareField.FindStringSubmatch(lines[j]); m != nil && (strings.Contains(m[2], "_") || !strings.Contains(m[3], " ")) {
		return slip{}, false // `type nonprofit`: a field without its colon
	}
	return slip{line: j + 1, col: f.indent + 1, field: outline(lines, i), whole: true,
		msg: fmt.Sprintf("this line goes on with the %s above it, but is not indented under %s; indent it by two more spaces, or join it to the line above", noun(f.name), f.name),
		fix: func(ls []string) []string {
			ls[j] = "  " + ls[j]
			return ls
		}}, true
}
