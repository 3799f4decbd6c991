package intake

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/draft"
	"github.com/opendata-docket/docket/internal/validate"
)

// A Problem is an answer to fix, said for the requester: the question's label and what to
// write instead. A Problem with no question is about the request as a whole.
type Problem struct {
	Question string
	Message  string
}

// Build makes the request the answers describe, with author (the author, as GitHub
// reports it) as the requester. Every answer goes into the request as it was typed, except
// where it cannot be written there (a word where a number belongs, a choice the form does not
// have): those are problems, and the request then has the answer left out. id is the request
// id the requester asked for, "" for one made from the title.
func Build(a *Answers, author string, cfg *docket.Config) (req *docket.Request, id string, problems []Problem) {
	b := &builder{a: a, cfg: cfg}
	req = &docket.Request{Kind: a.Form.Kind}
	req.Requester.GitHub = author
	req.Title = b.text("title")
	req.Requester.Type = b.choice("requester_type")
	req.Requester.Name = b.text("name")
	req.Requester.Organization = b.text("organization")
	switch a.Form.Kind {
	case docket.KindAPIAccess:
		api := &docket.APIAsk{Datasets: b.datasets("datasets"), Integration: b.text("integration")}
		for _, id := range api.Datasets {
			// Said here as validation says it, so that it is in the first list of answers to
			// fix even when other answers keep the request from being checked further.
			if msg := validate.CatalogProblem(b.cfg, id); msg != "" {
				// The form has its own way to ask for a dataset that is not published.
				msg = strings.Replace(msg, "ask for the dataset to be published with kind: dataset", "ask for it to be published with the form for a new dataset", 1)
				b.problem("datasets", "%s", msg)
			}
		}
		if v, ok := b.number("requests_per_day", draft.WholeNumber(1, 100000000)); ok {
			api.Traffic.RequestsPerDay, _ = strconv.ParseInt(v, 10, 64)
		}
		if v, ok := b.number("peak_requests_per_second", draft.PositiveNumber(100000)); ok {
			api.Traffic.PeakRequestsPerSecond, _ = strconv.ParseFloat(v, 64)
		}
		req.APIAccess = api
		if r := b.text("age_recipient"); r != "" {
			req.Delivery = &docket.Delivery{AgeRecipient: r}
		}
	case docket.KindDataset:
		req.Dataset = &docket.DatasetAsk{
			Name:             b.text("dataset_name"),
			Description:      b.text("dataset_description"),
			SourceDepartment: b.text("source_department"),
			UpdateFrequency:  b.choice("update_frequency"),
			Fields:           b.fields("fields"),
			SampleRows:       b.rows("sample_rows"),
		}
	}
	req.Purpose.Use = b.choice("use")
	req.Purpose.Description = b.text("purpose")
	req.Privacy.PersonalData = b.choice("personal_data") == "yes"
	req.Privacy.Considerations = b.text("privacy")
	req.DataSharingAgreement = b.choice("data_sharing_agreement") == "yes"
	if q := a.Form.Question("public"); q != nil && len(a.Ticked["public"]) == 0 && !b.missing("public") {
		b.problem("public", "tick the box to say you understand that everything you write here is published")
	}
	if a.Unclosed != "" {
		b.problem(a.Unclosed, "this answer opens a ``` block that is never closed, which hid the questions after it; add a line with ``` where the block ends")
	}
	for _, qid := range a.Missing {
		if q := a.Form.Question(qid); q.Required {
			b.problem(qid, "this question is missing from the issue; edit the issue and add it back: a line \"### %s\", then your answer", q.Label)
		}
	}
	id = strings.TrimSpace(a.Values["id"])
	return req, id, b.problems
}

type builder struct {
	a        *Answers
	cfg      *docket.Config
	problems []Problem
}

func (b *builder) problem(qid, format string, args ...any) {
	label := ""
	if q := b.a.Form.Question(qid); q != nil {
		label = q.Label
	}
	msg := fmt.Sprintf(format, args...)
	for i, p := range b.problems {
		if p.Question == label && label != "" {
			// Every problem of a question at once, so one edit of the issue fixes them all.
			if !strings.Contains(p.Message, msg) {
				b.problems[i].Message += "; " + msg
			}
			return
		}
	}
	b.problems = append(b.problems, Problem{label, msg})
}

func (b *builder) missing(qid string) bool { return slices.Contains(b.a.Missing, qid) }

// value returns an answer; a required question answered with nothing is a problem.
func (b *builder) value(qid string) string {
	v := b.a.Values[qid]
	if q := b.a.Form.Question(qid); strings.TrimSpace(v) == "" && q.Required && !b.missing(qid) {
		b.problem(qid, "this answer is needed")
	}
	return v
}

