package docket

import "strings"

// RequestKind says what a request asks for.
type RequestKind string

const (
	KindDataset   RequestKind = "dataset"    // publish a new dataset
	KindAPIAccess RequestKind = "api-access" // an API key for published datasets
)

// Request is requests/<id>/request.yaml, written by the requester. Every field is public.
type Request struct {
	Kind                 RequestKind `json:"kind"`
	Title                string      `json:"title"`
	Requester            Requester   `json:"requester"`
	Dataset              *DatasetAsk `json:"dataset,omitempty"`
	APIAccess            *APIAsk     `json:"api_access,omitempty"`
	Purpose              Purpose     `json:"purpose"`
	Privacy              Privacy     `json:"privacy"`
	DataSharingAgreement bool        `json:"data_sharing_agreement"`
	Delivery             *Delivery   `json:"delivery,omitempty"`
}

// Requester is who asks.
type Requester struct {
	GitHub       string `json:"github"`
	Name         string `json:"name,omitempty"`
	Organization string `json:"organization,omitempty"`
	Type         string `json:"type"`
}

// DatasetAsk describes a dataset the requester would like published.
type DatasetAsk struct {
	Name             string           `json:"name"`
	Description      string           `json:"description"`
	SourceDepartment string           `json:"source_department,omitempty"`
	UpdateFrequency  string           `json:"update_frequency"`
	Fields           []Field          `json:"fields"`
	SampleRows       []map[string]any `json:"sample_rows"`
}

// Field is one column of a requested dataset.
type Field struct {
	Name        string `json:"name"`
	Type        string `json:"type"`
	Description string `json:"description"`
}

// APIAsk describes the API access a requester asks for.
type APIAsk struct {
	Datasets    []string `json:"datasets"`
	Traffic     Traffic  `json:"traffic"`
	Integration string   `json:"integration"`
}

// Traffic is the load a requester expects to put on the API.
type Traffic struct {
	RequestsPerDay        int64   `json:"requests_per_day"`
	PeakRequestsPerSecond float64 `json:"peak_requests_per_second"`
}

// Purpose is why the data is needed.
type Purpose struct {
	Use         string `json:"use"`
	Description string `json:"description"`
}

// Privacy holds the requester's privacy and security considerations.
type Privacy struct {
	PersonalData   bool   `json:"personal_data"`
	Considerations string `json:"considerations"`
}

// Delivery says how an issued key reaches the requester.
type Delivery struct {
	AgeRecipient string `json:"age_recipient,omitempty"`
}

// Outcome is what a decision says.
type Outcome string

const (
	OutcomeAcknowledged Outcome = "acknowledged"
	OutcomeNeedsInfo    Outcome = "needs-info"
	OutcomeApproved     Outcome = "approved"
	OutcomeDenied       Outcome = "denied"
	OutcomeWithdrawn    Outcome = "withdrawn"
)

// Review says which review a decision closes.
const (
	ReviewInitial = "initial"
	ReviewAppeal  = "appeal"
)

// Decision is requests/<id>/decision.yaml, written by staff and made official by merging.
type Decision struct {
	Outcome             Outcome      `json:"outcome"`
	Review              string       `json:"review,omitempty"`
	DecidedBy           string       `json:"decided_by"`
	Date                Date         `json:"date"`
	EstimatedReviewDays int          `json:"estimated_review_days,omitempty"`
	Evaluation          Evaluation   `json:"evaluation,omitempty"`
	Reasons             string       `json:"reasons,omitempty"`
	ReasonCode          string       `json:"reason_code,omitempty"`
	Appeal              *AppealTerms `json:"appeal,omitempty"`
	Conditions          *Conditions  `json:"conditions,omitempty"`
	Publication         *Publication `json:"publication,omitempty"`
	// Note is a withdrawal's short note: the requester's words (or staff's, writing on their
	// behalf), never a finding of the city. Only a withdrawal has one.
	Note string `json:"note,omitempty"`
}

// OnAppeal reports whether the decision answers an appeal.
func (d *Decision) OnAppeal() bool { return d.Review == ReviewAppeal }

// Evaluation is the verdict on each of the program's criteria (Config.Criteria), by the
// criterion's id.
type Evaluation map[string]Criterion

// Criterion is a verdict on one criterion with a note.
type Criterion struct {
	Verdict string `json:"verdict"` // VerdictMet, VerdictConcern or VerdictNotMet
	Note    string `json:"note"`
}

// The verdicts on a criterion, as the decision schema's $defs.criterion lists them (a test
// keeps the two equal): met, met with conditions (concern), or not met.
const (
	VerdictMet     = "met"
	VerdictConcern = "concern"
	VerdictNotMet  = "not-met"
)

// AppealTerms tell a denied requester how to appeal and by when.
type AppealTerms struct {
	Instructions string `json:"instructions"`
	Deadline     Date   `json:"deadline"`
}

