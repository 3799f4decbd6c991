package yamldoc

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/opendata-docket/docket/internal/docket"
)

// Characters that come into a file from elsewhere: non-breaking spaces pasted from a web page
// or a word processor, a full-width colon typed on a Japanese or Chinese keyboard, and the ```
// fence of a Markdown code block copied with the YAML inside it.

var nbspLine = regexp.MustCompile(`^([ \x{a0}\x{2007}\x{202f}\x{3000}]*)(?:- +)?(?:[A-Za-z_][A-Za-z0-9_-]*:([\x{a0}\x{2007}\x{202f}\x{3000}]))?`)

// checkSpaces finds a non-breaking space where YAML needs an ordinary one: in the indentation of
// a line, or after the colon of a field. YAML reads it as a letter, so the line's field has
// another name, or the colon no longer ends one.
func (p *parser) checkSpaces(data []byte) (docket.Finding, bool) {
	if !bytes.Contains(data, []byte("\u00a0")) && !bytes.Contains(data, []byte("\u2007")) && !bytes.Contains(data, []byte("\u202f")) && !bytes.Contains(data, []byte("\u3000")) {
		return docket.Finding{}, false
	}
	block := -1 // the indentation of the field whose | or > block the lines are in, or -1
	for n, l := range lines(data) {
		in := len(l) - len(bytes.TrimLeft(l, " "))
		if block >= 0 && (len(bytes.TrimSpace(l)) == 0 || in > block) {
			continue // text of a block, where a non-breaking space is text
		}
		block = -1
		if f, ok := parseField(string(bytes.TrimRight(l, "\r"))); ok && blockHeader.MatchString(f.value) {
			block = f.indent
		}
		m := nbspLine.FindSubmatchIndex(l)
		if m == nil {
			continue
		}
		at := -1
		if indent := l[m[2]:m[3]]; bytes.ContainsAny(indent, "\u00a0\u2007\u202f\u3000") {
			at = bytes.IndexAny(indent, "\u00a0\u2007\u202f\u3000")
		} else if m[4] >= 0 {
			at = m[4]
		}
		if at >= 0 {
			msg := "this line uses non-breaking spaces (often pasted from a web page or Word); retype them as ordinary spaces"
			if r, _ := utf8.DecodeRune(l[at:]); r == '\u3000' {
				msg = "this line uses full-width spaces (typed on a Japanese or Chinese keyboard); retype them as ordinary spaces"
			}
			return p.at(n+1, utf8.RuneCount(l[:at])+1, "", msg), true
		}
	}
	return docket.Finding{}, false
}

var fullWidthColon = regexp.MustCompile(`^( *(?:- +)?)([A-Za-z_][A-Za-z0-9_-]*) *：\s*(.*)$`)

// wideColon: `title： Daily 311 calls`, a full-width colon after a field name.
func wideColon(lines []string, i int) (slip, bool) {
	m := fullWidthColon.FindStringSubmatch(lines[i])
	if m == nil {
		return slip{}, false
	}
	fixed := m[1] + m[2] + ": " + m[3]
	return slip{line: i + 1, col: utf8.RuneCountInString(m[1]+m[2]) + 1,
		msg: fmt.Sprintf("the colon after %s is a full-width colon (：), which YAML does not read as one; type an ordinary colon: %s", m[2], strings.TrimSpace(fixed)),
		fix: func(ls []string) []string {
			ls[i] = fixed
			return ls
		}}, true
}

// codeFence: the file wrapped in a Markdown code block, ```yaml … ```.
func codeFence(lines []string, i int) (slip, bool) {
	if !strings.HasPrefix(strings.TrimSpace(lines[i]), "```") {
		return slip{}, false
	}
	return slip{line: i + 1, col: 1, whole: true,
		msg: "remove the ``` lines: they mark a code block in Markdown, and are not part of the YAML",
		fix: func(ls []string) []string {
			for k := range ls {
				if strings.HasPrefix(strings.TrimSpace(ls[k]), "```") {
					ls[k] = ""
				}
			}
			return ls
		}}, true
}
