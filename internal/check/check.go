// Package check is the pull-request gate: given the base and head of a pull request and who
// opened it, it lists what changed, validates the head (the folders touched, the configuration,
// and everything when the configuration changes), and applies the policy of who may change
// what. Staff and the configuration are always read from the base branch, which the pull
// request cannot change. The result says, in one plain sentence per problem, why and what to do,
// and what merging will do.
package check

import (
	"errors"
	"fmt"
	"strings"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/gitrepo"
	"github.com/opendata-docket/docket/internal/repo"
	"github.com/opendata-docket/docket/internal/secrets"
	"github.com/opendata-docket/docket/internal/validate"
	"github.com/opendata-docket/docket/internal/website"
)

// Labels docket manages on pull requests.
const (
	LabelRequest     = "request"
	LabelDecision    = "decision"
	LabelAppeal      = "appeal"
	LabelEnforcement = "enforcement"
	LabelStaffReview = "needs-staff-review"
)

// ManagedLabels are every label docket sets or removes.
var ManagedLabels = []string{LabelRequest, LabelDecision, LabelAppeal, LabelEnforcement, LabelStaffReview}

// Options describe one pull request.
type Options struct {
	Base, Head string // revisions: the target branch and the pull request's head
	Actor      string // the pull request's author, as GitHub reports it
	Today      docket.Date
	// TeamMember asks GitHub whether a login is in the configured staff team; nil when there
	// is no token that may ask, and then only staff.logins count.
	TeamMember func(team, login string) (bool, error)
	// Claims are the request ids that older open pull requests add, oldest first; nil when
	// there is no token to ask GitHub. Only valid requests that name their author hold an
	// id, and only so many per requester (see weighClaims).
	Claims []Claim
	// SSHKeys asks GitHub for a user's public SSH keys, to tell before an approval is merged
	// that its key could not be delivered; nil when there is no token.
	SSHKeys func(login string) ([]string, error)
}

// Area is what part of the docket a changed path belongs to: one of a request folder's files,
// named by its file kind, or one of the areas that are not.
type Area string

// The areas of a change.
const (
	AreaRequest     = Area(docket.KindRequestFile)
	AreaDecision    = Area(docket.KindDecisionFile)
	AreaAppeal      = Area(docket.KindAppealFile)
	AreaEnforcement = Area(docket.KindEnforcementFile)
	AreaAcceptance  = Area(docket.KindAcceptanceFile)
	AreaConfig      = Area("config")         // .github/docket.yml
	AreaOther       = Area("other")          // anything outside requests/: code, schemas, site, workflows
	AreaFolder      = Area("request-folder") // under requests/, but not a file docket knows
)

// underRequests reports whether a change is inside requests/.
func (ch Change) underRequests() bool { return ch.Area != AreaOther && ch.Area != AreaConfig }

// Change is one changed path and what docket made of it.
type Change struct {
	Path   string         `json:"path"`
	Action gitrepo.Action `json:"action"` // added, modified, deleted
	Area   Area           `json:"area"`   // a file kind (request, decision, appeal, enforcement) or an Area
	ID     string         `json:"id,omitempty"`
}

// Result is the outcome of checking a pull request.
type Result struct {
	Actor    string
	Staff    bool // the actor is staff
	Changes  []Change
	Findings []docket.Finding
	Labels   []string
	Effects  []string // what merging will do, in plain sentences; empty when something blocks it
	Notes    []string // what reviewers should know that is not a problem
	Checked  int      // request folders validated
}

// OK reports whether nothing blocks the pull request.
func (r *Result) OK() bool { return !docket.HasErrors(r.Findings) }

