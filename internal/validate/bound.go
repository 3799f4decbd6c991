package validate

import (
	"fmt"

	"github.com/opendata-docket/docket/internal/docket"
)

// MaxPerFile is how many findings one file gets; past it, one more finding says how many were
// left out. A requester fixes the first problems and runs docket again; ten thousand copies of
// one mistake (a pasted spreadsheet, a hostile file) would only bury them and swell every
// log, job summary and comment that repeats them.
const MaxPerFile = 50

// boundPerFile keeps the first MaxPerFile findings of each file from sorted findings, and in
// place of the rest one finding that counts them, located at the first one left out.
func boundPerFile(sorted []docket.Finding) []docket.Finding {
	out := make([]docket.Finding, 0, len(sorted))
	for i := 0; i < len(sorted); {
		j := i
		for j < len(sorted) && sorted[j].Path == sorted[i].Path {
			j++
		}
		if j-i <= MaxPerFile {
			out = append(out, sorted[i:j]...)
		} else {
			out = append(out, sorted[i:i+MaxPerFile]...)
			more := sorted[i+MaxPerFile]
			sev := docket.Warning
			for _, f := range sorted[i+MaxPerFile : j] {
				if f.Severity == docket.Error {
					sev = docket.Error
				}
			}
			out = append(out, docket.Finding{Path: more.Path, Line: more.Line, Col: more.Col, Severity: sev,
				Message: fmt.Sprintf("%d more problems in this file from here on are not listed; fix the ones above and check again", j-i-MaxPerFile)})
		}
		i = j
	}
	return out
}
