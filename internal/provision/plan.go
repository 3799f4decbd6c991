// Package provision reconciles API keys with the decisions in force, as prow's peribolos
// reconciles a GitHub organization with its configuration: the desired state comes from the
// request folders (every approved api-access request whose approval is in force has exactly one
// active key with the decision's scopes, limits and expiry), the current state is the key
// registry (package registry), and Compute lists the difference as a plan: issue, update,
// suspend, reinstate, revoke, expire, rotate, deliver. Apply carries a plan out in an order
// that survives a crash at any step: keys are generated and sealed, their hashes and
// ciphertexts are saved, and only then delivered; a key becomes active only once delivered, so
// a request never has two active keys, and a re-run delivers what an interrupted run did not.
package provision

import (
	"fmt"
	"slices"
	"strings"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/registry"
	"github.com/opendata-docket/docket/internal/seal"
)

// Op is what a change does.
type Op string

const (
	OpIssue     Op = "issue"     // a first key for an approved request, or one after a leak
	OpRotate    Op = "rotate"    // a new key the requester asked for, replacing the current one
	OpUpdate    Op = "update"    // new scopes, limits or expiry from a later decision
	OpSuspend   Op = "suspend"   // an enforcement suspension in force
	OpReinstate Op = "reinstate" // a suspension ended or lifted
	OpRevoke    Op = "revoke"    // a revocation, a leak, or the approval no longer stands
	OpExpire    Op = "expire"    // the key's last day has passed
	OpDeliver   Op = "deliver"   // a key issued earlier that was not delivered yet
)

// Change is one line of a plan.
type Change struct {
	Op      Op
	Request string
	Key     string // the key acted on; for issue and rotate, the id the new key gets
	Why     string // in plain words, for the plan and the registry

	// issue, rotate and update: the terms the key gets.
	Scopes   []string
	Limits   docket.Limits
	NotAfter docket.Date

	// issue and rotate.
	Owner      string // the requester's GitHub login
	Recipients []seal.Recipient
	To         string // who the key is encrypted to, in words
	Replaces   string // the key the new one replaces
	RevokeNow  bool   // the replaced key is revoked at once (a leak), not once the new one is delivered
	Rotation   int    // the request for a new key this key answers

	// update: what changes, in words.
	Diff []string

	// revoke: the key was found leaked. A leak is a fact (the key's hash matched), not a
	// reading of the decisions that a bug could get wrong, so the mass-change guard lets it by.
	Leak bool
	// revoke: the requester said their key leaked and asked for a new one.
	Asked bool

	rec *docket.Record
}

// removes reports whether the change takes a working key away (what the mass-change guard counts).
func (c Change) removes() bool { return (c.Op == OpSuspend || c.Op == OpRevoke) && !c.Leak && !c.Asked }

// Waiting is a request that should have a key but cannot get one yet.
type Waiting struct {
	Request string
	Why     string
}

// Plan is what Apply would do.
type Plan struct {
	Changes []Change
	Waiting []Waiting
}

// Removals counts the changes that suspend or revoke a key, leaks aside.
func (p *Plan) Removals() int {
	n := 0
	for _, c := range p.Changes {
		if c.removes() {
			n++
		}
	}
	return n
}

// Count returns how many changes of each op the plan has.
func (p *Plan) Count() map[Op]int {
	out := map[Op]int{}
	for _, c := range p.Changes {
		out[c.Op]++
	}
	return out
}

// Input is everything a plan is computed from.
type Input struct {
	Config   *docket.Config
	Records  []*docket.Record // every request folder, valid (provisioning refuses an invalid docket)
	Registry *registry.Registry
	Today    docket.Date
	// Recipients says whom a request's key is encrypted to, or, when there is nobody, why.
	Recipients func(rec *docket.Record) ([]seal.Recipient, string, error)
	// Held are requests whose latest changes did not pass the gate: nothing that gives access is
	// done for them until they do (what takes access away still is). Request id → why.
	Held map[string]string
	// Leaked are keys found in pull requests or commits: hex SHA-256 → where.
	Leaked map[string]string
}

