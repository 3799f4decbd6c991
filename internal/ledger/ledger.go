// Package ledger holds ledger.json, the record of who changed each request folder and when, as
// GitHub recorded it: for every request folder, each pull request that changed it on the
// default branch, with its number, its author, when it was opened, who merged it and when. Commit
// dates and authors can be written by anyone; these are set by the platform. docket ledger
// record keeps the ledger on the docket-state branch, and docket build reads it: a request's
// clock starts when its pull request was opened.
//
// The format is versioned; schema/ledger.schema.json documents it field by field. Decode is
// strict: a file that breaks the schema, has unknown fields or another version is refused,
// never read as an empty ledger.
package ledger

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/opendata-docket/docket/schema"
	"github.com/santhosh-tekuri/jsonschema/v5"
)

// FileName is the ledger's name on the state branch.
const FileName = "ledger.json"

// Version is the format this docket reads and writes.
const Version = 1

// Ledger is ledger.json.
type Ledger struct {
	Schema     string `json:"$schema,omitempty"`
	Version    int    `json:"version"`
	Repository string `json:"repository"` // owner/name
	// RecordedThrough is the full hash of the last default-branch commit whose pull requests
	// are recorded; "" before the first run.
	RecordedThrough string `json:"recorded_through"`
	// Requests holds, by request id, the pull requests that changed the folder, oldest first.
	Requests map[string][]*PullRequest `json:"requests"`
	// Support holds, by request id, how many people support the request: the 👍 reactions on
	// the issue or pull request where it was asked (see Thread), as last counted.
	Support map[string]Support `json:"support,omitempty"`
}

// Support is the support one request has on GitHub.
type Support struct {
	Number int `json:"number"` // the issue or pull request whose reactions are counted
	Count  int `json:"count"`  // its 👍 reactions
}

// Thread returns the number of the issue or pull request where request id was asked: the
// intake issue of its first pull request, else that pull request; 0 when none is recorded.
func (l *Ledger) Thread(id string) int {
	if l == nil || len(l.Requests[id]) == 0 {
		return 0
	}
	first := l.Requests[id][0]
	if first.Issue != 0 {
		return first.Issue
	}
	return first.Number
}

// PullRequest is one pull request that changed a request folder. Times are in UTC, to the
// second.
type PullRequest struct {
	Number int `json:"number"`
	// Issue is the issue docket intake made the pull request from (0: none); the request was
	// asked there, so Author and OpenedAt are the issue's.
	Issue    int       `json:"issue,omitempty"`
	Author   string    `json:"author"`    // GitHub login of whom it speaks for
	OpenedAt time.Time `json:"opened_at"` // when the requester asked
	MergedAt time.Time `json:"merged_at"`
	MergedBy string    `json:"merged_by,omitempty"` // GitHub login; "" when GitHub does not say
	// Commits are the default-branch commits (full hashes) it brought that changed the folder.
	Commits []string `json:"commits"`
}

// New returns an empty ledger for repository (owner/name).
func New(repository string) *Ledger {
	return &Ledger{Version: Version, Repository: repository, Requests: map[string][]*PullRequest{}}
}

// Add records that pull request pr brought commit, which changed the folder of request id.
// A pull request already recorded for the folder gains the commit (once); times are kept in
// UTC to the second. The folder's list stays ordered by opening time, then number.
func (l *Ledger) Add(id string, pr PullRequest, commit string) {
	for _, have := range l.Requests[id] {
		if have.Number == pr.Number {
			if !slices.Contains(have.Commits, commit) {
				have.Commits = append(have.Commits, commit)
			}
			return
		}
	}
	p := pr
	p.OpenedAt = p.OpenedAt.UTC().Truncate(time.Second)
	p.MergedAt = p.MergedAt.UTC().Truncate(time.Second)
	p.Commits = []string{commit}
	l.Requests[id] = append(l.Requests[id], &p)
	slices.SortStableFunc(l.Requests[id], func(a, b *PullRequest) int {
		if c := a.OpenedAt.Compare(b.OpenedAt); c != 0 {
			return c
		}
		return a.Number - b.Number
	})
}

