package check

import "github.com/opendata-docket/docket/internal/docket"

// outcomeAdded reports whether now is the past action was with only an outcome added to it:
// the one change allowed to a merged enforcement action, once the requester has (or has not)
// done what a request for remediation or removal asked.
func outcomeAdded(was, now docket.EnforcementAction) bool {
	if !was.Action.AsksRequester() || was.Outcome != (docket.ActionOutcome{}) || now.Outcome == (docket.ActionOutcome{}) {
		return false
	}
	now.Outcome = docket.ActionOutcome{}
	return now == was
}
