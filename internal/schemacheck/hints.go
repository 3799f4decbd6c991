package schemacheck

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/suggest"
	"github.com/opendata-docket/docket/internal/yamldoc"
)

// Hints for the commonest ways a value ends up of the wrong kind or in the wrong place: they
// name the real cause and show the fix, where the plain rule ("must be a list") would not.

// typeHint says more than "must be X, not Y" when the cause is known. It returns the whole
// message, or "".
func (s *site) typeHint(want []string) string {
	str, isStr := s.value.(string)
	switch {
	case isStr && (slices.Contains(want, "integer") || slices.Contains(want, "number")):
		if text, ok := s.doc.Plain(s.ptr); ok {
			return s.belowMinimum(yamldoc.NumberAdvice(text), text)
		}
		if advice := yamldoc.DotAdvice(str); advice != "" && slices.Contains(want, "integer") {
			// "10.000" in quotes: without them it would still not be ten thousand.
			advice, _, _ = strings.Cut(advice, ";")
			return fmt.Sprintf("must be %s, not %s; %s, and without quotes", typeNames[want[0]], describe(s.value), advice)
		}
		if advice := yamldoc.NumberAdvice(str); advice != "" && !strings.Contains(advice, "YAML") {
			return fmt.Sprintf("must be %s, not %s; %s, and without quotes", typeNames[want[0]], describe(s.value), advice)
		}
	case slices.Contains(want, "boolean") && (s.value == json.Number("0") || s.value == json.Number("1")):
		// personal_data: 0, as a form or a spreadsheet writes no.
		if s.value == json.Number("0") {
			return "must be true or false, not 0; write false"
		}
		return "must be true or false, not 1; write true"
	case isStr && slices.Contains(want, "boolean"):
		switch strings.ToLower(strings.TrimSpace(str)) {
		case "yes", "y", "on", "true":
			return fmt.Sprintf("must be true or false, not %s; write true", describe(s.value))
		case "no", "n", "off", "false":
			return fmt.Sprintf("must be true or false, not %s; write false", describe(s.value))
		}
	case isStr && slices.Contains(want, "array"):
		return s.listHint(str)
	case slices.Contains(want, "string") && s.schema["format"] == "date":
		if n, ok := s.value.(json.Number); ok {
			return dateMessage(string(n), describe(s.value))
		}
	case slices.Contains(want, "string") && len(want) == 1 && s.ptr != nil && textKindOf(s.schema) != notText:
		switch s.value.(type) {
		case map[string]any, []any:
			// Lines of text under the field, some with ": " or "- ", read as fields or a list.
			return fmt.Sprintf("must be text, not %s; for text over several lines, with a \":\" or bullets, write %s: | and indent the text under it", describe(s.value), s.ptr[len(s.ptr)-1])
		}
	case slices.Contains(want, "array"):
		if obj, ok := s.value.(map[string]any); ok && len(obj) > 0 && !slices.ContainsFunc(slices.Collect(maps.Values(obj)), func(v any) bool { return v != nil }) {
			// `{a, b}`: braces where brackets belong make names without values.
			key := s.ptr[len(s.ptr)-1]
			return fmt.Sprintf("must be a list, not a set of fields; write it in [brackets], not {braces}: %s: [%s]", key, strings.Join(s.doc.Keys(s.ptr), ", "))
		}
	case s.value == nil && slices.Contains(want, "object"):
		if below := s.belowUnindented(); len(below) > 0 {
			return fmt.Sprintf("has no fields under it: %s below it %s not indented under it; indent %s by two spaces",
				andList(below), docket.Plural(len(below), "is", "are"), docket.Plural(len(below), "it", "them"))
		}
	}
	return ""
}

var writeNumber = regexp.MustCompile(`^write (-?[0-9]+)\b`)

// belowMinimum: advice to write a number the field's minimum then refuses (00 is 0, and a
// request makes at least 1 a day) names the minimum instead.
func (s *site) belowMinimum(advice, written string) string {
	m := writeNumber.FindStringSubmatch(advice)
	min, ok := s.schema["minimum"].(float64)
	if m == nil || !ok {
		return advice
	}
	if n, err := strconv.ParseFloat(m[1], 64); err == nil && n < min {
		return fmt.Sprintf("must be at least %s, not %s (which is %s)", num(min), written, m[1])
	}
	return advice
}

