package validate

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"filippo.io/age"
	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/repo"
	"github.com/opendata-docket/docket/internal/schemacheck"
	"github.com/opendata-docket/docket/internal/suggest"
)

func (c *checker) config(f *repo.File) {
	cfg := c.cfg
	seen := map[string]int{}
	for i, e := range cfg.Catalog {
		if first, dup := seen[e.ID]; dup {
			c.at(docket.Error, f, p("catalog", i, "id"), "catalog id %s is used twice (first at catalog[%d]); ids must be unique", e.ID, first+1)
			continue
		}
		seen[e.ID] = i
	}
	logins := map[string]bool{}
	for i, l := range cfg.Staff.Logins {
		if logins[strings.ToLower(l)] {
			c.at(docket.Error, f, p("staff", "logins", i), "%s is listed twice; GitHub logins ignore case", l)
		}
		logins[strings.ToLower(l)] = true
	}
	if _, err := cfg.Program.Location(); err != nil {
		c.at(docket.Error, f, p("program", "time_zone"), "%s", err)
	}
	c.policy(f)
	d, m := cfg.Keys.DefaultLimits, cfg.Keys.MaxLimits
	if d.RequestsPerDay > m.RequestsPerDay {
		c.at(docket.Error, f, p("keys", "default_limits", "requests_per_day"), "is more than keys.max_limits.requests_per_day (%d)", m.RequestsPerDay)
	}
	if d.RequestsPerSecond > m.RequestsPerSecond {
		c.at(docket.Error, f, p("keys", "default_limits", "requests_per_second"), "is more than keys.max_limits.requests_per_second (%g)", m.RequestsPerSecond)
	}
}

func (c *checker) folder(fo *repo.Folder) {
	rec := fo.Record
	reqFile := fo.Files[docket.KindRequestFile]
	if reqFile == nil {
		// Every other file is about a request; without one, say so on each of them.
		for _, ff := range docket.FolderFiles[1:] {
			if f := fo.Files[ff.Kind]; f != nil {
				c.out = append(c.out, docket.Finding{Path: f.Path, Line: 1, Col: 1,
					Message: fmt.Sprintf("a %s needs its request: add %s/%s", ff.Kind, fo.Path, docket.RequestFile)})
			}
		}
		return
	}
	if rec.Request != nil {
		c.request(reqFile, rec.Request)
	}
	if rec.Request == nil {
		return // the request's own findings come first; rules across files need it
	}
	if f := fo.Files[docket.KindDecisionFile]; f != nil && rec.Decision != nil {
		c.decision(f, fo, rec)
	}
	if f := fo.Files[docket.KindAppealFile]; f != nil && rec.Appeal != nil {
		c.appeal(f, fo, rec)
	}
	if f := fo.Files[docket.KindEnforcementFile]; f != nil && rec.Enforcement != nil {
		c.enforcement(f, rec)
	}
	if f := fo.Files[docket.KindAcceptanceFile]; f != nil && rec.Acceptance != nil {
		c.acceptance(f, fo, rec)
	}
}

// rowIsClean reports whether every column of a sample row (keys, its column names) is a listed
// field (first: field name → index in fields) and every cell fits its field's type.
func rowIsClean(keys []string, row map[string]any, first map[string]int, fields []docket.Field) bool {
	for _, k := range keys {
		j, ok := first[k]
		if !ok || cellProblem(fields[j].Type, row[k]) != "" {
			return false
		}
	}
	return true
}

