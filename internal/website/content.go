package website

import (
	"errors"
	"io"
	"io/fs"
	"regexp"
	"strconv"
	"strings"

	"github.com/opendata-docket/docket/internal/docket"
)

// CheckContent reads the guide pages a repository keeps in site/content (see ContentDir) as
// docket build would and runs each against the program's configuration, so a page that would
// not build, or would show a template error to the public, is found by docket validate and
// docket check on the pull request that breaks it, not by the publish run after the merge. It
// returns one error finding per problem, at the file and, when the template names one, the
// line. A repository without its own pages has nothing to check.
func CheckContent(files fs.FS, cfg *docket.Config) []docket.Finding {
	if files == nil || cfg == nil {
		return nil
	}
	if names, _ := fs.Glob(files, ContentDir+"/*.md"); len(names) == 0 {
		return nil
	}
	guides, err := loadGuides(files, ContentDir)
	if err != nil {
		return []docket.Finding{contentFinding(err)}
	}
	info := programInfo(cfg, guides)
	var out []docket.Finding
	for _, g := range guides {
		if err := g.tmpl.Execute(io.Discard, info); err != nil {
			out = append(out, contentFinding(err))
		}
	}
	return out
}

// A template error names its file and line as "template: NAME:LINE:..." (or "NAME:LINE:COL").
var templateWhere = regexp.MustCompile(`template: (` + regexp.QuoteMeta(ContentDir) + `/[^:]+\.md):(\d+)(?::\d+)?: `)

func contentFinding(err error) docket.Finding {
	msg := err.Error()
	f := docket.Finding{Path: ContentDir, Line: 1, Severity: docket.Error}
	m := templateWhere.FindStringSubmatchIndex(msg)
	if m != nil {
		f.Path = msg[m[2]:m[3]]
		// The template is the page after its "# Title" line.
		if n, err := strconv.Atoi(msg[m[4]:m[5]]); err == nil {
			f.Line = n + 1
		}
		msg = msg[m[1]:]
	} else if name, rest, ok := strings.Cut(msg, ".md: "); ok && strings.HasPrefix(name, ContentDir+"/") && !strings.ContainsAny(name, ":\n") {
		f.Path, msg = name+".md", rest
	} else if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
		f.Path = pe.Path
	}
	f.Message = "this guide page cannot be built: " + msg
	if m != nil {
		f.Message += ` ({{ and }} mark the program's settings, like {{.Name}}; write {{"{{"}} for a literal {{)`
	}
	return f
}
