package check

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/gitrepo"
	"github.com/opendata-docket/docket/internal/report"
)

// Report is a check's result as data: what the read-only check job hands to the job that
// comments (as a workflow artifact), and what the summary and the comment are drawn from. The
// commenting job must treat it as untrusted: ReadReport bounds and checks every field.
type Report struct {
	Version     int                  `json:"version"`
	PullRequest int                  `json:"pull_request"`
	HeadSHA     string               `json:"head_sha"`
	Actor       string               `json:"actor"`
	Staff       bool                 `json:"staff"`
	OK          bool                 `json:"ok"`
	Checked     int                  `json:"checked"`
	Changes     []Change             `json:"changes"`
	Findings    []report.JSONFinding `json:"findings"`
	Effects     []string             `json:"effects"`
	Notes       []string             `json:"notes"`
	Labels      []string             `json:"labels"`
}

const reportVersion = 1

// Report turns the result into a report for pull request number pr at commit headSHA. Every
// text in it is made printable (report.Printable: secrets removed, invisible characters
// escaped), as it is shown in the job summary and the comment, and written to an artifact.
func (r *Result) Report(pr int, headSHA string) *Report {
	changes := make([]Change, len(r.Changes))
	for i, c := range r.Changes {
		c.Path, c.ID = report.Printable(c.Path), report.Printable(c.ID)
		c.Action, c.Area = gitrepo.Action(report.Printable(string(c.Action))), Area(report.Printable(string(c.Area)))
		changes[i] = c
	}
	rep := &Report{
		Version: reportVersion, PullRequest: pr, HeadSHA: report.Printable(headSHA), Actor: report.Printable(r.Actor), Staff: r.Staff,
		OK: r.OK(), Checked: r.Checked, Changes: changes, Effects: printable(r.Effects), Notes: printable(r.Notes), Labels: r.Labels,
		Findings: report.ToJSON(r.Findings),
	}
	return rep
}

func printable(texts []string) []string {
	out := make([]string, len(texts))
	for i, t := range texts {
		out[i] = report.Printable(t)
	}
	return out
}

// Limits on a report read back from an artifact.
const (
	maxReportSize = 1 << 20
	maxItems      = 1000
	maxText       = 2000
)

// ReadReport reads a report that may have been written by anyone: it rejects unknown fields,
// oversized input, labels docket does not manage and texts beyond sensible lengths.
func ReadReport(r io.Reader) (*Report, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxReportSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading the report: %w", err)
	}
	if len(data) > maxReportSize {
		return nil, errors.New("the report is larger than 1 MiB")
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	var rep Report
	if err := dec.Decode(&rep); err != nil {
		return nil, fmt.Errorf("the report is not valid: %w", err)
	}
	if dec.More() {
		return nil, errors.New("the report has data after its end")
	}
	switch {
	case rep.Version != reportVersion:
		return nil, fmt.Errorf("the report has version %d; this docket reads version %d", rep.Version, reportVersion)
	case rep.PullRequest <= 0:
		return nil, errors.New("the report names no pull request")
	case len(rep.Changes) > maxItems*10, len(rep.Findings) > maxItems, len(rep.Effects) > maxItems, len(rep.Notes) > maxItems:
		return nil, errors.New("the report lists too many items")
	}
	for _, l := range rep.Labels {
		if !slices.Contains(ManagedLabels, l) {
			return nil, fmt.Errorf("the report asks for the label %q, which docket does not manage", l)
		}
	}
	texts := []string{rep.HeadSHA, rep.Actor}
	texts = append(texts, rep.Effects...)
	texts = append(texts, rep.Notes...)
	for _, f := range rep.Findings {
		texts = append(texts, f.Path, f.Field, f.Message, f.Severity)
	}
	for _, c := range rep.Changes {
		texts = append(texts, c.Path, string(c.Action), string(c.Area), c.ID)
	}
	for _, t := range texts {
		if len(t) > maxText {
			return nil, errors.New("the report holds a text that is too long")
		}
	}
	return &rep, nil
}

// Errors counts the findings that block merging.
func (r *Report) Errors() int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == docket.Error.String() {
			n++
		}
	}
	return n
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error { return writeJSON(w, r) }

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