func (c *checker) request(f *repo.File, req *docket.Request) {
	if ds := req.Dataset; ds != nil {
		names := make([]string, 0, len(ds.Fields))
		first := map[string]int{}
		for i, fl := range ds.Fields {
			if j, dup := first[fl.Name]; dup {
				c.at(docket.Error, f, p("dataset", "fields", i, "name"), "column %s is listed twice (first as fields[%d]); list each column once", fl.Name, j+1)
				continue
			}
			first[fl.Name] = i
			names = append(names, fl.Name)
		}
		// Only the first few unknown columns are named, each with a "did you mean": the
		// search is the costly part, and a thousand copies of one mistake help nobody.
		unknown := 0
		for i, row := range ds.SampleRows {
			keys := slices.Sorted(maps.Keys(row))
			if !rowIsClean(keys, row, first, ds.Fields) {
				// The order written decides which unknown columns are named. It is asked of the
				// document only here: once checked, a file's nodes are dropped (Compact), and
				// finding them again means parsing the file again.
				if written := f.Doc.Keys(p("dataset", "sample_rows", i)); len(written) == len(row) {
					keys = written
				}
			}
			for _, k := range keys {
				if j, ok := first[k]; ok {
					if want := cellProblem(ds.Fields[j].Type, row[k]); want != "" {
						c.at(docket.Error, f, p("dataset", "sample_rows", i, k), "column %s is of type %s; %s", k, ds.Fields[j].Type, want)
					}
					continue
				}
				if unknown++; unknown > schemacheck.MaxNamed {
					continue
				}
				msg := fmt.Sprintf("column %s is not among the fields listed in dataset.fields", k)
				if g := suggest.Closest(k, names); g != "" {
					msg += "; did you mean " + g + "?"
				} else {
					msg += "; add it there or remove it from the row"
				}
				c.atKey(docket.Error, f, p("dataset", "sample_rows", i, k), "%s", msg)
			}
		}
		if unknown > schemacheck.MaxNamed {
			c.atKey(docket.Error, f, p("dataset", "sample_rows"), "%d columns are not among the fields listed in dataset.fields; the first %d are listed on their own lines; add them there or remove them from the rows", unknown, schemacheck.MaxNamed)
		}
	}
	if api := req.APIAccess; api != nil && c.cfg != nil {
		for i, id := range api.Datasets {
			c.catalogID(f, p("api_access", "datasets", i), id)
		}
		maxL := c.cfg.Keys.MaxLimits
		if api.Traffic.RequestsPerDay > maxL.RequestsPerDay {
			c.at(docket.Warning, f, p("api_access", "traffic", "requests_per_day"),
				"%d calls a day is more than the key policy allows (%d); staff will review whether a higher limit can be granted", api.Traffic.RequestsPerDay, maxL.RequestsPerDay)
		}
		if api.Traffic.PeakRequestsPerSecond > maxL.RequestsPerSecond {
			c.at(docket.Warning, f, p("api_access", "traffic", "peak_requests_per_second"),
				"%g calls a second is more than the key policy allows (%g); staff will review whether a higher limit can be granted", api.Traffic.PeakRequestsPerSecond, maxL.RequestsPerSecond)
		}
	}
	if d := req.Delivery; d != nil && d.AgeRecipient != "" {
		if _, err := age.ParseX25519Recipient(d.AgeRecipient); err != nil {
			c.at(docket.Error, f, p("delivery", "age_recipient"), "is not a valid age public key (its checksum does not match); copy it again from the output of age-keygen")
		}
	}
}

// catalogID reports an id that is not in the catalog or offers no API access.
func (c *checker) catalogID(f *repo.File, ptr []string, id string) (docket.CatalogEntry, bool) {
	e, _ := c.cfg.Dataset(id)
	if msg := CatalogProblem(c.cfg, id); msg != "" {
		c.at(docket.Error, f, ptr, "%s", msg)
		return e, false
	}
	return e, true
}