// text is an answer written into the request as typed, trimmed. The answer to a one-line
// question stays on one line: a tab or a line break pasted into it becomes a space, as the
// form's field shows it.
func (b *builder) text(qid string) string {
	v := b.value(qid)
	if q := b.a.Form.Question(qid); q != nil && q.Type == "input" {
		return strings.Join(strings.Fields(v), " ")
	}
	return strings.TrimSpace(v)
}

// choice is the value of the option picked in a dropdown.
func (b *builder) choice(qid string) string {
	v := strings.TrimSpace(b.value(qid))
	if v == "" {
		return ""
	}
	q := b.a.Form.Question(qid)
	var words []string
	for _, o := range q.Options {
		if strings.EqualFold(v, o.Words) || strings.EqualFold(v, o.Value) {
			return o.Value
		}
		words = append(words, o.Words)
	}
	b.problem(qid, "%q is not one of the choices; pick one of: %s", v, strings.Join(words, "; "))
	return ""
}

// number reads a number with check; a problem says what to write.
func (b *builder) number(qid string, check func(string) (string, error)) (string, bool) {
	v := strings.TrimSpace(b.value(qid))
	if v == "" {
		return "", false
	}
	n, err := check(v)
	if err != nil {
		b.problem(qid, "%s; you wrote %q", err, v)
		return "", false
	}
	return n, true
}

// bullet takes a list marker off a line: people paste lists.
var bullet = regexp.MustCompile(`^\s*(?:[-*+•]|\d+[.)])\s+`)

// datasets reads catalog ids, one a line (or separated by commas). A dataset's exact name is
// written as its id; anything else is kept as typed, for validation to say which id it
// probably means.
func (b *builder) datasets(qid string) []string {
	var out []string
	add := func(s string) {
		s = strings.Trim(strings.TrimSpace(s), "`")
		if s == "" {
			return
		}
		for _, e := range b.cfg.Catalog {
			if strings.EqualFold(s, e.Name) || strings.EqualFold(s, e.ID) {
				s = e.ID
				break
			}
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	for _, line := range strings.Split(b.value(qid), "\n") {
		line = bullet.ReplaceAllString(line, "")
		if b.isName(line) {
			add(line)
			continue
		}
		for _, part := range strings.Split(line, ",") {
			add(part)
		}
	}
	return out
}

func (b *builder) isName(s string) bool {
	for _, e := range b.cfg.Catalog {
		if strings.EqualFold(strings.TrimSpace(s), e.Name) {
			return true
		}
	}
	return false
}

// fields reads columns, one a line: name, type, description (commas, tabs or | between).
func (b *builder) fields(qid string) []docket.Field {
	var out []docket.Field
	for i, line := range strings.Split(b.value(qid), "\n") {
		line = strings.Trim(bullet.ReplaceAllString(line, ""), " \t|")
		if line == "" {
			continue
		}
		sep := ","
		for _, s := range []string{"\t", "|"} {
			if strings.Contains(line, s) {
				sep = s
				break
			}
		}
		parts := strings.SplitN(line, sep, 3)
		for j := range parts {
			parts[j] = strings.Trim(strings.TrimSpace(parts[j]), "`")
		}
		if len(parts) < 3 {
			b.problem(qid, "line %d (%q) needs a name, a type and what the column means, separated by commas, like: request_date, date, The day the request was received", i+1, line)
			continue
		}
		name, err := draft.ColumnName(parts[0])
		if err != nil {
			if alt := columnLike(parts[0]); alt != "" {
				b.problem(qid, "line %d: %q: %s; did you mean %s?", i+1, parts[0], err, alt)
			} else {
				b.problem(qid, "line %d: %q: %s", i+1, parts[0], err)
			}
			continue
		}
		typ := strings.ToLower(parts[1])
		if !slices.Contains(draft.ColumnTypes, typ) {
			b.problem(qid, "line %d: the type %q of %s is not one of %s", i+1, parts[1], name, strings.Join(draft.ColumnTypes, ", "))
			continue
		}
		out = append(out, docket.Field{Name: name, Type: typ, Description: parts[2]})
	}
	return out
}

// rows reads example rows written as CSV.
func (b *builder) rows(qid string) []map[string]any {
	v := strings.TrimSpace(b.value(qid))
	if v == "" {
		return nil
	}
	rows, err := draft.CSVRows(v)
	if err != nil {
		b.problem(qid, "%s", err)
	}
	return rows
}

var notWord = regexp.MustCompile(`[^a-z0-9]+`)

// columnLike is the column name a person most likely meant by s ("Request Date" is
// request_date), or "" when there is none that is valid.
func columnLike(s string) string {
	alt := strings.Trim(notWord.ReplaceAllString(strings.ToLower(strings.TrimSpace(s)), "_"), "_")
	if v, err := draft.ColumnName(alt); err == nil && alt != "" {
		return v
	}
	return ""
}