// Run checks the pull request in r.
func Run(r *gitrepo.Repo, v *validate.Validator, opts Options) (*Result, error) {
	if opts.Today.IsZero() {
		return nil, errors.New("check: no day to judge dates against (Options.Today is not set)")
	}
	base, err := r.Commit(opts.Base)
	if err != nil {
		return nil, err
	}
	head, err := r.Commit(opts.Head)
	if err != nil {
		return nil, err
	}
	fork, err := gitrepo.MergeBase(base, head)
	if err != nil {
		return nil, err
	}
	forkTree, err := fork.Tree()
	if err != nil {
		return nil, err
	}
	baseTree, err := base.Tree()
	if err != nil {
		return nil, err
	}
	headTree, err := head.Tree()
	if err != nil {
		return nil, err
	}
	diff, err := gitrepo.Diff(forkTree, headTree)
	if err != nil {
		return nil, err
	}

	c := &checker{opts: opts, res: &Result{Actor: opts.Actor}, headTree: headTree, forkTree: forkTree, repo: r, baseCommit: base, diff: diff}
	touched := map[string]bool{}
	full := false
	for _, d := range diff {
		ch := classify(d)
		c.res.Changes = append(c.res.Changes, ch)
		if ch.ID != "" {
			touched[ch.ID] = true
		}
		if ch.Area == AreaConfig {
			full = true
		}
	}
	only := func(id string) bool { return touched[id] }

	// The base branch says who is staff and what the rules are; the pull request cannot.
	baseRepo, _, err := v.Repository(gitrepo.NewTreeFS(baseTree), validate.Options{Today: opts.Today, Only: only})
	if err != nil {
		return nil, fmt.Errorf("reading the base branch: %w", err)
	}
	if baseRepo.Config == nil {
		return nil, fmt.Errorf("the configuration %s on the base branch is missing or not valid; fix it there first (docket validate says why)", docket.ConfigPath)
	}
	c.cfg = baseRepo.Config
	c.base = baseRepo

	headOpts := validate.Options{Today: opts.Today, Only: only, TeamMember: opts.TeamMember}
	if full {
		headOpts.Only = nil
		c.res.Notes = append(c.res.Notes, "The configuration changes, so every request was checked against it.")
	}
	headRepo, findings, err := v.Repository(gitrepo.NewTreeFS(headTree), headOpts)
	if err != nil {
		return nil, fmt.Errorf("reading the pull request: %w", err)
	}
	c.head = headRepo
	if headRepo.Config != nil {
		// A guide page that would not build fails here, not in the publish run after merging.
		findings = append(findings, website.CheckContent(gitrepo.NewTreeFS(headTree), headRepo.Config)...)
	}
	c.res.Findings = findings
	c.res.Checked = len(headRepo.Folders)

	if c.res.Staff, err = c.isStaff(opts.Actor); err != nil {
		return nil, err
	}
	if err := c.weighClaims(v, gitrepo.NewTreeFS(baseTree)); err != nil {
		return nil, err
	}
	for i, d := range diff {
		if err := c.change(d, c.res.Changes[i]); err != nil {
			return nil, err
		}
	}
	if err := c.scanHistory(head, fork); err != nil {
		return nil, err
	}
	c.deliverable()
	c.labels()
	c.res.Findings = docket.SortFindings(validate.Redact(c.res.Findings))
	for i := range c.res.Changes {
		c.res.Changes[i].Path = secrets.Redact(c.res.Changes[i].Path)
	}
	if c.res.OK() {
		c.effects() // what merging does, said only of what can be merged
	}
	return c.res, nil
}

type checker struct {
	opts     Options
	cfg      *docket.Config // from the base branch
	base     *repo.Repository
	head     *repo.Repository
	headTree *gitrepo.Tree
	forkTree *gitrepo.Tree
	diff     []gitrepo.Change // from forkTree to headTree
	// repo and baseCommit give the base branch's history, where the decision under appeal is
	// found once an acknowledgement or request for information on appeal has replaced it.
	repo       *gitrepo.Repo
	baseCommit *gitrepo.Commit
	res        *Result
	taken      map[string]int   // request id → the older open pull request that holds it
	waiting    map[string][]int // lowercase login → their older open pull requests that hold ids
	added      int              // new requests this pull request adds, counted as they are met
}

