package yamldoc

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Slips that YAML reports far from where they are: a quote or bracket opened and never closed
// (YAML reads on to the end of the file, or to where the text no longer fits), a list item at
// the left edge under its field, and text inside {braces} holding a character that means
// something there.

// openQuote: `title: 'Daily 311 calls`: the quote that starts a value is never closed, on its
// line or on the lines indented under it.
func openQuote(lines []string, i int) (slip, bool) {
	f, ok := parseField(lines[i])
	item := false
	if m := quotedItem.FindStringSubmatchIndex(lines[i]); m != nil && !ok {
		// `- 'calls-311`: an item of a list.
		f, ok, item = field{indent: m[3] - m[2], value: lines[i][m[4]:], valCol: utf8.RuneCountInString(lines[i][:m[4]])}, true, true
	}
	if !ok || f.value == "" || (f.value[0] != '\'' && f.value[0] != '"') {
		return slip{}, false
	}
	q := f.value[0]
	if closes(f.value[1:], q) {
		return slip{}, false
	}
	// A quoted value may go on over the lines indented under its field; it is closed there if
	// one of them closes it.
	for j := i + 1; j < len(lines) && j < i+lookBack; j++ {
		if strings.TrimSpace(lines[j]) != "" && indentOf(lines[j]) <= f.indent {
			break
		}
		if closes(lines[j], q) {
			return slip{}, false
		}
	}
	// Text after the quote is meant inside it, a # too (#35); only "# a note" reads as a comment.
	text, comment := strings.TrimRight(f.value, " \t"), ""
	if at := strings.Index(f.value, " # "); at >= 0 {
		text, comment = strings.TrimRight(f.value[:at], " \t"), f.value[at:]
	}
	quote := string(q)
	msg := fmt.Sprintf("the quote that starts the %s is never closed; end it with %s too: %s: %s", noun(f.name), quote, f.name, text+quote)
	if item {
		msg = fmt.Sprintf("the quote that starts this item is never closed; end it with %s too: - %s", quote, text+quote)
	}
	return slip{line: i + 1, col: f.valCol + 1, field: outline(lines, i), whole: true,
		msg: msg,
		fix: func(ls []string) []string {
			ls[i] = ls[i][:len(ls[i])-len(f.value)] + text + quote + comment
			return ls
		}}, true
}

var quotedItem = regexp.MustCompile(`^( *)- +(['"])`)

// closes reports whether s, text inside quotes q, holds the quote that closes them.
func closes(s string, q byte) bool {
	for k := 0; k < len(s); k++ {
		switch {
		case q == '"' && s[k] == '\\':
			k++
		case s[k] == q && q == '\'' && k+1 < len(s) && s[k+1] == '\'':
			k++
		case s[k] == q:
			return true
		}
	}
	return false
}

// openBracket: `datasets: [calls-311`: a list in [brackets] or fields in {braces} never closed.
func openBracket(lines []string, i int) (slip, bool) {
	f, ok := parseField(lines[i])
	if !ok || f.value == "" || (f.value[0] != '[' && f.value[0] != '{') {
		return slip{}, false
	}
	v, comment := valueAndComment(f.value)
	v = strings.TrimRight(v, " \t")
	depth := 0
	inQuote := byte(0)
	for k := 0; k < len(v); k++ {
		c := v[k]
		switch {
		case inQuote != 0:
			if c == inQuote {
				inQuote = 0
			}
		case c == '"' || c == '\'' && (k == 0 || strings.ContainsRune("[{, ", rune(v[k-1]))):
			inQuote = c
		case c == '[' || c == '{':
			depth++
		case c == ']' || c == '}':
			depth--
		}
	}
	if depth <= 0 || inQuote != 0 {
		return slip{}, false
	}
	// Continued on the next lines, indented under the field: closed there, perhaps.
	if i+1 < len(lines) && strings.TrimSpace(lines[i+1]) != "" && indentOf(lines[i+1]) > f.indent {
		return slip{}, false
	}
	end := strings.Repeat("]", depth)
	what := "list in [brackets]"
	if f.value[0] == '{' {
		end, what = strings.Repeat("}", depth), "set of fields in {braces}"
	}
	return slip{line: i + 1, col: f.valCol + 1, field: outline(lines, i), whole: true,
		msg: fmt.Sprintf("the %s is never closed; end it with %s: %s: %s", what, end, f.name, v+end),
		fix: func(ls []string) []string {
			ls[i] = ls[i][:len(ls[i])-len(f.value)] + v + end + comment
			return ls
		}}, true
}

