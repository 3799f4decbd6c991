package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/draft"
	"github.com/opendata-docket/docket/internal/report"
	"github.com/opendata-docket/docket/internal/validate"
)

const newUsage = `Usage: docket new [--kind dataset|api-access] [--title TEXT] [--id ID] [answer flags]
                  [--no-input] [--repo DIR] [--as-of YYYY-MM-DD]

Writes a new request, requests/<id>/request.yaml, from your answers to a few questions: it asks
for everything the flags below do not give, one question at a time, with the choices listed and
each answer checked as you go. Longer answers open in your editor ($VISUAL or $EDITOR) when one
is set; otherwise type them and end with an empty line. The request is validated like docket
validate before it is written; docket new never overwrites a request, and it ends with the git
and pull-request steps to send it.

With every answer given by flags (or --no-input), it asks nothing: a missing answer is an error
naming its flag. Answers can also be piped in, one a line.

Flags:
    --kind KIND            dataset (ask the city to publish data) or api-access (a key to use
                           published datasets through the API)
    --title TEXT           a short title, shown in the public list (8 to 120 characters)
    --id ID                the request's id, its folder name (default: made from the title)
    --github LOGIN         your GitHub login: the account that opens the pull request
    --name TEXT            your name, if you want it shown
    --organization TEXT    the organization you ask for, if any
    --type TYPE            individual, nonprofit, academic, business, government or media
    --use USE              analytics, integration, research, publication or other
    --purpose TEXT         what you will do with the data (Markdown, 20 characters or more)
    --personal-data yes|no whether the data could identify a person
    --privacy TEXT         privacy and security considerations (Markdown)
    --data-sharing yes|no  whether you would sign a data-sharing agreement if required
  api-access:
    --datasets IDS         catalog ids, separated by commas (see the site's catalog page)
    --requests-per-day N   the calls you expect on a typical day
    --peak-per-second N    the most calls you expect in one second
    --integration TEXT     how you will use the API (Markdown)
    --age-recipient KEY    an age public key to receive the key with, instead of your SSH keys
  dataset:
    --dataset-name TEXT    the name you suggest for the dataset
    --description TEXT     what the dataset holds (Markdown)
    --department TEXT      the city department that keeps the data, if you know it
    --frequency F          realtime, hourly, daily, weekly, monthly, quarterly, annually or once
    --field NAME:TYPE:TEXT a column (repeat the flag for each): name, type and what it means;
                           types: text, number, integer, boolean, date, datetime, location, url
    --sample-rows FILE     example rows as CSV, with the column names on the first line
  and:
    --no-input             ask nothing: fail when an answer is missing
    --repo DIR             the repository (default: the one the current folder is in)
` + asOfHelp + `

Exit status: 0 when the request was written, 1 when it could not be (an answer missing or
not valid, the id taken), 2 when docket was called wrongly.
`

// multiFlag collects a repeated flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ", ") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

// newFlags are docket new's answers given on the command line; "" means not given.
type newFlags struct {
	kind, title, id, github, name, organization, typ                string
	use, purpose, personalData, privacy, dataSharing                string
	datasets, perDay, perSecond, integration, ageRecipient          string
	datasetName, description, department, frequency, sampleRowsFile string
	fields                                                          multiFlag
	noInput                                                         bool
}

func runNew(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return interruptible(ctx, stderr, runNewAnswers(ctx, args, stdout, stderr))
}

