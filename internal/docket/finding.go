package docket

import (
	"cmp"
	"fmt"
	"slices"
)

// Severity says whether a finding blocks a change.
type Severity int

const (
	// Error findings fail validation.
	Error Severity = iota
	// Warning findings are shown but do not fail validation; staff decide.
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Finding is one problem in one file, located at a line and column (both from 1) and named by
// the field it is about, in the requester's words.
type Finding struct {
	Path     string   // slash-separated, relative to the repository root
	Line     int      // 1-based
	Col      int      // 1-based
	Field    string   // like purpose.use or fields[2].name; empty for the file as a whole
	Message  string   // lowercase, no trailing period
	Severity Severity //
}

// String formats the finding as path:line:col: [warning: ]field: message.
func (f Finding) String() string {
	s := fmt.Sprintf("%s:%d:%d: ", f.Path, max(f.Line, 1), max(f.Col, 1))
	if f.Severity == Warning {
		s += "warning: "
	}
	return s + f.Text()
}

// Text is the message with its field, without the location.
func (f Finding) Text() string {
	if f.Field == "" {
		return f.Message
	}
	return f.Field + ": " + f.Message
}

// SortFindings orders findings by file, line, column and text, and drops exact duplicates.
func SortFindings(fs []Finding) []Finding {
	slices.SortFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(a.Path, b.Path),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Col, b.Col),
			cmp.Compare(a.Severity, b.Severity),
			cmp.Compare(a.Text(), b.Text()),
		)
	})
	return slices.Compact(fs)
}

// HasErrors reports whether any finding is an error.
func HasErrors(fs []Finding) bool {
	return slices.ContainsFunc(fs, func(f Finding) bool { return f.Severity == Error })
}