// desire is what the decisions in force want for one request's key.
type desire struct {
	status   registry.Status // active or suspended; revoked or expired when the key must end; "" for no key
	why      string
	scopes   []string
	limits   docket.Limits
	notAfter docket.Date
}

// NotAfter is the last day a key issued under d may work: the decision's expiry, capped by the
// key policy's maximum lifetime counted from the decision.
func NotAfter(d *docket.Decision, policy docket.KeyPolicy) docket.Date {
	end := d.Conditions.Expires
	if policy.MaxLifetimeDays > 0 {
		if c := d.Date.AddDays(policy.MaxLifetimeDays); c.Before(end) {
			end = c
		}
	}
	return end
}

// want derives the desired key state of one request on today.
func want(rec *docket.Record, policy docket.KeyPolicy, today docket.Date) desire {
	if rec.Request == nil || rec.Request.Kind != docket.KindAPIAccess {
		return desire{why: "the request is not for API access"}
	}
	d := rec.Decision
	if d == nil {
		return desire{status: registry.StatusRevoked, why: "the request has no decision"}
	}
	if d.Outcome != docket.OutcomeApproved || d.Conditions == nil {
		return desire{status: registry.StatusRevoked, why: fmt.Sprintf("the decision of %s is %s", d.Date, d.Outcome)}
	}
	out := desire{status: registry.StatusActive, scopes: d.Conditions.Scopes, limits: d.Conditions.Limits, notAfter: NotAfter(d, policy)}
	switch rec.Enforcement.KeyState(today) {
	case docket.KeyRevoked:
		a := lastAction(rec.Enforcement, today, docket.ActionRevocation)
		out.status, out.why = registry.StatusRevoked, fmt.Sprintf("revocation of %s by %s", a.Date, a.By)
		if t := lastAction(rec.Enforcement, today, docket.ActionAgreementTermination); a.Date.IsZero() || (!t.Date.IsZero() && t.Date.Before(a.Date)) {
			// The termination of the data-sharing agreement came first: it ended the key.
			out.why = fmt.Sprintf("termination of the data-sharing agreement of %s by %s", t.Date, t.By)
		}
		return out
	case docket.KeySuspended:
		a := lastAction(rec.Enforcement, today, docket.ActionSuspension)
		out.status, out.why = registry.StatusSuspended, fmt.Sprintf("suspension of %s by %s, until %s", a.Date, a.By, a.Until)
	}
	if out.notAfter.Before(today) {
		out.status, out.why = registry.StatusExpired, fmt.Sprintf("its last day was %s", out.notAfter)
		return out
	}
	if out.status == registry.StatusActive {
		if a := lastAction(rec.Enforcement, today, docket.ActionReinstatement); a.Date.IsZero() {
			out.why = fmt.Sprintf("the approval of %s is in force", d.Date)
		} else {
			out.why = fmt.Sprintf("reinstatement of %s by %s", a.Date, a.By)
		}
		if s := lastAction(rec.Enforcement, today, docket.ActionSuspension); !s.Date.IsZero() && s.Date.After(lastAction(rec.Enforcement, today, docket.ActionReinstatement).Date) {
			out.why = fmt.Sprintf("the suspension of %s ended on %s", s.Date, s.Until)
		}
	}
	return out
}

// lastAction returns the last action of a kind dated on or before today, or the zero action.
func lastAction(e *docket.Enforcement, today docket.Date, kind docket.Action) docket.EnforcementAction {
	var out docket.EnforcementAction
	if e == nil {
		return out
	}
	for _, a := range e.Actions {
		if a.Date.After(today) {
			break
		}
		if a.Action == kind {
			out = a
		}
	}
	return out
}

