package schemacheck

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/yamldoc"
)

// Free text is what requesters write in their own words: a title, a name, a description. The
// schema says which fields hold it: a string with no enumeration, pattern or format is text;
// "contentMediaType": "text/markdown" marks paragraphs of Markdown, and "x-text": "name" the
// name of a person or an organization. Text is what the public site shows, so docket checks that
// what a reviewer reads in the diff is what the site will show: no text cut off by a "#", no
// invisible characters in a line, something visible in every field, and no word in a name that
// imitates another by mixing alphabets.

type textKind int

const (
	notText  textKind = iota // an enumeration, id, date, address: a value with a form
	oneLine                  // a line of text: a title, a table cell
	name                     // a person's or organization's name: a line, each word in one alphabet
	markdown                 // paragraphs of Markdown
)

// maxTextFindings bounds the text findings of one file: a file of ten thousand cells, each with
// a zero-width space, is explained by its first few.
const maxTextFindings = 50

func textKindOf(s map[string]any) textKind {
	if s == nil {
		return notText
	}
	isString := s["type"] == "string"
	if list, ok := s["type"].([]any); ok {
		isString = slices.Contains(list, any("string"))
	}
	for _, k := range []string{"enum", "const", "pattern", "format"} {
		if _, ok := s[k]; ok {
			return notText
		}
	}
	switch {
	case !isString:
		return notText
	case s["contentMediaType"] == "text/markdown":
		return markdown
	case s["x-text"] == "name":
		return name
	}
	return oneLine
}

// resolve follows $ref to the schema it names.
func (c *Checker) resolve(root, s map[string]any) map[string]any {
	for range 8 {
		ref, ok := s["$ref"].(string)
		if !ok {
			return s
		}
		url, frag, _ := strings.Cut(ref, "#")
		r := root
		if url != "" {
			r, _ = c.raw[url].(map[string]any)
		}
		if s, _ = lookup(r, yamldoc.SplitPointer(frag)).(map[string]any); s == nil {
			return nil
		}
	}
	return nil
}

// child is the schema of the member tok of an object, or of an item of a list, with schema s.
// named says whether the member is a field the schema names (not any key of a table row).
func (c *Checker) child(root, s map[string]any, v any, tok string) (sub map[string]any, named bool) {
	s = c.resolve(root, s)
	if s == nil {
		return nil, false
	}
	if _, isList := v.([]any); isList {
		sub, _ = s["items"].(map[string]any)
		return c.resolve(root, sub), false
	}
	if props, ok := s["properties"].(map[string]any); ok {
		if p, ok := props[tok].(map[string]any); ok {
			return c.resolve(root, p), true
		}
	}
	sub, _ = s["additionalProperties"].(map[string]any)
	return c.resolve(root, sub), false
}

// schemaAt is the schema of the value at ptr in a file of the given kind, or nil.
func (c *Checker) schemaAt(kind docket.FileKind, v any, ptr []string) (s map[string]any, named bool) {
	root, _ := c.raw[c.ids[kind]].(map[string]any)
	s = root
	for _, tok := range ptr {
		if s == nil {
			return nil, false
		}
		s, named = c.child(root, s, v, tok)
		v = lookup(v, []string{tok})
	}
	return s, named
}