// classify says what part of the docket a path belongs to.
func classify(d gitrepo.Change) Change {
	ch := Change{Path: d.Path, Action: d.Action(), Area: AreaOther}
	if d.Path == docket.ConfigPath {
		ch.Area = AreaConfig
		return ch
	}
	parts := strings.Split(d.Path, "/")
	if parts[0] != docket.RequestsDir || len(parts) < 2 {
		return ch
	}
	ch.Area = AreaFolder
	if len(parts) >= 3 {
		ch.ID = parts[1]
	}
	if len(parts) == 3 {
		if kind, ok := docket.KindOfFile(parts[2]); ok {
			ch.Area = Area(kind)
		}
	}
	return ch
}

func (c *checker) isStaff(login string) (bool, error) {
	// The appeals escalation contact (a director) may change what staff may; what each file
	// lets them write is still judged by the rules (an appeal decision's decider, say).
	if c.cfg.IsStaff(login) || c.cfg.IsEscalation(login) {
		return true, nil
	}
	if c.cfg.Staff.Team != "" && c.opts.TeamMember != nil {
		ok, err := c.opts.TeamMember(c.cfg.Staff.Team, login)
		if err != nil {
			return false, err
		}
		return ok, nil
	}
	return false, nil
}

// refuse records a policy problem at the field ptr of the file at path in the head (or at its
// first line).
func (c *checker) refuse(path string, ptr []string, format string, args ...any) {
	f := docket.Finding{Path: path, Line: 1, Col: 1, Message: fmt.Sprintf(format, args...)}
	if file := c.headFile(path); file != nil && file.Doc != nil && ptr != nil {
		f.Line, f.Col = file.Doc.Pos(ptr)
		f.Field = file.Doc.FieldName(ptr)
	}
	c.res.Findings = append(c.res.Findings, f)
}

func (c *checker) headFile(path string) *repo.File {
	for _, fo := range c.head.Folders {
		for _, f := range fo.Files {
			if f.Path == path {
				return f
			}
		}
	}
	return nil
}

func record(r *repo.Repository, id string) *docket.Record {
	if f := r.Folder(id); f != nil {
		return &f.Record
	}
	return nil
}

// change applies the policy to one changed path.
func (c *checker) change(d gitrepo.Change, ch Change) error {
	if msg := badName(d.Path); msg != "" {
		c.refuse(d.Path, nil, "%s", msg)
		return nil
	}
	for _, m := range secrets.Scan(d.Path) {
		c.refuse(d.Path, nil, "the file name contains what looks like %s; rename the file, remove it from every commit and revoke the secret", secrets.Named(m.Kind))
	}
	if d.To.Mode == gitrepo.Submodule {
		c.refuse(d.Path, nil, "submodules are not allowed; remove it with git rm --cached %s", d.Path)
	}
	if d.To.Mode == gitrepo.Symlink && !ch.underRequests() {
		// Anywhere in the tree, not only under requests/ (where the loader says so): a link
		// named like an output folder (_site -> .) would otherwise point a later build, run
		// with write access, at the repository itself.
		c.refuse(d.Path, nil, "symbolic links are not allowed anywhere in this repository; commit the file itself (git rm --cached %s)", d.Path)
	}
	if ch.underRequests() && d.To.Mode == gitrepo.Executable {
		c.refuse(d.Path, nil, "files under requests/ must not be executable; remove the executable bit (git update-index --chmod=-x %s)", d.Path)
	}
	if d.To.Exists() && d.To.Mode != gitrepo.Submodule && d.To.Mode != gitrepo.Symlink {
		if err := c.scan(d, ch); err != nil {
			return err
		}
	}
	switch ch.Area {
	case AreaOther, AreaConfig:
		return nil
	}
	if ch.Action == gitrepo.Deleted {
		if d.Path == "requests/.gitkeep" {
			return nil
		}
		c.refuse(d.Path, nil, "files under requests/ are the public record and cannot be deleted or renamed; to change a request, edit it, or withdraw it with a decision of outcome withdrawn")
		return nil
	}
	if ch.ID == "" {
		return nil // a file directly under requests/: the loader already says where it belongs
	}
	baseRec := record(c.base, ch.ID)
	headRec := record(c.head, ch.ID)
	var owner string
	switch {
	case baseRec != nil && baseRec.Request != nil:
		owner = baseRec.Request.Requester.GitHub
	case headRec != nil && headRec.Request != nil:
		owner = headRec.Request.Requester.GitHub
	}
	mine := owner != "" && strings.EqualFold(owner, c.opts.Actor)
	baseFolder := c.base.Folder(ch.ID)
	existing := baseFolder != nil
	if existing && !c.res.Staff && !c.baseReadable(baseFolder) {
		// Whose the request is and where it stands come from the base; when that cannot be
		// read, only staff may change the folder.
		c.refuse(d.Path, nil, "the files of this request on the base branch are not valid, so docket cannot tell whose it is or where it stands; only staff may change it until they are fixed")
		return nil
	}

	if existing && !mine && !c.res.Staff {
		if owner == "" {
			owner = "another requester"
		} else {
			owner = "@" + owner
		}
		c.refuse(d.Path, nil, "this request belongs to %s; only they or staff may change its files. To ask for something yourself, open a new request in a folder of your own", owner)
		return nil
	}
	switch ch.Area {
	case AreaRequest:
		c.requestChange(ch, baseRec, headRec, existing)
	case AreaDecision:
		c.decisionChange(ch, baseRec, headRec)
	case AreaAppeal:
		c.appealChange(ch, baseRec, baseFolder)
	case AreaEnforcement:
		c.enforcementChange(ch, baseRec, headRec)
	case AreaAcceptance:
		c.acceptanceChange(ch, baseRec, headRec, mine)
	default:
		if !existing && !c.res.Staff && !mine {
			c.refuse(d.Path, nil, "only the requester named in request.yaml or staff may add files to this folder")
		}
	}
	return nil
}

