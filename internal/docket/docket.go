// Package docket holds the domain of a public data-request docket: requests, decisions, appeals,
// enforcement histories, the program configuration, the status a request is in, and the findings
// that validation reports. It has no third-party imports; loading files, checking schemas, git
// history and GitHub live in packages of their own that produce and consume these types.
package docket

import (
	"fmt"
	"regexp"
	"strings"
)

// FileKind is one of the kinds of file docket reads.
type FileKind string

const (
	KindRequestFile     FileKind = "request"
	KindDecisionFile    FileKind = "decision"
	KindAppealFile      FileKind = "appeal"
	KindEnforcementFile FileKind = "enforcement"
	KindAcceptanceFile  FileKind = "acceptance"
	KindConfigFile      FileKind = "config"
)

// Names of the files inside a request folder, and where the configuration lives.
const (
	RequestFile     = "request.yaml"
	DecisionFile    = "decision.yaml"
	AppealFile      = "appeal.yaml"
	EnforcementFile = "enforcement.yaml"
	AcceptanceFile  = "acceptance.yaml"
	ConfigPath      = ".github/docket.yml"
	RequestsDir     = "requests"
)

// FolderFiles maps the file names allowed inside a request folder to their kinds, in the order
// they are written over a request's life.
var FolderFiles = []struct {
	Name string
	Kind FileKind
}{
	{RequestFile, KindRequestFile},
	{DecisionFile, KindDecisionFile},
	{AppealFile, KindAppealFile},
	{AcceptanceFile, KindAcceptanceFile},
	{EnforcementFile, KindEnforcementFile},
}

// KindOfFile returns the kind of a file inside a request folder by its name.
func KindOfFile(name string) (FileKind, bool) {
	for _, f := range FolderFiles {
		if f.Name == name {
			return f.Kind, true
		}
	}
	return "", false
}

// MaxIDLength is the longest a request id (its folder name) may be.
const MaxIDLength = 64

var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ValidID reports whether id can name a request folder: lowercase letters and digits in words
// joined by single hyphens, at most MaxIDLength characters, and not a name Windows reserves.
// Slugs, not sequence numbers, so two open pull requests never compete for the same id by
// accident.
func ValidID(id string) bool {
	return len(id) <= MaxIDLength && idPattern.MatchString(id) && !WindowsReserved(id)
}

// ExplainID says why id is not a valid request id, in words a requester can act on, with a
// valid id to use instead where one can be made from it.
func ExplainID(id string) string {
	fix := SuggestID(id)
	switch {
	case len(id) > MaxIDLength:
		return fmt.Sprintf("is %d characters long; a request id has at most %d", len(id), MaxIDLength)
	case WindowsReserved(id):
		return "is a name Windows keeps for a device, so the repository could not be checked out on Windows; add a word to it, like " + fix
	case strings.HasSuffix(id, ".") || strings.HasSuffix(id, " "):
		return "ends with a dot or a space, which Windows drops from folder names; use lowercase letters and digits in words joined by single hyphens, like " + orExample(fix)
	case id != "" && !idPattern.MatchString(id):
		if r, alphabet, _, ok := LookAlike(id); ok {
			return fmt.Sprintf("has the %s letter %c (U+%04X), which looks like a Latin one; retype it: %s", alphabet, r, r, orExample(fix))
		}
		for _, r := range id {
			if name, ok := dashNames[r]; ok {
				return fmt.Sprintf("has %s (U+%04X), which looks like a hyphen but is not one; type the hyphen on the keyboard (-): %s", name, r, orExample(fix))
			}
		}
		if fix != "" {
			return "must use lowercase letters and digits in words joined by single hyphens; write " + fix
		}
		return "must use lowercase letters and digits in words joined by single hyphens, like 311-dashboard-feed"
	}
	return "must not be empty"
}

func orExample(fix string) string {
	if fix == "" {
		return "311-dashboard-feed"
	}
	return fix
}

// dashNames names the characters that look like a hyphen and are not one.
var dashNames = map[rune]string{
	'\u2010': "a Unicode hyphen",
	'\u2011': "a non-breaking hyphen",
	'\u2012': "a figure dash",
	'\u2013': "an en dash (–)",
	'\u2014': "an em dash (—)",
	'\u2015': "a horizontal bar",
	'\u2212': "a minus sign (−)",
	'\uFE63': "a small hyphen",
	'\uFF0D': "a full-width hyphen",
}