// Compute lists what must change for the registry to match the decisions in force.
func Compute(in Input) (*Plan, error) {
	p := &Plan{}
	byReq := in.Registry.ByRequest()
	seen := make(map[string]bool, len(in.Records))
	for _, rec := range in.Records {
		seen[rec.ID] = true
		if why, held := in.Held[rec.ID]; held {
			if err := p.held(in, rec, byReq[rec.ID], why); err != nil {
				return nil, err
			}
			continue
		}
		if err := p.request(in, rec, byReq[rec.ID]); err != nil {
			return nil, err
		}
	}
	// Keys whose request folder is gone (which the gate does not allow, but a direct push can).
	var gone []string
	for id := range byReq {
		if !seen[id] {
			gone = append(gone, id)
		}
	}
	slices.Sort(gone)
	for _, id := range gone {
		for _, k := range byReq[id] {
			if !k.Status.Final() {
				p.Changes = append(p.Changes, Change{Op: OpRevoke, Request: id, Key: k.ID, Why: "the request is no longer in the repository"})
			}
		}
	}
	return p, nil
}

// held plans the changes for a request whose latest change did not pass the gate. Holding
// stops only what would give access: no key is issued, rotated, delivered or reinstated, and no
// scope, limit or last day grows. What takes access away still applies, whoever made the
// change: a suspension, a revocation, an expiry, a leaked key, a narrower decision. Failing
// closed is the safe side: a change that could not be trusted to grant may still be trusted to
// restrict, and a leaked key must never outlive a hold.
func (p *Plan) held(in Input, rec *docket.Record, have []*registry.Key, why string) error {
	sub := &Plan{}
	// Recipients are not needed for what a hold lets through (nothing is issued); asking GitHub
	// for them would only add a way to fail.
	in.Recipients = func(*docket.Record) ([]seal.Recipient, string, error) { return nil, "", nil }
	if err := sub.request(in, rec, have); err != nil {
		return err
	}
	for _, c := range sub.Changes {
		switch c.Op {
		case OpSuspend, OpRevoke, OpExpire:
			p.Changes = append(p.Changes, c)
		case OpUpdate:
			if k := registryKey(have, c.Key); k != nil {
				if n, ok := narrowed(k, c); ok {
					p.Changes = append(p.Changes, n)
				}
			}
		}
	}
	if len(have) > 0 || want(rec, in.Config.Keys, in.Today).status != "" {
		p.Waiting = append(p.Waiting, Waiting{rec.ID, why})
	}
	return nil
}

func registryKey(have []*registry.Key, id string) *registry.Key {
	for _, k := range have {
		if k.ID == id {
			return k
		}
	}
	return nil
}

// narrowed keeps of an update only what takes away: the scopes both allow, the lower limits, the
// earlier last day. It reports false when that leaves the key as it is.
func narrowed(k *registry.Key, c Change) (Change, bool) {
	var scopes []string
	for _, s := range k.Scopes {
		if slices.Contains(c.Scopes, s) {
			scopes = append(scopes, s)
		}
	}
	if scopes == nil {
		scopes = []string{}
	}
	d := desire{scopes: scopes, limits: k.Limits, notAfter: k.NotAfter}
	d.limits.RequestsPerDay = min(d.limits.RequestsPerDay, c.Limits.RequestsPerDay)
	d.limits.RequestsPerSecond = min(d.limits.RequestsPerSecond, c.Limits.RequestsPerSecond)
	if c.NotAfter.Before(d.notAfter) {
		d.notAfter = c.NotAfter
	}
	diff := termsDiff(k, d)
	if len(diff) == 0 {
		return Change{}, false
	}
	c.Scopes, c.Limits, c.NotAfter, c.Diff = d.scopes, d.limits, d.notAfter, diff
	c.Why = "the held decision narrows it"
	return c, true
}