func (c *checker) requestChange(ch Change, baseRec, headRec *docket.Record, existing bool) {
	if !existing {
		c.claimNew(ch)
		if headRec == nil || headRec.Request == nil {
			return // not valid; its findings say why
		}
		if who := headRec.Request.Requester.GitHub; !strings.EqualFold(who, c.opts.Actor) && !c.res.Staff {
			c.refuse(ch.Path, []string{"requester", "github"}, "names %s, but this pull request is by %s; a request must name its own author, so write %s here", who, c.opts.Actor, c.opts.Actor)
		}
		return
	}
	if c.res.Staff {
		return
	}
	if baseRec != nil && baseRec.Decision != nil && baseRec.Decision.Outcome != docket.OutcomeNeedsInfo {
		c.refuse(ch.Path, nil, "this request can no longer be edited: it is %s; ask staff in a comment, or open a new request", baseRec.Status(c.opts.Today))
		return
	}
	if baseRec != nil && baseRec.Request != nil && headRec != nil && headRec.Request != nil &&
		!strings.EqualFold(baseRec.Request.Requester.GitHub, headRec.Request.Requester.GitHub) {
		c.refuse(ch.Path, []string{"requester", "github"}, "cannot be changed: a request stays with the person who made it")
	}
}

func (c *checker) decisionChange(ch Change, baseRec, headRec *docket.Record) {
	var head *docket.Decision
	if headRec != nil {
		head = headRec.Decision
	}
	if !c.res.Staff {
		status := docket.StatusSubmitted
		if baseRec != nil {
			status = baseRec.Status(c.opts.Today)
		}
		switch {
		case head == nil:
			// Not valid; its findings say why. Still, only staff decide.
			c.refuse(ch.Path, nil, "only staff may write decisions; to withdraw your request, write outcome: withdrawn and decided_by: %s", c.opts.Actor)
		case head.Outcome != docket.OutcomeWithdrawn || !strings.EqualFold(head.DecidedBy, c.opts.Actor):
			c.refuse(ch.Path, []string{"outcome"}, "only staff may decide requests; you may withdraw your own request with outcome: withdrawn and decided_by: %s", c.opts.Actor)
		case !status.Undecided():
			c.refuse(ch.Path, []string{"outcome"}, "this request is %s and can no longer be withdrawn; ask staff in a comment", status)
		}
		return
	}
	if baseRec == nil || baseRec.Decision == nil || head == nil {
		return
	}
	old := baseRec.Decision
	c.appealDecider(ch, old, head)
	if old.Outcome == docket.OutcomeWithdrawn && head.Outcome != docket.OutcomeWithdrawn {
		c.refuse(ch.Path, []string{"outcome"}, "the request was withdrawn on %s, and a withdrawal is final; a renewal is a new request", old.Date)
		return
	}
	later := head.Date.After(old.Date) || (head.Date.Equal(old.Date) && (head.Outcome != old.Outcome || head.Review != old.Review))
	if !later {
		c.refuse(ch.Path, []string{"date"}, "this rewrites the decision of %s that is already merged; a change of decision is a new decision with a later date (git keeps the earlier one)", old.Date)
	}
}

