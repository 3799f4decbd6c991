package website

import (
	"bufio"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"slices"

	"strconv"
	"strings"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/draft"
	"github.com/opendata-docket/docket/internal/history"
	"github.com/opendata-docket/docket/schema"
	"github.com/opendata-docket/docket/site"
)

// siteInfo is what every page knows about the program.
type siteInfo struct {
	Name, City  string
	Sample      bool
	BaseURL     string
	Links       docket.Links
	Appeals     docket.Appeals
	Targets     docket.ServiceTargets
	Staff       []string
	AsOf        docket.Date
	HistoryNote string
	PendingNote string
	Source      string
	Guides      []*guide
	// Criteria, Actions and Fees are the program's policy (or docket's defaults), for the guides.
	Criteria []docket.CriterionDef
	Actions  []docket.Action
	Fees     string
	// CustomCSS is set when the repository adds a style sheet (site/static/custom.css).
	CustomCSS bool
	// Forms are the repository's issue forms, for "Make a request"; nil when the repository
	// is not known.
	Forms *requestForms
}

// programInfo is what every page, guides included, knows of the program from its
// configuration; the build adds the day, the notes and the repository.
func programInfo(cfg *docket.Config, guides []*guide) *siteInfo {
	staff := slices.Clone(cfg.Staff.Logins)
	slices.Sort(staff)
	info := &siteInfo{
		Name: cfg.Program.Name, City: cfg.Program.City, Sample: cfg.Program.SampleData,
		BaseURL: cfg.Program.BaseURL, Links: cfg.Links, Appeals: cfg.Appeals, Targets: cfg.ServiceTargets,
		Staff: staff, Guides: guides,
		Criteria: cfg.Criteria(), Actions: cfg.EnforcementActions(), Fees: cfg.FeesStatement(),
	}
	if info.Name == "" {
		info.Name = "Data requests"
	}
	return info
}

// CriteriaWords is the number of the program's criteria in words: "four criteria".
func (i *siteInfo) CriteriaWords() string {
	return draft.CountWord(len(i.Criteria), "criterion", "criteria")
}

// page is the data of every page template.
type page struct {
	Site      *siteInfo
	Path      string // the page's path in the site
	Root      string // relative path to the site's root
	Title     string
	Section   string // for the navigation: requests, stats, data, guide
	Canonical string
	Feed      string // the page's own Atom feed, relative to the page; empty for none
	Script    bool   // load the filter script
	Data      any
}

type builtSite struct {
	b       *Builder
	in      *Input
	info    *siteInfo
	cfg     *docket.Config
	entries []*Entry
	stats   *stats
	keys    keyIndex // the registry's keys by request, made once
	// customCSS is the repository's site/static/custom.css, published as assets/custom.css.
	customCSS []byte
}

func (b *Builder) newSite(in *Input) *builtSite {
	cfg := in.Repo.Config
	if cfg == nil {
		cfg = &docket.Config{}
	}
	// Every day the site shows is a day in the program's time zone.
	zin := *in
	zin.History = zoned(in.History, in.Ledger, zoneOf(cfg))
	in = &zin
	asOf := in.AsOf
	if asOf.IsZero() && in.History != nil && history.Plausible(in.History.HeadTime) {
		// The day of the last commit whose time can be believed; history reads every other
		// as not known.
		asOf = dayOf(in.History.HeadTime)
	}
	if asOf.IsZero() {
		asOf = latestFileDate(in)
	}
	if !in.NotAfter.IsZero() && asOf.After(in.NotAfter) {
		// A commit (or a file) dated in the future cannot move the site's "as of" past the
		// day of the build.
		asOf = in.NotAfter
	}
	source := in.Source
	if source == "" && in.History != nil {
		source = in.History.Remote
	}
	info := programInfo(cfg, b.guides)
	info.AsOf, info.HistoryNote, info.PendingNote = asOf, in.HistoryNote, in.PendingNote
	info.Source, info.Forms = source, formsFor(requestRepository(cfg, in))
	s := &builtSite{b: b, in: in, info: info, cfg: cfg}
	s.entries = entries(in, asOf, source)
	s.stats = computeStats(s.entries, cfg)
	return s
}