// texts checks the free text of doc. skip holds the instance locations the schema already
// reported, whose text is not looked at again. In the same walk of the file it checks the whole
// numbers (wholeNumber), whose findings and locations it returns as wholes and dotted.
func (c *Checker) texts(kind docket.FileKind, doc *yamldoc.Document, skip map[string]bool) (out []docket.Finding, cut map[string]bool, wholes []docket.Finding, dotted map[string]bool) {
	dotted = map[string]bool{}
	root, _ := c.raw[c.ids[kind]].(map[string]any)
	cut = map[string]bool{}
	add := func(ptr []string, line, col int, msg string) {
		if len(out) < maxTextFindings {
			out = append(out, docket.Finding{Path: doc.Path, Line: line, Col: col, Field: doc.FieldName(ptr), Message: msg})
		}
	}
	// Text after " #" on the line of a plain value is a comment to YAML, and gone.
	for _, cm := range doc.TrailingComments() {
		s, named := c.schemaAt(kind, doc.Value, cm.Ptr)
		if textKindOf(s) == notText && !(s == nil && cm.Value == "" && c.textField(kind, doc.Value, cm.Ptr)) {
			continue
		}
		what := "value"
		if named && len(cm.Ptr) > 0 {
			what = cm.Ptr[len(cm.Ptr)-1]
		}
		fix := "put " + yamldoc.Whole(what) + " in quotes"
		switch {
		case cm.Below && textKindOf(s) == markdown:
			fix += " or use |"
		case !cm.Below && strings.HasPrefix(cm.Text, "# ") && cm.Value != "":
			// `# the main ones`: written as a note, perhaps meant as one.
			fix += ", or move the note to its own line"
		}
		msg := fmt.Sprintf("%s is read as a comment and dropped, so %s %s; %s",
			quote(cm.Text), yamldoc.TheIs(what), quote(cm.Value), fix)
		if cm.Value == "" {
			msg = fmt.Sprintf("%s is read as a comment and dropped, so %s empty; %s", quote(cm.Text), yamldoc.TheIs(what), fix)
		}
		cut[pointer(cm.Ptr)] = true
		add(cm.Ptr, cm.Line, cm.Col, msg)
	}
	more := func() bool { return len(out) < maxTextFindings || len(wholes) < maxTextFindings }
	c.eachValue(root, doc.Value, more, func(s map[string]any, v any, ptr []string) {
		x, ok := v.(string)
		if !ok {
			c.wholeNumber(doc, s, v, ptr, &wholes, dotted)
			return
		}
		if len(out) >= maxTextFindings {
			return
		}
		k := textKindOf(s)
		if k == notText {
			return
		}
		if len(skip)+len(cut) > 0 {
			if p := pointer(ptr); skip[p] || cut[p] {
				return
			}
		}
		_, required := s["minLength"]
		if (k == oneLine || k == name) && strings.ContainsAny(x, "\n\r\t") && doc.DoubleQuoted(ptr) {
			// "Requests for\new data": the backslash was meant as one, and \n is a line break.
			line, col := doc.Pos(ptr)
			add(ptr, line, col, escapeMessage(x))
			return
		}
		if open, inner, ok := curlyWrapped(x); ok && k != markdown { // a paragraph may quote
			// title: “Daily 311”: curly quotes are characters to YAML, and stay in the text.
			what := noun(ptr[len(ptr)-1])
			line, col := doc.Pos(ptr)
			fix := "leave them out: " + inner
			if strings.Contains(inner, ": ") || strings.Contains(inner, " #") || strings.ContainsAny(inner[:1], "-?:,[]{}#&*!|>'\"%@`") {
				fix = "type straight quotes instead: " + yamlQuote(inner)
			}
			add(ptr, line, col, fmt.Sprintf("is in curly quotes %s…%s, which YAML keeps as part of the %s; %s",
				open, yamldoc.ClosingQuote(open), what, fix))
			return
		}
		if msg := textProblem(k, x, required); msg != "" {
			line, col := doc.Pos(ptr)
			add(ptr, line, col, msg)
		}
	})
	return out, cut, wholes, dotted
}

// curlyWrapped reports whether s is wrapped whole in the curly quotes a word processor or phone
// types, and returns the opening quote and the text inside.
func curlyWrapped(s string) (open, inner string, ok bool) {
	for _, q := range []string{"“", "„", "‘", "‚", "«", "»", "”"} {
		rest, found := strings.CutPrefix(s, q)
		if !found {
			continue
		}
		for _, c := range []string{"”", "“", "’", "‘", "»", "«"} {
			if in, found := strings.CutSuffix(rest, c); found && strings.TrimSpace(in) != "" && !strings.ContainsAny(in, "“”„«»") {
				return q, in, true
			}
		}
	}
	return "", "", false
}

// escapeMessage explains a line break or tab that an escape wrote into one-line text.
func escapeMessage(x string) string {
	what, esc := "a line break", `\n`
	switch {
	case strings.Contains(x, "\t") && !strings.Contains(x, "\n"):
		what, esc = "a tab", `\t`
	case strings.Contains(x, "\r") && !strings.Contains(x, "\n"):
		what, esc = "a carriage return", `\r`
	}
	return fmt.Sprintf(`contains %s, written as %s in "double quotes", where a backslash starts an escape; write it on one line, or in 'single quotes' to keep the backslash`, what, esc)
}

