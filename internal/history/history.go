// Package history reads the audit log of a docket from git: what happened to each request
// folder, and when, on the default branch. It makes one pass over the first-parent history of
// HEAD, compares each commit's requests/ subtree with its parent's by hash, and only when they
// differ walks the two sorted tree entry lists side by side to find the folders and files that
// changed. Trees are read as raw objects and never fully decoded, and nothing is diffed with
// rename detection: a per-path Log or object.DiffTree over a folder of 10,000 requests is orders
// of magnitude slower.
//
// Dates are committer times: on the default branch that is when a change was merged, which the
// hosting platform sets. Who made a change is deliberately not read: commit authors can be forged.
// Dates can be forged too, or simply wrong (a clock in year 0, a date in year 10000), so a
// commit's time is only believed when it is plausible: within the years git can have been used
// (from git's first commit to the last day a date is written with four digits), and not after
// the time of the commit that follows it on the first-parent line, which was merged later. A
// commit whose time is not believed takes the time of the next believable commit after it (it
// was merged no later than that), or, at the head of the line, of the one before it.
//
// Times are kept as instants (in UTC). Which day an instant falls on is the reader's to say, in
// the program's time zone (docket.DayIn); and docket build replaces a change's time with the one
// GitHub recorded for its pull request when the ledger (package ledger) knows it.
package history

import (
	"errors"
	"fmt"
	"github.com/opendata-docket/docket/internal/gitrepo"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/opendata-docket/docket/internal/docket"
)

// Change is what a commit did to a request.
type Change string

const (
	Submitted    Change = "submitted"
	Acknowledged Change = "acknowledged"
	NeedsInfo    Change = "needs-info"
	Approved     Change = "approved"
	Denied       Change = "denied"
	Withdrawn    Change = "withdrawn"
	Appealed     Change = "appealed"
	Warned       Change = "warning"
	Suspended    Change = "suspended"
	Revoked      Change = "revoked"
	Reinstated   Change = "reinstated"
	Terminated   Change = "agreement-terminated"
	Remediation  Change = "remediation-requested"
	Removal      Change = "removal-requested"
	Edited       Change = "edited"
	Removed      Change = "removed"
)

// IsDecision reports whether the change is an answer from staff.
func (c Change) IsDecision() bool {
	switch c {
	case Acknowledged, NeedsInfo, Approved, Denied, Withdrawn:
		return true
	}
	return false
}

// Event is one change to one request folder in one commit.
type Event struct {
	Commit   string    // full hash of the commit on the default branch
	Time     time.Time // committer time as believed (see the package comment); zero when not known
	Change   Change
	File     string // the file in the folder that changed, like decision.yaml
	OnAppeal bool   // for decisions: the decision answers an appeal
	// Decision is the decision.yaml this commit wrote, for a change to it; Appeal the
	// appeal.yaml. Nil for other files, a deletion, or a version that does not read.
	Decision *docket.Decision
	Appeal   *docket.Appeal
}

// History is the audit log of every request folder.
type History struct {
	Head     string    // the commit the history ends at
	HeadTime time.Time // its committer time as believed; zero when no commit has a plausible time
	Commits  int       // commits walked
	Remote   string    // the web address of the origin remote on a known forge, or ""
	// Events holds each request's changes by id, oldest first.
	Events map[string][]Event

	// What a cache of this walk keeps (see WriteCache): the first-parent line newest first,
	// the JSON each kept Decision or Appeal was read from, and the requests folder's path.
	line      []stamp
	versions  map[any][]byte
	prefix    string
	fromCache bool // the walk started from a cache
}

// UnavailableError says why a repository has no usable history; a site is still built
// without timelines.
type UnavailableError struct{ Reason string }

func (e *UnavailableError) Error() string { return "no timeline: " + e.Reason }

func unavailable(format string, args ...any) error {
	return &UnavailableError{Reason: fmt.Sprintf(format, args...)}
}

// maxBlob bounds the files read to classify a change; the loader refuses larger ones anyway.
const maxBlob = 1 << 20

// Read walks the history of the git repository that holds dir (a docket's root folder, which
// may be a subfolder of the repository). A folder outside git, a repository without commits
// and a shallow clone give an *UnavailableError.
func Read(dir string) (*History, error) {
	return read(dir, nil)
}

