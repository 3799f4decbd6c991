// Package validate checks a whole docket repository: every file against its schema (through
// package repo) and then the rules a schema cannot say, which look across files and at the
// configuration: dates in order and not in the future, a decision needs its request, conditions
// only on approved api-access requests, appeals only after denials, enforcement only on issued
// keys, catalog ids that exist, deciders who are staff, traffic within the key policy.
package validate

import (
	"errors"
	"fmt"
	"io/fs"
	"strconv"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/repo"
	"github.com/opendata-docket/docket/internal/schemacheck"
	"github.com/opendata-docket/docket/internal/secrets"
)

// Options tune a validation run.
type Options struct {
	// Today is the day dates are judged against; required. The command that runs the
	// validation decides it once (from --as-of or the wall clock) and passes it down.
	Today docket.Date
	// Workers is how many files are read in parallel; 0 means one per CPU.
	Workers int
	// Only, when set, limits validation to the request folders it accepts (and the
	// configuration): the folders a pull request touches.
	Only func(id string) bool
	// TeamMember, when set, asks GitHub whether a login is in the configured staff team.
	// Without it, a login outside staff.logins is only a warning when a team is configured.
	TeamMember func(team, login string) (bool, error)
	// Lean drops, as soon as a request folder's rules have run, what only finding and
	// locating problems needs: the documents of its files (their source, values and
	// positions), but for files with findings, whose sources are kept to redact them. For a
	// caller that reads the findings and the records, and locates nothing in the files
	// afterwards (docket build). A docket of any size is then never held whole as text.
	Lean bool
	// FindingsOnly is Lean, and drops each folder's Record and its files' values too: for a
	// caller that needs the findings and the folders' ids and files, and nothing of their
	// content (docket validate).
	FindingsOnly bool
}

// Validator checks repositories. It compiles the schemas once; it is safe for concurrent use.
type Validator struct {
	checker *schemacheck.Checker
}

// New returns a Validator with docket's schemas compiled.
func New() (*Validator, error) {
	c, err := schemacheck.New()
	if err != nil {
		return nil, err
	}
	return &Validator{checker: c}, nil
}

// Repository reads and checks the repository in fsys. The findings are sorted by file, line and
// column. The error is for failures of the file system only; problems in files are findings.
func (v *Validator) Repository(fsys fs.FS, opts Options) (*repo.Repository, []docket.Finding, error) {
	if opts.Today.IsZero() {
		return nil, nil, errors.New("validate: no day to judge dates against (Options.Today is not set)")
	}
	c := &checker{today: opts.Today, teamMember: opts.TeamMember}
	// The rules of each folder run as soon as it is read (one folder at a time), so that a
	// lean run can drop it then.
	l := &repo.Loader{Checker: v.checker, Workers: opts.Workers, Only: opts.Only,
		Loaded: func(r *repo.Repository, fo *repo.Folder, own []docket.Finding) {
			c.repo, c.cfg = r, r.Config
			from := len(c.out)
			c.folder(fo)
			if opts.Lean || opts.FindingsOnly {
				release(fo, own, c.out[from:], opts.FindingsOnly)
			}
		}}
	r, findings, err := l.Load(fsys)
	if err != nil {
		return nil, nil, err
	}
	c.repo, c.cfg = r, r.Config
	if c.cfg != nil {
		c.config(r.ConfigFile)
	}
	findings = append(findings, c.out...)
	findings = append(findings, CodeOwners(fsys, r.Config)...)
	return r, redactFromSources(r, Redact(boundPerFile(docket.SortFindings(findings)))), nil
}

// release drops what a lean run no longer needs of a folder whose rules have run: the documents
// of files without findings (own: the files' own, rules: the rules'), the node trees of the
// others (their sources stay, for redactFromSources), and with values the decoded values.
func release(fo *repo.Folder, own, rules []docket.Finding, values bool) {
	found := map[string]bool{}
	for _, f := range own {
		found[f.Path] = true
	}
	for _, f := range rules {
		found[f.Path] = true
	}
	for _, f := range fo.Files {
		switch {
		case f.Doc == nil:
		case found[f.Path]:
			f.Doc.Compact()
		default:
			f.Doc = nil
		}
		if values {
			f.Value = nil
		}
	}
	if values {
		fo.Record = docket.Record{ID: fo.ID}
	}
}

