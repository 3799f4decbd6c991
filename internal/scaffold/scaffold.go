// Package scaffold holds the files of a new docket repository, as docket init writes them: the
// configuration, CODEOWNERS, the workflows (which install a pinned docket release), the issue
// forms, a README, the guide pages to edit and an empty requests folder. The templates are
// files in templates/, embedded; the guide pages are the site's own defaults (package site).
// Files renders them from a program's answers; Write puts them in an empty folder, all or
// nothing.
package scaffold

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"text/template"
	"time"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/opendata-docket/docket/site"
)

//go:embed templates
var templates embed.FS

// Module is the Go module path the workflows install docket from.
const Module = "github.com/opendata-docket/docket"

// Answers are what docket init asks a program for.
type Answers struct {
	Name     string // the program's name, e.g. "Riverton Data Desk"
	City     string // the city or public body it serves
	TimeZone string // IANA name (America/Chicago); the program's days are counted in it
	// BaseURL is where the site will be published (https://owner.github.io/name/); optional.
	BaseURL string
	// Repository is the repository's address on GitHub (https://github.com/owner/name); optional.
	Repository string
	Portal     string   // the open data portal, https://
	Contact    string   // the program's contact page, https://
	Staff      []string // GitHub logins of the staff who decide and enforce
	Escalation Escalation
	// FirstResponseDays and DecisionDays are the service targets, in calendar days.
	FirstResponseDays, DecisionDays int
	// AppealDecisionDays is the target from an appeal to the decision on it; 0 means none.
	AppealDecisionDays int
	KeyPrefix          string // the prefix of every API key: 2 to 10 lowercase letters and digits
	Dataset            Dataset
	// DocketVersion is the docket release the workflows install, e.g. v1.4.0.
	DocketVersion string
}

// Escalation is who hears appeals.
type Escalation struct {
	Name   string
	URL    string   // optional, https://
	Logins []string // optional: GitHub logins of who may decide an appeal
}

// Dataset is the first entry of the catalog.
type Dataset struct {
	ID, Name, URL, Department string
	API                       bool
	APIPaths                  []string
}

var (
	loginRe   = regexp.MustCompile(`^[A-Za-z0-9](-?[A-Za-z0-9])*$`)
	prefixRe  = regexp.MustCompile(`^[a-z][a-z0-9]{1,9}$`)
	idRe      = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	versionRe = regexp.MustCompile(`^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$`)
	apiPathRe = regexp.MustCompile(`^/[A-Za-z0-9._~/-]*$`)
	repoRe    = regexp.MustCompile(`^https://github\.com/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$`)
)

// CheckText accepts a non-empty line of at most max characters.
func CheckText(max int) func(string) (string, error) {
	return func(s string) (string, error) {
		s = strings.Join(strings.Fields(s), " ")
		switch {
		case s == "":
			return "", errors.New("an answer is needed")
		case strings.ContainsFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) || !utf8.ValidString(s):
			return "", errors.New("holds a character that cannot be shown (a control or invisible character); type it again")
		case len([]rune(s)) > max:
			return "", fmt.Errorf("is %d characters long; at most %d", len([]rune(s)), max)
		case len([]rune(s)) < 2:
			// As the configuration's schema says (minLength 2), so a short answer is refused
			// here, not after every other question.
			return "", errors.New("is too short; at least 2 characters")
		}
		return s, nil
	}
}

// CheckHTTPS accepts an https:// address.
func CheckHTTPS(s string) (string, error) {
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return "", fmt.Errorf("%q is not a web address starting with https://", s)
	}
	return s, nil
}

// CheckOptionalHTTPS accepts an https:// address or nothing.
func CheckOptionalHTTPS(s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", nil
	}
	return CheckHTTPS(s)
}

// CheckBaseURL accepts an optional http(s) address and ends it with a slash.
func CheckBaseURL(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", fmt.Errorf("%q is not a web address starting with https://", s)
	}
	return strings.TrimSuffix(s, "/") + "/", nil
}

// CheckRepository accepts an optional https://github.com/owner/name address.
func CheckRepository(s string) (string, error) {
	s = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSpace(s), "/"), ".git")
	if s == "" || repoRe.MatchString(s) {
		return s, nil
	}
	return "", fmt.Errorf("%q is not a repository address like https://github.com/owner/name", s)
}