// request plans the changes for one request, given its keys oldest first.
func (p *Plan) request(in Input, rec *docket.Record, have []*registry.Key) error {
	d := want(rec, in.Config.Keys, in.Today)
	var live []*registry.Key
	var leaked *registry.Key
	for _, k := range have {
		if k.Status.Final() {
			continue
		}
		if where, ok := in.Leaked[k.SHA256]; ok {
			p.Changes = append(p.Changes, Change{Op: OpRevoke, Request: rec.ID, Key: k.ID, Why: "the key was found in " + where, Leak: true})
			leaked = k
			continue
		}
		live = append(live, k)
	}
	switch d.status {
	case "":
		if len(live) > 0 {
			// Only an api-access request gets a key; a key for one that is not is revoked.
			for _, k := range live {
				p.Changes = append(p.Changes, Change{Op: OpRevoke, Request: rec.ID, Key: k.ID, Why: d.why})
			}
		}
		return nil
	case registry.StatusRevoked, registry.StatusExpired:
		op := OpRevoke
		if d.status == registry.StatusExpired {
			op = OpExpire
		}
		for _, k := range live {
			p.Changes = append(p.Changes, Change{Op: op, Request: rec.ID, Key: k.ID, Why: d.why})
		}
		return nil
	}

	var inUse []*registry.Key // active or suspended: what the requester holds
	var pending []*registry.Key
	for _, k := range live {
		if k.Status == registry.StatusPending {
			pending = append(pending, k)
		} else {
			inUse = append(inUse, k)
		}
	}
	// Terms follow the decision in force, for every key that may still work.
	for _, k := range live {
		if diff := termsDiff(k, d); len(diff) > 0 {
			p.Changes = append(p.Changes, Change{Op: OpUpdate, Request: rec.ID, Key: k.ID, Why: "the decision in force says so",
				Scopes: d.scopes, Limits: d.limits, NotAfter: d.notAfter, Diff: diff})
		}
	}
	// A key works only while the requester has accepted what the decision in force requires: a
	// new decision naming new terms, or newly requiring a data-sharing agreement, suspends the
	// key they hold until they accept (and nothing new is issued or delivered); accepting
	// reinstates it.
	if !rec.Acceptance.Accepts(rec.Decision) {
		for _, k := range inUse {
			if k.Status == registry.StatusActive {
				why := d.why
				if d.status == registry.StatusActive {
					why = notAccepted(rec)
				}
				p.Changes = append(p.Changes, Change{Op: OpSuspend, Request: rec.ID, Key: k.ID, Why: why})
			}
		}
		p.Waiting = append(p.Waiting, Waiting{rec.ID, waitingForAcceptance(rec)})
		return nil
	}
	for _, k := range inUse {
		switch {
		case d.status == registry.StatusSuspended && k.Status == registry.StatusActive:
			p.Changes = append(p.Changes, Change{Op: OpSuspend, Request: rec.ID, Key: k.ID, Why: d.why})
		case d.status == registry.StatusActive && k.Status == registry.StatusSuspended:
			p.Changes = append(p.Changes, Change{Op: OpReinstate, Request: rec.ID, Key: k.ID, Why: d.why})
		}
	}

	// A new key: none yet (or the last one leaked), or one the requester asked for.
	asked, reason := newKeysAsked(rec.Acceptance, have)
	if len(live) > 0 {
		for _, k := range pending {
			if d.status == registry.StatusActive {
				p.Changes = append(p.Changes, Change{Op: OpDeliver, Request: rec.ID, Key: k.ID, Why: fmt.Sprintf("issued on %s and not delivered yet", k.Created), rec: rec})
			} else {
				p.Waiting = append(p.Waiting, Waiting{rec.ID, k.ID + " is delivered once the " + d.why + " ends"})
			}
		}
		if len(pending) > 0 || asked == 0 {
			return nil
		}
	}
	if d.status != registry.StatusActive {
		what := "no key is issued while the " + d.why + " is in force"
		if len(live) > 0 {
			what = "the new key asked for is issued once the " + d.why + " ends"
		}
		p.Waiting = append(p.Waiting, Waiting{rec.ID, what})
		return nil
	}
	if !rec.Acceptance.Accepts(rec.Decision) {
		p.Waiting = append(p.Waiting, Waiting{rec.ID, waitingForAcceptance(rec)})
		return nil
	}
	c := Change{Op: OpIssue, Request: rec.ID, Key: registry.NextID(have, rec.ID), Why: d.why,
		Scopes: d.scopes, Limits: d.limits, NotAfter: d.notAfter, Owner: rec.Request.Requester.GitHub, rec: rec}
	if rec.Acceptance != nil {
		c.Rotation = len(rec.Acceptance.NewKeys) // answers every request for a new key so far
	}
	switch last := len(have) - 1; {
	case len(live) > 0:
		// The requester asked for a new key: it replaces the one they hold, at once when it
		// leaked, otherwise once the new one is in their hands.
		cur := live[len(live)-1]
		k := rec.Acceptance.NewKeys[len(rec.Acceptance.NewKeys)-1]
		c.Op, c.Replaces, c.RevokeNow = OpRotate, cur.ID, reason == docket.NewKeyLeaked
		c.Why = fmt.Sprintf("@%s asked for a new key on %s: %s", c.Owner, k.Date, k.Reason)
	case leaked != nil:
		c.Replaces, c.RevokeNow, c.Why = leaked.ID, true, leaked.ID+" was found in "+in.Leaked[leaked.SHA256]
	case last >= 0:
		// The approval is in force and the last key has ended (revoked after a leak by an
		// earlier run that could not issue its successor, say): the new key replaces it.
		k := have[last]
		c.Replaces, c.Why = k.ID, fmt.Sprintf("%s is %s: %s", k.ID, k.Status, k.Reason)
	}
	rs, why, err := in.Recipients(rec)
	if err != nil {
		return fmt.Errorf("%s: %w", rec.ID, err)
	}
	if len(rs) == 0 {
		p.Waiting = append(p.Waiting, Waiting{rec.ID, why})
		return nil
	}
	c.Recipients, c.To = rs, describe(rs, rec.Request.Requester.GitHub)
	if c.Op == OpRotate && c.RevokeNow {
		for _, k := range live {
			p.Changes = append(p.Changes, Change{Op: OpRevoke, Request: rec.ID, Key: k.ID, Why: c.Why, Asked: true})
		}
	}
	p.Changes = append(p.Changes, c)
	return nil
}