// textField reports whether ptr names a text field whose value is missing: `title: #35` leaves
// the title empty, and the schema of an empty value is still the field's.
func (c *Checker) textField(kind docket.FileKind, v any, ptr []string) bool {
	s, _ := c.schemaAt(kind, v, ptr)
	return textKindOf(s) != notText
}

// pointer is the JSON pointer (RFC 6901) of the tokens ptr: "/purpose/use", with "~" written
// "~0" and "/" written "~1". It is called for every value of every file, so the common token,
// with neither, is copied as it is.
func pointer(ptr []string) string {
	n := 0
	for _, t := range ptr {
		n += 1 + len(t)
	}
	var b strings.Builder
	b.Grow(n)
	for _, t := range ptr {
		b.WriteByte('/')
		if !strings.ContainsAny(t, "~/") {
			b.WriteString(t)
			continue
		}
		pointerEscaper.WriteString(&b, t)
	}
	return b.String()
}

// pointerEscaper escapes a token of a JSON pointer. A Replacer builds its tables on first use,
// so it is made once: one made per call cost a quarter of a validation run.
var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

// textProblem says what is wrong with text of the given kind, or "". Required text must show
// something; a line may not hold invisible characters; a name's words are each in one alphabet.
func textProblem(k textKind, s string, required bool) string {
	if s == "" {
		return "" // the schema says it is empty, when that matters
	}
	if required && !hasVisible(s) {
		return "has no visible characters, only " + describeInvisible(s) + "; write it in words"
	}
	if isASCII(s) {
		return "" // no hidden character, and every letter Latin: most text, checked in one pass
	}
	if k == oneLine || k == name {
		if r, at, ok := firstInvisible(s); ok {
			where := "at the start"
			if before := strings.TrimSpace(s[:at]); before != "" {
				where = "after " + quote(lastWords(before))
			}
			return fmt.Sprintf("contains the invisible %s U+%04X %s; remove it", invisibleName(r), r, where)
		}
	}
	if k == name || k == oneLine { // a name, or a title the site publishes
		if msg := mixedScript(s); msg != "" {
			return msg
		}
	}
	return ""
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// visible reports whether r shows as something on a page: a letter, digit, punctuation or
// symbol, and not a space, a mark on nothing, or a character made to look like nothing.
func visible(r rune) bool {
	return unicode.IsGraphic(r) && !unicode.IsSpace(r) && !unicode.IsMark(r) && !hidden(r)
}

func hasVisible(s string) bool {
	return strings.ContainsFunc(s, visible)
}

// hidden reports whether r is drawn as nothing: Unicode's default-ignorable characters (the
// zero-width space and joiners, soft hyphen, bidirectional marks, word joiner, invisible
// operators, tag characters, variation selectors, Hangul fillers), every other format character,
// and the blank braille pattern, which is used as a filler because it is not a space.
func hidden(r rune) bool {
	switch {
	case unicode.Is(unicode.Prepended_Concatenation_Mark, r):
		return false // format characters drawn as signs, like the Arabic number sign
	case unicode.Is(unicode.Cf, r), unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r),
		unicode.Is(unicode.Variation_Selector, r), r == '\u2800':
		return true
	}
	return false
}

// firstInvisible finds the first hidden character of s that is not doing a job where it is:
// a variation selector after a visible character (❤️), a zero-width joiner inside an emoji
// sequence, and a zero-width joiner or non-joiner between letters of a script that joins them
// (Arabic, Persian, the scripts of India) are how people write, not tricks.
func firstInvisible(s string) (r rune, at int, ok bool) {
	var prev rune
	for i, c := range s {
		if hidden(c) && !inContext(prev, c, s[i+utf8.RuneLen(c):]) {
			return c, i, true
		}
		prev = c
	}
	return 0, 0, false
}

func inContext(prev, r rune, rest string) bool {
	next, _ := utf8.DecodeRuneInString(rest)
	switch {
	case unicode.Is(unicode.Variation_Selector, r):
		return prev != 0 && visible(prev) || unicode.IsMark(prev) && !hidden(prev)
	case r == '\u200D' && (unicode.Is(unicode.So, prev) || unicode.Is(unicode.Sk, prev) || prev == '\uFE0F') && unicode.Is(unicode.So, next):
		return true // an emoji sequence
	case r == '\u200C' || r == '\u200D':
		return joins(prev) && (unicode.IsLetter(next) || unicode.IsMark(next))
	}
	return false
}