func (c *checker) decision(f *repo.File, fo *repo.Folder, rec docket.Record) {
	d, req := rec.Decision, rec.Request
	c.notFuture(f, p("date"), d.Date)
	c.evaluation(f, d)
	if d.Outcome == docket.OutcomeWithdrawn && strings.EqualFold(d.DecidedBy, req.Requester.GitHub) {
		// A requester may withdraw their own request.
	} else if !c.appealDecider(f, d) {
		c.staff(f, p("decided_by"), d.DecidedBy)
	}
	c.promises(f, d)
	if d.Outcome == docket.OutcomeApproved {
		switch req.Kind {
		case docket.KindAPIAccess:
			if d.Conditions == nil {
				c.at(docket.Error, f, p("outcome"), "an approved api-access request needs conditions: scopes, limits, expires, data_sharing_agreement and terms_version")
			}
			if d.Publication != nil {
				c.atKey(docket.Error, f, p("publication"), "applies only to dataset requests; this request is kind api-access")
			}
		case docket.KindDataset:
			if d.Conditions != nil {
				c.atKey(docket.Error, f, p("conditions"), "apply only to api-access requests; this request is kind dataset")
			}
		}
	}
	if cond := d.Conditions; cond != nil && req.Kind == docket.KindAPIAccess && c.cfg != nil {
		c.conditions(f, d, req)
	}
	if a := d.Appeal; a != nil && !a.Deadline.After(d.Date) {
		c.at(docket.Error, f, p("appeal", "deadline"), "%s is not after the decision date %s; give the requester time to appeal", a.Deadline, d.Date)
	}
	if d.OnAppeal() {
		switch {
		case d.Outcome != docket.OutcomeApproved && d.Outcome != docket.OutcomeDenied:
			// An acknowledgement or request for information would stand in decision.yaml as
			// the decision on appeal: it would stop the appeal's clock and end its status
			// "appealed" without deciding anything.
			c.at(docket.Error, f, p("outcome"), "a decision on appeal (review: appeal) approves or denies; %s does not decide the appeal, which stays open until it is decided: tell the requester in a comment on the pull request instead", d.Outcome)
		case rec.Appeal == nil:
			c.at(docket.Error, f, p("review"), "this decision answers an appeal, but %s/%s does not exist", fo.Path, docket.AppealFile)
		case d.Date.Before(rec.Appeal.Date):
			c.at(docket.Error, f, p("date"), "%s is before the appeal it answers was filed (%s)", d.Date, rec.Appeal.Date)
		}
	}
}

func (c *checker) conditions(f *repo.File, d *docket.Decision, req *docket.Request) {
	cond := d.Conditions
	requested := map[string]bool{}
	for _, id := range req.APIAccess.Datasets {
		requested[id] = true
	}
	for i, id := range cond.Scopes {
		e, ok := c.catalogID(f, p("conditions", "scopes", i), id)
		if !ok {
			continue
		}
		if e.Sensitivity == docket.SensitivityRestricted && !cond.DataSharingAgreement {
			c.at(docket.Error, f, p("conditions", "scopes", i), "%s is restricted data; set conditions.data_sharing_agreement to true", id)
		}
		if !requested[id] {
			c.at(docket.Warning, f, p("conditions", "scopes", i), "%s was not asked for in the request's api_access.datasets", id)
		}
	}
	maxL := c.cfg.Keys.MaxLimits
	if cond.Limits.RequestsPerDay > maxL.RequestsPerDay {
		c.at(docket.Error, f, p("conditions", "limits", "requests_per_day"), "%d is more than the key policy's maximum of %d", cond.Limits.RequestsPerDay, maxL.RequestsPerDay)
	}
	if cond.Limits.RequestsPerSecond > maxL.RequestsPerSecond {
		c.at(docket.Error, f, p("conditions", "limits", "requests_per_second"), "%g is more than the key policy's maximum of %g", cond.Limits.RequestsPerSecond, maxL.RequestsPerSecond)
	}
	switch life := d.Date.DaysUntil(cond.Expires); {
	case life <= 0:
		c.at(docket.Error, f, p("conditions", "expires"), "%s is not after the decision date %s", cond.Expires, d.Date)
	case life > c.cfg.Keys.MaxLifetimeDays:
		c.at(docket.Error, f, p("conditions", "expires"), "%s is %d days after the decision; the key policy allows at most %d (until %s)",
			cond.Expires, life, c.cfg.Keys.MaxLifetimeDays, d.Date.AddDays(c.cfg.Keys.MaxLifetimeDays))
	}
}