// Conditions are the terms of an approved api-access request.
type Conditions struct {
	Scopes               []string `json:"scopes"`
	Limits               Limits   `json:"limits"`
	Expires              Date     `json:"expires"`
	DataSharingAgreement bool     `json:"data_sharing_agreement"`
	TermsVersion         string   `json:"terms_version"`
}

// Limits are rate limits for a key.
type Limits struct {
	RequestsPerDay    int64   `json:"requests_per_day"`
	RequestsPerSecond float64 `json:"requests_per_second"`
}

// Publication says when and where an approved dataset is published.
type Publication struct {
	Planned Date   `json:"planned,omitzero"`
	URL     string `json:"url,omitempty"`
}

// Appeal is requests/<id>/appeal.yaml, written by the requester after a denial.
type Appeal struct {
	Date    Date   `json:"date"`
	Grounds string `json:"grounds"`
}

// Acceptance is requests/<id>/acceptance.yaml, written by the requester after an approval: they
// accept the terms of use the decision names (and sign the data-sharing agreement when it
// requires one) before a key is issued, and later ask for a new key when they lose one or it
// leaks. Every field is public.
type Acceptance struct {
	AcceptedBy           string   `json:"accepted_by"`
	Date                 Date     `json:"date"`
	TermsVersion         string   `json:"terms_version"`
	DataSharingAgreement bool     `json:"data_sharing_agreement,omitempty"`
	NewKeys              []NewKey `json:"new_keys,omitempty"`
}

// NewKey is a requester's request for a new key, replacing the one they hold.
type NewKey struct {
	Date   Date   `json:"date"`
	Reason string `json:"reason"` // NewKeyLost, NewKeyLeaked or NewKeyRoutine
}

// Reasons for a new key. A leaked key is revoked at once; any other is revoked once its
// successor is delivered.
const (
	NewKeyLost    = "lost"
	NewKeyLeaked  = "leaked"
	NewKeyRoutine = "routine"
)

// Accepts reports whether the acceptance covers what decision d requires before a key is
// issued: the terms version it names, and the data-sharing agreement when it requires one.
func (a *Acceptance) Accepts(d *Decision) bool {
	if a == nil || d == nil || d.Conditions == nil {
		return false
	}
	return a.TermsVersion == d.Conditions.TermsVersion && (a.DataSharingAgreement || !d.Conditions.DataSharingAgreement)
}

// Action is the kind of an enforcement action.
type Action string

const (
	ActionWarning       Action = "warning"
	ActionSuspension    Action = "suspension"
	ActionRevocation    Action = "revocation"
	ActionReinstatement Action = "reinstatement"
	// ActionAgreementTermination ends the data-sharing agreement: data shared under it may no
	// longer be used, and an API key issued with it stops working for good.
	ActionAgreementTermination Action = "agreement-termination"
	// ActionRemediationRequest asks the requester to put right a misuse (delete copies, fix
	// a publication) by a deadline; access is not changed by it.
	ActionRemediationRequest Action = "remediation-request"
	// ActionRemovalRequest asks the requester to take down a public release derived from the
	// data by a deadline; access is not changed by it.
	ActionRemovalRequest Action = "removal-request"
)

// AsksRequester reports whether the action asks something of the requester by a deadline,
// and so has an outcome.
func (a Action) AsksRequester() bool {
	return a == ActionRemediationRequest || a == ActionRemovalRequest
}

// ChangesKey reports whether the action changes whether an API key works.
func (a Action) ChangesKey() bool {
	switch a {
	case ActionSuspension, ActionRevocation, ActionReinstatement, ActionAgreementTermination:
		return true
	}
	return false
}

// Results of what an enforcement action asked of the requester.
const (
	ResultComplied    = "complied"      // done by the deadline
	ResultLate        = "complied-late" // done, after the deadline
	ResultNotComplied = "not-complied"
	ResultWithdrawn   = "withdrawn" // staff no longer ask it
)

// Enforcement is requests/<id>/enforcement.yaml: staff actions after misuse of an issued key
// or of shared data, oldest first.
type Enforcement struct {
	Actions []EnforcementAction `json:"actions"`
}

// EnforcementAction is one entry of an enforcement history.
type EnforcementAction struct {
	Action Action `json:"action"`
	Date   Date   `json:"date"`
	Until  Date   `json:"until,omitzero"`
	By     string `json:"by"`
	Reason string `json:"reason"`
	// Deadline is the last day to do what a remediation or removal request asks; Outcome,
	// added once it is known, what became of it.
	Deadline Date          `json:"deadline,omitzero"`
	Outcome  ActionOutcome `json:"outcome,omitzero"`
}

// ActionOutcome is what became of what an enforcement action asked of the requester.
type ActionOutcome struct {
	Result string `json:"result"` // ResultComplied, ResultLate, ResultNotComplied or ResultWithdrawn
	Date   Date   `json:"date"`
	Note   string `json:"note,omitempty"`
}