func latestFileDate(in *Input) docket.Date {
	var out docket.Date
	for _, f := range in.Repo.Folders {
		for _, d := range f.Record.Dates() {
			if d.After(out) {
				out = d
			}
		}
	}
	return out
}

// html renders a page template into a job.
func (s *builtSite) html(p, tmpl, title, section string, script bool, data func() any) job {
	return job{path: p, render: func(buf *bufio.Writer) error {
		pg := &page{Site: s.info, Path: p, Root: root(p), Title: title, Section: section, Script: script, Data: data()}
		if tmpl == "request.html" {
			pg.Feed = "feed.xml"
		}
		if p == NotFoundPage {
			// Servers answer any missing address with this page as it is (GitHub Pages does
			// for /a/b/c/), so its links cannot be relative to its own place in the site.
			pg.Root = BasePath(s.info.BaseURL)
		}
		pg.Canonical = absolute(s.info.BaseURL, strings.TrimSuffix(p, "index.html"))
		return s.b.pages[tmpl].ExecuteTemplate(buf, "base.html", pg)
	}}
}

func static(p string, b []byte) job {
	return job{path: p, render: func(buf *bufio.Writer) error { buf.Write(b); return nil }}
}

// jobs lists every file of the site.
func (s *builtSite) jobs() []job {
	var out []job
	all := s.entries
	out = append(out, s.listPages("", "All requests", all, "", "")...)
	for _, st := range docket.Statuses {
		sel := filter(all, func(e *Entry) bool { return e.Status == st })
		out = append(out, s.listPages("status/"+string(st)+"/", "Requests: "+statusLabel(st), sel, "status", string(st))...)
	}
	for _, k := range []docket.RequestKind{docket.KindDataset, docket.KindAPIAccess} {
		sel := filter(all, func(e *Entry) bool { return e.Kind == k })
		out = append(out, s.listPages("kind/"+string(k)+"/", "Requests: "+kindLabel(k), sel, "kind", string(k))...)
	}
	overdue := filter(all, func(e *Entry) bool { return e.Overdue != "" })
	out = append(out, s.listPages("overdue/", "Overdue requests", overdue, "overdue", "overdue")...)
	out = append(out, s.searchIndex())
	for _, e := range all {
		if e.Record == nil {
			continue
		}
		p := "requests/" + e.ID + "/index.html"
		out = append(out, s.html(p, "request.html", e.Title, "requests", false, func() any { return s.requestView(e) }))
		out = append(out, s.requestFeed(e))
	}
	out = append(out, s.html("stats/index.html", "stats.html", "Statistics", "stats", false, func() any { return s.stats }))
	out = append(out, s.feed())
	out = append(out, s.exports()...)
	out = append(out, s.keyExports()...)
	out = append(out, s.ledgerExports()...)
	out = append(out, s.html("data/index.html", "data.html", "Open data: the whole log", "data", false, func() any {
		return dataPage{Columns: csvColumns, Keys: s.in.Keys != nil, Ledger: s.in.Ledger != nil}
	}))
	out = append(out, s.html("reference/index.html", "reference.html", "Field reference", "guide", false, func() any { return s.b.reference }))
	out = append(out, s.html("catalog/index.html", "catalog.html", "Catalog of datasets", "catalog", false, func() any { return s.catalog() }))
	for _, g := range s.info.Guides {
		out = append(out, s.html("guide/"+g.Slug+"/index.html", "guide.html", g.Title, "guide", false, func() any { return s.guideView(g) }))
	}
	out = append(out, s.html(NotFoundPage, "notfound.html", "Page not found", "", false, func() any { return nil }))
	names, _ := fs.Glob(schema.FS, "*.schema.json")
	for _, n := range names {
		b, _ := fs.ReadFile(schema.FS, n)
		out = append(out, static("schema/"+n, b))
	}
	statics, _ := fs.Glob(site.FS, "static/*")
	for _, n := range statics {
		b, _ := fs.ReadFile(site.FS, n)
		out = append(out, static("assets/"+path.Base(n), b))
	}
	if s.customCSS != nil {
		out = append(out, static("assets/custom.css", s.customCSS))
	}
	return out
}