// listHint: `datasets: a, b`, `a and b`, `a / b`, `(a, b)`, bullets (• a • b, – a, -a -b) where
// a list belongs. The items are split where people separate them and their bullets dropped, so
// that the list suggested is one that reads.
func (s *site) listHint(str string) string {
	key := "the list"
	if len(s.ptr) > 0 {
		key = s.ptr[len(s.ptr)-1]
	}
	t := strings.TrimSpace(str)
	if len(t) > 2 && (t[0] == '(' && t[len(t)-1] == ')') {
		t = t[1 : len(t)-1]
	}
	items := listItems(t)
	if len(items) == 0 {
		return ""
	}
	if len(items) == 1 && strings.HasPrefix(t, "-") && !strings.HasPrefix(t, "- ") {
		return fmt.Sprintf(`must be a list, not %s; put a space after the dash: - %s`, describe(s.value), items[0])
	}
	return fmt.Sprintf("must be a list, not %s; write %s: [%s]", describe(s.value), key, strings.Join(items, ", "))
}

// listSeparator splits text into the items of a list as people write them on one line.
var listSeparator = regexp.MustCompile(`\s*(?:[,;•·/|]|\s(?:and|&|or)\s|\s[-–—*+]+(?:\s|$))\s*`)

// listItems splits t at the separators and bullets people use: commas, semicolons, "and", "/",
// "•", "–", and "-" before each item with or without a space.
func listItems(t string) []string {
	// A dash glued to each item (-a -b): the dash starts the item, it is not part of it.
	var parts []string
	if strings.HasPrefix(t, "-") && !strings.HasPrefix(t, "- ") {
		parts = strings.Split(" "+t, " -")
	} else {
		parts = listSeparator.Split(t, -1)
	}
	var items []string
	for _, it := range parts {
		it = strings.Trim(strings.TrimSpace(it), "-–—*+•·")
		if it = strings.TrimSpace(it); it != "" {
			items = append(items, it)
		}
	}
	return items
}

// belowUnindented lists the members written after this one, at its own level, that are fields
// of its schema: `requester:` with `github:` and `type:` at column 1 below it.
func (s *site) belowUnindented() []string {
	if len(s.ptr) == 0 {
		return nil
	}
	own, _ := s.c.schemaAt(s.kind, s.doc.Value, s.ptr)
	props, _ := own["properties"].(map[string]any)
	parent := s.ptr[:len(s.ptr)-1]
	keys := s.doc.Keys(parent)
	i := slices.Index(keys, s.ptr[len(s.ptr)-1])
	if i < 0 || props == nil {
		return nil
	}
	var below []string
	for _, k := range keys[i+1:] {
		if _, ok := props[k]; !ok {
			break
		}
		if s.known(parent, k) {
			break
		}
		below = append(below, k)
	}
	return below
}

// misplaced reports whether the field r, missing from obj (at s.ptr), is written one level
// off: in a member of obj, or beside obj, where it is not a field.
func (s *site) misplaced(obj map[string]any, r string) bool {
	for m, v := range obj {
		if child, ok := v.(map[string]any); ok {
			if _, there := child[r]; there && !s.known(append(slices.Clip(s.ptr), m), r) {
				return true
			}
		}
	}
	if len(s.ptr) == 0 {
		return false
	}
	parent := s.ptr[:len(s.ptr)-1]
	up, _ := lookup(s.doc.Value, parent).(map[string]any)
	_, there := up[r]
	return there && !s.known(parent, r)
}

// misspelled reports whether the missing field r is written in obj with a typo: an unknown
// member for which r is the "did you mean".
func (s *site) misspelled(obj, props map[string]any, r string) bool {
	if len(obj) > MaxNamed*10 {
		return false // a hostile file of thousands of names: not worth the search
	}
	allowed := slices.Sorted(maps.Keys(props))
	for k := range obj {
		if _, ok := props[k]; !ok && suggest.Closest(k, allowed) == r {
			return true
		}
	}
	return false
}

// known reports whether k is a field of the object at ptr.
func (s *site) known(ptr []string, k string) bool {
	sc, _ := s.c.schemaAt(s.kind, s.doc.Value, ptr)
	props, _ := sc["properties"].(map[string]any)
	_, ok := props[k]
	return ok
}

