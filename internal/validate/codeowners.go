package validate

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strings"

	"github.com/hmarr/codeowners"

	"github.com/opendata-docket/docket/internal/docket"
)

// codeOwnersFiles are where GitHub looks for CODEOWNERS, in its order: the first found is used.
var codeOwnersFiles = []string{".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"}

// ownedPath is a path only staff may change, as CODEOWNERS must say: an example of it, and what
// it is in words.
type ownedPath struct{ example, pattern, what string }

// CodeOwners checks that the repository's CODEOWNERS gives the configured staff (every login in
// staff.logins, or the staff team) the paths only they may change: decisions, enforcement, the
// configuration and the workflows; without that, GitHub's "require review from code owners"
// does not ask staff to review them. Each finding is a warning on the CODEOWNERS line that
// decides the path (the last that matches), or on the file when no line does. A repository
// without CODEOWNERS gets no finding: docket check enforces who may change what either way.
func CodeOwners(fsys fs.FS, cfg *docket.Config) []docket.Finding {
	if cfg == nil || (len(cfg.Staff.Logins) == 0 && cfg.Staff.Team == "") {
		return nil
	}
	var file string
	var text []byte
	for _, f := range codeOwnersFiles {
		b, err := fs.ReadFile(fsys, f)
		if err == nil {
			file, text = f, b
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return []docket.Finding{{Path: f, Line: 1, Col: 1, Severity: docket.Warning, Message: fmt.Sprintf("cannot be read: %s", plainErr(err))}}
		}
	}
	if file == "" {
		return nil
	}
	warn := func(line int, msg string) docket.Finding {
		return docket.Finding{Path: file, Line: max(line, 1), Col: 1, Severity: docket.Warning, Message: msg}
	}
	rules, err := codeowners.ParseFile(bytes.NewReader(text))
	if err != nil {
		line := 1
		if m := parseLine.FindStringSubmatch(err.Error()); m != nil {
			fmt.Sscan(m[1], &line)
		}
		return []docket.Finding{warn(line, "this line is not a CODEOWNERS rule (a path pattern, then owners like @login or @org/team), so GitHub ignores the whole file")}
	}
	workflow := ".github/workflows/publish.yml"
	if names, _ := fs.Glob(fsys, ".github/workflows/*.yml"); len(names) > 0 {
		workflow = names[0]
	}
	paths := []ownedPath{
		{"requests/example/" + docket.DecisionFile, "/requests/*/" + docket.DecisionFile, "decisions"},
		{"requests/example/" + docket.EnforcementFile, "/requests/*/" + docket.EnforcementFile, "enforcement actions"},
		{docket.ConfigPath, "/.github/", "the configuration"},
		{workflow, "/.github/", "the workflows"},
	}
	want := staffOwners(cfg)
	var out []docket.Finding
	for _, p := range paths {
		shown := strings.Replace(p.example, "/example/", "/<id>/", 1)
		rule, err := rules.Match(p.example)
		if err != nil {
			continue
		}
		if rule == nil {
			out = append(out, warn(1, fmt.Sprintf("no line gives %s (%s) to the staff in staff.logins of %s, so GitHub does not ask them to review changes to it; add the line: %s %s",
				p.what, shown, docket.ConfigPath, p.pattern, strings.Join(want, " "))))
			continue
		}
		if missing := missingOwners(rule.Owners, cfg); len(missing) > 0 {
			out = append(out, warn(rule.LineNumber, fmt.Sprintf("this line decides who reviews %s (%s), and it does not name %s of the staff in %s; add %s to it",
				p.what, shown, strings.Join(missing, ", "), docket.ConfigPath, strings.Join(missing, " "))))
		}
	}
	return out
}

var parseLine = regexp.MustCompile(`^line (\d+):`)

// staffOwners are the staff as CODEOWNERS names them: the team, else every login.
func staffOwners(cfg *docket.Config) []string {
	if cfg.Staff.Team != "" {
		return []string{"@" + cfg.Staff.Team}
	}
	var out []string
	for _, l := range cfg.Staff.Logins {
		out = append(out, "@"+l)
	}
	return out
}

// missingOwners are the staff logins (as @login) a rule's owners leave out; a rule that names
// the staff team leaves out nobody.
func missingOwners(owners []codeowners.Owner, cfg *docket.Config) []string {
	have := map[string]bool{}
	for _, o := range owners {
		have[strings.ToLower(o.Value)] = true
	}
	if cfg.Staff.Team != "" && have[strings.ToLower(cfg.Staff.Team)] {
		return nil
	}
	var out []string
	for _, l := range cfg.Staff.Logins {
		if !have[strings.ToLower(l)] {
			out = append(out, "@"+l)
		}
	}
	if len(cfg.Staff.Logins) == 0 && cfg.Staff.Team != "" {
		out = append(out, "@"+cfg.Staff.Team)
	}
	return out
}

// plainErr is an I/O error without the path, which the finding already names.
func plainErr(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