// ownContent takes the data repository's own guide pages (site/content/*.md), when it has
// any, in place of docket's defaults, and its style sheet addition (site/static/custom.css).
// A page that cannot be read or parsed is an error naming it.
func (s *builtSite) ownContent() error {
	if s.in.Files == nil {
		return nil
	}
	names, err := fs.Glob(s.in.Files, ContentDir+"/*.md")
	if err != nil {
		return err
	}
	if len(names) > 0 {
		g, err := loadGuides(s.in.Files, ContentDir)
		if err != nil {
			return err
		}
		s.info.Guides = g
	}
	css, err := fs.ReadFile(s.in.Files, CustomCSS)
	if err == nil {
		err = regular(s.in.Files, CustomCSS)
	}
	switch {
	case err == nil:
		s.customCSS, s.info.CustomCSS = css, true
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("reading %s: %w", CustomCSS, err)
	}
	return nil
}

func filter(es []*Entry, keep func(*Entry) bool) []*Entry {
	var out []*Entry
	for _, e := range es {
		if keep(e) {
			out = append(out, e)
		}
	}
	return out
}

// listView is the data of list.html: one page of a list.
type listView struct {
	Entries     []*Entry // the rows of this page
	Count       int      // the requests in the whole list, on every page
	Total       int
	FilterKind  string // "", status, kind, overdue
	FilterValue string
	Statuses    []facet
	Kinds       []facet
	Overdue     int
	Support     bool   // the ledger counts support: show the column and the order by it
	Pager       *pager // nil when the list fits on one page
}

type facet struct {
	Value, Label string
	Count        int
	Href         string // from the root
}

// pager links the pages of a long list: Page of Pages, links relative to the page (every
// page of a list is in one folder: index.html, page-2.html, ...).
type pager struct {
	Page, Pages int
	First, Last int // the requests on this page, from 1
	Prev, Next  string
	Links       []pageLink
	PageSize    int
}

// pageLink is one entry of a pager: a page's number and link, or a gap (…).
type pageLink struct {
	Num     int
	Href    string
	Current bool
	Gap     bool
}

// DefaultListPageSize is how many requests one page of a list shows when Builder.ListPageSize
// is 0: 500 rows keep a page near 350 kB.
const DefaultListPageSize = 500

// listPageName is the file of page n of a list, in the list's folder.
func listPageName(n int) string {
	if n == 1 {
		return "index.html"
	}
	return "page-" + strconv.Itoa(n) + ".html"
}

// listPages renders a list (the whole docket, a status, a kind, the overdue requests) as
// pages of ListPageSize requests in the folder dir: index.html, page-2.html, ...
func (s *builtSite) listPages(dir, title string, es []*Entry, kind, value string) []job {
	size := s.b.ListPageSize
	if size <= 0 {
		size = DefaultListPageSize
	}
	pages := max(1, (len(es)+size-1)/size)
	var out []job
	for n := 1; n <= pages; n++ {
		first, last := (n-1)*size, min(n*size, len(es))
		t := title
		var pg *pager
		if pages > 1 {
			if n > 1 {
				t = fmt.Sprintf("%s, page %d of %d", title, n, pages)
			}
			pg = &pager{Page: n, Pages: pages, First: first + 1, Last: last, PageSize: size, Links: pageLinks(n, pages)}
			if n > 1 {
				pg.Prev = listPageName(n - 1)
			}
			if n < pages {
				pg.Next = listPageName(n + 1)
			}
		}
		chunk := es[first:last]
		out = append(out, s.html(dir+listPageName(n), "list.html", t, "requests", true, func() any {
			v := s.list(chunk, kind, value)
			v.Count, v.Pager = len(es), pg
			return v
		}))
	}
	return out
}

// pageLinks are the links of page n of pages: the first and last pages, the two either side
// of n, and gaps between.
func pageLinks(n, pages int) []pageLink {
	var out []pageLink
	for i := 1; i <= pages; i++ {
		if i == 1 || i == pages || (i >= n-2 && i <= n+2) {
			out = append(out, pageLink{Num: i, Href: listPageName(i), Current: i == n})
		} else if len(out) > 0 && !out[len(out)-1].Gap {
			out = append(out, pageLink{Gap: true})
		}
	}
	return out
}