// unknownHint explains an unknown field k of the object at s.ptr when its cause is known:
// a field indented under the wrong parent, a ":" with no space, text split off by a comma.
func (s *site) unknownHint(k string) string {
	obj, _ := s.value.(map[string]any)
	// `{verdict:met}`: without a space, the colon is part of the name.
	if name, value, ok := strings.Cut(k, ":"); ok && s.known(s.ptr, name) {
		return fmt.Sprintf("put a space after the colon: %s: %s", name, value)
	}
	keys := s.doc.Keys(s.ptr)
	// `  Note: this is important.` under a | block, indented less than the text above it.
	if i := slices.Index(keys, k); i > 0 {
		before := append(slices.Clip(s.ptr), keys[i-1])
		if in, ok := s.doc.BlockIndent(before); ok {
			props, _ := s.schema["properties"].(map[string]any)
			v, _ := obj[k].(string)
			textLike := !strings.Contains(k, "_") && (strings.ContainsAny(k, " ABCDEFGHIJKLMNOPQRSTUVWXYZ") || strings.Contains(v, " "))
			if textLike && suggest.Closest(k, slices.Sorted(maps.Keys(props))) == "" { // words, not a misspelled field
				return fmt.Sprintf("this line is less indented than the text above it, so it is no longer part of %s; indent it like the lines above (%s)", keys[i-1], yamldoc.Spaces(in))
			}
		}
	}
	// A field of the member written just above, not indented under it.
	if i := slices.Index(keys, k); i > 0 {
		for j := i - 1; j >= 0; j-- {
			m := keys[j]
			if _, isObj := obj[m].(map[string]any); !isObj && obj[m] != nil {
				continue
			}
			if s.known(append(slices.Clip(s.ptr), m), k) {
				where := "not of the top level"
				if len(s.ptr) > 0 {
					where = "not of " + s.doc.FieldName(s.ptr)
				}
				return fmt.Sprintf("is a field of %s, %s; indent it under %s by two spaces", s.doc.FieldName(append(slices.Clip(s.ptr), m)), where, m)
			}
			if s.known(s.ptr, m) {
				break
			}
		}
	}
	// A field the schema has in one place only, written somewhere else: `personal_data` under
	// requester, `integration` at the top level.
	if homes := s.c.homes[s.kind][k]; len(homes) == 1 && homes[0] != s.doc.FieldName(s.ptr) && !s.enclosing(k) {
		where := "the top level"
		if len(s.ptr) > 0 {
			where = s.doc.FieldName(s.ptr)
		}
		return fmt.Sprintf("is a field of %s, not of %s; move it under %s", homes[0], where, homes[0])
	}
	// A field of an enclosing object, indented too far.
	for n := len(s.ptr) - 1; n >= 0; n-- {
		if s.known(s.ptr[:n], k) {
			where := "the top level"
			if n > 0 {
				where = s.doc.FieldName(s.ptr[:n])
			}
			return fmt.Sprintf("is a field of %s, not of %s; indent it less, lined up with %s", where, s.doc.FieldName(s.ptr), s.ptr[n])
		}
		if _, isIndex := atoi(s.ptr[n]); isIndex {
			break
		}
	}
	return ""
}

// movedAway reports whether the missing field r of the object at s.ptr, which the schema has
// there only, is written under some other field, where unknownHint says where it belongs.
func (s *site) movedAway(r string) bool {
	homes := s.c.homes[s.kind][r]
	if len(homes) != 1 || homes[0] != s.doc.FieldName(s.ptr) {
		return false
	}
	var find func(v any, depth int) bool
	find = func(v any, depth int) bool {
		m, ok := v.(map[string]any)
		if !ok || depth > 3 {
			return false
		}
		for k, c := range m {
			if k == r && depth > 0 || find(c, depth+1) {
				return true
			}
		}
		return false
	}
	return find(s.doc.Value, 0)
}

// enclosing reports whether k is a field of an object enclosing s.ptr, which the message for a
// field indented too far explains.
func (s *site) enclosing(k string) bool {
	for n := len(s.ptr) - 1; n >= 0; n-- {
		if s.known(s.ptr[:n], k) {
			return true
		}
		if _, isIndex := atoi(s.ptr[n]); isIndex {
			return false
		}
	}
	return false
}

