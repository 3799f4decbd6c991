// Package speed writes the inputs of the speed comparison (internal/speed/compare.sh): a docket
// of N requests copied from the repository's own samples, optionally with a git history of C
// commits that adds and changes them, and the same requests as the content of a minimal Hugo
// site, so that docket and the tools people would pick instead do the same work.
package speed

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Options says what Generate writes.
type Options struct {
	// Src is the docket repository whose requests/ folders and .github/docket.yml are copied
	// (the root of this repository).
	Src string
	// Requests is how many requests to write (at least 1). Sample folders are copied in name
	// order, round after round, as <folder>-<round, 3 digits>, as BenchmarkBuild10k does.
	Requests int
	// Out is the docket folder to write; it must not exist or be empty.
	Out string
	// Commits, when above 0, makes Out a git repository (with the git command) whose branch main
	// has exactly Commits commits that add and change the requests, ending at the files written.
	Commits int
	// Hugo, when not empty, is a folder to write a Hugo site into whose content is the same
	// requests; it must not exist or be empty.
	Hugo string
}

// sample is one folder of the source repository's requests/ and its files, in name order.
type sample struct {
	name  string
	files []string
	data  map[string][]byte
}

// Generate writes the docket (and its history and Hugo site when asked). It is deterministic:
// the same options give the same files, and the same commits with the same hashes. Errors name
// the file or the command that failed.
func Generate(o Options) error {
	if o.Requests < 1 {
		return errors.New("the number of requests must be at least 1")
	}
	samples, err := readSamples(o.Src)
	if err != nil {
		return err
	}
	cfg, err := os.ReadFile(filepath.Join(o.Src, ".github", "docket.yml"))
	if err != nil {
		return err
	}
	if err := emptyDir(o.Out); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(o.Out, ".github", "docket.yml"), cfg); err != nil {
		return err
	}
	reqs := copies(samples, o.Requests)
	for _, r := range reqs {
		for _, name := range r.files {
			if err := writeFile(filepath.Join(o.Out, "requests", r.id, name), r.data[name]); err != nil {
				return err
			}
		}
	}
	if o.Commits > 0 {
		if err := writeHistory(o.Out, cfg, reqs, o.Commits); err != nil {
			return err
		}
	}
	if o.Hugo != "" {
		if err := writeHugo(o.Hugo, reqs); err != nil {
			return err
		}
	}
	return nil
}

func readSamples(src string) ([]sample, error) {
	dirs, err := os.ReadDir(filepath.Join(src, "requests"))
	if err != nil {
		return nil, err
	}
	var out []sample
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		s := sample{name: d.Name(), data: map[string][]byte{}}
		files, err := fs.Glob(os.DirFS(filepath.Join(src, "requests", d.Name())), "*.yaml")
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			b, err := os.ReadFile(filepath.Join(src, "requests", d.Name(), f))
			if err != nil {
				return nil, err
			}
			s.files = append(s.files, f)
			s.data[f] = b
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s has no request folders", filepath.Join(src, "requests"))
	}
	return out, nil
}

// request is one generated request: its id, files (name order) and their contents.
type request struct {
	id     string
	sample string
	files  []string
	data   map[string][]byte
}

func copies(samples []sample, n int) []request {
	var out []request
	for round := 0; len(out) < n; round++ {
		for _, s := range samples {
			if len(out) == n {
				break
			}
			id := fmt.Sprintf("%s-%03d", s.name, round)
			r := request{id: id, sample: s.name, files: s.files, data: map[string][]byte{}}
			for _, f := range s.files {
				r.data[f] = bytes.ReplaceAll(s.data[f], []byte("requests/"+s.name+"/"), []byte("requests/"+id+"/"))
			}
			out = append(out, r)
		}
	}
	return out
}

func emptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if err == nil && len(entries) > 0 {
		return fmt.Errorf("%s is not empty", dir)
	}
	return os.MkdirAll(dir, 0o755)
}