// read is Read, starting from the walk cached(prefix) gives when it gives one.
func read(dir string, cached func(prefix string) *walked) (*History, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	r, err := gitrepo.Open(abs)
	if errors.Is(err, gitrepo.ErrNotRepository) {
		return nil, unavailable("%s is not in a git repository", dir)
	}
	if err != nil {
		return nil, unavailable("opening the git repository: %v", err)
	}
	prefix := docket.RequestsDir
	if top, ok := r.WorkTreeRoot(); ok {
		root, err := filepath.EvalSymlinks(top)
		if err != nil {
			root = top
		}
		real, err := filepath.EvalSymlinks(abs)
		if err != nil {
			real = abs
		}
		rel, err := filepath.Rel(root, real)
		if err == nil && rel != "." && !strings.HasPrefix(rel, "..") {
			prefix = path.Join(filepath.ToSlash(rel), docket.RequestsDir)
		}
	}
	defer r.Close()
	var from *walked
	if cached != nil {
		from = cached(prefix)
	}
	h, err := walk(r, prefix, from)
	if err != nil {
		return nil, err
	}
	h.Remote = remoteURL(r)
	return h, nil
}

// Open walks the history of an already opened repository, for tests and benchmarks.
func Open(r *gitrepo.Repo) (*History, error) {
	return walk(r, docket.RequestsDir, nil)
}

// walk reads the first-parent line of HEAD. With from (a walk of an earlier commit, read from
// a cache), it stops at from's head when it meets it and takes the older events from there;
// when the line never meets it, the whole line is walked and from is not used, which
// h.fromCache says.
func walk(r *gitrepo.Repo, prefix string, from *walked) (*History, error) {
	if shallow, err := r.Shallow(); err == nil && shallow {
		return nil, unavailable("the repository is a shallow clone; fetch the whole history (actions/checkout with fetch-depth: 0) to show timelines")
	}
	head, err := r.Head()
	if errors.Is(err, gitrepo.ErrMissingObject) {
		return nil, unavailable("the repository has no commits yet")
	}
	if err != nil {
		return nil, unavailable("reading HEAD: %v", err)
	}
	w := &walker{r: r, parts: strings.Split(prefix, "/"), events: map[string][]Event{}, trees: map[gitrepo.Hash][]byte{},
		versions: map[any][]byte{}}
	c, err := w.commit(head)
	if err != nil {
		return nil, err
	}
	h := &History{Head: c.Hash.String()}
	reqs, err := w.subtree(c.TreeHash)
	if err != nil {
		return nil, err
	}
	stop := ""
	if from != nil {
		stop = from.head
	}
	reached := false
	for {
		if c.Hash.String() == stop {
			reached = true // what this commit and those before it did is in from
			break
		}
		h.Commits++
		w.line = append(w.line, stamp{c.Hash.String(), c.Committer.When})
		var parent *gitrepo.Commit
		var parentReqs gitrepo.Hash
		if len(c.ParentHashes) > 0 {
			if parent, err = w.commit(c.ParentHashes[0]); err != nil {
				return nil, err
			}
			if parentReqs, err = w.subtree(parent.TreeHash); err != nil {
				return nil, err
			}
		}
		if parentReqs != reqs {
			if err := w.diffRequests(c, reqs, parentReqs); err != nil {
				return nil, err
			}
		}
		if parent == nil {
			break
		}
		c, reqs = parent, parentReqs
	}
	// Events were collected newest first.
	for _, evs := range w.events {
		for i, j := 0, len(evs)-1; i < j; i, j = i+1, j-1 {
			evs[i], evs[j] = evs[j], evs[i]
		}
	}
	if reached {
		// The cached walk holds the older part of the line and of every timeline.
		h.Commits += from.commits
		w.line = append(w.line, from.line...)
		for id, old := range from.events {
			w.events[id] = append(append(make([]Event, 0, len(old)+len(w.events[id])), old...), w.events[id]...)
		}
		for k, v := range from.versions {
			w.versions[k] = v
		}
	}
	h.fromCache = reached
	// Times are believed over the whole line, since a later commit can bound an earlier one's:
	// the cache keeps what each commit claims, never what was believed.
	believed := believedTimes(w.line)
	h.HeadTime = believed[h.Head]
	for _, evs := range w.events {
		for i := range evs {
			evs[i].Time = believed[evs[i].Commit]
		}
	}
	h.Events = w.events
	h.line, h.versions, h.prefix = w.line, w.versions, prefix
	return h, nil
}

