// Package intake turns a GitHub issue form, filled in by someone who never touches git, into a
// request: it reads the form's answers from the issue body as GitHub renders it (a "### Label"
// heading per question, "_No response_" for an empty answer, "- [X]" for a ticked box), builds
// the request with the author as requester, and says, question by question, which
// answers to fix. Package gh carries the result to GitHub as a branch, a pull request and one
// comment on the issue; docket intake runs it.
package intake

import "github.com/opendata-docket/docket/internal/docket"

// A Question is one field of an issue form. Its label is what GitHub writes as the heading of
// the answer; Field is the request field it fills, to send a validation finding back to it.
type Question struct {
	ID       string
	Label    string
	Type     string // input, textarea, dropdown or checkboxes
	Required bool
	Options  []Option // dropdown: the words shown and the value written; checkboxes: the boxes
	Field    string   // the field of request.yaml, as findings name it; "" for none
}

// An Option is a choice of a dropdown: the words the requester picks and the value written.
type Option struct{ Words, Value string }

// A Form is an issue form in .github/ISSUE_TEMPLATE that intake reads. The questions here and
// in the form's file must agree, label for label and option for option: TestFormsMatchFiles
// checks it, since GitHub writes the labels and intake finds the answers by them.
type Form struct {
	File      string
	Kind      docket.RequestKind
	Questions []Question
}

// Question returns the question with id.
func (f *Form) Question(id string) *Question {
	for i := range f.Questions {
		if f.Questions[i].ID == id {
			return &f.Questions[i]
		}
	}
	return nil
}

var (
	requesterTypes = []Option{
		{"An individual", "individual"},
		{"A nonprofit or community group", "nonprofit"},
		{"A university, a school or a student", "academic"},
		{"A business", "business"},
		{"A government body", "government"},
		{"The media (a journalist or a newsroom)", "media"},
	}
	uses = []Option{
		{"Analysis (charts, maps, dashboards)", "analytics"},
		{"Integration into an app or a system", "integration"},
		{"Research", "research"},
		{"Publication (news, reports)", "publication"},
		{"Something else", "other"},
	}
	frequencies = []Option{
		{"Real time", "realtime"},
		{"Every hour", "hourly"},
		{"Every day", "daily"},
		{"Every week", "weekly"},
		{"Every month", "monthly"},
		{"Every three months", "quarterly"},
		{"Every year", "annually"},
		{"Once is enough", "once"},
	}
	noYes   = []Option{{"No", "no"}, {"Yes", "yes"}}
	yesNo   = []Option{{"Yes", "yes"}, {"No", "no"}}
	consent = []Option{{"I understand that everything I write here is published, with the city's answer.", "yes"}}
)

// The questions both request forms ask, in their order on the forms.
var (
	qTitle        = Question{"title", "Title of your request", "input", true, nil, "title"}
	qType         = Question{"requester_type", "You are asking as", "dropdown", true, requesterTypes, "requester.type"}
	qName         = Question{"name", "Your name (optional)", "input", false, nil, "requester.name"}
	qOrganization = Question{"organization", "Your organization (optional)", "input", false, nil, "requester.organization"}
	qUse          = Question{"use", "Main use", "dropdown", true, uses, "purpose.use"}
	qPurpose      = Question{"purpose", "What you will do with the data", "textarea", true, nil, "purpose.description"}
	qPersonal     = Question{"personal_data", "Could the data identify a person?", "dropdown", true, noYes, "privacy.personal_data"}
	qPrivacy      = Question{"privacy", "Privacy and security", "textarea", true, nil, "privacy.considerations"}
	qDSA          = Question{"data_sharing_agreement", "Would you sign a data-sharing agreement if the city requires one?", "dropdown", true, yesNo, "data_sharing_agreement"}
	qID           = Question{"id", "Request id (optional)", "input", false, nil, ""}
	qPublic       = Question{"public", "Public record", "checkboxes", true, consent, ""}
)

// DatasetForm is .github/ISSUE_TEMPLATE/request-dataset.yml.
var DatasetForm = &Form{File: "request-dataset.yml", Kind: docket.KindDataset, Questions: []Question{
	qTitle, qType, qName, qOrganization,
	{"dataset_name", "Name of the dataset", "input", true, nil, "dataset.name"},
	{"dataset_description", "What the dataset would hold", "textarea", true, nil, "dataset.description"},
	{"source_department", "City department that keeps the data (optional)", "input", false, nil, "dataset.source_department"},
	{"update_frequency", "How often it should be updated", "dropdown", true, frequencies, "dataset.update_frequency"},
	{"fields", "Columns you need", "textarea", true, nil, "dataset.fields"},
	{"sample_rows", "Example rows", "textarea", true, nil, "dataset.sample_rows"},
	qUse, qPurpose, qPersonal, qPrivacy, qDSA, qID, qPublic,
}}

// APIForm is .github/ISSUE_TEMPLATE/request-api-access.yml.
var APIForm = &Form{File: "request-api-access.yml", Kind: docket.KindAPIAccess, Questions: []Question{
	qTitle, qType, qName, qOrganization,
	{"datasets", "Datasets", "textarea", true, nil, "api_access.datasets"},
	{"requests_per_day", "Calls a day", "input", true, nil, "api_access.traffic.requests_per_day"},
	{"peak_requests_per_second", "Most calls in one second", "input", true, nil, "api_access.traffic.peak_requests_per_second"},
	{"integration", "How you will use the API", "textarea", true, nil, "api_access.integration"},
	qUse, qPurpose, qPersonal, qPrivacy, qDSA,
	{"age_recipient", "age public key (optional)", "input", false, nil, "delivery.age_recipient"},
	qID, qPublic,
}}

// Forms are the request forms intake reads.
var Forms = []*Form{DatasetForm, APIForm}