func runNewAnswers(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("new")
	var f newFlags
	for name, p := range map[string]*string{
		"kind": &f.kind, "title": &f.title, "id": &f.id, "github": &f.github, "name": &f.name, "organization": &f.organization,
		"type": &f.typ, "use": &f.use, "purpose": &f.purpose, "personal-data": &f.personalData, "privacy": &f.privacy,
		"data-sharing": &f.dataSharing, "datasets": &f.datasets, "requests-per-day": &f.perDay, "peak-per-second": &f.perSecond,
		"integration": &f.integration, "age-recipient": &f.ageRecipient, "dataset-name": &f.datasetName,
		"description": &f.description, "department": &f.department, "frequency": &f.frequency, "sample-rows": &f.sampleRowsFile,
	} {
		fs.StringVar(p, name, "", "")
	}
	fs.Var(&f.fields, "field", "")
	fs.BoolVar(&f.noInput, "no-input", false, "")
	dir := fs.String("repo", repoRoot(), "")
	clk := addClock(fs)
	if code, ok := parseFlags(fs, newUsage, args, stdout, stderr); !ok {
		return code
	}
	today, err := clk.today()
	if err != nil {
		errorf(stderr, "%s", err)
		return 2
	}
	given := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	ws, code := openWorkspace(*dir, today, stderr)
	if ws == nil {
		return code
	}
	n := &newRequest{ws: ws, f: &f, given: given, p: newPrompter(ctx, stderr, f.noInput)}
	id, req, err := n.answers()
	if err != nil {
		var na *errNoAnswer
		errorf(stderr, "%s", err)
		if errors.As(err, &na) && !f.noInput {
			hintf(stderr, "give every answer as a flag to run without questions: docket new -h lists them")
		}
		return 1
	}
	text, err := draft.Request(req)
	if err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	text = ws.hinted(text)
	file := path.Join(docket.RequestsDir, id, docket.RequestFile)
	if !ws.check(id, map[string][]byte{file: text}, true, stderr, stderr) {
		// The answers are not thrown away: they are kept as a draft to edit, outside the
		// requests folder so that nothing invalid is sent by mistake.
		saved, err := saveDraft(ws.dir, id, text)
		if err != nil {
			errorf(stderr, "%s was not written; fix the answers above and run docket new again", file)
			return 1
		}
		errorf(stderr, "%s was not written; your answers are saved in %s: fix what is listed above in it, then move it to %s", file, saved, file)
		return 1
	}
	if err := writeNew(filepath.Join(ws.dir, filepath.FromSlash(file)), text); err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	sayf(stdout, "wrote %s", filepath.Join(ws.dir, filepath.FromSlash(file)))
	fmt.Fprint(stdout, forkFirst(ws.cfg))
	fmt.Fprint(stdout, nextSteps("request/"+id, []string{file}, "Request: "+id, ws.cfg,
		"then open a pull request from that branch. docket checks it and comments on anything to fix;\nstaff answer in the pull request, and the request's page on the site shows where it stands."))
	return 0
}

// forkFirst tells a requester, who cannot push to the program's repository, to fork it first
// (or to use the issue form, which needs no git at all).
func forkFirst(cfg *docket.Config) string {
	s := "\nMost requesters cannot push to the program's repository: fork it on GitHub first (gh repo fork --remote),\nso that origin is your fork, then run the steps below."
	if cfg != nil && cfg.Links.Repository != "" {
		s += fmt.Sprintf(" Without git, use the request form instead: %s/issues/new/choose", strings.TrimSuffix(cfg.Links.Repository, "/"))
	}
	return s + "\n"
}

// saveDraft keeps the text of a request that is not valid yet in the repository's folder as
// docket-new-<id>.yaml, replacing an earlier draft of the same id, and returns its path.
func saveDraft(dir, id string, text []byte) (string, error) {
	p := filepath.Join(dir, "docket-new-"+id+".yaml")
	return p, os.WriteFile(p, text, 0o644)
}

// writeNew creates file, refusing to replace one that exists.
func writeNew(file string, text []byte) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%s already exists; docket new never replaces a request", file)
	}
	if err != nil {
		return err
	}
	if _, err := f.Write(text); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// nextSteps says, command by command, how to send files in a pull request.
func nextSteps(branch string, files []string, message string, cfg *docket.Config, after string) string {
	var b strings.Builder
	b.WriteString("\nNext, send it in a pull request:\n\n")
	fmt.Fprintf(&b, "    git switch -c %s\n", branch)
	fmt.Fprintf(&b, "    git add %s\n", strings.Join(files, " "))
	fmt.Fprintf(&b, "    git commit -m %s\n", shellQuote(message))
	fmt.Fprintf(&b, "    git push -u origin %s\n\n", branch)
	b.WriteString(after + "\n")
	if cfg != nil && cfg.Links.Repository != "" {
		fmt.Fprintf(&b, "Pull requests: %s/pulls (or, with GitHub's command line: gh pr create --fill)\n", strings.TrimSuffix(cfg.Links.Repository, "/"))
	}
	return b.String()
}

var shellSafe = regexp.MustCompile(`^[A-Za-z0-9_./:=@-]+$`)