// stamp is a commit of the first-parent line and the committer time it claims.
type stamp struct {
	hash string
	when time.Time
}

// The years a commit's time can be believed in: git's own first commit was made on
// 2005-04-07, and a date written YYYY-MM-DD ends with the year 9999.
var (
	earliestCommit = time.Date(2005, 4, 7, 0, 0, 0, 0, time.UTC)
	afterLatest    = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
)

// Plausible reports whether t can be the time of a commit at all. Times outside these years
// are not believed, whatever the rest of the history says.
func Plausible(t time.Time) bool {
	return !t.Before(earliestCommit) && t.Before(afterLatest)
}

// believedTimes gives each commit of the first-parent line, newest first, the time it is
// believed to have been merged (in UTC): its own when it is plausible and not after the
// believed time of the commit after it; else that commit's; for commits after the last
// plausible one, the time of the newest plausible commit before them. When no commit has a
// plausible time, every time is the zero time, which means not known.
func believedTimes(line []stamp) map[string]time.Time {
	out := make(map[string]time.Time, len(line))
	var later time.Time // the believed time of the commit after, zero for the head
	unknown := 0        // the newest commits, none of them plausible
	for i, s := range line {
		t := s.when.UTC()
		switch {
		case Plausible(t) && (later.IsZero() || !t.After(later)):
			later = t
		case later.IsZero():
			unknown = i + 1
			continue
		}
		out[s.hash] = later
	}
	var before time.Time
	if unknown < len(line) {
		before = out[line[unknown].hash]
	}
	for _, s := range line[:unknown] {
		out[s.hash] = before
	}
	return out
}

type walker struct {
	line   []stamp // the first-parent line walked so far, newest first
	r      *gitrepo.Repo
	parts  []string // path of the requests folder from the repository root
	events map[string][]Event
	// trees caches the raw requests trees of the commit being compared and its parent: walking
	// back, a parent's tree is the next commit's, so each is read once.
	trees map[gitrepo.Hash][]byte
	// index is where the entries of the requests tree indexOf start (see gitrepo.DiffIndexed).
	index   []int
	indexOf gitrepo.Hash
	spare   []int // the memory of the index before, to hold the next one
	// versions holds, by the *docket.Decision or *docket.Appeal of an event, the JSON it was
	// decoded from, for the cache.
	versions map[any][]byte
	// lastBlob and lastData are the last file read (see blob).
	lastBlob gitrepo.Hash
	lastData []byte
}

func (w *walker) commit(h gitrepo.Hash) (*gitrepo.Commit, error) {
	c, err := w.r.CommitByHash(h)
	if errors.Is(err, gitrepo.ErrMissingObject) {
		return nil, unavailable("commit %s is missing; the clone may be partial", h.String()[:12])
	}
	if err != nil {
		return nil, fmt.Errorf("reading commit %s: %w", h, err)
	}
	return c, nil
}

// raw returns the body of a tree or blob object.
func (w *walker) raw(t gitrepo.ObjectType, h gitrepo.Hash, limit int64) ([]byte, error) {
	return w.r.ReadObject(t, h, limit)
}

func (w *walker) tree(h gitrepo.Hash) ([]byte, error) {
	if h.IsZero() {
		return nil, nil
	}
	return w.raw(gitrepo.TreeObject, h, gitrepo.MaxObjectSize)
}

// subtree finds the requests folder in a commit's tree; the zero hash when there is none.
func (w *walker) subtree(root gitrepo.Hash) (gitrepo.Hash, error) {
	h := root
	for _, name := range w.parts {
		b, err := w.tree(h)
		if err != nil {
			return gitrepo.Hash{}, err
		}
		e, ok := find(b, name)
		if !ok || !e.dir {
			return gitrepo.Hash{}, nil
		}
		h = e.hash
	}
	return h, nil
}

