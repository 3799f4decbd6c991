package docket

// EvaluationPolicy is how a program weighs requests: the criteria every approval and denial
// gives a verdict on.
type EvaluationPolicy struct {
	Criteria []CriterionDef `json:"criteria,omitempty"`
}

// CriterionDef is one criterion a program weighs: its id (the key under a decision's
// evaluation), its name as the site shows it, and what it covers, in a sentence or two.
type CriterionDef struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Covers string `json:"covers"`
}

// EnforcementPolicy is what a program does about misuse: the enforcement actions it uses and
// its statement on fees and fines.
type EnforcementPolicy struct {
	// Actions are the actions staff may record; empty means every action docket knows.
	Actions []Action `json:"actions,omitempty"`
	// Fees is the program's statement on fees and fines, shown on the site as its policy;
	// empty means DefaultFees.
	Fees string `json:"fees,omitempty"`
}

// DefaultCriteria are the criteria of a program that names none: the four Kansas City's open
// data program weighs, which suit most programs.
var DefaultCriteria = []CriterionDef{
	{"sensitivity", "Data sensitivity and privacy", "Could publishing or sharing the data harm anyone? Records that identify people, or that public records law excludes, may be withheld, aggregated or shared only under an agreement."},
	{"feasibility", "Technical feasibility and upkeep", "Can the data be extracted, cleaned and kept up to date, or can the API carry the traffic, with the systems the program has? A dataset that cannot be kept current may be published less often than asked."},
	{"resources", "Staff time and scheduling", "Publishing takes work from the open data team and from the department that owns the data. Approved requests are scheduled; the decision says when."},
	{"legal", "Legal and contractual limits", "Contracts with vendors or other governments, and the law, may restrict what can be shared and with whom."},
}

// DefaultFees is the fees statement of a program that makes none.
const DefaultFees = "The program charges no fees for requests, data or API keys, and sets no fines."

// AllActions are the enforcement actions docket knows, in the order the guide lists them.
var AllActions = []Action{ActionWarning, ActionSuspension, ActionReinstatement, ActionRevocation, ActionAgreementTermination, ActionRemediationRequest, ActionRemovalRequest}

// Criteria returns the program's criteria: the configured ones, else DefaultCriteria.
func (c *Config) Criteria() []CriterionDef {
	if c != nil && len(c.Evaluation.Criteria) > 0 {
		return c.Evaluation.Criteria
	}
	return DefaultCriteria
}

// Criterion returns the program's criterion with the given id.
func (c *Config) Criterion(id string) (CriterionDef, bool) {
	for _, d := range c.Criteria() {
		if d.ID == id {
			return d, true
		}
	}
	return CriterionDef{}, false
}

// EnforcementActions returns the actions the program uses: the configured ones, else AllActions.
func (c *Config) EnforcementActions() []Action {
	if c != nil && len(c.Enforcement.Actions) > 0 {
		return c.Enforcement.Actions
	}
	return AllActions
}

// UsesAction reports whether the program uses the enforcement action a.
func (c *Config) UsesAction(a Action) bool {
	for _, x := range c.EnforcementActions() {
		if x == a {
			return true
		}
	}
	return false
}

// FeesStatement returns the program's statement on fees and fines.
func (c *Config) FeesStatement() string {
	if c != nil && c.Enforcement.Fees != "" {
		return c.Enforcement.Fees
	}
	return DefaultFees
}
