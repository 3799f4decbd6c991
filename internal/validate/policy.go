package validate

import (
	"slices"
	"strings"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/repo"
	"github.com/opendata-docket/docket/internal/suggest"
)

// policy checks the program's own policy in the configuration: each criterion and each
// enforcement action named once.
func (c *checker) policy(f *repo.File) {
	seen := map[string]bool{}
	for i, cr := range c.cfg.Evaluation.Criteria {
		if seen[cr.ID] {
			c.at(docket.Error, f, p("evaluation", "criteria", i, "id"), "criterion %s is listed twice; ids must be unique", cr.ID)
		}
		seen[cr.ID] = true
	}
	acts := map[docket.Action]bool{}
	for i, a := range c.cfg.Enforcement.Actions {
		if acts[a] {
			c.at(docket.Error, f, p("enforcement", "actions", i), "%s is listed twice", a)
		}
		acts[a] = true
	}
}

// evaluation checks that a decision gives a verdict on each criterion the program weighs
// (evaluation.criteria, else docket's four), and on no other.
func (c *checker) evaluation(f *repo.File, d *docket.Decision) {
	if c.cfg == nil || d.Evaluation == nil {
		return // the schema says when an evaluation is required
	}
	criteria := c.cfg.Criteria()
	var ids []string
	for _, cr := range criteria {
		ids = append(ids, cr.ID)
	}
	list := strings.Join(ids, ", ")
	var missing []string
	for _, cr := range criteria {
		if _, ok := d.Evaluation[cr.ID]; !ok {
			missing = append(missing, cr.ID+" ("+cr.Name+")")
		}
	}
	if len(missing) > 0 {
		c.atKey(docket.Error, f, p("evaluation"), "has no verdict on %s; the program weighs every request on %s (evaluation.criteria in %s)", strings.Join(missing, " and "), list, docket.ConfigPath)
	}
	var extra []string
	for k := range d.Evaluation {
		if !slices.Contains(ids, k) {
			extra = append(extra, k)
		}
	}
	slices.Sort(extra)
	for _, k := range extra {
		msg := k + " is not a criterion this program weighs"
		if g := suggest.Closest(k, ids); g != "" {
			msg += "; did you mean " + g + "?"
		}
		c.atKey(docket.Error, f, p("evaluation", k), "%s; its criteria are %s (evaluation.criteria in %s)", msg, list, docket.ConfigPath)
	}
}

// enforcementActions checks that every action of a history is one the program uses.
func (c *checker) enforcementActions(f *repo.File, e *docket.Enforcement) {
	if c.cfg == nil || e == nil || len(c.cfg.Enforcement.Actions) == 0 {
		return
	}
	var used []string
	for _, a := range c.cfg.EnforcementActions() {
		used = append(used, string(a))
	}
	for i, a := range e.Actions {
		if !c.cfg.UsesAction(a.Action) {
			c.at(docket.Error, f, p("actions", i, "action"), "%s is not an enforcement action this program uses; it uses %s (enforcement.actions in %s)", a.Action, strings.Join(used, ", "), docket.ConfigPath)
		}
	}
}
