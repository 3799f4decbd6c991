package intake

import (
	"strings"
)

// NoResponse is what GitHub writes for a question left empty.
const NoResponse = "_No response_"

// Answers are the answers read from one filled form.
type Answers struct {
	Form *Form
	// Values holds each answered question's text by id, as typed (trimmed of blank lines
	// around it; a fenced block that GitHub put around the answer is taken off). An empty
	// answer is "".
	Values map[string]string
	// Ticked holds the boxes ticked, by question id.
	Ticked map[string][]string
	// Missing lists the questions whose heading is not in the body: removed when the issue
	// was edited.
	Missing []string
	// Unclosed is the question whose answer opens a fenced block (```) that is never closed,
	// or "". The headings after it are still read as questions, so nothing is lost.
	Unclosed string
}

// Parse reads an issue body written with one of the request forms. It returns nil when the
// body is not a request form (a misuse report, a blank issue, a form of another kind).
func Parse(body string) *Answers {
	lines := strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n")
	var best *Answers
	bestFound := 0
	for _, f := range Forms {
		a, found := parseForm(f, lines)
		if found > bestFound && distinguished(f, a) {
			best, bestFound = a, found
		}
	}
	// A body with only a heading or two of a form is not that form filled in.
	if best == nil || bestFound < len(best.Form.Questions)/2 {
		return nil
	}
	return best
}

// distinguished reports whether answers have a question only their form asks, so that a body
// is not read as the wrong form.
func distinguished(f *Form, a *Answers) bool {
	for _, q := range f.Questions {
		if _, ok := a.Values[q.ID]; !ok {
			continue
		}
		other := APIForm
		if f == APIForm {
			other = DatasetForm
		}
		if other.Question(q.ID) == nil {
			return true
		}
	}
	return false
}

func parseForm(f *Form, lines []string) (*Answers, int) {
	byLabel := map[string]*Question{}
	for i := range f.Questions {
		byLabel[f.Questions[i].Label] = &f.Questions[i]
	}
	type section struct {
		q     *Question
		start int // the first line of the answer
	}
	var sections []section
	seen := map[string]bool{}
	unclosed := ""
	fence := ""
	for i, l := range lines {
		t := strings.TrimSpace(l)
		label, heading := strings.CutPrefix(l, "### ")
		q := byLabel[strings.TrimSpace(label)]
		next := heading && q != nil && !seen[q.ID]
		if fence != "" && !next {
			if strings.HasPrefix(t, fence) {
				fence = ""
			}
			continue
		}
		if fence != "" {
			// The next question of the form inside a fenced block: the block was opened in
			// the answer before and never closed. Read on, so no answer after it is lost, and
			// name the answer that opened it.
			if len(sections) > 0 {
				unclosed = sections[len(sections)-1].q.ID
			}
			fence = ""
		}
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			fence = t[:3]
			continue
		}
		// Only a heading with a label of the form starts an answer: a requester's own
		// heading inside an answer stays part of it.
		if next {
			seen[q.ID] = true
			sections = append(sections, section{q, i + 1})
		}
	}
	if fence != "" && len(sections) > 0 && unclosed == "" {
		unclosed = sections[len(sections)-1].q.ID
	}
	a := &Answers{Form: f, Values: map[string]string{}, Ticked: map[string][]string{}, Unclosed: unclosed}
	for n, s := range sections {
		end := len(lines)
		if n+1 < len(sections) {
			end = sections[n+1].start - 1
		}
		text := strings.Trim(strings.Join(lines[s.start:end], "\n"), "\n")
		text = strings.TrimRight(text, " \t\n")
		if strings.TrimSpace(text) == NoResponse {
			text = ""
		}
		if s.q.Type == "checkboxes" {
			a.Ticked[s.q.ID] = ticked(text)
		}
		a.Values[s.q.ID] = unfence(text)
	}
	for _, q := range f.Questions {
		if _, ok := a.Values[q.ID]; !ok {
			a.Missing = append(a.Missing, q.ID)
		}
	}
	return a, len(sections)
}

// ticked returns the labels of the ticked boxes: "- [X] label" ("- [x]" in older bodies).
func ticked(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(l)
		for _, mark := range []string{"- [X] ", "- [x] "} {
			if rest, ok := strings.CutPrefix(l, mark); ok {
				out = append(out, strings.TrimSpace(rest))
			}
		}
	}
	return out
}

// unfence takes off the fenced block GitHub puts around a textarea answer with render: the
// answer is what is inside.
func unfence(text string) string {
	lines := strings.Split(text, "\n")
	if len(lines) < 2 {
		return text
	}
	first, last := strings.TrimSpace(lines[0]), strings.TrimSpace(lines[len(lines)-1])
	if strings.HasPrefix(first, "```") && last == "```" {
		return strings.Join(lines[1:len(lines)-1], "\n")
	}
	return text
}