// requestsTree returns a requests tree, reading it at most once while it is needed.
func (w *walker) requestsTree(h gitrepo.Hash) ([]byte, error) {
	if b, ok := w.trees[h]; ok {
		return b, nil
	}
	b, err := w.tree(h)
	if err != nil {
		return nil, err
	}
	w.trees[h] = b
	return b, nil
}

func (w *walker) diffRequests(c *gitrepo.Commit, now, before gitrepo.Hash) error {
	a, err := w.requestsTree(now)
	if err != nil {
		return err
	}
	b, err := w.requestsTree(before)
	if err != nil {
		return err
	}
	// Only the parent's tree is needed again, by the next step of the walk.
	for h := range w.trees {
		if h != before {
			delete(w.trees, h)
		}
	}
	// Where the entries of now's tree start, kept from the step before (where it was the
	// parent) when there was one: then only the entries between the bytes the two trees begin
	// and end with are read.
	idx := w.index
	if w.indexOf != now || idx == nil {
		idx, _ = gitrepo.IndexRaw(a)
	}
	spare := w.spare
	w.index, w.indexOf, w.spare = nil, before, idx
	var errOut error
	visit := func(na, nb *entry) {
		if errOut != nil {
			return
		}
		e := na
		if e == nil {
			e = nb
		}
		if !e.dir && (na == nil || na.dir) && (nb == nil || nb.dir) {
			return
		}
		id := e.name
		var fa, fb []byte
		if na != nil && na.dir {
			if fa, errOut = w.tree(na.hash); errOut != nil {
				return
			}
		}
		if nb != nil && nb.dir {
			if fb, errOut = w.tree(nb.hash); errOut != nil {
				return
			}
		}
		errOut = w.diffFolder(c, id, fa, fb, na != nil && na.dir)
	}
	if idx == nil {
		// A malformed tree (old commits may hold anything): read it as DiffRaw does.
		diffEntries(a, b, visit)
		return errOut
	}
	w.index, _ = gitrepo.DiffIndexed(a, idx, b, spare, func(ea, eb *gitrepo.RawEntry) { visit(entryOf(ea), entryOf(eb)) })
	return errOut
}

// fileChange is one file of a folder that differs between a commit and its parent.
type fileChange struct {
	name     string
	now, was gitrepo.Hash // zero when absent
}

func (w *walker) diffFolder(c *gitrepo.Commit, id string, now, was []byte, exists bool) error {
	var changes []fileChange
	diffEntries(now, was, func(na, nb *entry) {
		fc := fileChange{}
		if na != nil && !na.dir {
			fc.name, fc.now = na.name, na.hash
		}
		if nb != nil && !nb.dir {
			fc.name, fc.was = nb.name, nb.hash
		}
		if fc.name != "" {
			changes = append(changes, fc)
		}
	})
	ev := Event{Commit: c.Hash.String()} // timed once the whole line is known
	var out []Event
	add := func(ch Change, file string, onAppeal bool) {
		e := ev
		e.Change, e.File, e.OnAppeal = ch, file, onAppeal
		out = append(out, e)
	}
	if !exists {
		add(Removed, "", false)
	}
	// Files in the order they are written over a request's life, then any others.
	rank := func(name string) int {
		for i, f := range docket.FolderFiles {
			if f.Name == name {
				return i
			}
		}
		return len(docket.FolderFiles)
	}
	sortChanges(changes, rank)
	for _, fc := range changes {
		if !exists {
			break
		}
		n := len(out)
		if err := w.classify(fc, add); err != nil {
			return err
		}
		w.keepVersions(fc, out[n:])
	}
	if len(out) == 0 {
		return nil
	}
	// The walk goes newest first; reverse this commit's events so the final reversal puts
	// them back in file order.
	for i := len(out) - 1; i >= 0; i-- {
		w.events[id] = append(w.events[id], out[i])
	}
	return nil
}

func sortChanges(cs []fileChange, rank func(string) int) {
	// Insertion sort: a folder holds a handful of files.
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && (rank(cs[j].name) < rank(cs[j-1].name) || rank(cs[j].name) == rank(cs[j-1].name) && cs[j].name < cs[j-1].name); j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
}