func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// The fields of the sample files the history and the Hugo site need.
type requestFields struct {
	Kind      string `yaml:"kind"`
	Title     string `yaml:"title"`
	Requester struct {
		GitHub string `yaml:"github"`
		Name   string `yaml:"name"`
	} `yaml:"requester"`
	Purpose struct {
		Description string `yaml:"description"`
	} `yaml:"purpose"`
}

type decisionFields struct {
	Outcome   string `yaml:"outcome"`
	Date      string `yaml:"date"`
	DecidedBy string `yaml:"decided_by"`
	Reasons   string `yaml:"reasons"`
}

type appealFields struct {
	Date string `yaml:"date"`
}

type enforcementFields struct {
	Actions []struct {
		Date string `yaml:"date"`
		By   string `yaml:"by"`
	} `yaml:"actions"`
}

// event is one file change of the generated history.
type event struct {
	at      time.Time
	path    string
	data    []byte
	author  string
	message string
}

// asOf is the day the comparison judges dates against (DOCKET_AS_OF in compare.sh); every
// commit is before it.
var asOf = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)

// hash is a deterministic number from 0 to n-1 for s.
func hash(s string, n int) int {
	h := fnv.New32a()
	h.Write([]byte(s))
	return int(h.Sum32() % uint32(n))
}

func day(s string) (time.Time, bool) {
	t, err := time.Parse("2006-01-02", s)
	return t, err == nil
}

// requestEvents is the life of one request: submitted some days before its decision (or in the
// last weeks, when undecided), decided on its decision's date, appealed and enforced on theirs,
// each at a working hour that varies from copy to copy.
func requestEvents(r request) ([]event, error) {
	var rf requestFields
	if err := yaml.Unmarshal(r.data["request.yaml"], &rf); err != nil {
		return nil, fmt.Errorf("requests/%s/request.yaml: %v", r.sample, err)
	}
	hour := func(d time.Time, salt string) time.Time {
		return d.Add(time.Duration(8+hash(r.id+salt, 10))*time.Hour + time.Duration(hash(r.id+salt+"m", 3600))*time.Second)
	}
	first := asOf.AddDate(0, 0, -1)
	var evs []event
	if b, ok := r.data["decision.yaml"]; ok {
		var df decisionFields
		if err := yaml.Unmarshal(b, &df); err != nil {
			return nil, fmt.Errorf("requests/%s/decision.yaml: %v", r.sample, err)
		}
		d, ok := day(df.Date)
		if !ok {
			return nil, fmt.Errorf("requests/%s/decision.yaml: date %q is not a day", r.sample, df.Date)
		}
		evs = append(evs, event{at: hour(d, "decision"), path: "decision.yaml", data: b, author: df.DecidedBy,
			message: fmt.Sprintf("%s: %s", r.id, df.Outcome)})
		if d.Before(first) {
			first = d
		}
	}
	if b, ok := r.data["appeal.yaml"]; ok {
		var af appealFields
		if err := yaml.Unmarshal(b, &af); err != nil {
			return nil, fmt.Errorf("requests/%s/appeal.yaml: %v", r.sample, err)
		}
		d, ok := day(af.Date)
		if !ok {
			return nil, fmt.Errorf("requests/%s/appeal.yaml: date %q is not a day", r.sample, af.Date)
		}
		evs = append(evs, event{at: hour(d, "appeal"), path: "appeal.yaml", data: b, author: rf.Requester.GitHub,
			message: r.id + ": appeal"})
		if d.Before(first) {
			first = d
		}
	}
	if b, ok := r.data["enforcement.yaml"]; ok {
		var ef enforcementFields
		if err := yaml.Unmarshal(b, &ef); err != nil || len(ef.Actions) == 0 {
			return nil, fmt.Errorf("requests/%s/enforcement.yaml: no actions (%v)", r.sample, err)
		}
		d, ok := day(ef.Actions[0].Date)
		if !ok {
			return nil, fmt.Errorf("requests/%s/enforcement.yaml: date %q is not a day", r.sample, ef.Actions[0].Date)
		}
		evs = append(evs, event{at: hour(d, "enforcement"), path: "enforcement.yaml", data: b, author: ef.Actions[0].By,
			message: r.id + ": " + "enforcement action recorded"})
	}
	submitted := first.AddDate(0, 0, -(3 + hash(r.id+"submitted", 40)))
	evs = append(evs, event{at: hour(submitted, "request"), path: "request.yaml", data: r.data["request.yaml"],
		author: rf.Requester.GitHub, message: r.id + ": submitted"})
	for i := range evs {
		evs[i].path = "requests/" + r.id + "/" + evs[i].path
	}
	return evs, nil
}