// PagesURL is the GitHub Pages address of a repository (https://github.com/Owner/name gives
// https://owner.github.io/name/; a repository named owner.github.io is published at the root,
// https://owner.github.io/), or "" without one.
func PagesURL(repository string) string {
	owner, name, ok := strings.Cut(strings.TrimPrefix(repository, "https://github.com/"), "/")
	if !ok || repository == "" || !strings.HasPrefix(repository, "https://github.com/") {
		return ""
	}
	host := strings.ToLower(owner) + ".github.io"
	if strings.EqualFold(name, host) {
		return "https://" + host + "/"
	}
	return "https://" + host + "/" + name + "/"
}

// CheckTimeZone accepts an IANA time zone name this machine knows.
func CheckTimeZone(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "Local" {
		return "", errors.New("give an IANA time zone name, like America/Chicago or Europe/Paris")
	}
	if _, err := time.LoadLocation(s); err != nil {
		return "", fmt.Errorf("%q is not a time zone name docket knows; give an IANA name, like America/Chicago or Europe/Paris", s)
	}
	return s, nil
}

// CheckLogins accepts GitHub logins separated by commas or spaces; at least one when required.
func CheckLogins(required bool) func(string) ([]string, error) {
	return func(s string) ([]string, error) {
		var out []string
		seen := map[string]bool{}
		for _, l := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
			l = strings.TrimPrefix(l, "@")
			if !loginRe.MatchString(l) || len(l) > 39 {
				return nil, fmt.Errorf("%q is not a GitHub login (letters, digits and single hyphens, at most 39)", l)
			}
			if !seen[strings.ToLower(l)] {
				seen[strings.ToLower(l)] = true
				out = append(out, l)
			}
		}
		if required && len(out) == 0 {
			return nil, errors.New("give at least one GitHub login")
		}
		return out, nil
	}
}

// CheckPrefix accepts a key prefix: a lowercase letter, then 1 to 9 lowercase letters or digits.
func CheckPrefix(s string) (string, error) {
	s = strings.TrimSpace(s)
	if !prefixRe.MatchString(s) {
		return "", fmt.Errorf("%q is not a key prefix: 2 to 10 lowercase letters and digits, starting with a letter", s)
	}
	return s, nil
}

// CheckID accepts a catalog id: lowercase words joined by hyphens.
func CheckID(s string) (string, error) {
	s = strings.TrimSpace(s)
	if !idRe.MatchString(s) || len(s) > 64 {
		return "", fmt.Errorf("%q is not an id: lowercase letters and digits, words joined by single hyphens, at most 64", s)
	}
	return s, nil
}

// CheckAPIPath accepts an optional URL path prefix of the dataset's API.
func CheckAPIPath(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" || apiPathRe.MatchString(s) {
		return s, nil
	}
	return "", fmt.Errorf("%q is not a path starting with / (letters, digits and . _ ~ / -)", s)
}

// CheckVersion accepts a docket release: vMAJOR.MINOR.PATCH, with an optional pre-release part.
func CheckVersion(s string) (string, error) {
	s = strings.TrimSpace(s)
	if !versionRe.MatchString(s) || strings.Contains(s, "+") {
		return "", fmt.Errorf("%q is not a docket release like v1.2.0", s)
	}
	return s, nil
}

// CheckDays accepts a whole number of days from 1 to 365.
func CheckDays(s string) (int, error) {
	var n int
	if _, err := fmt.Sscanf(strings.TrimSpace(s), "%d", &n); err != nil || fmt.Sprint(n) != strings.TrimSpace(s) || n < 1 || n > 365 {
		return 0, fmt.Errorf("%q is not a whole number of days from 1 to 365", strings.TrimSpace(s))
	}
	return n, nil
}