func (w *walker) classify(fc fileChange, add func(Change, string, bool)) error {
	added, deleted := fc.was.IsZero(), fc.now.IsZero()
	switch fc.name {
	case docket.RequestFile:
		switch {
		case added:
			add(Submitted, fc.name, false)
		case deleted:
			add(Removed, fc.name, false)
		default:
			add(Edited, fc.name, false)
		}
	case docket.DecisionFile:
		if deleted {
			add(Edited, fc.name, false)
			return nil
		}
		now := w.decision(fc.now)
		if !added {
			if was := w.decision(fc.was); was == now {
				add(Edited, fc.name, false)
				return nil
			}
		}
		ch, ok := outcomeChange[docket.Outcome(now.Outcome)]
		if !ok {
			ch = Edited // an outcome the schema does not know: old commits may hold anything
		}
		add(ch, fc.name, now.Review == docket.ReviewAppeal)
	case docket.AppealFile:
		if added {
			add(Appealed, fc.name, false)
		} else {
			add(Edited, fc.name, false)
		}
	case docket.EnforcementFile:
		if deleted {
			add(Edited, fc.name, false)
			return nil
		}
		now := w.actions(fc.now)
		var was []string
		if !added {
			was = w.actions(fc.was)
		}
		n := 0
		if len(now) > len(was) && equalPrefix(now, was) {
			for _, a := range now[len(was):] {
				if ch, ok := actionChange[docket.Action(a)]; ok {
					add(ch, fc.name, false)
					n++
				}
			}
		}
		if n == 0 {
			add(Edited, fc.name, false)
		}
	default:
		add(Edited, fc.name, false)
	}
	return nil
}

// outcomeChange is the change a decision with each outcome makes.
var outcomeChange = map[docket.Outcome]Change{
	docket.OutcomeAcknowledged: Acknowledged,
	docket.OutcomeNeedsInfo:    NeedsInfo,
	docket.OutcomeApproved:     Approved,
	docket.OutcomeDenied:       Denied,
	docket.OutcomeWithdrawn:    Withdrawn,
}

var actionChange = map[docket.Action]Change{
	docket.ActionWarning:              Warned,
	docket.ActionSuspension:           Suspended,
	docket.ActionRevocation:           Revoked,
	docket.ActionReinstatement:        Reinstated,
	docket.ActionAgreementTermination: Terminated,
	docket.ActionRemediationRequest:   Remediation,
	docket.ActionRemovalRequest:       Removal,
}

func equalPrefix(long, short []string) bool {
	for i := range short {
		if long[i] != short[i] {
			return false
		}
	}
	return true
}

// remoteURL turns the origin remote into a web address on GitHub-like forges, for links to
// commits and files.
func remoteURL(r *gitrepo.Repo) string {
	u := r.RemoteURL("origin")
	if u == "" {
		return ""
	}
	return WebURL(u)
}

// WebURL turns a clone address (https://host/o/r.git, git@host:o/r.git, ssh://git@host/o/r)
// into https://host/o/r, or "" when it is not one of those shapes.
func WebURL(u string) string {
	u = strings.TrimSuffix(strings.TrimSpace(u), "/")
	u = strings.TrimSuffix(u, ".git")
	var host, p string
	switch {
	case strings.HasPrefix(u, "https://"):
		host, p, _ = strings.Cut(strings.TrimPrefix(u, "https://"), "/")
		if at := strings.LastIndex(host, "@"); at >= 0 {
			host = host[at+1:]
		}
	case strings.HasPrefix(u, "ssh://"):
		host, p, _ = strings.Cut(strings.TrimPrefix(u, "ssh://"), "/")
		if at := strings.LastIndex(host, "@"); at >= 0 {
			host = host[at+1:]
		}
		host, _, _ = strings.Cut(host, ":")
	case strings.Contains(u, "@") && strings.Contains(u, ":") && !strings.Contains(u, "://"):
		_, rest, _ := strings.Cut(u, "@")
		host, p, _ = strings.Cut(rest, ":")
	default:
		return ""
	}
	parts := strings.Split(p, "/")
	if host == "" || len(parts) != 2 || parts[0] == "" || parts[1] == "" {
		return ""
	}
	for _, s := range append(parts, host) {
		for _, r := range s {
			if !(r == '-' || r == '_' || r == '.' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
				return ""
			}
		}
	}
	return "https://" + host + "/" + p
}
