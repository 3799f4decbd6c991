package check

import (
	"strings"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/gitrepo"
	"go.yaml.in/yaml/v3"
)

// A decision on appeal is an independent review: it is made by the appeals escalation contact
// (appeals.escalation.logins), never by the person who made the decision under appeal. Which
// decision is under appeal is only known from the base branch (decision.yaml is replaced by
// the decision on appeal), so this is judged here and not by docket validate, which checks
// from the files alone that the decider is one of the escalation logins.

// appealDecider refuses a decision on appeal made or proposed by the person who made the
// decision under appeal. old is the decision on the base branch, head the proposed one.
func (c *checker) appealDecider(ch Change, old, head *docket.Decision) {
	if head.OnAppeal() && old.OnAppeal() && !final(old) {
		// An acknowledgement or request for information on appeal has replaced the denial in
		// decision.yaml: the decision under appeal is the denial before it, in the base
		// branch's history. Without this, whoever acknowledged the appeal would open the way
		// for the person who denied the request to decide it.
		if under := c.underAppeal(ch.Path); under != nil {
			old = under
		}
	}
	if !head.OnAppeal() || old.OnAppeal() || old.Outcome != docket.OutcomeDenied {
		return // not the first decision on an appeal of a denial (a correction is judged by dates)
	}
	who := c.cfg.Appeals.Escalation.Name
	if who == "" {
		who = "the appeals escalation contact"
	}
	if l := c.cfg.Appeals.Escalation.Logins; len(l) > 0 {
		who += " (" + strings.Join(l, ", ") + ")"
	}
	switch {
	case strings.EqualFold(head.DecidedBy, old.DecidedBy):
		c.refuse(ch.Path, []string{"decided_by"}, "%s made the decision under appeal (denied on %s) and may not decide the appeal; a decision on appeal is made by someone else: %s",
			head.DecidedBy, old.Date, who)
	case strings.EqualFold(c.opts.Actor, old.DecidedBy):
		c.refuse(ch.Path, []string{"decided_by"}, "this pull request is by %s, who made the decision under appeal (denied on %s); the decision on appeal must come from someone else: ask %s to propose it",
			c.opts.Actor, old.Date, who)
	}
}

// final reports whether a decision is an approval or a denial (not an acknowledgement, a
// request for information or a withdrawal).
func final(d *docket.Decision) bool {
	return d.Outcome == docket.OutcomeApproved || d.Outcome == docket.OutcomeDenied
}

// maxDecisionVersions bounds how many earlier versions of one decision.yaml are read to find
// the decision under appeal.
const maxDecisionVersions = 50

// underAppeal returns the first-review denial that the decisions on appeal in the base branch's
// path replaced: walking back the versions of the file on the first-parent history of the base,
// the newest one that is not on appeal, when it is a denial. Nil when there is none, or the
// history cannot be read (the decision is then judged from the base branch's file alone).
func (c *checker) underAppeal(path string) *docket.Decision {
	if c.repo == nil || c.baseCommit == nil {
		return nil
	}
	rev := c.baseCommit.Hash.String()
	for range maxDecisionVersions {
		changed, err := gitrepo.LastChange(c.repo, rev, path, 100000)
		if err != nil {
			return nil
		}
		commit, err := gitrepo.Commit(c.repo, changed)
		if err != nil || len(commit.ParentHashes) == 0 {
			return nil
		}
		parent, err := commit.Parent(0)
		if err != nil {
			return nil
		}
		tree, err := parent.Tree()
		if err != nil {
			return nil
		}
		e := gitrepo.EntryAt(tree, path)
		if !e.Exists() {
			return nil
		}
		data, err := gitrepo.ReadBlob(tree, e.Hash, 1<<20)
		if err != nil {
			return nil
		}
		var d struct {
			Outcome   string `yaml:"outcome"`
			Review    string `yaml:"review"`
			DecidedBy string `yaml:"decided_by"`
			Date      string `yaml:"date"`
		}
		if !readYAML(data, &d) {
			return nil
		}
		if d.Review != docket.ReviewAppeal {
			if docket.Outcome(d.Outcome) != docket.OutcomeDenied {
				return nil
			}
			day, _ := docket.ParseDate(d.Date)
			return &docket.Decision{Outcome: docket.OutcomeDenied, DecidedBy: d.DecidedBy, Date: day}
		}
		rev = parent.Hash.String()
	}
	return nil
}

// readYAML decodes data into v, reporting whether it could. Old versions of a file in history
// may never have been valid, and the YAML library is not promised to be panic-free on hostile
// input, so a panic is taken as a file that cannot be read.
func readYAML(data []byte, v any) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return yaml.Unmarshal(data, v) == nil
}