// Check checks every answer again, as the flags and the questions do one by one, and returns
// one error per answer that is wrong, naming it.
func (a *Answers) Check() []error {
	var errs []error
	add := func(name string, err error) {
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
		}
	}
	str := func(name, v string, f func(string) (string, error)) {
		_, err := f(v)
		add(name, err)
	}
	str("name", a.Name, CheckText(120))
	str("city", a.City, CheckText(120))
	str("time zone", a.TimeZone, CheckTimeZone)
	str("site address", a.BaseURL, CheckBaseURL)
	str("repository", a.Repository, CheckRepository)
	str("portal", a.Portal, CheckHTTPS)
	str("contact", a.Contact, CheckHTTPS)
	_, err := CheckLogins(true)(strings.Join(a.Staff, ","))
	add("staff", err)
	str("appeals contact", a.Escalation.Name, CheckText(200))
	str("appeals address", a.Escalation.URL, CheckOptionalHTTPS)
	_, err = CheckLogins(false)(strings.Join(a.Escalation.Logins, ","))
	add("appeals logins", err)
	for _, d := range []struct {
		name string
		n    int
	}{{"first response target", a.FirstResponseDays}, {"decision target", a.DecisionDays}} {
		if d.n < 1 || d.n > 365 {
			add(d.name, fmt.Errorf("%d is not a whole number of days from 1 to 365", d.n))
		}
	}
	if a.AppealDecisionDays < 0 || a.AppealDecisionDays > 365 {
		add("appeal target", fmt.Errorf("%d is not a whole number of days from 1 to 365", a.AppealDecisionDays))
	}
	if a.FirstResponseDays > a.DecisionDays && a.DecisionDays > 0 {
		add("first response target", fmt.Errorf("%d days is more than the decision target, %d days", a.FirstResponseDays, a.DecisionDays))
	}
	str("key prefix", a.KeyPrefix, CheckPrefix)
	str("dataset id", a.Dataset.ID, CheckID)
	str("dataset name", a.Dataset.Name, CheckText(200))
	str("dataset address", a.Dataset.URL, CheckHTTPS)
	for _, p := range a.Dataset.APIPaths {
		str("dataset API path", p, CheckAPIPath)
	}
	str("docket version", a.DocketVersion, CheckVersion)
	return errs
}

// SchemaURL is the address editors read the schema of a file kind ("request", "config") from:
// the one the site publishes when the site's address is known, which is the schema of the
// docket release that built it; else the schema in docket's repository at the pinned release.
func (a *Answers) SchemaURL(kind string) string {
	if a.BaseURL != "" {
		return a.BaseURL + "schema/" + kind + ".schema.json"
	}
	return "https://raw.githubusercontent.com/opendata-docket/docket/" + a.DocketVersion + "/schema/" + kind + ".schema.json"
}

// Owners is the staff as CODEOWNERS names them: "@a @b".
func (a *Answers) Owners() string {
	var out []string
	for _, l := range a.Staff {
		out = append(out, "@"+l)
	}
	return strings.Join(out, " ")
}

// PublishCron is the daily rebuild's schedule in UTC: 00:15 in the program's time zone (on a
// day in January, so in standard time).
func (a *Answers) PublishCron() string { return a.cronAt(0, 15) }

// RemindCron is the reminders' schedule in UTC: 08:17 in the program's time zone.
func (a *Answers) RemindCron() string { return a.cronAt(8, 17) }

func (a *Answers) cronAt(hour, minute int) string {
	loc, err := time.LoadLocation(a.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	t := time.Date(2026, time.January, 15, hour, minute, 0, 0, loc).UTC()
	return fmt.Sprintf("%d %d * * *", t.Minute(), t.Hour())
}

// targets maps each template to the file it becomes.
var targets = map[string]string{
	"templates/docket.yml.tmpl":                            ".github/docket.yml",
	"templates/CODEOWNERS.tmpl":                            ".github/CODEOWNERS",
	"templates/PULL_REQUEST_TEMPLATE.md.tmpl":              ".github/PULL_REQUEST_TEMPLATE.md",
	"templates/README.md.tmpl":                             "README.md",
	"templates/gitignore.tmpl":                             ".gitignore",
	"templates/ISSUE_TEMPLATE/config.yml.tmpl":             ".github/ISSUE_TEMPLATE/config.yml",
	"templates/ISSUE_TEMPLATE/report-misuse.yml.tmpl":      ".github/ISSUE_TEMPLATE/report-misuse.yml",
	"templates/ISSUE_TEMPLATE/request-api-access.yml.tmpl": ".github/ISSUE_TEMPLATE/request-api-access.yml",
	"templates/ISSUE_TEMPLATE/request-dataset.yml.tmpl":    ".github/ISSUE_TEMPLATE/request-dataset.yml",
	"templates/workflows/check.yml.tmpl":                   ".github/workflows/check.yml",
	"templates/workflows/comment.yml.tmpl":                 ".github/workflows/comment.yml",
	"templates/workflows/intake.yml.tmpl":                  ".github/workflows/intake.yml",
	"templates/workflows/publish.yml.tmpl":                 ".github/workflows/publish.yml",
	"templates/workflows/remind.yml.tmpl":                  ".github/workflows/remind.yml",
}

// Render renders one template (a name under templates/, like "workflows/check.yml.tmpl").
func Render(name string, a *Answers) ([]byte, error) {
	b, err := templates.ReadFile("templates/" + name)
	if err != nil {
		return nil, err
	}
	t, err := template.New(name).Delims("[%", "%]").Option("missingkey=error").Funcs(template.FuncMap{"yaml": yamlScalar}).Parse(string(b))
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", name, err)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, a); err != nil {
		return nil, fmt.Errorf("template %s: %w", name, err)
	}
	return buf.Bytes(), nil
}