// baseReadable reports whether every file of a folder on the base branch was read.
func (c *checker) baseReadable(f *repo.Folder) bool {
	if f.Files[docket.KindRequestFile] == nil {
		return false
	}
	for _, file := range f.Files {
		if !file.OK {
			return false
		}
	}
	return true
}

func (c *checker) appealChange(ch Change, baseRec *docket.Record, baseFolder *repo.Folder) {
	if c.res.Staff {
		return
	}
	if baseFolder != nil && baseFolder.Files[docket.KindAppealFile] != nil && baseRec != nil && baseRec.Appeal != nil {
		c.refuse(ch.Path, nil, "the appeal filed on %s is part of the record and cannot be changed; add to it in a comment on the pull request", baseRec.Appeal.Date)
		return
	}
	if baseRec == nil || baseRec.Decision == nil || baseRec.Decision.Outcome != docket.OutcomeDenied || baseRec.Decision.OnAppeal() {
		status := docket.StatusSubmitted
		if baseRec != nil {
			status = baseRec.Status(c.opts.Today)
		}
		c.refuse(ch.Path, nil, "an appeal can only follow a denial that is not final, and this request is %s", status)
		return
	}
	if a := baseRec.Decision.Appeal; a != nil && c.opts.Today.After(a.Deadline) {
		c.refuse(ch.Path, nil, "the deadline to appeal was %s; contact %s if there is a reason it could not be filed in time", a.Deadline, c.cfg.Appeals.Escalation.Name)
	}
}

func (c *checker) enforcementChange(ch Change, baseRec, headRec *docket.Record) {
	if !c.res.Staff {
		c.refuse(ch.Path, nil, "only staff may record enforcement actions")
		return
	}
	if baseRec == nil || baseRec.Enforcement == nil || headRec == nil || headRec.Enforcement == nil {
		return
	}
	old, now := baseRec.Enforcement.Actions, headRec.Enforcement.Actions
	for i, a := range old {
		if i < len(now) && outcomeAdded(a, now[i]) {
			continue
		}
		if i >= len(now) || now[i] != a {
			c.refuse(ch.Path, []string{"actions"}, "changes or removes an action already merged (actions[%d] of %s); past actions stay as they are (only the outcome of a request for remediation or removal may be added), so add a new action at the end", i+1, a.Date)
			return
		}
	}
}

func (c *checker) labels() {
	set := map[string]bool{}
	outside := []string{}
	for _, ch := range c.res.Changes {
		switch ch.Area {
		case AreaRequest:
			set[LabelRequest] = true
		case AreaDecision:
			set[LabelDecision] = true
		case AreaAppeal:
			set[LabelAppeal] = true
		case AreaEnforcement:
			set[LabelEnforcement] = true
		case AreaConfig, AreaOther:
			set[LabelStaffReview] = true
			outside = append(outside, ch.Path)
		}
	}
	for _, l := range ManagedLabels {
		if set[l] {
			c.res.Labels = append(c.res.Labels, l)
		}
	}
	if len(outside) > 0 {
		shown := outside[:min(len(outside), 10)]
		more := ""
		if len(outside) > len(shown) {
			more = fmt.Sprintf(" and %d more", len(outside)-len(shown))
		}
		c.res.Notes = append(c.res.Notes, fmt.Sprintf("Changes outside requests/ need a review by staff before merging: %s%s.", strings.Join(shown, ", "), more))
	}
}