// joins reports whether r is a letter or mark of a script whose spelling uses the zero-width
// joiner and non-joiner: any but the alphabets that never do.
func joins(r rune) bool {
	if !unicode.IsLetter(r) && !unicode.IsMark(r) {
		return false
	}
	for _, t := range []*unicode.RangeTable{unicode.Latin, unicode.Greek, unicode.Cyrillic, unicode.Common, unicode.Han, unicode.Hangul, unicode.Hiragana, unicode.Katakana} {
		if unicode.Is(t, r) {
			return false
		}
	}
	return true
}

// invisibleNames names the hidden characters people meet; others are named by their kind.
var invisibleNames = map[rune]string{
	'\u00AD': "soft hyphen",
	'\u034F': "combining grapheme joiner",
	'\u061C': "Arabic letter mark",
	'\u115F': "Hangul filler",
	'\u1160': "Hangul filler",
	'\u180E': "Mongolian vowel separator",
	'\u200B': "zero-width space",
	'\u200C': "zero-width non-joiner",
	'\u200D': "zero-width joiner",
	'\u200E': "left-to-right mark",
	'\u200F': "right-to-left mark",
	'\u2060': "word joiner",
	'\u2061': "function application sign",
	'\u2062': "times sign",
	'\u2063': "separator",
	'\u2064': "plus sign",
	'\u2800': "blank braille pattern",
	'\u3164': "Hangul filler",
	'\uFEFF': "zero-width no-break space",
	'\uFFA0': "Hangul filler",
}

func invisibleName(r rune) string {
	switch n, ok := invisibleNames[r]; {
	case ok:
		return n
	case r >= 0xE0000 && r <= 0xE007F:
		return "tag character"
	case unicode.Is(unicode.Variation_Selector, r):
		return "variation selector"
	case unicode.Is(unicode.Cf, r):
		return "formatting character"
	}
	return "character"
}

// describeInvisible says what text without a visible character holds: "8 zero-width spaces
// (U+200B)", "spaces", "invisible characters and spaces".
func describeInvisible(s string) string {
	var first rune
	n, same, onlySpace := 0, true, true
	for _, r := range s {
		if !unicode.IsSpace(r) {
			onlySpace = false
		}
		if n == 0 {
			first = r
		} else if r != first {
			same = false
		}
		n++
	}
	switch {
	case onlySpace:
		return "spaces"
	case same && n == 1:
		return fmt.Sprintf("an invisible %s (U+%04X)", invisibleName(first), first)
	case same && !unicode.IsSpace(first):
		return fmt.Sprintf("%d invisible %ss (U+%04X)", n, invisibleName(first), first)
	}
	return "invisible characters and spaces"
}

// lastWords is the end of s, at most three words, to say where in a text something is.
func lastWords(s string) string {
	f := strings.Fields(s)
	return strings.Join(f[max(0, len(f)-3):], " ")
}

// scriptNames are the alphabets whose letters look alike: a word mixing them imitates another
// word (Unicode TS #39, mixed-script detection). Other scripts mix legitimately (Japanese
// writes Han with Hiragana), and are not looked at.
var scriptNames = []struct {
	name  string
	table *unicode.RangeTable
}{
	{"Latin", unicode.Latin},
	{"Cyrillic", unicode.Cyrillic},
	{"Greek", unicode.Greek},
}

// mixedScript finds a word that mixes Latin, Cyrillic and Greek letters, and names the letter
// that is not in the alphabet of the rest.
func mixedScript(s string) string {
	words := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsMark(r) && !unicode.IsDigit(r) })
	for _, w := range words {
		count := make([]int, len(scriptNames))
		for _, r := range w {
			for i, sc := range scriptNames {
				if unicode.Is(sc.table, r) {
					count[i]++
				}
			}
		}
		used := 0
		for _, n := range count {
			if n > 0 {
				used++
			}
		}
		if used < 2 {
			continue
		}
		main := 0
		for i, n := range count {
			if n > count[main] {
				main = i
			}
		}
		for _, r := range w {
			for i, sc := range scriptNames {
				if i != main && unicode.Is(sc.table, r) {
					return fmt.Sprintf("the word %s mixes alphabets: %c (U+%04X) is a %s letter among %s ones; retype the word in one alphabet",
						quote(w), r, r, sc.name, scriptNames[main].name)
				}
			}
		}
	}
	return ""
}
