package website

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The sample site names its repository in links.repository: the index, every guide and the
// catalog carry the call to action, whose buttons open the two request forms, and the catalog
// lists every dataset with its id and a form with the dataset filled in.
func TestCatalogAndCallToAction(t *testing.T) {
	files := readSite(t, buildSite(t, sampleDocket(t), nil))
	const repo = "https://github.com/opendata-docket/docket/issues/new?"
	datasetForm := `href="` + repo + `template=request-dataset.yml"`
	apiForm := `href="` + repo + `template=request-api-access.yml"`
	pages := []string{"index.html", "catalog/index.html"}
	for p := range files {
		if strings.HasPrefix(p, "guide/") {
			pages = append(pages, p)
		}
	}
	for _, p := range pages {
		page := string(files[p])
		if !strings.Contains(page, `<h2 id="cta-heading">Make a request</h2>`) || !strings.Contains(page, datasetForm) || !strings.Contains(page, apiForm) {
			t.Errorf("%s: no call to action opening the request forms", p)
		}
	}
	if strings.Contains(string(files["status/approved/index.html"]), "cta-heading") {
		t.Error("a filtered list repeats the call to action")
	}
	catalog := string(files["catalog/index.html"])
	for _, want := range []string{
		`<tr id="dataset-kcmo-311-service-requests">`,
		`<th scope="row"><a href="https://data.kcmo.org/d/d4px-6rwg">311 Call Center Service Requests</a></th>`,
		`<td data-label="Id"><code>kcmo-311-service-requests</code></td>`,
		`<td data-label="Department">Office of Performance Management (311 Call Center)</td>`,
		`<a href="` + repo + `datasets=kcmo-311-service-requests&amp;template=request-api-access.yml">Ask for a key`,
		`<td data-label="Sensitivity">Restricted: only under a data-sharing agreement</td>`,
		`<td data-label="API keys">Not offered: download it from the portal</td>`,
		`13 datasets are listed; 11 offer API keys.`,
	} {
		if !strings.Contains(catalog, want) {
			t.Errorf("the catalog page lacks %s", want)
		}
	}
	if got := strings.Count(catalog, `<tr id="dataset-`); got != 13 {
		t.Errorf("the catalog page lists %d datasets, want 13", got)
	}
	// The guides link to the catalog, and the enforcement guide to the misuse form.
	for _, g := range []string{"guide/request-a-dataset/index.html", "guide/api-access/index.html"} {
		if !strings.Contains(string(files[g]), `href="../../catalog/index.html"`) {
			t.Errorf("%s does not link to the catalog", g)
		}
	}
	if !strings.Contains(string(files["guide/enforcement/index.html"]), `href="`+repo+`template=report-misuse.yml"`) {
		t.Error("the enforcement guide does not link to the misuse form")
	}
	// Every page's navigation reaches the catalog.
	if !strings.Contains(string(files["stats/index.html"]), `<a href="../catalog/index.html">Datasets</a>`) {
		t.Error("the navigation has no link to the catalog")
	}
}

// Without a known repository there are no forms to open: the call to action leads to the
// guides, which explain the pull-request way in, and nothing links to an issue form.
func TestCallToActionWithoutRepository(t *testing.T) {
	dir := sampleDocket(t)
	cfg := filepath.Join(dir, ".github", "docket.yml")
	b, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(b), "  repository: https://github.com/opendata-docket/docket\n", "", 1)
	if text == string(b) {
		t.Fatal("the sample configuration names no repository")
	}
	if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	files := readSite(t, buildSite(t, dir, nil))
	for p, f := range files {
		if strings.Contains(string(f), "/issues/new") {
			t.Errorf("%s links to an issue form of an unknown repository", p)
		}
	}
	if !strings.Contains(string(files["index.html"]), `<a class="button" href="guide/request-a-dataset/index.html">How to ask for a new dataset</a>`) {
		t.Error("the call to action does not lead to the guide")
	}
	// In Actions the build is told its repository, and the forms are those of that one.
	files = readSite(t, buildSite(t, dir, &Input{Source: "https://github.com/kcmo/requests"}))
	if !strings.Contains(string(files["index.html"]), `href="https://github.com/kcmo/requests/issues/new?template=request-dataset.yml"`) {
		t.Error("the forms are not those of the repository the build was told about")
	}
}

// The forms the site links to are in the repository.
func TestFormsExist(t *testing.T) {
	for _, f := range []string{FormDataset, FormAPIAccess, FormMisuse} {
		b, err := os.ReadFile(filepath.Join("..", "..", ".github", "ISSUE_TEMPLATE", f))
		if err != nil {
			t.Errorf("the site links to %s: %v", f, err)
			continue
		}
		if f == FormAPIAccess && !strings.Contains(string(b), "\n    id: datasets\n") {
			t.Errorf("%s has no field with the id datasets, which the catalog fills in", f)
		}
	}
}
