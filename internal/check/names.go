package check

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/opendata-docket/docket/internal/report"
)

// badName says why a path cannot be accepted as a file name, or "" when it can. A name with a
// control character or a line break can forge lines in logs and workflow commands; one with a
// bidirectional control, a zero-width or other invisible character, or an odd space looks like
// another name (docs-\u202etxt.yml shows as docs-lmy.txt); and git tools disagree on names that
// are not UTF-8. The characters are those report.Invisible escapes when any path is printed.
func badName(path string) string {
	if !utf8.ValidString(path) {
		return "file names must be UTF-8 text; rename the file"
	}
	i := strings.IndexFunc(path, report.Invisible)
	if i < 0 {
		return ""
	}
	r, _ := utf8.DecodeRuneInString(path[i:])
	if unicode.IsControl(r) || unicode.In(r, unicode.Zl, unicode.Zp) {
		return "file names may not contain control characters or line breaks; rename the file"
	}
	return fmt.Sprintf("file names may not contain invisible characters, odd spaces or characters that change the direction of text (this one has U+%04X), because they make a name look like another; rename the file", r)
}