func (c *checker) appeal(f *repo.File, fo *repo.Folder, rec docket.Record) {
	a, d := rec.Appeal, rec.Decision
	c.notFuture(f, p("date"), a.Date)
	switch {
	case fo.Files[docket.KindDecisionFile] == nil:
		c.out = append(c.out, docket.Finding{Path: f.Path, Line: 1, Col: 1, Message: "an appeal can only follow a denial, and this request has no decision yet"})
	case d == nil:
		// The decision did not load; its findings say why.
	case d.OnAppeal():
		// The appeal has been decided; the decision's own rules check the dates.
	case d.Outcome != docket.OutcomeDenied:
		c.out = append(c.out, docket.Finding{Path: f.Path, Line: 1, Col: 1, Message: fmt.Sprintf("an appeal can only follow a denial; the decision on this request is %s", d.Outcome)})
	case a.Date.Before(d.Date):
		c.at(docket.Error, f, p("date"), "%s is before the denial it appeals (%s)", a.Date, d.Date)
	case d.Appeal != nil && a.Date.After(d.Appeal.Deadline):
		c.at(docket.Error, f, p("date"), "%s is after the appeal deadline of %s; contact %s if there is a reason it could not be filed in time",
			a.Date, d.Appeal.Deadline, c.escalation())
	}
}

func (c *checker) escalation() string {
	if c.cfg == nil {
		return "the program"
	}
	return c.cfg.Appeals.Escalation.Name
}

func (c *checker) enforcement(f *repo.File, rec docket.Record) {
	c.enforcementActions(f, rec.Enforcement)
	d, req := rec.Decision, rec.Request
	if d == nil || d.Outcome != docket.OutcomeApproved {
		what := "there is no decision"
		if d != nil {
			what = "the decision is " + string(d.Outcome)
		}
		c.out = append(c.out, docket.Finding{Path: f.Path, Line: 1, Col: 1,
			Message: "enforcement applies only to an approved request (an issued API key, or data shared with the requester); " + what})
		return
	}
	key := req.Kind == docket.KindAPIAccess
	var prev docket.Date
	var suspendedUntil, ended docket.Date
	var endedBy docket.Action
	for i, a := range rec.Enforcement.Actions {
		c.notFuture(f, p("actions", i, "date"), a.Date)
		c.staff(f, p("actions", i, "by"), a.By)
		switch {
		case a.Date.Before(d.Date):
			c.at(docket.Error, f, p("actions", i, "date"), "%s is before the request was approved (%s)", a.Date, d.Date)
		case a.Date.Before(prev):
			c.at(docket.Error, f, p("actions", i, "date"), "%s is before the action above it (%s); list actions oldest first", a.Date, prev)
		}
		prev = a.Date
		if a.Action.AsksRequester() {
			c.asked(f, i, a)
		}
		if !key {
			switch a.Action {
			case docket.ActionSuspension, docket.ActionRevocation, docket.ActionReinstatement:
				c.at(docket.Error, f, p("actions", i, "action"), "a %s acts on an API key, and this request is kind dataset; for misuse of shared data use warning, agreement-termination, remediation-request or removal-request", a.Action)
				continue
			}
		}
		if a.Action == docket.ActionAgreementTermination && !req.DataSharingAgreement && (d.Conditions == nil || !d.Conditions.DataSharingAgreement) {
			c.at(docket.Warning, f, p("actions", i, "action"), "no data-sharing agreement is recorded for this request (neither data_sharing_agreement in request.yaml nor conditions.data_sharing_agreement in decision.yaml); check that this is the right request")
		}
		if !a.Action.ChangesKey() || !key {
			continue
		}
		if !ended.IsZero() {
			if endedBy == docket.ActionAgreementTermination {
				c.at(docket.Error, f, p("actions", i, "action"), "the data-sharing agreement was terminated on %s, which ends access for good (renewal is a new request)", ended)
			} else {
				c.at(docket.Error, f, p("actions", i, "action"), "the key was revoked on %s; a revocation is final (renewal is a new request)", ended)
			}
			continue
		}
		switch a.Action {
		case docket.ActionSuspension:
			if a.Until.Before(a.Date) {
				c.at(docket.Error, f, p("actions", i, "until"), "%s is before the suspension starts (%s)", a.Until, a.Date)
			}
			suspendedUntil = a.Until
		case docket.ActionReinstatement:
			if suspendedUntil.IsZero() || a.Date.After(suspendedUntil) {
				c.at(docket.Error, f, p("actions", i, "action"), "a reinstatement ends a suspension early, and no suspension is in force on %s", a.Date)
			}
			suspendedUntil = docket.Date{}
		case docket.ActionRevocation, docket.ActionAgreementTermination:
			ended, endedBy = a.Date, a.Action
		}
	}
}