func (s *builtSite) list(es []*Entry, kind, value string) listView {
	v := listView{Entries: es, Count: len(es), Total: len(s.entries), FilterKind: kind, FilterValue: value}
	for _, st := range docket.Statuses {
		v.Statuses = append(v.Statuses, facet{string(st), statusLabel(st), s.stats.byStatus[st], "status/" + string(st) + "/index.html"})
	}
	for _, k := range []docket.RequestKind{docket.KindDataset, docket.KindAPIAccess} {
		v.Kinds = append(v.Kinds, facet{string(k), kindLabel(k), s.stats.byKind[k], "kind/" + string(k) + "/index.html"})
	}
	v.Overdue = s.stats.overdue
	v.Support = s.in.Ledger != nil && len(s.in.Ledger.Support) > 0
	return v
}

// requestView is the data of request.html.
type requestView struct {
	*Entry
	Purpose, Privacy, Integration template.HTML
	DatasetDescription            template.HTML
	Reasons                       template.HTML
	// A withdrawal: its note, in the requester's words, and whether staff wrote it for them.
	Withdrawal                  bool
	WithdrawalNote              template.HTML
	WithdrawnForThem            bool
	AppealInstructions, Grounds template.HTML
	Datasets                    []catalogRef
	Scopes                      []catalogRef
	SampleColumns               []string
	SampleRows                  [][]string
	Criteria                    []criterion
	Actions                     []action
	Timeline                    []timelineEvent
	Counters                    []counter
	Next                        []string
	Sources                     []sourceFile
	SourceFolder                string
	AppealDeadlinePassed        bool
	AppealedOn                  docket.Date // the denial shown was appealed on this day (zero: not appealed)
	DatedBeforeSubmission       bool        // the decision's date is before its pull request was opened, as GitHub recorded it
	Key                         keyInfo
	// Steps are every decision in order, with the appeal and answers between them; nil when
	// there was only one decision.
	Steps []stepView
}

type catalogRef struct{ ID, Name, URL string }

type criterion struct {
	Name, Verdict, VerdictLabel string
	Note                        template.HTML
}

type action struct {
	Label       string
	Date, Until docket.Date
	By          string
	Reason      template.HTML
	// For a request for remediation or removal: its deadline, and what became of it.
	Deadline    docket.Date
	Outcome     string // "Complied", ...; "" while not known
	OutcomeDate docket.Date
	OutcomeNote template.HTML
	Overdue     bool // the deadline passed with no outcome recorded
}

type timelineEvent struct {
	Date      docket.Date
	Label     string
	File      string
	Commit    string // short hash
	CommitURL string
}

type counter struct {
	Label, Value string
	Note         string
}

// sourceFile is one of a request's files, shown as written, with its address in the repository.
type sourceFile struct{ Name, Text, Forge string }

func (s *builtSite) catalogRefs(ids []string) []catalogRef {
	var out []catalogRef
	for _, id := range ids {
		r := catalogRef{ID: id, Name: id}
		if c, ok := s.cfg.Dataset(id); ok {
			r.Name, r.URL = c.Name, c.URL
		}
		out = append(out, r)
	}
	return out
}

