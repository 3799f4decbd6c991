package website

import (
	"net/url"
	"strings"

	"github.com/opendata-docket/docket/internal/docket"
)

// The issue forms in .github/ISSUE_TEMPLATE that the site's "Make a request" links open.
// docket intake reads what GitHub renders from the two request forms.
const (
	FormDataset   = "request-dataset.yml"
	FormAPIAccess = "request-api-access.yml"
	FormMisuse    = "report-misuse.yml"
)

// requestForms are the addresses of the repository's issue forms. A nil *requestForms means
// the site does not know the repository; its calls to action then lead to the guides, which
// explain the pull-request way in.
type requestForms struct {
	Dataset, API, Misuse string
	repo                 string
}

// formsFor returns the issue forms of the repository at repoURL (https://host/owner/name), or
// nil when there is none.
func formsFor(repoURL string) *requestForms {
	if repoURL == "" {
		return nil
	}
	repoURL = strings.TrimSuffix(repoURL, "/")
	f := &requestForms{repo: repoURL}
	f.Dataset = f.form(FormDataset, nil)
	f.API = f.form(FormAPIAccess, nil)
	f.Misuse = f.form(FormMisuse, nil)
	return f
}

// form is the address that opens the issue form file, with fields filled in: GitHub fills an
// issue form's field from the query parameter named by the field's id.
func (f *requestForms) form(file string, fill url.Values) string {
	q := url.Values{"template": {file}}
	for k, v := range fill {
		q[k] = v
	}
	return f.repo + "/issues/new?" + q.Encode()
}

// APIFor is the API-access form with the dataset id filled in.
func (f *requestForms) APIFor(id string) string {
	return f.form(FormAPIAccess, url.Values{"datasets": {id}})
}

// requestRepository is the repository whose issue forms the site links to: the one the
// configuration names, else the one the build was told about (GITHUB_REPOSITORY in Actions),
// else the clone's origin remote when it is on github.com. A remote on another forge has no
// GitHub issue forms.
func requestRepository(cfg *docket.Config, in *Input) string {
	switch {
	case cfg.Links.Repository != "":
		return cfg.Links.Repository
	case in.Source != "":
		return in.Source
	case in.History != nil && strings.HasPrefix(in.History.Remote, "https://github.com/"):
		return in.History.Remote
	}
	return ""
}

// catalogView is the data of catalog.html.
type catalogView struct {
	Datasets   []catalogRow
	API        int // how many offer API access
	Restricted bool
}

type catalogRow struct {
	docket.CatalogEntry
	SensitivityLabel string
	Requests         int    // requests that asked for the dataset through the API
	Form             string // the API-access form with this dataset filled in; "" without forms
}

func (s *builtSite) catalog() catalogView {
	asked := map[string]int{}
	for _, e := range s.entries {
		if e.Record == nil || e.Record.Request == nil || e.Record.Request.APIAccess == nil {
			continue
		}
		for _, id := range e.Record.Request.APIAccess.Datasets {
			asked[id]++
		}
	}
	var v catalogView
	for _, c := range s.cfg.Catalog {
		row := catalogRow{CatalogEntry: c, SensitivityLabel: sensitivityLabel(c.Sensitivity), Requests: asked[c.ID]}
		if c.API {
			v.API++
			if s.info.Forms != nil {
				row.Form = s.info.Forms.APIFor(c.ID)
			}
		}
		v.Restricted = v.Restricted || c.Sensitivity == docket.SensitivityRestricted
		v.Datasets = append(v.Datasets, row)
	}
	return v
}

func sensitivityLabel(s string) string {
	switch s {
	case "public":
		return "Public"
	case "moderate":
		return "Moderate: reviewed before a key is issued"
	case docket.SensitivityRestricted:
		return "Restricted: only under a data-sharing agreement"
	}
	return s
}