// listAtEdge: `datasets:` with its "- " items below it indented less than the field.
func listAtEdge(lines []string, i int) (slip, bool) {
	f, ok := parseField(lines[i])
	if !ok || strings.TrimSpace(strings.SplitN(f.value, "#", 2)[0]) != "" || f.indent == 0 {
		return slip{}, false
	}
	j := i + 1
	for j < len(lines) && blank(lines[j]) {
		j++
	}
	if j >= len(lines) || indentOf(lines[j]) >= f.indent {
		return slip{}, false
	}
	t := strings.TrimSpace(lines[j])
	if !strings.HasPrefix(t, "- ") && t != "-" {
		return slip{}, false
	}
	at := indentOf(lines[j])
	add := f.indent + 2 - at
	return slip{line: j + 1, col: at + 1, field: outline(lines, i),
		msg: fmt.Sprintf("indent the - under %s: add %s before each \"- \" of its list", f.name, spaces(add)),
		fix: func(ls []string) []string {
			fields := false // the item above is a set of fields (- name: x), which may go on below it
			for k := j; k < len(ls); k++ {
				t := strings.TrimSpace(ls[k])
				if t == "" {
					continue
				}
				switch in := indentOf(ls[k]); {
				case in == at && strings.HasPrefix(t, "- "):
					_, fields = parseField(ls[k])
				case in == at+2 && fields:
				default:
					return ls
				}
				ls[k] = strings.Repeat(" ", add) + ls[k]
			}
			return ls
		}}, true
}

var flowItem = regexp.MustCompile(`^( *)- +(\{)`)

// flowKey finds each `name: ` of a {braces} mapping on one line.
var flowKey = regexp.MustCompile(`(?:^|, *)([A-Za-z_][A-Za-z0-9_]*): `)

// braceText: `{verdict: met, note: Note: public data.}`: inside {braces}, a ": ", a quote mark
// inside 'single quotes', a [bracket] or a {brace} in a value cannot be read as text.
func braceText(lines []string, i int) (slip, bool) {
	f, ok := parseField(lines[i])
	if m := flowItem.FindStringSubmatchIndex(lines[i]); m != nil {
		// `- {name: block, description: Note: the block}`, an item of a list of {braces}.
		f, ok = field{indent: m[2], value: lines[i][m[4]:], valCol: utf8.RuneCountInString(lines[i][:m[4]])}, true
	}
	if !ok || !strings.HasPrefix(f.value, "{") {
		return slip{}, false
	}
	v, comment := f.value, ""
	if end := strings.LastIndexByte(v, '}'); end > 0 && strings.HasPrefix(strings.TrimSpace(v[end+1:]), "#") {
		v, comment = v[:end+1], v[end+1:]
	}
	v = strings.TrimRight(v, " \t")
	if !strings.HasSuffix(v, "}") {
		return slip{}, false
	}
	inner := v[1 : len(v)-1]
	keys := flowKey.FindAllStringSubmatchIndex(inner, -1)
	type pair struct {
		name, value string
		start, end  int // of the value in inner
	}
	var pairs []pair
	for n, m := range keys {
		end := len(inner)
		if n+1 < len(keys) {
			end = keys[n+1][0]
		}
		pairs = append(pairs, pair{name: inner[m[2]:m[3]], value: strings.TrimSpace(inner[m[1]:end]), start: m[1], end: end})
	}
	// Only the value whose text breaks the braces is quoted; a value that reads as text stays.
	var bad []pair
	for _, p := range pairs {
		if textBreaksBraces(p.value) {
			bad = append(bad, p)
		}
	}
	if len(bad) == 0 {
		return slip{}, false
	}
	fixed := inner
	for n := len(bad) - 1; n >= 0; n-- {
		p := bad[n]
		fixed = fixed[:p.start] + quoteAll(unquote(p.value)) + fixed[p.end:]
	}
	first := bad[0]
	col := f.valCol + 1 + utf8.RuneCountInString(inner[:first.start]) + 1
	line, field := lines[i], outline(lines, i)
	if field != "" {
		field += "." + first.name
	}
	return slip{line: i + 1, col: col, field: field,
		msg: fmt.Sprintf("inside {braces}, %s cannot be read as text; put the %s in %s: %s: %s",
			why(first.value), noun(first.name), quotesFor(first.value), first.name, quoteAll(unquote(first.value))),
		fix: func(ls []string) []string {
			ls[i] = line[:len(line)-len(f.value)] + "{" + fixed + "}" + comment
			return ls
		}}, true
}