// asked checks the deadline and outcome of an action that asks something of the requester.
func (c *checker) asked(f *repo.File, i int, a docket.EnforcementAction) {
	if !a.Deadline.After(a.Date) {
		c.at(docket.Error, f, p("actions", i, "deadline"), "%s is not after the day of the request (%s); give the requester time to act", a.Deadline, a.Date)
	}
	o := a.Outcome
	if o.Result == "" {
		return
	}
	c.notFuture(f, p("actions", i, "outcome", "date"), o.Date)
	switch {
	case o.Date.Before(a.Date):
		c.at(docket.Error, f, p("actions", i, "outcome", "date"), "%s is before the %s it answers (%s)", o.Date, a.Action, a.Date)
	case o.Result == docket.ResultComplied && o.Date.After(a.Deadline):
		c.at(docket.Error, f, p("actions", i, "outcome", "result"), "complied means done by the deadline (%s), and the outcome is dated %s; write complied-late", a.Deadline, o.Date)
	case o.Result == docket.ResultLate && !o.Date.After(a.Deadline):
		c.at(docket.Error, f, p("actions", i, "outcome", "result"), "complied-late means done after the deadline (%s), and the outcome is dated %s; write complied", a.Deadline, o.Date)
	case o.Result == docket.ResultNotComplied && !o.Date.After(a.Deadline):
		c.at(docket.Error, f, p("actions", i, "outcome", "date"), "%s is not after the deadline (%s); the requester still has until then to comply", o.Date, a.Deadline)
	}
}

// cellProblem says what is wrong with a sample value for a column of the given type, or "".
// Sample rows are illustrations, so quoted numbers and empty cells are accepted.
func cellProblem(typ string, v any) string {
	if v == nil {
		return ""
	}
	text, isText := v.(string)
	switch typ {
	case "number", "integer":
		n, isNum := v.(json.Number)
		if isText {
			n, isNum = json.Number(strings.TrimSpace(text)), true
		}
		f, err := n.Float64()
		switch {
		case !isNum || err != nil:
			return "write a number, like 42"
		case typ == "integer" && f != math.Trunc(f):
			return "write a whole number, like 42"
		}
	case "boolean":
		if _, ok := v.(bool); !ok && text != "true" && text != "false" {
			return "write true or false"
		}
	case "date":
		if _, err := docket.ParseDate(text); !isText || err != nil {
			switch why, meant := docket.ExplainDate(text); {
			case isText && why != "":
				return "there is no " + text + ": " + why
			case isText && meant != "":
				return "write the date as YYYY-MM-DD: " + meant
			}
			return "write a date as YYYY-MM-DD, like 2026-04-14"
		}
	case "datetime":
		if !isText || !isDateTime(text) {
			return "write a date and time, like 2026-04-14T09:30:00"
		}
	case "url":
		if !isText || !(strings.HasPrefix(text, "https://") || strings.HasPrefix(text, "http://")) {
			return "write a web address starting with https://"
		}
	}
	return ""
}

func isDateTime(s string) bool {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04"} {
		if _, err := time.Parse(layout, s); err == nil {
			return true
		}
	}
	return false
}