// SuggestID makes a valid request id from id, as its writer meant it: lowercase, with words
// joined by hyphens where they were joined by look-alike dashes, underscores, spaces or dots,
// and characters an id cannot hold dropped; a word is added to a name Windows reserves. It
// returns "" when nothing is left.
func SuggestID(id string) string {
	var b strings.Builder
	if _, _, latin, ok := LookAlike(id); ok {
		id = latin
	}
	for _, r := range strings.ToLower(strings.TrimRight(id, ". ")) {
		_, dash := dashNames[r]
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '¹':
			b.WriteByte('1')
		case r == '²':
			b.WriteByte('2')
		case r == '³':
			b.WriteByte('3')
		case dash || r == '-' || r == '_' || r == ' ' || r == '.' || r == '/':
			b.WriteByte('-')
		}
	}
	out := strings.Trim(b.String(), "-")
	for strings.Contains(out, "--") {
		out = strings.ReplaceAll(out, "--", "-")
	}
	if out == "" {
		return ""
	}
	if WindowsReserved(id) {
		base, _, _ := strings.Cut(out, "-") // the device name, without what Windows ignores
		out = base + "-data"
	}
	if len(out) > MaxIDLength {
		out = strings.TrimRight(out[:MaxIDLength], "-")
	}
	return out
}

// WindowsReserved reports whether Windows refuses name for a file or folder because it names a
// device: CON, PRN, AUX, NUL, COM0 to COM9 and LPT0 to LPT9 (with the superscript digits ¹ ² ³
// too), in any case, with any extension, and with trailing dots or spaces, which Windows drops.
// git for Windows refuses to check such a path out, so one request folder named nul would make
// the whole repository unusable there.
func WindowsReserved(name string) bool {
	base, _, _ := strings.Cut(name, ".")
	base = strings.ToLower(strings.TrimRight(base, " "))
	switch base {
	case "con", "prn", "aux", "nul", "conin$", "conout$":
		return true
	}
	if len(base) > 3 && (strings.HasPrefix(base, "com") || strings.HasPrefix(base, "lpt")) {
		switch base[3:] {
		case "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "¹", "²", "³":
			return true
		}
	}
	return false
}

// lookalikes maps the Cyrillic and Greek letters that look like Latin ones to those: a login or
// id typed with one (maria-delgadо-kc, with a Cyrillic о) looks right and names someone else.
var lookalikes = map[rune]rune{
	'а': 'a', 'в': 'b', 'е': 'e', 'ё': 'e', 'к': 'k', 'м': 'm', 'н': 'h', 'о': 'o', 'р': 'p', 'с': 'c',
	'т': 't', 'у': 'y', 'х': 'x', 'і': 'i', 'ј': 'j', 'ѕ': 's', 'ԁ': 'd', 'ԛ': 'q', 'ԝ': 'w',
	'А': 'A', 'В': 'B', 'Е': 'E', 'К': 'K', 'М': 'M', 'Н': 'H', 'О': 'O', 'Р': 'P', 'С': 'C', 'Т': 'T',
	'Х': 'X', 'І': 'I', 'Ј': 'J', 'Ѕ': 'S',
	'α': 'a', 'ο': 'o', 'ν': 'v', 'ι': 'i', 'κ': 'k', 'ρ': 'p', 'τ': 't', 'υ': 'u', 'χ': 'x',
	'Α': 'A', 'Β': 'B', 'Ε': 'E', 'Ζ': 'Z', 'Η': 'H', 'Ι': 'I', 'Κ': 'K', 'Μ': 'M', 'Ν': 'N', 'Ο': 'O',
	'Ρ': 'P', 'Τ': 'T', 'Υ': 'Y', 'Χ': 'X',
}

// LookAlike finds the first Cyrillic or Greek letter in s that looks like a Latin one. It
// returns the letter, the alphabet it is from, and s with every such letter retyped in Latin.
func LookAlike(s string) (r rune, alphabet, latin string, ok bool) {
	for _, c := range s {
		if _, found := lookalikes[c]; found {
			r, ok = c, true
			break
		}
	}
	if !ok {
		return 0, "", "", false
	}
	alphabet = "Cyrillic"
	if r >= 0x370 && r <= 0x3FF {
		alphabet = "Greek"
	}
	latin = strings.Map(func(c rune) rune {
		if l, found := lookalikes[c]; found {
			return l
		}
		return c
	}, s)
	return r, alphabet, latin, true
}

// LookAlikeDash finds the first character of s that looks like a hyphen and is not one, and
// names it: "an en dash (–)".
func LookAlikeDash(s string) (r rune, name string, ok bool) {
	for _, c := range s {
		if n, found := dashNames[c]; found {
			return c, n, true
		}
	}
	return 0, "", false
}
