package draft

import (
	"bytes"
	"encoding/json"
	"reflect"
	"regexp"
	"strings"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/yamldoc"
)

// AppendAction returns the enforcement file with action a added at the end. An existing file
// keeps its text, comments and all, so the pull request shows one new action and nothing
// else; when its layout does not allow appending (a flow-style list, say), the whole history
// is written again, which reads back as the same history.
func AppendAction(existing []byte, history *docket.Enforcement, a docket.EnforcementAction, comments map[string]string) ([]byte, error) {
	want := NewAction(history, a)
	full, err := Enforcement(want, comments)
	if err != nil || len(bytes.TrimSpace(existing)) == 0 || history == nil {
		return full, err
	}
	one, err := Enforcement(&docket.Enforcement{Actions: []docket.EnforcementAction{a}}, shift(comments, len(history.Actions)))
	if err != nil {
		return nil, err
	}
	_, item, ok := strings.Cut(string(one), "\nactions:\n")
	if !ok {
		return full, nil
	}
	indent := "  "
	if m := itemIndent.FindSubmatch(existing); m != nil {
		indent = string(m[1])
	}
	var b strings.Builder
	b.Write(existing)
	if !bytes.HasSuffix(existing, []byte("\n")) {
		b.WriteByte('\n')
	}
	for _, line := range strings.SplitAfter(item, "\n") {
		if line == "" {
			continue
		}
		b.WriteString(indent + strings.TrimPrefix(line, "  "))
	}
	out := []byte(b.String())
	if same(out, want) {
		return out, nil
	}
	return full, nil
}

var itemIndent = regexp.MustCompile(`(?m)^( *)- `)

// shift renumbers comments written for actions.0 to the index the action will have.
func shift(comments map[string]string, i int) map[string]string {
	out := map[string]string{}
	for k, v := range comments {
		out[strings.Replace(k, "actions."+itoa(i)+".", "actions.0.", 1)] = v
	}
	return out
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

// same reports whether the YAML text reads back, strictly, as the enforcement history e.
func same(text []byte, e *docket.Enforcement) bool {
	doc, findings := yamldoc.Parse(docket.EnforcementFile, text)
	if doc == nil || len(findings) > 0 {
		return false
	}
	js, err := json.Marshal(e)
	if err != nil {
		return false
	}
	var want any
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.UseNumber()
	if dec.Decode(&want) != nil {
		return false
	}
	return reflect.DeepEqual(doc.Value, want)
}