// fieldHomes maps each field name of a kind's schema to the objects it is a field of, named as
// messages name them (privacy, conditions.limits; "" for the top level). Objects inside lists
// are left out: where a list item is, the message cannot say in words.
func (c *Checker) fieldHomes(kind docket.FileKind) map[string][]string {
	root, _ := c.raw[c.ids[kind]].(map[string]any)
	homes := map[string][]string{}
	var walk func(s map[string]any, at string, depth int)
	walk = func(s map[string]any, at string, depth int) {
		s = c.resolve(root, s)
		if s == nil || depth > 8 {
			return
		}
		for _, k := range []string{"allOf", "anyOf", "oneOf"} {
			list, _ := s[k].([]any)
			for _, sub := range list {
				if m, ok := sub.(map[string]any); ok {
					walk(m, at, depth+1)
				}
			}
		}
		for _, k := range []string{"then", "else"} {
			if m, ok := s[k].(map[string]any); ok {
				walk(m, at, depth+1)
			}
		}
		props, _ := s["properties"].(map[string]any)
		for name, p := range props {
			if !slices.Contains(homes[name], at) {
				homes[name] = append(homes[name], at)
			}
			if m, ok := p.(map[string]any); ok {
				child := name
				if at != "" {
					child = at + "." + name
				}
				walk(m, child, depth+1)
			}
		}
	}
	walk(root, "", 0)
	for name, at := range homes {
		if slices.Contains(at, "") {
			delete(homes, name) // a top-level field: said already when it is indented too far
		}
	}
	return homes
}

func atoi(tok string) (int, bool) {
	n := 0
	for _, r := range tok {
		if r < '0' || r > '9' {
			return 0, false
		}
		n = n*10 + int(r-'0')
	}
	return n, tok != ""
}

// cutByComma explains the members of the object at s.ptr that a comma split off the value
// before them, `{verdict: met, note: Public data, no names}`: one finding on the value that was
// cut, and the pieces are not reported as unknown fields.
func (s *site) cutByComma(unknown []string) (out []docket.Finding, explained map[string]bool) {
	explained = map[string]bool{}
	obj, _ := s.value.(map[string]any)
	keys := s.doc.Keys(s.ptr)
	piece := func(k string) bool {
		_, ok := s.doc.CutByComma(append(slices.Clip(s.ptr), k))
		return ok && slices.Contains(unknown, k)
	}
	for _, k := range unknown {
		i := slices.Index(keys, k)
		if explained[k] || i < 1 || !piece(k) {
			continue
		}
		for i > 0 && piece(keys[i]) {
			i-- // back to the member whose value was cut
		}
		owner := keys[i]
		var pieces []string
		for _, p := range keys[i+1:] {
			if !piece(p) {
				break
			}
			pieces = append(pieces, p)
			explained[p] = true
		}
		whole := fmt.Sprint(obj[owner]) + ", " + strings.Join(pieces, ", ")
		ptr := append(slices.Clip(s.ptr), owner)
		msg := fmt.Sprintf("the comma after %s ends the %s inside {braces}, so %s was read as another field; put %s in quotes: %s: %s",
			quote(fmt.Sprint(obj[owner])), noun(owner), quote(strings.Join(pieces, ", ")), yamldoc.Whole(owner), owner, yamlQuote(whole))
		if _, isNum := obj[owner].(json.Number); isNum && digitsOnly(pieces) {
			msg = fmt.Sprintf("the comma in %s ends the value inside {braces}; write %s without the comma",
				strings.ReplaceAll(whole, ", ", ","), strings.ReplaceAll(whole, ", ", ""))
		}
		out = append(out, s.at(s.pos(ptr), ptr, msg)...)
	}
	return out, explained
}

func digitsOnly(pieces []string) bool {
	for _, p := range pieces {
		if _, ok := atoi(p); !ok || len(p) != 3 {
			return false
		}
	}
	return true
}

func noun(key string) string { return strings.ReplaceAll(key, "_", " ") }

// yamlQuote writes text as a double-quoted YAML value.
func yamlQuote(text string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(text) + `"`
}

// enumHint: a value in curly or straight quotes that is an allowed value once they are gone.
func enumHint(v string, allowed []string) string {
	bare := strings.Trim(v, "“”‘’„‚«»\"' ")
	if bare != v && slices.Contains(allowed, bare) {
		return "remove the quotes around it: " + bare
	}
	return ""
}

var (
	loginURL = regexp.MustCompile(`^(?:https?://)?(?:www\.)?github\.com/([A-Za-z0-9-]+)/?$`)
	loginAt  = regexp.MustCompile(`^@([A-Za-z0-9-]+)$`)
)

// patternHint: a GitHub login written as @login or as the address of its profile; a login or
// id typed with a Cyrillic or Greek letter that looks like a Latin one.
func (s *site) patternHint(v string) string {
	if r, alphabet, latin, ok := docket.LookAlike(v); ok {
		return fmt.Sprintf("%c (U+%04X) is a %s letter that looks like a Latin one; retype it: %s", r, r, alphabet, latin)
	}
	if hint, _ := s.schema["x-hint"].(string); !strings.HasPrefix(hint, "a GitHub login") {
		return ""
	}
	if m := loginAt.FindStringSubmatch(v); m != nil {
		return "write the login without the @: " + m[1]
	}
	if m := loginURL.FindStringSubmatch(v); m != nil {
		return "write only the login, not the address of the profile: " + m[1]
	}
	return ""
}