// yamlScalar writes s as one YAML scalar, quoted when YAML would read it as something else.
func yamlScalar(s string) (string, error) {
	b, err := yaml.Marshal(s)
	if err != nil {
		return "", err
	}
	return strings.TrimSuffix(string(b), "\n"), nil
}

// Files renders the whole repository: slash-separated paths and their contents. The answers
// must have passed Check.
func Files(a *Answers) (map[string][]byte, error) {
	out := map[string][]byte{}
	for tmpl, file := range targets {
		b, err := Render(strings.TrimPrefix(tmpl, "templates/"), a)
		if err != nil {
			return nil, err
		}
		out[file] = b
	}
	guides, err := fs.Glob(site.FS, "content/*.md")
	if err != nil {
		return nil, err
	}
	for _, g := range guides {
		b, err := fs.ReadFile(site.FS, g)
		if err != nil {
			return nil, err
		}
		out["site/"+g] = b
	}
	out["requests/.gitkeep"] = nil
	return out, nil
}

// ErrNotEmpty is returned by Write when the folder holds anything.
var ErrNotEmpty = errors.New("is not empty")

// Write creates dir with files in it, or fills dir when it exists and is empty; it never
// replaces anything. The files are written into a temporary folder beside dir first and moved
// in place at the end, so dir either gets every file or none. It returns ErrNotEmpty (wrapped,
// naming dir) when dir holds anything.
func Write(dir string, files map[string][]byte) error {
	dir = filepath.Clean(dir)
	existed, err := CheckEmpty(dir)
	if err != nil {
		return err
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, ".docket-init-*")
	if err != nil {
		return err
	}
	done := false
	defer func() {
		if !done {
			os.RemoveAll(tmp)
		}
	}()
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		p := filepath.Join(tmp, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, files[n], 0o644); err != nil {
			return err
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	if !existed {
		if err := os.Rename(tmp, dir); err != nil {
			return fmt.Errorf("moving the files into %s: %w", dir, err)
		}
		done = true
		return nil
	}
	// dir exists and is empty: move each top-level entry in, undoing the moves on a failure.
	top, err := os.ReadDir(tmp)
	if err != nil {
		return err
	}
	var moved []string
	for _, e := range top {
		if err := os.Rename(filepath.Join(tmp, e.Name()), filepath.Join(dir, e.Name())); err != nil {
			for _, m := range moved {
				os.Rename(filepath.Join(dir, m), filepath.Join(tmp, m))
			}
			return fmt.Errorf("moving the files into %s: %w", dir, err)
		}
		moved = append(moved, e.Name())
	}
	return os.Remove(tmp)
}

// CheckEmpty returns whether dir exists, and an error when it holds anything (ErrNotEmpty) or
// cannot be read.
func CheckEmpty(dir string) (exists bool, err error) {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("reading %s: %w", dir, err)
	case len(entries) > 0:
		return true, fmt.Errorf("%s %w: docket init never replaces files; give a new or empty folder", dir, ErrNotEmpty)
	}
	return true, nil
}

// Paths lists the files Files writes, sorted, for messages.
func Paths(files map[string][]byte) []string {
	var out []string
	for n := range files {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