// newKeysAsked returns how many requests for a new key no key answers yet, and the reason of the
// last; a leak anywhere among them counts as a leak.
func newKeysAsked(a *docket.Acceptance, have []*registry.Key) (int, string) {
	if a == nil {
		return 0, ""
	}
	answered := 0
	for _, k := range have {
		answered = max(answered, k.Rotation)
	}
	if answered >= len(a.NewKeys) {
		return 0, ""
	}
	reason := a.NewKeys[len(a.NewKeys)-1].Reason
	for _, k := range a.NewKeys[answered:] {
		if k.Reason == docket.NewKeyLeaked {
			reason = docket.NewKeyLeaked
		}
	}
	return len(a.NewKeys) - answered, reason
}

// waitingForAcceptance says what the requester must accept before a key is issued.
func waitingForAcceptance(rec *docket.Record) string {
	cond := rec.Decision.Conditions
	what := "terms " + cond.TermsVersion
	if cond.DataSharingAgreement {
		what += " and the signed data-sharing agreement"
	}
	return fmt.Sprintf("waiting for @%s to accept %s in requests/%s/%s", rec.Request.Requester.GitHub, what, rec.ID, docket.AcceptanceFile)
}

// notAccepted says why a key is suspended while its requester has not accepted the decision's
// terms.
func notAccepted(rec *docket.Record) string {
	cond := rec.Decision.Conditions
	what := "terms " + cond.TermsVersion
	if cond.DataSharingAgreement {
		what += " and a signed data-sharing agreement"
	}
	return fmt.Sprintf("the decision of %s requires %s, not yet accepted by @%s", rec.Decision.Date, what, rec.Request.Requester.GitHub)
}