// textBreaksBraces reports whether v, written as a value inside {braces}, is not read as the
// text it looks like.
func textBreaksBraces(v string) bool {
	if v == "" {
		return false
	}
	if v[0] == '\'' || v[0] == '"' {
		// Quoted: wrong only when the quotes end before the value does (The city's).
		return !(len(v) >= 2 && v[len(v)-1] == v[0] && !closes(v[1:len(v)-1], v[0]))
	}
	return strings.Contains(v, ": ") || strings.HasSuffix(v, ":") || strings.ContainsAny(v, "[]{}")
}

// why names what in v stops it being read as text inside {braces}.
func why(v string) string {
	switch {
	case v[0] == '\'':
		return "an apostrophe inside 'single quotes'"
	case v[0] == '"':
		return "a quote mark inside \"double quotes\""
	case strings.Contains(v, ": ") || strings.HasSuffix(v, ":"):
		return `a ":" in a value`
	case strings.ContainsAny(v, "[]"):
		return "a [bracket] in a value"
	}
	return "a {brace} in a value"
}

// unquote is the text of a value written in quotes that end too early: the characters
// between the first and the last quote mark, as the person typed them.
func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '\'' || v[0] == '"') && v[len(v)-1] == v[0] {
		return v[1 : len(v)-1]
	}
	return v
}

func quotesFor(v string) string {
	if v[0] == '\'' {
		return "\"double quotes\""
	}
	return "quotes"
}

var indicatorStart = regexp.MustCompile(`^([|>?])(?:[-+0-9]*[ \t]+)?([^#\s].*)$`)

// indicatorValue: `title: | Daily 311 calls`: "|" and ">" start a block whose text goes on the
// lines below, and "?" a complex key; text after them on their line cannot be read.
func indicatorValue(lines []string, i int) (slip, bool) {
	f, ok := parseField(lines[i])
	if !ok {
		return slip{}, false
	}
	m := indicatorStart.FindStringSubmatch(f.value)
	if m == nil {
		return slip{}, false
	}
	what := `starts a block, whose text goes on the lines below it`
	if m[1] == "?" {
		what = `is a question to YAML (a complex key), not text`
	}
	return slip{line: i + 1, col: f.valCol + 1, field: outline(lines, i), whole: true,
		msg: fmt.Sprintf(`a %q at the start of a value %s; leave out the %q: %s: %s`, m[1], what, m[1], f.name, m[2]),
		fix: func(ls []string) []string {
			ls[i] = ls[i][:len(ls[i])-len(f.value)] + m[2]
			return ls
		}}, true
}

// backslash: `path: "C:\Users\data"`: in "double quotes" a backslash starts an escape (\n is a
// line break), and most letters after it are no escape at all.
func backslash(lines []string, i int) (slip, bool) {
	f, ok := parseField(lines[i])
	if !ok || !strings.HasPrefix(f.value, `"`) || !strings.Contains(f.value, `\`) {
		return slip{}, false
	}
	end := strings.LastIndexByte(f.value, '"')
	if end <= 0 {
		return slip{}, false
	}
	text := f.value[1:end]
	if parses([]byte("a: "+f.value[:end+1]+"\n")) == nil {
		return slip{}, false // escapes that read: said of the value, if they make a line break
	}
	single := "'" + strings.ReplaceAll(text, "'", "''") + "'"
	return slip{line: i + 1, col: f.valCol + utf8.RuneCountInString(f.value[:strings.IndexByte(f.value, '\\')]) + 1, field: outline(lines, i), whole: true,
		msg: fmt.Sprintf(`a backslash in "double quotes" starts an escape, like \n for a line break; put %s in 'single quotes' to keep the backslashes: %s: %s`, Whole(f.name), f.name, single),
		fix: func(ls []string) []string {
			ls[i] = ls[i][:len(ls[i])-len(f.value)] + single + f.value[end+1:]
			return ls
		}}, true
}
