package intake

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/opendata-docket/docket/internal/check"
	"github.com/opendata-docket/docket/internal/docket"
)

// Marker is hidden in intake's comment on an issue, so each run finds and updates the one
// comment instead of adding another.
const Marker = "<!-- docket:intake -->"

var index = regexp.MustCompile(`\[\d+\]`)

// QuestionFor returns the question whose answer fills field (as a finding names it, like
// api_access.datasets[2]), or nil when no question does.
func (f *Form) QuestionFor(field string) *Question {
	field = index.ReplaceAllString(field, "")
	var best *Question
	for i := range f.Questions {
		q := &f.Questions[i]
		if q.Field == "" {
			continue
		}
		if (field == q.Field || strings.HasPrefix(field, q.Field+".")) && (best == nil || len(q.Field) > len(best.Field)) {
			best = q
		}
	}
	return best
}

// FromFindings turns the errors validation found in the request into problems with the
// questions whose answers they are about, one a question, after the problems already found.
func FromFindings(f *Form, problems []Problem, findings []docket.Finding) []Problem {
	out := slices.Clone(problems)
	has := func(label string) bool {
		return slices.ContainsFunc(out, func(p Problem) bool { return p.Question == label && label != "" })
	}
	for _, fd := range findings {
		if fd.Severity != docket.Error {
			continue
		}
		p := Problem{Message: fd.Message}
		if q := f.QuestionFor(fd.Field); q != nil {
			p.Question = q.Label
		} else if fd.Field != "" {
			p.Message = fd.Field + ": " + fd.Message
		}
		if !has(p.Question) {
			out = append(out, p)
		}
	}
	// In the order of the form.
	order := map[string]int{}
	for i, q := range f.Questions {
		order[q.Label] = i + 1
	}
	slices.SortStableFunc(out, func(a, b Problem) int { return order[a.Question] - order[b.Question] })
	return out
}

// ProblemsComment is the comment that lists every answer to fix. pr is the pull request
// opened from earlier answers, 0 when there is none.
func ProblemsComment(problems []Problem, pr int) string {
	var b strings.Builder
	b.WriteString(Marker + "\n")
	fmt.Fprintf(&b, "### Thank you! %s before this request can go to staff\n\n", docket.Plural(len(problems), "One answer needs fixing", "Some answers need fixing"))
	b.WriteString("Edit this issue (the **···** menu at its top, then **Edit**), change the answers below and save. docket reads the form again each time it is saved; nothing else you wrote is lost.\n\n")
	for _, p := range problems {
		if p.Question == "" {
			b.WriteString("- " + check.MarkdownText(p.Message) + "\n")
			continue
		}
		fmt.Fprintf(&b, "- **%s**: %s\n", check.MarkdownText(p.Question), check.MarkdownText(p.Message))
	}
	if pr > 0 {
		fmt.Fprintf(&b, "\nPull request #%d still has your earlier answers; it is updated once these are fixed.\n", pr)
	}
	b.WriteString("\n<sub>Written by docket intake. The catalog of datasets on the transparency site lists the ids the Datasets question takes.</sub>\n")
	return b.String()
}

// DoneComment is the comment that says where the request went.
func DoneComment(id string, pr int, warnings []string) string {
	var b strings.Builder
	b.WriteString(Marker + "\n")
	fmt.Fprintf(&b, "### ✅ Your request is in: pull request #%d\n\n", pr)
	fmt.Fprintf(&b, "docket turned your answers into the request `%s/%s/%s` and opened pull request #%d with it. Staff review it there and answer in it; when it is merged, the request appears on the transparency site, where you can follow it.\n\n", docket.RequestsDir, id, docket.RequestFile, pr)
	b.WriteString("To change an answer, edit this issue: the pull request follows your edits. This issue closes when the pull request is merged.\n")
	if len(warnings) > 0 {
		b.WriteString("\nStaff will look at these in particular:\n\n")
		for _, w := range warnings {
			b.WriteString("- " + check.MarkdownText(w) + "\n")
		}
	}
	return b.String()
}
