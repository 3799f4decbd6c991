// Package site holds the files of the public transparency site that ship inside docket: the
// page templates (html/template), the style sheet and the one small script in static/, and the
// guide pages in content/, written in Markdown. internal/website renders them.
package site

import "embed"

// FS holds templates/*.html, static/* and content/*.md.
//
//go:embed templates/*.html static/* content/*.md
var FS embed.FS
