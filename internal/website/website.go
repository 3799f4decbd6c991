// Package website builds the public transparency site of a docket as static files: the list of
// every request with filters, a page per request with its timeline from git, statistics with
// charts drawn at build time, an Atom feed, the whole log as JSON and CSV, the schemas, and
// guide pages. It takes a validated repository (package validate), a history (package history)
// and open pull requests (package gh), and renders the templates and files in the site package.
//
// Everything a requester wrote goes through html/template escaping or through the untrusted
// Markdown converter (raw HTML shown as text, only http, https and mailto links); every page
// carries a Content-Security-Policy that allows only the site's own script and style sheet.
// The same inputs give byte-identical files: everything is sorted and no clock is read, the
// day the site is "as of" is the day of the last commit unless the caller says otherwise.
package website

import (
	"bufio"
	"errors"
	"fmt"
	"html/template"
	"io/fs"

	"runtime"
	"strings"
	"sync"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/history"
	"github.com/opendata-docket/docket/internal/ledger"
	"github.com/opendata-docket/docket/internal/registry"
	"github.com/opendata-docket/docket/internal/repo"
	"github.com/opendata-docket/docket/site"
)

// Input is what a site is built from.
type Input struct {
	Repo  *repo.Repository // validated, with no errors
	Files fs.FS            // the repository's files, to publish each request's source files
	// Dir is the repository's folder on disk, when it is built from one: the output folder
	// may not be reached through a link inside it, be it, contain it or be inside its .git.
	Dir string
	// History is the audit log; nil when it is unavailable, with HistoryNote saying why.
	History     *history.History
	HistoryNote string
	// Ledger says which pull request carried each change to a request folder (ledger.json on
	// the state branch); nil without one, when a request is submitted on the day it reached
	// the default branch and changes are dated by their commits.
	Ledger *ledger.Ledger
	// Pending are open pull requests that add requests; PendingNote says why there are none
	// when they could not be listed.
	Pending     []docket.ProposedRequest
	PendingNote string
	// AsOf is the day counters are computed against. The zero value means the day of the last
	// commit, or without history the latest day written in any file, so that the same
	// repository state always gives the same site.
	AsOf docket.Date
	// NotAfter, when set, bounds the day the site is as of when AsOf is zero: the command's
	// today, so that a commit dated in the future cannot carry the counters past it.
	NotAfter docket.Date
	// Source is the web address of the repository, for links to commits and files; empty
	// means the history's origin remote, if it is on a known forge.
	Source string
	// Keys is the key registry docket provision keeps; nil when the build was not given it.
	// Request pages show each key's id, status, limits, last day and delivery, and the site
	// publishes it as keys.json for gateways. It holds no key.
	Keys *registry.Registry
}

// Builder renders sites. Its templates and Markdown converters are built once; it is safe for
// concurrent use.
type Builder struct {
	pages     map[string]*template.Template
	untrusted *markdown
	trusted   *markdown
	guides    []*guide
	reference []referenceSchema
	// ListPageSize is how many requests one page of a list (all requests, a status, a kind,
	// the overdue ones) shows; 0 means DefaultListPageSize.
	ListPageSize int
	// Workers is how many pages are rendered and written in parallel; 0 means one per CPU.
	Workers int
}

// pageTemplates are the page templates in site/templates; each defines "content" for the
// layout in base.html.
var pageTemplates = []string{"list.html", "request.html", "stats.html", "guide.html", "data.html", "reference.html", "notfound.html", "catalog.html"}

// New parses the templates and guide pages.
func New() (*Builder, error) {
	b := &Builder{pages: map[string]*template.Template{}, untrusted: newMarkdown(true), trusted: newMarkdown(false)}
	base, err := template.New("base.html").Funcs(funcs).ParseFS(site.FS, "templates/base.html", "templates/cta.html")
	if err != nil {
		return nil, fmt.Errorf("parsing the site templates: %w", err)
	}
	for _, name := range pageTemplates {
		t, err := base.Clone()
		if err == nil {
			t, err = t.ParseFS(site.FS, "templates/"+name)
		}
		if err != nil {
			return nil, fmt.Errorf("parsing the site templates: %w", err)
		}
		b.pages[name] = t
	}
	if b.guides, err = loadGuides(site.FS, "content"); err != nil {
		return nil, err
	}
	if b.reference, err = loadReference(b.trusted); err != nil {
		return nil, err
	}
	return b, nil
}

// Build writes the site into out, replacing what an earlier build left there. It refuses to
// empty a folder that holds anything else, and an output folder that CheckOut refuses for the
// repository in in.Dir.
func (b *Builder) Build(in *Input, out string) (*Summary, error) {
	if in.Repo == nil {
		return nil, errors.New("no repository to build")
	}
	if err := CheckOut(in.Dir, out); err != nil {
		return nil, err
	}
	root, err := prepareOut(out)
	if err != nil {
		return nil, err
	}
	root.Close()
	w, err := newOutWriter(out)
	if err != nil {
		return nil, err
	}
	s := b.newSite(in)
	if err := s.ownContent(); err != nil {
		return nil, err
	}
	jobs := s.jobs()
	workers := b.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ch := make(chan job)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each file is rendered straight into its own file through one buffer per
			// worker: no page, and no export of the whole docket, is held in memory.
			bw := bufio.NewWriterSize(nil, 64<<10)
			for j := range ch {
				if err := w.write(j, bw); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("writing %s: %w", j.path, err)
					}
					mu.Unlock()
				}
			}
		}()
	}
	for _, j := range jobs {
		ch <- j
	}
	close(ch)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	return &Summary{Pages: len(jobs), Requests: len(s.entries)}, nil
}

// Summary says what a build wrote.
type Summary struct {
	Pages    int // files written
	Requests int // requests shown, pending pull requests included
}

// job renders one file of the site.
type job struct {
	path   string
	render func(*bufio.Writer) error
}

// root returns the relative path from a page to the site's root: "" or "../../".
func root(p string) string {
	return strings.Repeat("../", strings.Count(p, "/"))
}

// absolute joins the configured base URL and a path inside the site.
func absolute(base, p string) string {
	if base == "" {
		return ""
	}
	return strings.TrimSuffix(base, "/") + "/" + strings.TrimPrefix(p, "/")
}

// Release drops what validation kept for locating findings (the parsed YAML of every file),
// which a build does not need, so that a large docket's build runs in less memory.
func Release(r *repo.Repository) {
	if r.ConfigFile != nil {
		r.ConfigFile.Doc = nil
	}
	for _, f := range r.Folders {
		for _, file := range f.Files {
			file.Doc = nil
		}
	}
}
