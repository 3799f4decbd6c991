package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/draft"
	"github.com/opendata-docket/docket/internal/history"
	"github.com/opendata-docket/docket/internal/repo"
	"github.com/opendata-docket/docket/internal/report"
	"github.com/opendata-docket/docket/internal/validate"
	"github.com/opendata-docket/docket/internal/website"
)

// workspace is a docket repository on disk as docket new, decide, enforce and status see it:
// its configuration and requests, validated once, and a way to validate a draft in place
// before it is written.
type workspace struct {
	dir   string
	today docket.Date
	v     *validate.Validator
	repo  *repo.Repository
	cfg   *docket.Config
}

// openWorkspace reads the repository in dir. It prints why when the configuration cannot be
// read, and returns nil and the exit status.
func openWorkspace(dir string, today docket.Date, stderr io.Writer) (*workspace, int) {
	v, r, findings, err := validateDir(dir, today)
	if err != nil {
		errorf(stderr, "%s", err)
		return nil, 1
	}
	if r.Config == nil {
		for _, f := range findings {
			if f.Path == docket.ConfigPath {
				linef(stderr, "%s", f.String())
			}
		}
		errorf(stderr, "%s has problems or is missing; docket needs the program's configuration", filepath.Join(dir, filepath.FromSlash(docket.ConfigPath)))
		return nil, 1
	}
	return &workspace{dir: dir, today: today, v: v, repo: r, cfg: r.Config}, 0
}

// taken reports whether a request folder id exists.
func (w *workspace) taken(id string) bool {
	if w.repo.Folder(id) != nil {
		return true
	}
	_, err := os.Lstat(filepath.Join(w.dir, docket.RequestsDir, id))
	return !errors.Is(err, os.ErrNotExist)
}

// folder returns the request folder id, or an error that says what exists.
func (w *workspace) folder(id string) (*repo.Folder, error) {
	f := w.repo.Folder(id)
	switch {
	case !docket.ValidID(id):
		return nil, fmt.Errorf("%q is not a request id: it %s", id, docket.ExplainID(id))
	case f == nil:
		return nil, fmt.Errorf("there is no request %s: %s/%s does not exist", id, docket.RequestsDir, id)
	case f.Record.Request == nil:
		return nil, fmt.Errorf("%s/%s/%s has problems; run docket validate and fix them first", docket.RequestsDir, id, docket.RequestFile)
	}
	return f, nil
}

// check validates the request folder id as it would be with files written, and prints the
// findings about that folder: path:line:column: field: message, or with unwritten, only
// field: message, since the file is not there to open at that line. It reports whether there
// is no error.
func (w *workspace) check(id string, files map[string][]byte, unwritten bool, stdout, stderr io.Writer) bool {
	_, findings, err := w.v.Repository(draft.Overlay(os.DirFS(w.dir), files), validate.Options{Today: w.today, Only: func(s string) bool { return s == id }})
	if err != nil {
		errorf(stderr, "%s", err)
		return false
	}
	var mine []docket.Finding
	prefix := docket.RequestsDir + "/" + id + "/"
	for _, f := range findings {
		if len(f.Path) > len(prefix) && f.Path[:len(prefix)] == prefix {
			mine = append(mine, f)
		}
	}
	if unwritten {
		for _, f := range mine {
			msg := f.Message
			if f.Field != "" {
				msg = f.Field + ": " + msg
			}
			if f.Severity == docket.Warning {
				warningf(stdout, "%s", msg)
			} else {
				errorf(stdout, "%s", msg)
			}
		}
	} else if err := report.Write(stdout, "text", mine); err != nil {
		errorf(stderr, "%s", err)
		return false
	}
	return !docket.HasErrors(mine)
}

// entries returns every request with its service clock as of today, from the git history
// when there is one; note says why there are no timelines when there is none.
func (w *workspace) entries() (es []*website.Entry, note string) {
	in := &website.Input{Repo: w.repo, Files: os.DirFS(w.dir), Dir: w.dir, AsOf: w.today}
	h, err := history.Read(w.dir)
	var ue *history.UnavailableError
	switch {
	case errors.As(err, &ue):
		note = ue.Reason
	case err != nil:
		note = "the git history could not be read: " + err.Error()
	default:
		in.History = h
		// The same start of the clock as the site: when the pull request was opened.
		if l, _, err := stateLedger(context.Background(), w.dir, "docket-state", os.Getenv("GITHUB_TOKEN")); err == nil {
			in.Ledger = l
		}
	}
	es, _ = website.Entries(in)
	return es, note
}

// entry returns the service clock of one request.
func (w *workspace) entry(id string) *website.Entry {
	es, _ := w.entries()
	for _, e := range es {
		if e.ID == id && e.PR == nil {
			return e
		}
	}
	return nil
}

// parseWithID parses a command's flags and its one argument, a request id, which may come
// before the flags or after them (docket decide bus-feed --approve, docket decide --approve
// bus-feed). optional says the id may be left out.
func parseWithID(fs *flag.FlagSet, usageText string, args []string, optional bool, stdout, stderr io.Writer) (string, int, bool) {
	var id string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		id, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usageText)
			return "", 0, false
		}
		errorf(stderr, "%s", err)
		fmt.Fprint(stderr, usageText)
		return "", 2, false
	}
	rest := fs.Args()
	if id == "" && len(rest) > 0 {
		id, rest = rest[0], rest[1:]
		if err := fs.Parse(rest); err != nil {
			errorf(stderr, "%s", err)
			fmt.Fprint(stderr, usageText)
			return "", 2, false
		}
		rest = fs.Args()
	}
	switch {
	case len(rest) > 0:
		errorf(stderr, "unexpected argument %q", rest[0])
		fmt.Fprint(stderr, usageText)
		return "", 2, false
	case id == "" && !optional:
		errorf(stderr, "name the request: its id, the name of its folder under %s/", docket.RequestsDir)
		fmt.Fprint(stderr, usageText)
		return "", 2, false
	}
	return id, 0, true
}

// staffChoices lists the staff logins to choose from, and extra logins after them.
func staffChoices(cfg *docket.Config, extra ...string) []choice {
	var out []choice
	for _, l := range cfg.Staff.Logins {
		out = append(out, choice{l, ""})
	}
	for _, l := range extra {
		out = append(out, choice{l, "the requester"})
	}
	return out
}

// editFile opens text in the editor as a file called name, and returns what was saved.
func editFile(p *prompter, name string, text []byte) ([]byte, error) {
	dir, err := os.MkdirTemp("", "docket-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, name)
	if err := os.WriteFile(file, text, 0o644); err != nil {
		return nil, err
	}
	if err := p.runEditor(file); err != nil {
		return nil, err
	}
	return os.ReadFile(file)
}
