package docket

// Status is where a request stands. It is derived from the request's files (and, for pull
// requests not yet merged, from the hosting platform); it is never written by hand.
type Status string

const (
	StatusSubmitted    Status = "submitted"
	StatusAcknowledged Status = "acknowledged"
	StatusNeedsInfo    Status = "needs-info"
	StatusApproved     Status = "approved"
	StatusDenied       Status = "denied"
	StatusAppealed     Status = "appealed"
	StatusWithdrawn    Status = "withdrawn"
	StatusSuspended    Status = "suspended"
	StatusRevoked      Status = "revoked"
	StatusExpired      Status = "expired"
)

// Statuses lists every status in lifecycle order.
var Statuses = []Status{
	StatusSubmitted, StatusAcknowledged, StatusNeedsInfo, StatusApproved, StatusDenied,
	StatusAppealed, StatusWithdrawn, StatusSuspended, StatusRevoked, StatusExpired,
}

// Record is one request folder: the request and whatever was written about it since.
type Record struct {
	ID          string
	Request     *Request
	Decision    *Decision
	Appeal      *Appeal
	Acceptance  *Acceptance
	Enforcement *Enforcement
}

// Dates returns every day written in the record's files: the decision's, the appeal's, the
// acceptance's (and each request for a new key), and each enforcement action's.
func (r *Record) Dates() []Date {
	var out []Date
	if r.Decision != nil {
		out = append(out, r.Decision.Date)
	}
	if r.Appeal != nil {
		out = append(out, r.Appeal.Date)
	}
	if r.Acceptance != nil {
		out = append(out, r.Acceptance.Date)
		for _, k := range r.Acceptance.NewKeys {
			out = append(out, k.Date)
		}
	}
	if r.Enforcement != nil {
		for _, a := range r.Enforcement.Actions {
			out = append(out, a.Date)
		}
	}
	return out
}

// Status derives the request's status on the given day.
func (r *Record) Status(today Date) Status {
	d := r.Decision
	if d == nil {
		return StatusSubmitted
	}
	switch d.Outcome {
	case OutcomeAcknowledged:
		return StatusAcknowledged
	case OutcomeNeedsInfo:
		return StatusNeedsInfo
	case OutcomeWithdrawn:
		return StatusWithdrawn
	case OutcomeDenied:
		if r.Appeal != nil && !d.OnAppeal() {
			return StatusAppealed
		}
		return StatusDenied
	case OutcomeApproved:
		if r.Request == nil || r.Request.Kind != KindAPIAccess {
			return StatusApproved
		}
		switch r.Enforcement.KeyState(today) {
		case KeyRevoked:
			return StatusRevoked
		case KeySuspended:
			return StatusSuspended
		}
		if d.Conditions != nil && d.Conditions.Expires.Before(today) {
			return StatusExpired
		}
		return StatusApproved
	}
	return StatusSubmitted
}

// KeyState is what enforcement has done to an issued key.
type KeyState int

const (
	KeyActive KeyState = iota
	KeySuspended
	KeyRevoked
)

// KeyState replays the actions dated on or before today. A suspension lasts through its
// `until` day unless a reinstatement ends it earlier; a revocation, and the termination of the
// data-sharing agreement, are final. Requests for remediation or removal leave the key as it is. A nil history
// leaves the key active.
func (e *Enforcement) KeyState(today Date) KeyState {
	if e == nil {
		return KeyActive
	}
	state := KeyActive
	var until Date
	for _, a := range e.Actions {
		if a.Date.After(today) {
			break
		}
		switch a.Action {
		case ActionRevocation, ActionAgreementTermination:
			return KeyRevoked
		case ActionSuspension:
			state, until = KeySuspended, a.Until
		case ActionReinstatement:
			state = KeyActive
		}
	}
	if state == KeySuspended && until.Before(today) {
		state = KeyActive
	}
	return state
}