// ByCommit returns, for request id, the pull request that brought commit; nil when none is
// recorded (a change pushed without a pull request, or not recorded yet).
func (l *Ledger) ByCommit(id, commit string) *PullRequest {
	if l == nil {
		return nil
	}
	for _, pr := range l.Requests[id] {
		if slices.Contains(pr.Commits, commit) {
			return pr
		}
	}
	return nil
}

// Encode returns the ledger as indented JSON ending in a newline. The same ledger always gives
// the same bytes (map keys are sorted by encoding/json).
func (l *Ledger) Encode() ([]byte, error) {
	if err := l.check(); err != nil {
		return nil, fmt.Errorf("%s: %w", FileName, err)
	}
	out, err := json.MarshalIndent(l, "", "  ")
	if err != nil {
		return nil, err
	}
	out = append(out, '\n')
	if err := checkSchema(out); err != nil { // what docket writes, it can read
		return nil, fmt.Errorf("%s: %w", FileName, err)
	}
	return out, nil
}

// Decode reads ledger.json strictly: it must match schema/ledger.schema.json (which fixes the
// version), have no unknown fields and nothing after the object, and no pull request may be
// recorded twice for one folder. The error names the file and the place.
func Decode(data []byte) (*Ledger, error) {
	if err := checkSchema(data); err != nil {
		return nil, fmt.Errorf("%s: %w", FileName, err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	l := &Ledger{}
	if err := dec.Decode(l); err != nil {
		return nil, fmt.Errorf("reading %s: %w", FileName, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("reading %s: text after the ledger", FileName)
	}
	if err := l.check(); err != nil {
		return nil, fmt.Errorf("%s: %w", FileName, err)
	}
	return l, nil
}

// check holds the rules the schema cannot say.
func (l *Ledger) check() error {
	if l.Version != Version {
		return fmt.Errorf("version %d is not the version this docket reads (%d)", l.Version, Version)
	}
	if l.Requests == nil {
		return fmt.Errorf("requests is missing")
	}
	for id, prs := range l.Requests {
		seen := map[int]bool{}
		for i, pr := range prs {
			if pr == nil {
				return fmt.Errorf("requests.%s[%d] is empty", id, i)
			}
			if seen[pr.Number] {
				return fmt.Errorf("requests.%s[%d]: pull request #%d is recorded twice for the folder", id, i, pr.Number)
			}
			seen[pr.Number] = true
			if pr.MergedAt.Before(pr.OpenedAt) {
				return fmt.Errorf("requests.%s[%d]: pull request #%d is merged (%s) before it was opened (%s)", id, i, pr.Number,
					pr.MergedAt.UTC().Format(time.RFC3339), pr.OpenedAt.UTC().Format(time.RFC3339))
			}
		}
	}
	return nil
}

var (
	schemaOnce sync.Once
	compiled   *jsonschema.Schema
	schemaErr  error
)

func checkSchema(data []byte) error {
	schemaOnce.Do(func() {
		raw, err := schema.FS.ReadFile(schema.Ledger)
		if err != nil {
			schemaErr = err
			return
		}
		c := jsonschema.NewCompiler()
		c.Draft = jsonschema.Draft2020
		if err := c.AddResource(schema.Ledger, bytes.NewReader(raw)); err != nil {
			schemaErr = err
			return
		}
		compiled, schemaErr = c.Compile(schema.Ledger)
	})
	if schemaErr != nil {
		return fmt.Errorf("the ledger's schema: %w", schemaErr)
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	if err := compiled.Validate(v); err != nil {
		return fmt.Errorf("does not match %s: %s", schema.Ledger, describe(err))
	}
	return nil
}

// describe flattens a validation error into its leaf causes, each with its place.
func describe(err error) string {
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return err.Error()
	}
	var out []string
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			loc := e.InstanceLocation
			if u, err := url.PathUnescape(loc); err == nil {
				loc = u
			}
			at := strings.TrimPrefix(strings.ReplaceAll(loc, "/", "."), ".")
			if at == "" {
				at = "the ledger"
			}
			out = append(out, at+": "+e.Message)
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) > 5 {
		out = append(out[:5], fmt.Sprintf("and %d more", len(out)-5))
	}
	return strings.Join(out, "; ")
}
