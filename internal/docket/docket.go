// Package docket holds the domain of a public data-request docket: requests, decisions, appeals,
// enforcement histories, the program configuration, the status a request is in, and the findings
// that validation reports. It has no third-party imports; loading files, checking schemas, git
// history and GitHub live in packages of their own that produce and consume these types.
package docket

import (
	"fmt"
	"regexp"
)

// FileKind is one of the kinds of file docket reads.
type FileKind string

const (
	KindRequestFile     FileKind = "request"
	KindDecisionFile    FileKind = "decision"
	KindAppealFile      FileKind = "appeal"
	KindEnforcementFile FileKind = "enforcement"
	KindConfigFile      FileKind = "config"
)

// Names of the files inside a request folder, and where the configuration lives.
const (
	RequestFile     = "request.yaml"
	DecisionFile    = "decision.yaml"
	AppealFile      = "appeal.yaml"
	EnforcementFile = "enforcement.yaml"
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
// joined by single hyphens, at most MaxIDLength characters. Slugs, not sequence numbers, so two
// open pull requests never compete for the same id by accident.
func ValidID(id string) bool {
	return len(id) <= MaxIDLength && idPattern.MatchString(id)
}

// ExplainID says why id is not a valid request id, in words a requester can act on.
func ExplainID(id string) string {
	switch {
	case len(id) > MaxIDLength:
		return fmt.Sprintf("is %d characters long; a request id has at most %d", len(id), MaxIDLength)
	case id != "" && !idPattern.MatchString(id):
		return "must use lowercase letters and digits in words joined by single hyphens, like 311-dashboard-feed"
	}
	return "must not be empty"
}