// redactFromSources removes from each finding any part of a secret in the file it is about: a
// hint may quote a word of a line, cut where Redact can no longer tell it was a secret.
func redactFromSources(r *repo.Repository, findings []docket.Finding) []docket.Finding {
	docs := map[string]*repo.File{}
	if r.ConfigFile != nil {
		docs[r.ConfigFile.Path] = r.ConfigFile
	}
	for _, fo := range r.Folders {
		for _, f := range fo.Files {
			docs[f.Path] = f
		}
	}
	found := map[string][]string{}
	for i := range findings {
		f := &findings[i]
		file := docs[f.Path]
		if file == nil || file.Doc == nil {
			continue // not read, or not parsed: yamldoc redacted its own findings
		}
		secretsIn, ok := found[f.Path]
		if !ok {
			secretsIn = secrets.In(string(file.Doc.Source()))
			found[f.Path] = secretsIn
		}
		if len(secretsIn) > 0 {
			f.Message, f.Field = secrets.RedactParts(f.Message, secretsIn), secrets.RedactParts(f.Field, secretsIn)
		}
	}
	return findings
}

// Rules applies the cross-file rules to a loaded repository. Files that failed to load are
// skipped: their own findings already say why.
func Rules(r *repo.Repository, today docket.Date) []docket.Finding {
	c := &checker{repo: r, cfg: r.Config, today: today}
	return c.run()
}

func (c *checker) run() []docket.Finding {
	r := c.repo
	if c.cfg != nil {
		c.config(r.ConfigFile)
	}
	for _, f := range r.Folders {
		c.folder(f)
	}
	return c.out
}

type checker struct {
	repo       *repo.Repository
	cfg        *docket.Config // nil when the configuration did not load; rules that need it are skipped
	today      docket.Date
	teamMember func(team, login string) (bool, error)
	out        []docket.Finding
}

// at reports a finding at the value of the field named by ptr.
func (c *checker) at(sev docket.Severity, f *repo.File, ptr []string, format string, args ...any) {
	line, col := f.Doc.Pos(ptr)
	c.out = append(c.out, docket.Finding{Path: f.Path, Line: line, Col: col, Field: f.Doc.FieldName(ptr), Message: fmt.Sprintf(format, args...), Severity: sev})
}

// atKey reports a finding at the name of the field named by ptr: for a field that must go.
func (c *checker) atKey(sev docket.Severity, f *repo.File, ptr []string, format string, args ...any) {
	line, col := f.Doc.KeyPos(ptr)
	c.out = append(c.out, docket.Finding{Path: f.Path, Line: line, Col: col, Field: f.Doc.FieldName(ptr), Message: fmt.Sprintf(format, args...), Severity: sev})
}

// p builds a pointer from field names and list indexes.
func p(parts ...any) []string {
	out := make([]string, len(parts))
	for i, x := range parts {
		switch v := x.(type) {
		case string:
			out[i] = v
		case int:
			out[i] = strconv.Itoa(v)
		}
	}
	return out
}

// notFuture reports a date after today. One day of grace covers every time zone: a decision
// dated today in Kansas City may already be tomorrow in UTC.
func (c *checker) notFuture(f *repo.File, ptr []string, d docket.Date) {
	if d.After(c.today.AddDays(1)) {
		c.at(docket.Error, f, ptr, "%s is in the future (today is %s); use the day it happened", d, c.today)
	}
}

// staff reports a login that is not staff. With a team configured, membership can only be
// asked of GitHub (docket check does that when given a token), so validation only warns.
func (c *checker) staff(f *repo.File, ptr []string, login string) {
	if c.cfg == nil || c.cfg.IsStaff(login) {
		return
	}
	if team := c.cfg.Staff.Team; team != "" {
		if c.teamMember == nil {
			c.at(docket.Warning, f, ptr, "%s is not in staff.logins; docket check confirms membership of the team %s when it has a GitHub token", login, team)
			return
		}
		member, err := c.teamMember(team, login)
		switch {
		case err != nil:
			c.at(docket.Warning, f, ptr, "%s is not in staff.logins, and membership of the team %s could not be confirmed: %v", login, team, err)
			return
		case member:
			return
		}
		c.at(docket.Error, f, ptr, "%s is not staff: neither in staff.logins in %s nor a member of the team %s", login, docket.ConfigPath, team)
		return
	}
	c.at(docket.Error, f, ptr, "%s is not staff; only the logins listed under staff.logins in %s may decide or take enforcement actions", login, docket.ConfigPath)
}

// Redact removes secrets from findings: messages quote what requesters wrote (a value, a field
// name, a file name), and a key pasted by mistake must not be repeated in any output.
func Redact(findings []docket.Finding) []docket.Finding {
	for i := range findings {
		f := &findings[i]
		f.Path, f.Field, f.Message = secrets.Redact(f.Path), secrets.Redact(f.Field), secrets.Redact(f.Message)
	}
	return findings
}
