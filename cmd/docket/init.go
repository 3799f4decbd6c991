package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"testing/fstest"
	"unicode"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/report"
	"github.com/opendata-docket/docket/internal/scaffold"
	"github.com/opendata-docket/docket/internal/validate"
)

const initUsage = `Usage: docket init [answer flags] [--no-input] [DIR]

Writes a new docket repository for your program into DIR (default: the current folder), which
must be new or empty: the configuration (.github/docket.yml), CODEOWNERS made from the staff
logins, the workflows that check pull requests, turn issue forms into requests, send reminders,
issue keys and publish the site (they install a pinned docket release with go install), the
issue forms, a README, the guide pages of the site to edit (site/content/) and an empty
requests/ folder. It asks for everything the flags below do not give, checks each answer as you
go, and validates the whole repository before writing anything; docket validate and docket build
pass on it at once. It never replaces a file.

Flags:
    --name TEXT              the program's name, as the site shows it
    --city TEXT              the city or public body it serves
    --time-zone ZONE         the program's IANA time zone, e.g. America/Chicago
    --repository URL         the repository on GitHub, https://github.com/owner/name (optional)
    --site URL               where the site will be published (optional; default with
                             --repository: its GitHub Pages address, https://owner.github.io/name/)
    --portal URL             the open data portal, https://
    --contact URL            the program's contact page, https://
    --staff LOGINS           the staff's GitHub logins, separated by commas
    --appeals-name TEXT      who hears appeals: a person's title or an office
    --appeals-url URL        their web page (optional)
    --appeals-logins LOGINS  GitHub logins of who may decide an appeal (optional)
    --first-response-days N  the target for a first response, in days (default 5)
    --decision-days N        the target for a decision, in days (default 30)
    --appeal-days N          the target for deciding an appeal, in days (optional)
    --key-prefix PREFIX      the prefix of every API key: 2 to 10 lowercase letters and digits
    --dataset-id ID          the first catalog entry: its id, lowercase words joined by hyphens
    --dataset-name TEXT      its name
    --dataset-url URL        its page on the portal, https://
    --dataset-department TEXT the department that keeps it (optional)
    --dataset-api yes|no     whether it is offered through the API (default yes)
    --dataset-api-path PATH  the URL path its API is served under, e.g. /resource/abcd-1234
                             (optional)
    --docket-version VER     the docket release the workflows install (default: this docket's
                             version, when it is a release)
  and:
    --no-input               ask nothing: take the defaults, and fail when an answer is missing
` + asOfHelp + `

Exit status: 0 when the repository was written, 1 when it was not (an answer missing or not
valid, DIR not empty), 2 when docket was called wrongly.
`

// initFlags are docket init's answers given on the command line.
type initFlags struct {
	name, city, timeZone, site, repository, portal, contact, staff string
	appealsName, appealsURL, appealsLogins                         string
	firstResponse, decision, appealDays, keyPrefix                 string
	datasetID, datasetName, datasetURL, datasetDept, datasetAPI    string
	datasetAPIPath, version                                        string
	noInput                                                        bool
}

func runInit(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return interruptible(ctx, stderr, runInitAnswers(ctx, args, stdout, stderr))
}