func (s *builtSite) requestView(e *Entry) *requestView {
	md := s.b.untrusted
	rec := e.Record
	req := rec.Request
	v := &requestView{Entry: e, Key: s.keyInfo(e)}
	v.Purpose = md.HTML(req.Purpose.Description)
	v.Privacy = md.HTML(req.Privacy.Considerations)
	if a := req.APIAccess; a != nil {
		v.Integration = md.HTML(a.Integration)
		v.Datasets = s.catalogRefs(a.Datasets)
	}
	if d := req.Dataset; d != nil {
		v.DatasetDescription = md.HTML(d.Description)
		for _, f := range d.Fields {
			v.SampleColumns = append(v.SampleColumns, f.Name)
		}
		for _, row := range d.SampleRows {
			cells := make([]string, len(v.SampleColumns))
			for i, c := range v.SampleColumns {
				cells[i] = cell(row[c])
			}
			v.SampleRows = append(v.SampleRows, cells)
		}
	}
	if d := rec.Decision; d != nil && d.Outcome == docket.OutcomeWithdrawn {
		// A withdrawal is the requester's act, not a finding of the city: it shows no reasons
		// or evaluation (the schema allows none), and its note is set apart as theirs.
		v.Withdrawal = true
		v.WithdrawnForThem = !strings.EqualFold(d.DecidedBy, req.Requester.GitHub)
		v.WithdrawalNote = md.HTML(d.Note)
	} else if d != nil {
		v.Reasons = md.HTML(d.Reasons)
		// GitHub recorded when the requester asked; a decision dating itself before that
		// contradicts the platform's record, and the page says so.
		v.DatedBeforeSubmission = e.SubmittedFrom == FromPullRequest && d.Date.Before(e.Submitted)
		v.Criteria = criteriaOf(d.Evaluation, s.cfg, md.HTML)
		if d.Appeal != nil {
			v.AppealInstructions = md.HTML(d.Appeal.Instructions)
			// An appealed denial's deadline has not simply passed: the requester met it.
			v.AppealDeadlinePassed = d.Appeal.Deadline.Before(s.info.AsOf) && rec.Appeal == nil
			if rec.Appeal != nil && !d.OnAppeal() {
				v.AppealedOn = rec.Appeal.Date
			}
		}
		if d.Conditions != nil {
			v.Scopes = s.catalogRefs(d.Conditions.Scopes)
		}
	}
	if rec.Appeal != nil {
		v.Grounds = md.HTML(rec.Appeal.Grounds)
	}
	if rec.Enforcement != nil {
		for _, a := range rec.Enforcement.Actions {
			v.Actions = append(v.Actions, s.actionView(a))
		}
	}
	for _, ev := range e.Events {
		te := timelineEvent{Date: dayOf(ev.Time), Label: changeLabel(ev), File: ev.File, Commit: ev.Commit[:min(12, len(ev.Commit))]}
		if !e.AddedOn.IsZero() && ev.Commit == e.Events[0].Commit {
			// The commit that imported a request decided elsewhere.
			if ev.Change == history.Submitted {
				te.Label = "Added to the docket"
			} else {
				te.Label += " (recorded when added)"
			}
		}
		if s.info.Source != "" {
			te.CommitURL = s.info.Source + "/commit/" + ev.Commit
		}
		v.Timeline = append(v.Timeline, te)
	}
	v.Counters = append(s.counters(e), s.reviewCounterList(e)...)
	if e.DaysWaitingForPlan >= 0 {
		v.Counters = append(v.Counters, counter{"Days waiting for a publication date", grouped(e.DaysWaitingForPlan), "approved; no publication date planned yet"})
	}
	if e.Support > 0 {
		label := "people support this request"
		if e.Support == 1 {
			label = "person supports this request"
		}
		v.Counters = append(v.Counters, counter{label, grouped(e.Support), "👍 on GitHub"})
	}
	v.Steps = s.stepViews(e)
	v.Next = s.next(e)
	for _, ff := range docket.FolderFiles {
		// The files are shown in the page itself rather than copied beside it: one file per
		// request keeps a build of ten thousand requests as fast as the pages alone.
		if e.files != nil && e.files[ff.Kind] == nil {
			continue
		}
		src := path.Join(docket.RequestsDir, e.ID, ff.Name)
		text, err := fs.ReadFile(s.in.Files, src)
		if err != nil {
			continue
		}
		sf := sourceFile{Name: ff.Name, Text: string(text)}
		if s.info.Source != "" && s.in.History != nil {
			sf.Forge = s.info.Source + "/blob/" + s.in.History.Head + "/" + src
		}
		v.Sources = append(v.Sources, sf)
	}
	if s.info.Source != "" && s.in.History != nil {
		v.SourceFolder = s.info.Source + "/tree/" + s.in.History.Head + "/" + path.Join(docket.RequestsDir, e.ID)
	}
	return v
}