func shellQuote(s string) string {
	if shellSafe.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

type newRequest struct {
	ws    *workspace
	f     *newFlags
	given map[string]bool
	p     *prompter
}

// value returns a flag's value when it was given, else asks.
func (n *newRequest) value(flagName, given string, ask func() (string, error), check func(string) (string, error)) (string, error) {
	if n.given[flagName] {
		v, err := check(strings.TrimSpace(given))
		if err != nil {
			return "", fmt.Errorf("--%s: %w", flagName, err)
		}
		return v, nil
	}
	return ask()
}

func (n *newRequest) line(flagName, given, question, def string, check func(string) (string, error)) (string, error) {
	// A one-line answer stays on one line: a tab pasted into it is a space.
	oneLine := func(s string) (string, error) { return check(strings.Join(strings.Fields(s), " ")) }
	return n.value(flagName, given, func() (string, error) { return n.p.ask(question, "--"+flagName, def, oneLine) }, oneLine)
}

func (n *newRequest) pick(flagName, given, question, def string, choices []choice) (string, error) {
	check := func(s string) (string, error) { return pick(s, choices) }
	return n.value(flagName, given, func() (string, error) { return n.p.choose(question, "--"+flagName, def, choices) }, check)
}

func (n *newRequest) yes(flagName, given, question string, def bool) (bool, error) {
	v, err := n.value(flagName, given, func() (string, error) {
		b, err := n.p.yesNo(question, "--"+flagName, def)
		if b {
			return "yes", err
		}
		return "no", err
	}, draft.YesNo)
	return v == "yes", err
}

func (n *newRequest) markdown(flagName, given, question, hint string, minLen int) (string, error) {
	check := draft.Text(minLen, 20000)
	return n.value(flagName, given, func() (string, error) { return n.p.text(question, "--"+flagName, hint, check) }, check)
}

var (
	kindChoices = []choice{{"dataset", "ask the city to publish data that is not on the portal"}, {"api-access", "a key to use published datasets through the API"}}
	typeChoices = []choice{{"individual", "yourself"}, {"nonprofit", "a nonprofit or community group"}, {"academic", "a university, a school or a student"},
		{"business", "a company"}, {"government", "a public body"}, {"media", "a journalist or a newsroom"}}
	useChoices = []choice{{"analytics", "charts, maps, dashboards"}, {"integration", "an app or a system"}, {"research", ""},
		{"publication", "news, reports"}, {"other", ""}}
	frequencyChoices = []choice{{"realtime", ""}, {"hourly", ""}, {"daily", ""}, {"weekly", ""}, {"monthly", ""}, {"quarterly", ""}, {"annually", ""}, {"once", ""}}
	columnTypes      = []choice{{"text", ""}, {"number", ""}, {"integer", "a whole number"}, {"boolean", "true or false"}, {"date", "YYYY-MM-DD"},
		{"datetime", "a date and a time"}, {"location", "a place or coordinates"}, {"url", "a web address"}}
)

// answers asks every question in the order of the file.
func (n *newRequest) answers() (string, *docket.Request, error) {
	f := n.f
	req := &docket.Request{}
	kind, err := n.pick("kind", f.kind, "What are you asking for?", "", kindChoices)
	if err != nil {
		return "", nil, err
	}
	req.Kind = docket.RequestKind(kind)
	if req.Title, err = n.line("title", f.title, "Title of your request (8 to 120 characters, shown in the public list)", "", draft.Text(8, 120)); err != nil {
		return "", nil, err
	}
	def := ""
	if s := draft.Slug(req.Title); s != "" {
		def = draft.FreeID(s, n.ws.taken)
	}
	if !n.given["id"] && f.noInput && def != "" {
		// The id made from the title stands for nobody: it is taken without asking.
		f.id, n.given["id"] = def, true
	}
	id, err := n.line("id", f.id, "Request id: lowercase words joined by hyphens, the address of its page", def, n.checkID)
	if err != nil {
		return "", nil, err
	}
	r := &req.Requester
	if r.GitHub, err = n.line("github", f.github, "Your GitHub login (the account that will open the pull request)", "", draft.Login); err != nil {
		return "", nil, err
	}
	if r.Name, err = n.line("name", f.name, "Your name, if you want it shown (Enter to leave it out)", "", draft.Optional(100)); err != nil {
		return "", nil, err
	}
	if r.Organization, err = n.line("organization", f.organization, "Your organization (Enter if you ask for yourself)", "", draft.Optional(120)); err != nil {
		return "", nil, err
	}
	if r.Type, err = n.pick("type", f.typ, "You are asking as", "individual", typeChoices); err != nil {
		return "", nil, err
	}
	switch req.Kind {
	case docket.KindAPIAccess:
		if req.APIAccess, err = n.apiAccess(); err != nil {
			return "", nil, err
		}
	case docket.KindDataset:
		if req.Dataset, err = n.dataset(); err != nil {
			return "", nil, err
		}
	}
	if req.Purpose.Use, err = n.pick("use", f.use, "The main use of the data", "", useChoices); err != nil {
		return "", nil, err
	}
	if req.Purpose.Description, err = n.markdown("purpose", f.purpose, "What will you do with the data, and who benefits?", "Markdown; at least 20 characters", 20); err != nil {
		return "", nil, err
	}
	if req.Privacy.PersonalData, err = n.yes("personal-data", f.personalData, "Could the data identify a person (names, addresses, plates, homes)?", false); err != nil {
		return "", nil, err
	}
	if req.Privacy.Considerations, err = n.markdown("privacy", f.privacy, "What could go wrong for privacy or security, and how will you prevent it?", "Markdown; at least 20 characters", 20); err != nil {
		return "", nil, err
	}
	if req.DataSharingAgreement, err = n.yes("data-sharing", f.dataSharing, "Would you sign a data-sharing agreement if the city requires one?", true); err != nil {
		return "", nil, err
	}
	if f.ageRecipient != "" {
		req.Delivery = &docket.Delivery{AgeRecipient: strings.TrimSpace(f.ageRecipient)}
	}
	return id, req, nil
}

// checkID accepts an id that is valid and free.
func (n *newRequest) checkID(s string) (string, error) {
	if !docket.ValidID(s) {
		return "", errors.New("the id " + docket.ExplainID(s))
	}
	if n.ws.taken(s) {
		return "", fmt.Errorf("%s is taken: %s/%s already exists; choose another id", s, docket.RequestsDir, s)
	}
	return s, nil
}

func (n *newRequest) apiAccess() (*docket.APIAsk, error) {
	f := n.f
	a := &docket.APIAsk{}
	if f.datasets == "" && !n.p.noInput {
		// The ids the schema wants, with the names people know them by.
		fmt.Fprintln(n.p.out, "Datasets offered through the API (catalog id: name):")
		for _, e := range n.ws.cfg.Catalog {
			if e.API {
				fmt.Fprintf(n.p.out, "  %s: %s\n", e.ID, report.Printable(e.Name))
			}
		}
	}
	ids, err := n.line("datasets", f.datasets, "Which datasets? Their catalog ids, separated by commas", "", n.checkDatasets)
	if err != nil {
		return nil, err
	}
	a.Datasets = strings.Split(ids, ",")
	perDay, err := n.line("requests-per-day", f.perDay, "How many calls a day do you expect, on a typical day?", "", draft.WholeNumber(1, 100000000))
	if err != nil {
		return nil, err
	}
	a.Traffic.RequestsPerDay, _ = strconv.ParseInt(perDay, 10, 64)
	perSecond, err := n.line("peak-per-second", f.perSecond, "The most calls in any one second?", "", draft.PositiveNumber(100000))
	if err != nil {
		return nil, err
	}
	a.Traffic.PeakRequestsPerSecond, _ = strconv.ParseFloat(perSecond, 64)
	if pol := n.ws.cfg.Keys.MaxLimits; a.Traffic.RequestsPerDay > pol.RequestsPerDay || a.Traffic.PeakRequestsPerSecond > pol.RequestsPerSecond {
		// Said now, while the answer can still change: staff limit a key to the policy.
		fmt.Fprintf(n.p.out, "  warning: the key policy allows at most %d calls a day and %g a second; a key above that is unlikely, and would be limited to the policy\n",
			pol.RequestsPerDay, pol.RequestsPerSecond)
	}
	if a.Integration, err = n.markdown("integration", f.integration, "How will you use the API: what calls it, how often, what is cached or stored?", "Markdown; at least 20 characters", 20); err != nil {
		return nil, err
	}
	return a, nil
}

// checkDatasets accepts catalog ids with API access, separated by commas; a name or a near id
// gets the id it probably means.
func (n *newRequest) checkDatasets(s string) (string, error) {
	var ids []string
	for _, id := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' }) {
		if id = strings.TrimSpace(id); id == "" {
			continue
		}
		if msg := validate.CatalogProblem(n.ws.cfg, id); msg != "" {
			// Said in the words of this conversation, not the file's.
			msg = strings.ReplaceAll(msg, "ask for the dataset to be published with kind: dataset", "to ask the city to publish a dataset, run docket new again and choose dataset")
			return "", errors.New(msg)
		}
		if !contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return "", errors.New("name at least one dataset by its catalog id")
	}
	return strings.Join(ids, ","), nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (n *newRequest) dataset() (*docket.DatasetAsk, error) {
	f := n.f
	d := &docket.DatasetAsk{}
	var err error
	if d.Name, err = n.line("dataset-name", f.datasetName, "The name you suggest for the dataset", "", draft.Text(3, 120)); err != nil {
		return nil, err
	}
	if d.Description, err = n.markdown("description", f.description, "What would the dataset hold, and where does the data come from?", "Markdown; at least 20 characters", 20); err != nil {
		return nil, err
	}
	if d.SourceDepartment, err = n.line("department", f.department, "The city department that keeps the data, if you know it (Enter to skip)", "", draft.Optional(120)); err != nil {
		return nil, err
	}
	if d.UpdateFrequency, err = n.pick("frequency", f.frequency, "How often should it be updated?", "", frequencyChoices); err != nil {
		return nil, err
	}
	if n.given["field"] {
		for _, spec := range f.fields {
			fl, err := parseFieldFlag(spec)
			if err != nil {
				return nil, fmt.Errorf("--field %s: %w", spec, err)
			}
			d.Fields = append(d.Fields, fl)
		}
	} else if d.Fields, err = n.askFields(); err != nil {
		return nil, err
	}
	if n.given["sample-rows"] {
		if d.SampleRows, err = readSampleRows(f.sampleRowsFile); err != nil {
			return nil, fmt.Errorf("--sample-rows: %w", err)
		}
	} else if d.SampleRows, err = n.askRows(d.Fields); err != nil {
		return nil, err
	}
	return d, nil
}

// parseFieldFlag reads NAME:TYPE:DESCRIPTION.
func parseFieldFlag(spec string) (docket.Field, error) {
	parts := strings.SplitN(spec, ":", 3)
	if len(parts) != 3 {
		return docket.Field{}, errors.New("write a column as name:type:what it means, like request_date:date:The day it was received")
	}
	name, err := draft.ColumnName(strings.TrimSpace(parts[0]))
	if err != nil {
		return docket.Field{}, err
	}
	typ, err := pick(strings.TrimSpace(parts[1]), columnTypes)
	if err != nil {
		return docket.Field{}, err
	}
	desc, err := draft.Text(3, 1000)(parts[2])
	if err != nil {
		return docket.Field{}, err
	}
	return docket.Field{Name: name, Type: typ, Description: desc}, nil
}

func (n *newRequest) askFields() ([]docket.Field, error) {
	var out []docket.Field
	fmt.Fprintln(n.p.out, "The columns you need, one at a time (an empty name when you are done).")
	for i := 1; i <= 200; i++ {
		name, err := n.p.ask(fmt.Sprintf("Column %d name", i), "--field", "", func(s string) (string, error) {
			if s == "" && len(out) > 0 {
				return "", nil
			}
			if s == "" {
				return "", errors.New("name at least one column")
			}
			for _, f := range out {
				if f.Name == s {
					return "", fmt.Errorf("%s is already a column", s)
				}
			}
			return draft.ColumnName(s)
		})
		if err != nil || name == "" {
			return out, err
		}
		typ, err := n.p.choose(fmt.Sprintf("Type of %s", name), "--field", "text", columnTypes)
		if err != nil {
			return nil, err
		}
		desc, err := n.p.ask(fmt.Sprintf("What %s means, in a sentence", name), "--field", "", draft.Text(3, 1000))
		if err != nil {
			return nil, err
		}
		out = append(out, docket.Field{Name: name, Type: typ, Description: desc})
	}
	return out, nil
}

func (n *newRequest) askRows(fields []docket.Field) ([]map[string]any, error) {
	var rows []map[string]any
	fmt.Fprintln(n.p.out, "An example row or two, made up or real but public, so staff see what you mean.")
	for i := 1; i <= 20; i++ {
		row := map[string]any{}
		for _, f := range fields {
			typ := f.Type
			v, err := n.p.ask(fmt.Sprintf("Row %d, %s (%s)", i, f.Name, f.Type), "--sample-rows", "", func(s string) (string, error) {
				if len([]rune(s)) > 500 {
					return "", errors.New("write at most 500 characters")
				}
				// Checked as typed, by the rule validation applies, so a wrong cell is asked
				// again now rather than found at the end.
				if s != "" {
					if msg := validate.CellProblem(typ, s); msg != "" {
						return "", fmt.Errorf("%s is a %s column: %s", f.Name, typ, msg)
					}
				}
				return s, nil
			})
			if err != nil {
				return nil, err
			}
			if v != "" {
				row[f.Name] = v
			}
		}
		rows = append(rows, row)
		more, err := n.p.yesNo("Another example row?", "--sample-rows", false)
		if err != nil || !more {
			return rows, err
		}
	}
	return rows, nil
}

// readSampleRows reads example rows from a CSV file whose first line names the columns.
func readSampleRows(file string) ([]map[string]any, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	return draft.CSVRows(string(b))
}