func runInitAnswers(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("init")
	var f initFlags
	for name, p := range map[string]*string{
		"name": &f.name, "city": &f.city, "time-zone": &f.timeZone, "site": &f.site, "repository": &f.repository,
		"portal": &f.portal, "contact": &f.contact, "staff": &f.staff, "appeals-name": &f.appealsName,
		"appeals-url": &f.appealsURL, "appeals-logins": &f.appealsLogins, "first-response-days": &f.firstResponse,
		"decision-days": &f.decision, "appeal-days": &f.appealDays, "key-prefix": &f.keyPrefix, "dataset-id": &f.datasetID, "dataset-name": &f.datasetName,
		"dataset-url": &f.datasetURL, "dataset-department": &f.datasetDept, "dataset-api": &f.datasetAPI,
		"dataset-api-path": &f.datasetAPIPath, "docket-version": &f.version,
	} {
		fs.StringVar(p, name, "", "")
	}
	fs.BoolVar(&f.noInput, "no-input", false, "")
	clk := addClock(fs)
	// DIR may come before or after the flags.
	var dir string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		dir, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, initUsage)
			return 0
		}
		errorf(stderr, "%s", err)
		fmt.Fprint(stderr, initUsage)
		return 2
	}
	switch {
	case fs.NArg() == 1 && dir == "":
		dir = fs.Arg(0)
	case fs.NArg() > 0:
		errorf(stderr, "unexpected argument %q", fs.Arg(fs.NArg()-1))
		fmt.Fprint(stderr, initUsage)
		return 2
	}
	if dir == "" {
		dir = "."
	}
	today, err := clk.today()
	if err != nil {
		errorf(stderr, "%s", err)
		return 2
	}
	if _, err := scaffold.CheckEmpty(dir); err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	given := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	in := &initAnswers{f: &f, given: given, p: newPrompter(ctx, stderr, f.noInput)}
	a, err := in.answers()
	if err != nil {
		errorf(stderr, "%s", err)
		var na *errNoAnswer
		if errors.As(err, &na) && !f.noInput {
			hintf(stderr, "give every answer as a flag to run without questions: docket init -h lists them")
		}
		return 1
	}
	if errs := a.Check(); len(errs) > 0 {
		for _, e := range errs {
			errorf(stderr, "%s", e)
		}
		return 1
	}
	files, err := scaffold.Files(a)
	if err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	// The repository is validated as docket validate would, before anything is written.
	mem := fstest.MapFS{}
	for name, b := range files {
		mem[name] = &fstest.MapFile{Data: b, Mode: 0o644}
	}
	v, err := validate.New()
	if err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	_, findings, err := v.Repository(mem, validate.Options{Today: today})
	if err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	if docket.HasErrors(findings) {
		report.Write(stderr, "text", findings)
		errorf(stderr, "nothing was written: the answers above make a repository docket validate refuses")
		return 1
	}
	if err := scaffold.Write(dir, files); err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	sayf(stdout, "wrote a docket for %s in %s (%d files)", a.Name, dir, len(files))
	fmt.Fprint(stdout, initNextSteps(dir, a))
	return 0
}

// initNextSteps says how to go from the files to a published site.
func initNextSteps(dir string, a *scaffold.Answers) string {
	var b strings.Builder
	b.WriteString("\nNext:\n\n")
	if dir != "." {
		fmt.Fprintf(&b, "    cd %s\n", shellQuote(filepath.ToSlash(dir)))
	}
	b.WriteString("    docket validate && docket serve     # check it and preview the site\n")
	b.WriteString("    git init -b main && git add . && git commit -m " + shellQuote("A docket for "+a.Name) + "\n")
	if a.Repository != "" {
		fmt.Fprintf(&b, "    git remote add origin %s.git && git push -u origin main\n", a.Repository)
	} else {
		b.WriteString("    git remote add origin https://github.com/OWNER/NAME.git && git push -u origin main\n")
	}
	b.WriteString("\nThen, in the repository's settings on GitHub: Pages, deploy from GitHub Actions; and protect\nmain (require the \"docket\" status and review from code owners). Edit the guide pages in\nsite/content/ and add the rest of your catalog to .github/docket.yml by pull request.\n")
	return b.String()
}

type initAnswers struct {
	f     *initFlags
	given map[string]bool
	p     *prompter
}

// line returns a flag's value when it was given, else asks; with --no-input a question with a
// default takes it (the defaults are the program's settings, not anyone's answer).
func (in *initAnswers) line(flagName, given, question, def string, check func(string) (string, error)) (string, error) {
	if in.given[flagName] {
		v, err := check(given)
		if err != nil {
			return "", fmt.Errorf("--%s: %w", flagName, err)
		}
		return v, nil
	}
	if in.f.noInput && def != "" {
		return check(def)
	}
	return in.p.ask(question, "--"+flagName, def, check)
}

func (in *initAnswers) logins(flagName, given, question string, required bool) ([]string, error) {
	var out []string
	check := func(s string) (string, error) {
		l, err := scaffold.CheckLogins(required)(s)
		out = l
		return strings.Join(l, ", "), err
	}
	_, err := in.line(flagName, given, question, "", check)
	return out, err
}

func (in *initAnswers) days(flagName, given, question, def string) (int, error) {
	s, err := in.line(flagName, given, question, def, func(s string) (string, error) {
		n, err := scaffold.CheckDays(s)
		return strconv.Itoa(n), err
	})
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(s)
}

