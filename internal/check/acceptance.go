package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/gitrepo"
	"github.com/opendata-docket/docket/internal/seal"
)

// acceptanceChange applies the policy to requests/<id>/acceptance.yaml: only the requester
// writes it (staff cannot accept terms on anyone's behalf), only after an approval, for exactly
// the terms the decision in force on the base branch names, and once: afterwards the requester
// may only add requests for a new key at the end, or accept again when a later decision names
// new terms.
func (c *checker) acceptanceChange(ch Change, baseRec, headRec *docket.Record, mine bool) {
	if !mine {
		c.refuse(ch.Path, nil, "only the requester may accept the terms of a key; staff cannot accept them on their behalf")
		return
	}
	var head *docket.Acceptance
	if headRec != nil {
		head = headRec.Acceptance
	}
	if head == nil {
		return // not valid; its findings say why
	}
	var d *docket.Decision
	if baseRec != nil {
		d = baseRec.Decision
	}
	if d == nil {
		return // validate says there is no decision yet
	}
	if d.Outcome != docket.OutcomeApproved || d.Conditions == nil {
		status := docket.StatusSubmitted
		if baseRec != nil {
			status = baseRec.Status(c.opts.Today)
		}
		c.refuse(ch.Path, nil, "terms can be accepted once staff approve the request, and it is %s", status)
		return
	}
	cond := d.Conditions
	var old *docket.Acceptance
	if baseRec != nil {
		old = baseRec.Acceptance
	}
	if old != nil {
		n := len(old.NewKeys)
		if len(head.NewKeys) < n || !slices.Equal(head.NewKeys[:n], old.NewKeys) {
			c.refuse(ch.Path, []string{"new_keys"}, "changes or removes a request for a new key already merged; add a new one at the end instead")
			return
		}
		same := head.AcceptedBy == old.AcceptedBy && head.Date.Equal(old.Date) && head.TermsVersion == old.TermsVersion && head.DataSharingAgreement == old.DataSharingAgreement
		if !same && old.Accepts(d) {
			c.refuse(ch.Path, []string{"terms_version"}, "the terms %s were accepted on %s and that is part of the record; to ask for a new key, add an entry to new_keys", old.TermsVersion, old.Date)
			return
		}
		if same {
			return // only new keys asked for
		}
	}
	if head.TermsVersion != cond.TermsVersion {
		c.refuse(ch.Path, []string{"terms_version"}, "the decision names terms %s; accept exactly those (write terms_version: %q)", cond.TermsVersion, cond.TermsVersion)
	}
	if cond.DataSharingAgreement && !head.DataSharingAgreement {
		c.refuse(ch.Path, []string{"terms_version"}, "the decision requires a signed data-sharing agreement; once you have signed the one the city sent you, add data_sharing_agreement: true")
	}
	if head.Date.Before(d.Date) {
		c.refuse(ch.Path, []string{"date"}, "%s is before the decision of %s; use the day you accept", head.Date, d.Date)
	}
}

// acceptanceEffect says what merging an acceptance does.
func (c *checker) acceptanceEffect(name string, rec, baseRec *docket.Record) string {
	a, who := rec.Acceptance, "@"+rec.Request.Requester.GitHub
	if a == nil {
		return ""
	}
	var old *docket.Acceptance
	if baseRec != nil {
		old = baseRec.Acceptance
	}
	if old != nil && len(a.NewKeys) > len(old.NewKeys) {
		k := a.NewKeys[len(a.NewKeys)-1]
		revoke := "the key " + who + " holds is revoked once the new one is delivered"
		if k.Reason == docket.NewKeyLeaked {
			revoke = "the key " + who + " holds is revoked at once"
		}
		return fmt.Sprintf("Merging asks for a new key for %s (%s): it is issued and delivered like the first, and %s.", name, k.Reason, revoke)
	}
	what := "the terms " + a.TermsVersion
	if a.DataSharingAgreement {
		what += " and the signed data-sharing agreement"
	}
	return fmt.Sprintf("Merging records that %s accepts %s for %s; the API key is then issued, encrypted so that only %s can read it.", who, what, name, who)
}

// keyNeedsAcceptance is what an approval's effect says about accepting the terms.
func keyNeedsAcceptance(cond *docket.Conditions, id, who string) string {
	dsa := ""
	if cond.DataSharingAgreement {
		dsa = ", with data_sharing_agreement: true once they have signed the data-sharing agreement"
	}
	return fmt.Sprintf("The key is issued once %s accepts terms %s by adding requests/%s/%s%s.", who, cond.TermsVersion, id, docket.AcceptanceFile, dsa)
}

// recipientWords says whom a request's key is encrypted to.
func recipientWords(req *docket.Request) string {
	if req.Delivery != nil && req.Delivery.AgeRecipient != "" {
		return "to the age key in the request"
	}
	return "to the ed25519 or RSA SSH keys of @" + req.Requester.GitHub + " on GitHub"
}

// deliverable warns, on a decision that approves a key, when the key could not be delivered:
// the request names no age recipient and the requester has no SSH key on GitHub that age can
// encrypt to. Better said before merging than found after.
func (c *checker) deliverable() {
	if c.opts.SSHKeys == nil {
		return
	}
	for _, ch := range c.res.Changes {
		if ch.Area != AreaDecision || ch.Action == gitrepo.Deleted {
			continue
		}
		rec := record(c.head, ch.ID)
		if rec == nil || rec.Request == nil || rec.Decision == nil || rec.Request.Kind != docket.KindAPIAccess ||
			rec.Decision.Outcome != docket.OutcomeApproved || rec.Decision.Conditions == nil {
			continue
		}
		if d := rec.Request.Delivery; d != nil && d.AgeRecipient != "" {
			continue
		}
		login := rec.Request.Requester.GitHub
		lines, err := c.opts.SSHKeys(login)
		if err != nil {
			c.res.Notes = append(c.res.Notes, fmt.Sprintf("The SSH keys of @%s could not be read from GitHub, so whether the key can be delivered was not checked.", login))
			continue
		}
		rs, skipped := seal.SSHRecipients(lines)
		if len(rs) > 0 {
			continue
		}
		msg := fmt.Sprintf("@%s has no ed25519 or RSA SSH key on GitHub and the request names no delivery.age_recipient, so the key cannot be delivered; ask them to add an SSH key to their GitHub account or an age public key to the request", login)
		if len(skipped) > 0 {
			msg += " (keys of other types cannot be used: " + strings.Join(skipped, ", ") + ")"
		}
		c.res.Findings = append(c.res.Findings, docket.Finding{Path: ch.Path, Line: 1, Col: 1, Severity: docket.Warning, Message: msg})
		if f := c.headFile(ch.Path); f != nil && f.Doc != nil {
			last := &c.res.Findings[len(c.res.Findings)-1]
			last.Line, last.Col = f.Doc.Pos([]string{"outcome"})
			last.Field = f.Doc.FieldName([]string{"outcome"})
		}
	}
}
