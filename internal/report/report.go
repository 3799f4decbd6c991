// Package report writes findings for people and machines: plain lines for a terminal,
// workflow commands that GitHub Actions turns into annotations on the exact lines of a pull
// request, and JSON. Findings quote text a requester wrote, so every format removes secrets and
// escapes what could steer or disguise the place it is shown (Printable): terminal control
// characters, bidirectional and invisible characters, workflow command syntax.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/secrets"
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

// Printable makes text safe to show anywhere docket writes: it removes secrets (secrets.Redact)
// and escapes, as \n, \x1b, \u202e or \xff, every character that is not shown as itself:
// control characters and line breaks, which could move the cursor, recolour a terminal or forge
// a line of output (a workflow command in Actions); format characters such as U+202E, which
// reverses the text after it so that docs-\u202etxt.yml reads as docs-lmy.txt; invisible and
// odd spaces; and bytes that are not UTF-8. Every output format calls it on every text it writes
// that did not come from docket itself, so no caller can forget; applying it twice changes
// nothing more.
func Printable(s string) string {
	s = secrets.Redact(s)
	if utf8.ValidString(s) && !strings.ContainsFunc(s, Invisible) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r < utf8.RuneSelf && Invisible(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		case r > 0xffff && Invisible(r):
			fmt.Fprintf(&b, `\U%08x`, r)
		case Invisible(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

// Invisible reports whether r is not shown as itself, so a name holding it is not what it looks
// like: control characters (Cc), format characters (Cf: bidirectional controls, zero-width
// spaces and joiners, the byte order mark, the soft hyphen…), separators other than the ASCII
// space (no-break and other spaces, line and paragraph separators), surrogates, private-use and
// unassigned code points, variation selectors and the other default-ignorable characters (such
// as the Hangul fillers, letters that show as blank), and the blank Braille pattern.
func Invisible(r rune) bool {
	if r == ' ' {
		return false
	}
	return !unicode.IsPrint(r) || unicode.In(r, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector) || r == '\u2800'
}

// GitHub writes one workflow command per finding (::error or ::warning), which Actions shows
// as an annotation on the file and line.
func GitHub(w io.Writer, findings []docket.Finding) error {
	var b strings.Builder
	for _, f := range findings {
		fmt.Fprintf(&b, "::%s file=%s,line=%d,col=%d,title=%s::%s\n",
			f.Severity, escapeProperty(Printable(f.Path)), max(f.Line, 1), max(f.Col, 1),
			escapeProperty("docket"), escapeData(Printable(f.Text())))
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

// ToJSON converts findings for JSON output, each text made Printable; never nil, so an empty
// list is written as [].
func ToJSON(findings []docket.Finding) []JSONFinding {
	out := make([]JSONFinding, len(findings))
	for i, f := range findings {
		out[i] = JSONFinding{Path: Printable(f.Path), Line: max(f.Line, 1), Column: max(f.Col, 1), Field: Printable(f.Field), Message: Printable(f.Message), Severity: f.Severity.String()}
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