// answers asks every question in the order of the configuration file.
func (in *initAnswers) answers() (*scaffold.Answers, error) {
	f := in.f
	a := &scaffold.Answers{}
	var err error
	step := func(fn func() error) {
		if err == nil {
			err = fn()
		}
	}
	str := func(dst *string, flagName, given, question, def string, check func(string) (string, error)) {
		step(func() error {
			v, e := in.line(flagName, given, question, def, check)
			*dst = v
			return e
		})
	}
	str(&a.Name, "name", f.name, "The program's name, as the site shows it (e.g. Riverton Data Desk)", "", scaffold.CheckText(120))
	str(&a.City, "city", f.city, "The city or public body it serves", "", scaffold.CheckText(120))
	str(&a.TimeZone, "time-zone", f.timeZone, "Its time zone, an IANA name (e.g. America/Chicago)", "", scaffold.CheckTimeZone)
	str(&a.Repository, "repository", f.repository, "The repository on GitHub, https://github.com/owner/name (optional)", "", scaffold.CheckRepository)
	str(&a.BaseURL, "site", f.site, "Where the site will be published (optional)", scaffold.PagesURL(a.Repository), scaffold.CheckBaseURL)
	str(&a.Portal, "portal", f.portal, "The open data portal's address (https://)", "", scaffold.CheckHTTPS)
	str(&a.Contact, "contact", f.contact, "The program's contact page (https://)", "", scaffold.CheckHTTPS)
	step(func() error {
		a.Staff, err = in.logins("staff", f.staff, "The staff's GitHub logins, separated by commas", true)
		return err
	})
	str(&a.Escalation.Name, "appeals-name", f.appealsName, "Who hears appeals: a person's title or an office", "", scaffold.CheckText(200))
	str(&a.Escalation.URL, "appeals-url", f.appealsURL, "Their web page (https://, optional)", "", scaffold.CheckOptionalHTTPS)
	step(func() error {
		a.Escalation.Logins, err = in.logins("appeals-logins", f.appealsLogins, "GitHub logins of who may decide an appeal (optional)", false)
		return err
	})
	step(func() error {
		a.FirstResponseDays, err = in.days("first-response-days", f.firstResponse, "Target for a first response, in days", "5")
		return err
	})
	step(func() error {
		a.DecisionDays, err = in.days("decision-days", f.decision, "Target for a decision, in days", "30")
		return err
	})
	step(func() error {
		v, e := in.line("appeal-days", f.appealDays, "Target for deciding an appeal, in days (optional)", "", func(s string) (string, error) {
			if strings.TrimSpace(s) == "" {
				return "", nil
			}
			n, err := scaffold.CheckDays(s)
			return strconv.Itoa(n), err
		})
		if v != "" {
			a.AppealDecisionDays, _ = strconv.Atoi(v)
		}
		return e
	})
	str(&a.KeyPrefix, "key-prefix", f.keyPrefix, "The prefix of every API key (2 to 10 lowercase letters and digits)", initials(a.Name), scaffold.CheckPrefix)
	str(&a.Dataset.ID, "dataset-id", f.datasetID, "The first dataset of the catalog: its id (lowercase words joined by hyphens)", "", scaffold.CheckID)
	str(&a.Dataset.Name, "dataset-name", f.datasetName, "Its name", "", scaffold.CheckText(200))
	str(&a.Dataset.URL, "dataset-url", f.datasetURL, "Its page on the portal (https://)", "", scaffold.CheckHTTPS)
	str(&a.Dataset.Department, "dataset-department", f.datasetDept, "The department that keeps it (optional)", "", func(s string) (string, error) {
		return strings.Join(strings.Fields(s), " "), nil
	})
	var api string
	str(&api, "dataset-api", f.datasetAPI, "Is it offered through the API? (yes or no)", "yes", func(s string) (string, error) {
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "yes", "y", "true":
			return "yes", nil
		case "no", "n", "false":
			return "no", nil
		}
		return "", fmt.Errorf("%q is not yes or no", s)
	})
	a.Dataset.API = api == "yes"
	if a.Dataset.API {
		var p string
		str(&p, "dataset-api-path", f.datasetAPIPath, "The URL path its API is served under, e.g. /resource/abcd-1234 (optional)", "", scaffold.CheckAPIPath)
		if p != "" {
			a.Dataset.APIPaths = []string{p}
		}
	}
	str(&a.DocketVersion, "docket-version", f.version, "The docket release the workflows install (e.g. v1.2.0)", releaseVersion(), scaffold.CheckVersion)
	return a, err
}

// initials makes a key prefix from a program's name: the first letters of its words
// ("Riverton Data Desk": rdd), or "" when that is not a valid prefix.
func initials(name string) string {
	var b strings.Builder
	for _, w := range strings.Fields(name) {
		r := []rune(strings.ToLower(w))[0]
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		}
	}
	p, err := scaffold.CheckPrefix(b.String())
	if err != nil {
		return ""
	}
	return p
}

// releaseVersion is this docket's version when it is a release (v1.2.3), else "".
func releaseVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	v, err := scaffold.CheckVersion(info.Main.Version)
	if err != nil {
		return ""
	}
	return v
}