// draft is the text of request.yaml before its k-th edit: the same request with a title the
// requester later changed.
func draft(final []byte, k int) []byte {
	lines := strings.SplitAfter(string(final), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "title: ") {
			lines[i] = strings.TrimRight(l, "\n") + fmt.Sprintf(" (draft %d)\n", k)
			break
		}
	}
	return []byte(strings.Join(lines, ""))
}

// writeHistory makes dir a git repository whose main branch has exactly commits commits ending
// at the files Generate wrote: one commit per file added, in date order, with requesters'
// edits of their request.yaml (a draft title, then the final one) added to reach the count, or
// several files to a commit when there are more files than commits.
func writeHistory(dir string, cfg []byte, reqs []request, commits int) error {
	var evs []event
	var subs []int // index in evs of each request's submission
	for _, r := range reqs {
		re, err := requestEvents(r)
		if err != nil {
			return err
		}
		subs = append(subs, len(evs)+len(re)-1)
		evs = append(evs, re...)
	}
	// Edits: request i gets edits[i] drafts before its final text, spread over the next hours.
	if extra := commits - 1 - len(evs); extra > 0 {
		edits := make([]int, len(subs))
		for k := 0; k < extra; k++ {
			edits[(k*7919)%len(subs)]++ // a stride prime to most counts, so edits spread out
		}
		for i, s := range subs {
			if edits[i] == 0 {
				continue
			}
			final := evs[s]
			evs[s].data = draft(final.data, 1)
			for k := 1; k <= edits[i]; k++ {
				e := final
				e.at = final.at.Add(time.Duration(k) * 37 * time.Minute)
				e.message = strings.TrimSuffix(final.message, ": submitted") + ": title edited"
				if k < edits[i] {
					e.data = draft(final.data, k+1)
				}
				evs = append(evs, e)
			}
		}
	}
	sort.SliceStable(evs, func(i, j int) bool {
		if !evs[i].at.Equal(evs[j].at) {
			return evs[i].at.Before(evs[j].at)
		}
		return evs[i].path < evs[j].path
	})
	// The first commit adds the configuration; the events fill the other commits-1, in order.
	groups := make([][]event, 0, commits)
	groups = append(groups, nil)
	slots := commits - 1
	if slots == 0 {
		groups[0] = evs
	} else {
		for k := 0; k < slots; k++ {
			lo, hi := k*len(evs)/slots, (k+1)*len(evs)/slots
			if lo == hi { // more commits than events: never, edits fill them
				return fmt.Errorf("cannot make %d commits from %d file changes", commits, len(evs))
			}
			groups = append(groups, evs[lo:hi])
		}
	}
	start := asOf.AddDate(-2, 0, 0)
	if len(evs) > 0 && evs[0].at.Before(start) {
		start = evs[0].at.Add(-time.Hour)
	}
	var stream bytes.Buffer
	w := bufio.NewWriter(&stream)
	last := start
	for k, g := range groups {
		at, author, msg := start, "kc-opendata-lee", "docket: configuration"
		if len(g) > 0 {
			at, author, msg = g[len(g)-1].at, g[len(g)-1].author, g[len(g)-1].message
			if len(g) > 1 {
				msg = fmt.Sprintf("%s (and %d more changes)", msg, len(g)-1)
			}
		}
		if !at.After(last) && k > 0 {
			at = last.Add(time.Second)
		}
		last = at
		sig := fmt.Sprintf("%s <%s@users.noreply.github.com> %d +0000", author, author, at.Unix())
		fmt.Fprintf(w, "commit refs/heads/main\nauthor %s\ncommitter %s\ndata %d\n%s\n", sig, sig, len(msg), msg)
		if k == 0 {
			fmt.Fprintf(w, "M 100644 inline .github/docket.yml\ndata %d\n%s\n", len(cfg), cfg)
		}
		for _, e := range g {
			fmt.Fprintf(w, "M 100644 inline %s\ndata %d\n%s\n", e.path, len(e.data), e.data)
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	git := func(stdin []byte, args ...string) error {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		if stdin != nil {
			cmd.Stdin = bytes.NewReader(stdin)
		}
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("git %s in %s: %v: %s", args[0], dir, err, out)
		}
		return nil
	}
	if err := git(nil, "init", "-q", "-b", "main"); err != nil {
		return err
	}
	if err := git(stream.Bytes(), "fast-import", "--quiet"); err != nil {
		return err
	}
	// The work tree already holds the last commit's files: only the index is to be made.
	return git(nil, "reset", "-q", "main")
}

// The minimal Hugo theme: a list of every request on the home page and one page per request
// with its title, status, description and decision text, as docket's pages show them.
var hugoFiles = map[string]string{
	"hugo.toml": `baseURL = "https://example.org/"
title = "Open data requests"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
`,
	"layouts/_default/baseof.html": `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main>{{ block "main" . }}{{ end }}</main></body></html>
`,
	"layouts/index.html": `{{ define "main" }}<h1>{{ .Site.Title }}</h1>
<table><thead><tr><th>Request</th><th>Kind</th><th>Requester</th><th>Status</th></tr></thead><tbody>
{{ range .Site.RegularPages.ByTitle }}<tr><td><a href="{{ .RelPermalink }}">{{ .Title }}</a></td><td>{{ .Params.kind }}</td><td>{{ .Params.requester }}</td><td>{{ .Params.status }}</td></tr>
{{ end }}</tbody></table>{{ end }}
`,
	"layouts/_default/list.html": `{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> ({{ .Params.status }})</li>
{{ end }}</ul>{{ end }}
`,
	"layouts/_default/single.html": `{{ define "main" }}<h1>{{ .Title }}</h1>
<p>Status: {{ .Params.status }} · Kind: {{ .Params.kind }} · Requested by {{ .Params.requester }}</p>
{{ .Content }}{{ end }}
`,
}

type hugoFront struct {
	Title     string `yaml:"title"`
	Status    string `yaml:"status"`
	Kind      string `yaml:"kind"`
	Requester string `yaml:"requester"`
}

func writeHugo(dir string, reqs []request) error {
	if err := emptyDir(dir); err != nil {
		return err
	}
	for name, text := range hugoFiles {
		if err := writeFile(filepath.Join(dir, name), []byte(text)); err != nil {
			return err
		}
	}
	for _, r := range reqs {
		var rf requestFields
		if err := yaml.Unmarshal(r.data["request.yaml"], &rf); err != nil {
			return fmt.Errorf("requests/%s/request.yaml: %v", r.sample, err)
		}
		var df decisionFields
		if b, ok := r.data["decision.yaml"]; ok {
			if err := yaml.Unmarshal(b, &df); err != nil {
				return fmt.Errorf("requests/%s/decision.yaml: %v", r.sample, err)
			}
		}
		status := df.Outcome
		if status == "" {
			status = "submitted"
		}
		front, err := yaml.Marshal(hugoFront{Title: rf.Title, Status: status, Kind: rf.Kind, Requester: rf.Requester.Name})
		if err != nil {
			return err
		}
		var page bytes.Buffer
		fmt.Fprintf(&page, "---\n%s---\n\n## Purpose\n\n%s\n", front, rf.Purpose.Description)
		if df.Reasons != "" {
			fmt.Fprintf(&page, "\n## Decision\n\n%s\n", df.Reasons)
		}
		if err := writeFile(filepath.Join(dir, "content", "requests", r.id+".md"), page.Bytes()); err != nil {
			return err
		}
	}
	return nil
}