// termsDiff says how a key's terms differ from the decision's, in words.
func termsDiff(k *registry.Key, d desire) []string {
	var out []string
	if !slices.Equal(k.Scopes, d.scopes) {
		out = append(out, fmt.Sprintf("scopes %s → %s", strings.Join(k.Scopes, ", "), strings.Join(d.scopes, ", ")))
	}
	if k.Limits.RequestsPerDay != d.limits.RequestsPerDay {
		out = append(out, fmt.Sprintf("%d → %d calls a day", k.Limits.RequestsPerDay, d.limits.RequestsPerDay))
	}
	if k.Limits.RequestsPerSecond != d.limits.RequestsPerSecond {
		out = append(out, fmt.Sprintf("%g → %g calls a second", k.Limits.RequestsPerSecond, d.limits.RequestsPerSecond))
	}
	if !k.NotAfter.Equal(d.notAfter) {
		out = append(out, fmt.Sprintf("until %s → %s", k.NotAfter, d.notAfter))
	}
	return out
}

// describe says whom a key is encrypted to.
func describe(rs []seal.Recipient, owner string) string {
	if len(rs) == 1 && rs[0].Type == "age" {
		return "the age key " + rs[0].Fingerprint
	}
	n := fmt.Sprintf("%d SSH keys", len(rs))
	if len(rs) == 1 {
		n = "1 SSH key"
	}
	return n + " of @" + owner + " on GitHub"
}

// terms is a key's terms in words.
func terms(scopes []string, l docket.Limits, notAfter docket.Date) string {
	return fmt.Sprintf("%s; %d calls a day, %g a second; until %s", strings.Join(scopes, ", "), l.RequestsPerDay, l.RequestsPerSecond, notAfter)
}

// Lines returns the plan as the lines docket provision prints, like a terraform plan: a sign,
// the op, the key and what happens.
func (p *Plan) Lines() []string {
	var out []string
	for _, c := range p.Changes {
		out = append(out, c.Line())
	}
	for _, w := range p.Waiting {
		out = append(out, fmt.Sprintf("  %-9s %s: %s", "wait", w.Request, w.Why))
	}
	return out
}

// Line is the change as one line of the plan.
func (c Change) Line() string {
	sign := map[Op]string{OpIssue: "+", OpRotate: "±", OpUpdate: "~", OpSuspend: "-", OpReinstate: "+", OpRevoke: "-", OpExpire: "-", OpDeliver: ">"}[c.Op]
	var what string
	switch c.Op {
	case OpIssue, OpRotate:
		what = fmt.Sprintf("for @%s: %s; encrypted to %s", c.Owner, terms(c.Scopes, c.Limits, c.NotAfter), c.To)
		switch {
		case c.Replaces == "":
		case c.RevokeNow:
			what += "; replaces " + c.Replaces + ", revoked at once"
		case c.Op == OpRotate:
			what += "; replaces " + c.Replaces + ", revoked once this key is delivered"
		default:
			what += "; replaces " + c.Replaces
		}
		what += " (" + c.Why + ")"
	case OpUpdate:
		what = strings.Join(c.Diff, "; ")
	default:
		what = c.Why
	}
	return fmt.Sprintf("%s %-9s %s: %s", sign, c.Op, c.Key, what)
}

// Summary says in one line how many changes of each kind the plan has.
func (p *Plan) Summary() string {
	if len(p.Changes) == 0 {
		return "no changes"
	}
	n := p.Count()
	var parts []string
	for _, op := range []Op{OpIssue, OpRotate, OpUpdate, OpSuspend, OpReinstate, OpRevoke, OpExpire, OpDeliver} {
		if n[op] > 0 {
			parts = append(parts, fmt.Sprintf("%d to %s", n[op], op))
		}
	}
	return strings.Join(parts, ", ")
}
