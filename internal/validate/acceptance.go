package validate

import (
	"strings"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/repo"
)

// acceptance checks requests/<id>/acceptance.yaml: written by the requester, dated in order,
// for an approved api-access request. What a later decision can change (new terms, a new
// agreement, a decision that is no longer an approval) is a warning, not an error: the file was
// right when it was merged, and no key is issued until it is right again.
func (c *checker) acceptance(f *repo.File, fo *repo.Folder, rec docket.Record) {
	a, d, req := rec.Acceptance, rec.Decision, rec.Request
	c.notFuture(f, p("date"), a.Date)
	if !strings.EqualFold(a.AcceptedBy, req.Requester.GitHub) {
		c.at(docket.Error, f, p("accepted_by"), "%s is not the requester; only %s, who made the request, may accept its terms", a.AcceptedBy, req.Requester.GitHub)
	}
	prev := a.Date
	for i, k := range a.NewKeys {
		c.notFuture(f, p("new_keys", i, "date"), k.Date)
		if k.Date.Before(prev) {
			c.at(docket.Error, f, p("new_keys", i, "date"), "%s is before %s above it; add requests for a new key at the end, oldest first", k.Date, prev)
		}
		prev = k.Date
	}
	switch {
	case req.Kind != docket.KindAPIAccess:
		c.out = append(c.out, docket.Finding{Path: f.Path, Line: 1, Col: 1, Message: "terms are accepted only for an api-access request; this request is kind " + string(req.Kind)})
		return
	case fo.Files[docket.KindDecisionFile] == nil:
		c.out = append(c.out, docket.Finding{Path: f.Path, Line: 1, Col: 1, Message: "terms are accepted after an approval, and this request has no decision yet"})
		return
	case d == nil:
		return // the decision did not load; its findings say why
	case d.Outcome != docket.OutcomeApproved || d.Conditions == nil:
		c.out = append(c.out, docket.Finding{Path: f.Path, Line: 1, Col: 1, Severity: docket.Warning,
			Message: "the decision on this request is " + string(d.Outcome) + ", so no key is issued whatever is accepted here"})
		return
	}
	cond := d.Conditions
	if a.Date.Before(d.Date) {
		c.at(docket.Warning, f, p("date"), "%s is before the decision in force (%s); accept its terms again with a later date", a.Date, d.Date)
	}
	if a.TermsVersion != cond.TermsVersion {
		c.at(docket.Warning, f, p("terms_version"), "accepts terms %s, but the decision in force names terms %s; no key is issued until the requester accepts them", a.TermsVersion, cond.TermsVersion)
	}
	if cond.DataSharingAgreement && !a.DataSharingAgreement {
		c.at(docket.Warning, f, p("terms_version"), "the decision requires a signed data-sharing agreement; no key is issued until the requester adds data_sharing_agreement: true")
	}
}