// Config is .github/docket.yml.
type Config struct {
	Program        Program        `json:"program"`
	Links          Links          `json:"links"`
	Staff          Staff          `json:"staff"`
	Appeals        Appeals        `json:"appeals"`
	Intake         Intake         `json:"intake,omitempty"`
	ServiceTargets ServiceTargets `json:"service_targets"`
	Keys           KeyPolicy      `json:"keys"`
	Catalog        []CatalogEntry `json:"catalog"`
	// Evaluation and Enforcement are the program's own policy; empty means the defaults.
	Evaluation  EvaluationPolicy  `json:"evaluation,omitzero"`
	Enforcement EnforcementPolicy `json:"enforcement,omitzero"`
}

// Program is the program as the public sees it.
type Program struct {
	Name       string `json:"name"`
	City       string `json:"city"`
	SampleData bool   `json:"sample_data,omitempty"`
	BaseURL    string `json:"base_url,omitempty"`
	// TimeZone is the program's IANA time zone (e.g. America/Chicago); empty means UTC. Every
	// date derived from a timestamp and every "today" is a day in this zone.
	TimeZone string `json:"time_zone,omitempty"`
}

// Links point to the portal and the people behind the program.
type Links struct {
	Portal  string `json:"portal"`
	Contact string `json:"contact"`
	Email   string `json:"email,omitempty"`
	Terms   string `json:"terms,omitempty"`
	// Repository is the docket's repository on GitHub (https://github.com/owner/name): the
	// site's "Make a request" links open its issue forms.
	Repository string `json:"repository,omitempty"`
}

// Staff are the people who may decide and enforce.
type Staff struct {
	Logins []string `json:"logins"`
	Team   string   `json:"team,omitempty"`
}

// Appeals says where appeals go.
type Appeals struct {
	Escalation Contact `json:"escalation"`
	WindowDays int     `json:"window_days"`
}

// Intake says how requests come in.
type Intake struct {
	// MaxOpenPerRequester is how many new requests one person may have waiting in open pull
	// requests; 0 means DefaultMaxOpenPerRequester. Staff are not limited.
	MaxOpenPerRequester int `json:"max_open_per_requester,omitempty"`
}

// DefaultMaxOpenPerRequester is Intake.MaxOpenPerRequester when the configuration says nothing.
const DefaultMaxOpenPerRequester = 3

// OpenLimit returns how many new requests one requester may have waiting at a time.
func (in Intake) OpenLimit() int {
	if in.MaxOpenPerRequester > 0 {
		return in.MaxOpenPerRequester
	}
	return DefaultMaxOpenPerRequester
}

// Contact is a person or office.
type Contact struct {
	Name  string `json:"name"`
	URL   string `json:"url,omitempty"`
	Email string `json:"email,omitempty"`
	// Logins are GitHub logins of the people behind the contact (for the appeals escalation:
	// who may decide an appeal).
	Logins []string `json:"logins,omitempty"`
}

// ServiceTargets are the response times the program aims for, in calendar days.
type ServiceTargets struct {
	FirstResponseDays int `json:"first_response_days"`
	DecisionDays      int `json:"decision_days"`
	// AppealDecisionDays is the target from an appeal to the decision on it; 0 means none.
	AppealDecisionDays int `json:"appeal_decision_days,omitempty"`
}

// KeyPolicy bounds every key the program issues.
type KeyPolicy struct {
	Prefix          string `json:"prefix"`
	DefaultLimits   Limits `json:"default_limits"`
	MaxLimits       Limits `json:"max_limits"`
	MaxLifetimeDays int    `json:"max_lifetime_days"`
}

// CatalogEntry is one dataset or API the program publishes.
type CatalogEntry struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	URL         string `json:"url"`
	Department  string `json:"department,omitempty"`
	Sensitivity string `json:"sensitivity"`
	API         bool   `json:"api"`
	// APIPaths are the URL path prefixes the dataset's API is served under (e.g.
	// /resource/d4px-6rwg); docket gate maps a call to its dataset by them.
	APIPaths []string `json:"api_paths,omitempty"`
}

// Sensitivity classes of catalog entries.
const SensitivityRestricted = "restricted"

// IsStaff reports whether login is one of the configured staff logins. GitHub logins are
// case-insensitive. Membership of the configured team can only be asked of GitHub.
func (c *Config) IsStaff(login string) bool {
	for _, l := range c.Staff.Logins {
		if strings.EqualFold(l, login) {
			return true
		}
	}
	return false
}

// Dataset returns the catalog entry with the given id.
func (c *Config) Dataset(id string) (CatalogEntry, bool) {
	for _, e := range c.Catalog {
		if e.ID == id {
			return e, true
		}
	}
	return CatalogEntry{}, false
}