// cell shows a sample value as text.
func cell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case uint64:
		return strconv.FormatUint(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

func (s *builtSite) counters(e *Entry) []counter {
	t := s.info.Targets
	var out []counter
	target := func(n int) string {
		if n <= 0 {
			return ""
		}
		return "target: " + plural(n, "day", "days")
	}
	if !e.Submitted.IsZero() {
		if e.DaysToFirstResponse >= 0 {
			out = append(out, counter{"Days to first response", grouped(e.DaysToFirstResponse), target(t.FirstResponseDays) + over(e.LateFirstResponse)})
		}
		if e.DaysToDecision >= 0 {
			out = append(out, counter{"Days to decision", grouped(e.DaysToDecision), target(t.DecisionDays) + over(e.LateDecision)})
		}
		if e.DaysOpen >= 0 {
			out = append(out, counter{"Days open", grouped(e.DaysOpen), "as of " + s.info.AsOf.String()})
		}
	}
	if d := e.Record.Decision; d != nil {
		if d.Appeal != nil && d.Outcome == docket.OutcomeDenied && !d.OnAppeal() && e.Record.Appeal == nil {
			left := s.info.AsOf.DaysUntil(d.Appeal.Deadline)
			if left >= 0 {
				out = append(out, counter{"Days left to appeal", grouped(left), "deadline " + d.Appeal.Deadline.String()})
			}
		}
		if c := d.Conditions; c != nil && e.Status == docket.StatusApproved {
			out = append(out, counter{"Days until the key expires", grouped(max(s.info.AsOf.DaysUntil(c.Expires), 0)), "expires " + c.Expires.String()})
		}
	}
	return out
}

func over(late bool) string {
	if late {
		return ", missed"
	}
	return ""
}

// next says what happens next, in plain words.
func (s *builtSite) next(e *Entry) []string {
	t := s.info.Targets
	rec := e.Record
	d := rec.Decision
	var out []string
	switch e.Status {
	case docket.StatusSubmitted:
		if t.FirstResponseDays > 0 {
			s := fmt.Sprintf("Staff aim to acknowledge a request within %s and to decide within %s.", plural(t.FirstResponseDays, "day", "days"), plural(t.DecisionDays, "day", "days"))
			out = append(out, s)
		}
		out = append(out, "Staff may ask the requester for more information before deciding.")
	case docket.StatusAcknowledged:
		if d != nil && d.EstimatedReviewDays > 0 {
			out = append(out, fmt.Sprintf("Staff estimated the review at %s from %s, so a decision is expected by %s.", plural(d.EstimatedReviewDays, "day", "days"), d.Date, d.Date.AddDays(d.EstimatedReviewDays)))
		}
		out = append(out, "Staff weigh the request against the program's evaluation criteria (see “How requests are evaluated”), then approve or deny it. Their verdict on each criterion is shown here once they decide.")
	case docket.StatusNeedsInfo:
		out = append(out, "Staff need more information from the requester before deciding. The requester answers by updating the request; the review continues after that.")
	case docket.StatusApproved:
		if rec.Request.Kind == docket.KindAPIAccess {
			out = append(out, "The key is delivered to the requester, encrypted so that only the requester can read it.")
			if d != nil && d.Conditions != nil {
				out = append(out, fmt.Sprintf("The key expires on %s. To keep access after that, the requester opens a new request.", d.Conditions.Expires))
			}
		} else if d != nil && d.Publication != nil {
			if !d.Publication.Planned.IsZero() {
				out = append(out, fmt.Sprintf("Publication is planned for %s.", d.Publication.Planned))
			}
			if d.Publication.URL != "" {
				out = append(out, "The dataset is published on the portal.")
			}
		} else {
			out = append(out, "The dataset will be published on the city's portal.")
		}
	case docket.StatusDenied:
		switch {
		case d != nil && d.OnAppeal():
			out = append(out, "This decision was made on appeal and is final. A new request can be opened if circumstances change.")
		case d != nil && d.Appeal != nil && !d.Appeal.Deadline.Before(s.info.AsOf):
			out = append(out, fmt.Sprintf("The requester may appeal until %s; see how to appeal below.", d.Appeal.Deadline))
		default:
			out = append(out, "The time to appeal has passed. A new request can be opened if circumstances change.")
		}
	case docket.StatusAppealed:
		who := s.info.Appeals.Escalation.Name
		if who == "" {
			who = "the appeals contact"
		}
		out = append(out, fmt.Sprintf("The appeal is reviewed by %s. The decision on appeal is final.", who))
	case docket.StatusWithdrawn:
		out = append(out, "The requester withdrew the request. Nothing further happens; a new request can be opened at any time.")
	case docket.StatusSuspended:
		out = append(out, "The key is suspended. Access resumes when the suspension ends or staff reinstate it; see the enforcement history below.")
	case docket.StatusRevoked:
		out = append(out, "The key was revoked. A revocation is final; any future access needs a new request.")
	case docket.StatusExpired:
		out = append(out, "The key has expired. To keep using the data, the requester opens a new request.")
	}
	return out
}

// guideView is the data of guide.html.
type guideView struct {
	*guide
	Body template.HTML
}

func (s *builtSite) guideView(g *guide) guideView {
	return guideView{guide: g, Body: g.render(s.b.trusted, s.info)}
}

// dataPage is the data of data.html.
type dataPage struct {
	Columns []csvColumn
	Keys    bool // keys.json is published
	Ledger  bool // ledger.json is published
}

func statusLabel(s docket.Status) string {
	switch s {
	case docket.StatusNeedsInfo:
		return "Needs information"
	}
	return strings.ToUpper(string(s[:1])) + string(s[1:])
}

func kindLabel(k docket.RequestKind) string {
	if k == docket.KindAPIAccess {
		return "API access"
	}
	return "New dataset"
}

// verdictLabel is a criterion's verdict as staff wrote it: met, concern or not met.
func verdictLabel(v string) string {
	switch v {
	case "met":
		return "Met"
	case "concern":
		return "Concern"
	case "not-met":
		return "Not met"
	}
	return v
}

func actionLabel(a docket.Action) string {
	switch a {
	case docket.ActionWarning:
		return "Warning"
	case docket.ActionSuspension:
		return "Suspension"
	case docket.ActionRevocation:
		return "Revocation"
	case docket.ActionReinstatement:
		return "Reinstatement"
	case docket.ActionAgreementTermination:
		return "Termination of the data-sharing agreement"
	case docket.ActionRemediationRequest:
		return "Request for remediation"
	case docket.ActionRemovalRequest:
		return "Request to remove a derivative public release"
	}
	return string(a)
}

func changeLabel(ev history.Event) string {
	switch ev.Change {
	case history.Submitted:
		return "Submitted"
	case history.Acknowledged:
		return "Acknowledged by staff"
	case history.NeedsInfo:
		return "More information requested"
	case history.Approved:
		if ev.OnAppeal {
			return "Approved on appeal"
		}
		return "Approved"
	case history.Denied:
		if ev.OnAppeal {
			return "Denied on appeal"
		}
		return "Denied"
	case history.Withdrawn:
		return "Withdrawn"
	case history.Appealed:
		return "Appealed"
	case history.Warned:
		return "Warning issued"
	case history.Suspended:
		return "Key suspended"
	case history.Revoked:
		return "Key revoked"
	case history.Reinstated:
		return "Key reinstated"
	case history.Terminated:
		return "Data-sharing agreement terminated"
	case history.Remediation:
		return "Remediation requested"
	case history.Removal:
		return "Removal of a derivative release requested"
	case history.Removed:
		if ev.File == "" {
			return "Folder removed"
		}
		return "Removed " + fileWords(ev.File)
	}
	return "Updated " + fileWords(ev.File)
}

// fileWords names a file of a request's folder as the public knows it, not by its file name.
func fileWords(name string) string {
	kind, _ := docket.KindOfFile(name)
	switch kind {
	case docket.KindRequestFile:
		return "the request"
	case docket.KindDecisionFile:
		return "the decision"
	case docket.KindAppealFile:
		return "the appeal"
	case docket.KindAcceptanceFile:
		return "the acceptance of the terms of use"
	case docket.KindEnforcementFile:
		return "the enforcement history"
	}
	return "a file"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return grouped(n) + " " + many
}

var funcs = template.FuncMap{
	"statusLabel": statusLabel,
	"kindLabel":   kindLabel,
	"outcomeLabel": func(o docket.Outcome) string {
		return statusLabel(docket.Status(o))
	},
	"plural": plural,
	"days": func(n int) string {
		if n < 0 {
			return "—"
		}
		return strconv.Itoa(n)
	},
	"add": func(a, b int) int { return a + b },
	"typeLabel": func(s string) string {
		if s == "" {
			return ""
		}
		return strings.ToUpper(s[:1]) + s[1:]
	},
	"join":        strings.Join,
	"reasonLabel": reasonLabel,
	// grouped writes a count for people: 400,000.
	"grouped": groupedAny,
	// groupedNumber writes a limit that may have a fraction: 2.5, 250,000.
	"groupedNumber": groupedNumber,
}
