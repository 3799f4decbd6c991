// Package report writes findings for people and machines: plain lines for a terminal,
// workflow commands that GitHub Actions turns into annotations on the exact lines of a pull
// request, and JSON. Findings quote text a requester wrote, so every format escapes what could
// steer the place it is shown: terminal control characters, workflow command syntax.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/opendata-docket/docket/internal/docket"
)

// Formats lists the names Write accepts.
var Formats = []string{"text", "github", "json"}

// Write writes findings in the named format.
func Write(w io.Writer, format string, findings []docket.Finding) error {
	switch format {
	case "text":
		return Text(w, findings)
	case "github":
		return GitHub(w, findings)
	case "json":
		return JSON(w, findings)
	}
	return fmt.Errorf("unknown format %q: use one of %s", format, strings.Join(Formats, ", "))
}

// Text writes one finding per line as path:line:col: message.
func Text(w io.Writer, findings []docket.Finding) error {
	var b strings.Builder
	for _, f := range findings {
		b.WriteString(Printable(f.String()))
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Printable escapes control characters so that a file name or value cannot move the cursor,
// recolour the terminal or forge a line of output (such as a workflow command in Actions).
func Printable(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// GitHub writes one workflow command per finding (::error or ::warning), which Actions shows
// as an annotation on the file and line.
func GitHub(w io.Writer, findings []docket.Finding) error {
	var b strings.Builder
	for _, f := range findings {
		fmt.Fprintf(&b, "::%s file=%s,line=%d,col=%d,title=%s::%s\n",
			f.Severity, escapeProperty(f.Path), max(f.Line, 1), max(f.Col, 1),
			escapeProperty("docket"), escapeData(f.Text()))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// escapeData escapes a workflow command's message, as the Actions toolkit does.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a workflow command's property value, as the Actions toolkit does.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// JSONFinding is a finding as docket writes it in JSON, here and in check reports.
type JSONFinding struct {
	Path     string `json:"path"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Field    string `json:"field,omitempty"`
	Message  string `json:"message"`
	Severity string `json:"severity"` // error or warning
}

// ToJSON converts findings for JSON output; never nil, so an empty list is written as [].
func ToJSON(findings []docket.Finding) []JSONFinding {
	out := make([]JSONFinding, len(findings))
	for i, f := range findings {
		out[i] = JSONFinding{Path: f.Path, Line: max(f.Line, 1), Column: max(f.Col, 1), Field: f.Field, Message: f.Message, Severity: f.Severity.String()}
	}
	return out
}

// JSON writes the findings as one JSON array; an empty array when there are none.
func JSON(w io.Writer, findings []docket.Finding) error {
	out := ToJSON(findings)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