var (
	dottedDate  = regexp.MustCompile(`^(\d{1,2})\.(\d{1,2})\.(\d{4})$`)
	slashedDate = regexp.MustCompile(`^(\d{1,2})/(\d{1,2})/(\d{4})$`)
	ordinalDay  = regexp.MustCompile(`(\d)(?:st|nd|rd|th)\b`)
	yearMonth   = regexp.MustCompile(`^(\d{4})-(\d{1,2})$`)
	dateDashes  = strings.NewReplacer("–", "-", "—", "-", "‐", "-", "‑", "-", "−", "-", "－", "-")
	monthNames  = []string{"", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
)

// otherDate reads the ways of writing a date that ExplainDate does not: with look-alike dashes
// or full-width digits, 5th for 5, day.month.year, a month without its day, and a/b/year,
// which can be read two ways. It returns the whole message, or "".
func otherDate(written string) string {
	w := strings.TrimSpace(written)
	if ascii, ok := asciiDigits(w); ok {
		if validDate(ascii) {
			return "must be a date written YYYY-MM-DD in ordinary digits, not full-width ones: write " + ascii
		}
		w = ascii
	}
	if d := dateDashes.Replace(w); d != w {
		if _, meant := docket.ExplainDate(d); meant != "" {
			return "must be a date written YYYY-MM-DD with hyphens (-), not dashes that look like them: write " + meant
		}
		if why, _ := docket.ExplainDate(d); why == "" && validDate(d) {
			return "must be a date written YYYY-MM-DD with hyphens (-), not dashes that look like them: write " + d
		}
	}
	if o := ordinalDay.ReplaceAllString(w, "$1"); o != w {
		if _, meant := docket.ExplainDate(o); meant != "" {
			return "must be a date written YYYY-MM-DD: write " + meant
		}
	}
	if m := dottedDate.FindStringSubmatch(w); m != nil {
		// Day first: no country writes month.day.year with dots.
		if d := fmt.Sprintf("%s-%02d-%02d", m[3], atoiOr(m[2]), atoiOr(m[1])); validDate(d) {
			return "must be a date written YYYY-MM-DD: write " + d
		}
	}
	if m := slashedDate.FindStringSubmatch(w); m != nil {
		a, b := atoiOr(m[1]), atoiOr(m[2])
		monthFirst := fmt.Sprintf("%s-%02d-%02d", m[3], a, b)
		dayFirst := fmt.Sprintf("%s-%02d-%02d", m[3], b, a)
		if a != b && validDate(monthFirst) && validDate(dayFirst) {
			return fmt.Sprintf("must be a date written YYYY-MM-DD; %s can be read two ways: write %s for %s %d, or %s for %s %d",
				w, monthFirst, monthNames[a], b, dayFirst, monthNames[b], a)
		}
	}
	if m := yearMonth.FindStringSubmatch(w); m != nil && atoiOr(m[2]) >= 1 && atoiOr(m[2]) <= 12 {
		return fmt.Sprintf("must be a whole date written YYYY-MM-DD, with the day too, like %s-%02d-01", m[1], atoiOr(m[2]))
	}
	return ""
}

func validDate(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

func atoiOr(s string) int {
	n, _ := atoi(s)
	return n
}

// asciiDigits maps full-width digits to ASCII ones.
func asciiDigits(s string) (string, bool) {
	changed := false
	out := strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			changed = true
			return '0' + (r - '０')
		}
		return r
	}, s)
	return out, changed
}

// dateMessage explains a date that does not parse, given as written and as described.
func dateMessage(written, described string) string {
	why, meant := docket.ExplainDate(written)
	if why == "" && meant == "" {
		if msg := otherDate(written); msg != "" {
			return msg
		}
	}
	switch {
	case why != "":
		return fmt.Sprintf("there is no %s: %s", written, why)
	case meant != "" && strings.ContainsAny(written, "T:"):
		return "must be a date written YYYY-MM-DD, without a time: write " + meant
	case meant != "":
		return "must be a date written YYYY-MM-DD: write " + meant
	}
	return "must be " + formatNames("date") + ", not " + described
}

func andList(names []string) string {
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
