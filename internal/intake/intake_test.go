package intake

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/draft"
	"github.com/opendata-docket/docket/internal/validate"
	"go.yaml.in/yaml/v3"
)

// The questions intake knows and the form files GitHub renders must agree label for label,
// option for option: GitHub writes the labels, and intake finds the answers by them.
func TestFormsMatchFiles(t *testing.T) {
	type element struct {
		Type       string
		ID         string
		Attributes struct {
			Label   string
			Options []any
		}
		Validations struct{ Required bool }
	}
	for _, f := range Forms {
		b, err := os.ReadFile(filepath.Join("..", "..", ".github", "ISSUE_TEMPLATE", f.File))
		if err != nil {
			t.Fatal(err)
		}
		var file struct{ Body []element }
		if err := yaml.Unmarshal(b, &file); err != nil {
			t.Fatalf("%s: %v", f.File, err)
		}
		var got []Question
		for _, e := range file.Body {
			if e.Type == "markdown" {
				continue
			}
			q := Question{ID: e.ID, Label: e.Attributes.Label, Type: e.Type, Required: e.Validations.Required}
			for _, o := range e.Attributes.Options {
				switch o := o.(type) {
				case string:
					q.Options = append(q.Options, Option{Words: o})
				case map[string]any:
					q.Options = append(q.Options, Option{Words: o["label"].(string)})
					q.Required = q.Required || o["required"] == true
				}
			}
			got = append(got, q)
		}
		if len(got) != len(f.Questions) {
			t.Fatalf("%s has %d questions, intake knows %d", f.File, len(got), len(f.Questions))
		}
		for i, want := range f.Questions {
			g := got[i]
			if g.ID != want.ID || g.Label != want.Label || g.Type != want.Type || g.Required != want.Required || len(g.Options) != len(want.Options) {
				t.Errorf("%s question %d: the file has %+v, intake knows %+v", f.File, i+1, g, want)
				continue
			}
			for j := range want.Options {
				if g.Options[j].Words != want.Options[j].Words {
					t.Errorf("%s %s option %d: the file has %q, intake knows %q", f.File, want.ID, j+1, g.Options[j].Words, want.Options[j].Words)
				}
			}
		}
	}
}

func body(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Bodies as GitHub renders them: every answer under its heading, _No response_ for an empty
// one, a fenced block around a textarea with render, ticked boxes as "- [X]" or "- [x]".
func TestParse(t *testing.T) {
	a := Parse(body(t, "api-access.md"))
	if a == nil || a.Form != APIForm {
		t.Fatalf("the API-access form was not recognised: %+v", a)
	}
	for id, want := range map[string]string{
		"title":            "Daily 311 service requests for a neighborhood dashboard",
		"requester_type":   "A nonprofit or community group",
		"datasets":         "- kcmo-311-service-requests\n- Property Violations",
		"requests_per_day": "2,000",
		"purpose":          "We chart how quickly pothole and trash reports are closed in our neighborhoods.\n\n### Heading the requester wrote\n\nIt stays part of the answer above.",
		"age_recipient":    "",
		"id":               "",
	} {
		if got := a.Values[id]; got != want {
			t.Errorf("%s = %q, want %q", id, got, want)
		}
	}
	if !reflect.DeepEqual(a.Ticked["public"], []string{"I understand that everything I write here is published, with the city's answer."}) || len(a.Missing) != 0 {
		t.Errorf("ticked %v, missing %v", a.Ticked, a.Missing)
	}

	d := Parse(strings.ReplaceAll(body(t, "dataset.md"), "\n", "\r\n"))
	if d == nil || d.Form != DatasetForm {
		t.Fatalf("the dataset form (with Windows line ends) was not recognised")
	}
	if got, want := d.Values["sample_rows"], "request_date,block,status\n2026-03-02,\"3100 block of Prospect Ave, east side\",open\n2026-03-05,4200 block of Troost Ave,"; got != want {
		t.Errorf("sample rows = %q, want %q", got, want)
	}
	if len(d.Ticked["public"]) != 1 {
		t.Errorf("a box ticked as [x] was not read")
	}

	for _, name := range []string{"misuse.md", "blank.md"} {
		if a := Parse(body(t, name)); a != nil {
			t.Errorf("%s was read as the %s form", name, a.Form.File)
		}
	}
	// A question deleted when the issue was edited is missing, not empty.
	cut := strings.Replace(body(t, "api-access.md"), "### Calls a day\n\n2,000\n\n", "", 1)
	if a := Parse(cut); a == nil || !reflect.DeepEqual(a.Missing, []string{"requests_per_day"}) {
		t.Errorf("a deleted question: %+v", a)
	}
}

func sampleConfig(t *testing.T) (*docket.Config, fs.FS) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", ".github", "docket.yml"))
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{docket.ConfigPath: {Data: b}}
	v, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	r, _, err := v.Repository(fsys, validate.Options{Today: docket.MustDate("2026-11-27")})
	if err != nil || r.Config == nil {
		t.Fatal("the sample configuration did not load", err)
	}
	return r.Config, fsys
}

// validateRequest writes req and validates it as requests/id/request.yaml.
func validateRequest(t *testing.T, fsys fs.FS, id string, req *docket.Request) []docket.Finding {
	t.Helper()
	text, err := draft.Request(req)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := validate.New()
	_, findings, err := v.Repository(draft.Overlay(fsys, map[string][]byte{"requests/" + id + "/request.yaml": text}), validate.Options{Today: docket.MustDate("2026-11-27")})
	if err != nil {
		t.Fatal(err)
	}
	return findings
}

// A well-filled form becomes a valid request with the author as requester, every
// answer in it; a dataset's exact name is written as its id.
func TestBuild(t *testing.T) {
	cfg, fsys := sampleConfig(t)
	req, id, problems := Build(Parse(body(t, "api-access.md")), "maria-delgado-kc", cfg)
	if len(problems) > 0 || id != "" {
		t.Fatalf("problems %v, id %q", problems, id)
	}
	want := &docket.Request{
		Kind:      docket.KindAPIAccess,
		Title:     "Daily 311 service requests for a neighborhood dashboard",
		Requester: docket.Requester{GitHub: "maria-delgado-kc", Name: "Maria Delgado", Organization: "Northeast KC Neighborhood Alliance", Type: "nonprofit"},
		APIAccess: &docket.APIAsk{Datasets: []string{"kcmo-311-service-requests", "kcmo-property-violations"},
			Traffic: docket.Traffic{RequestsPerDay: 2000, PeakRequestsPerSecond: 2}, Integration: "A nightly job pulls the day's new cases into our dashboard database."},
		Purpose:              docket.Purpose{Use: "analytics", Description: "We chart how quickly pothole and trash reports are closed in our neighborhoods.\n\n### Heading the requester wrote\n\nIt stays part of the answer above."},
		Privacy:              docket.Privacy{Considerations: "The dataset has no names; we publish counts by block group only."},
		DataSharingAgreement: true,
	}
	if !reflect.DeepEqual(req, want) {
		t.Errorf("got  %+v\nwant %+v", req, want)
	}
	if f := validateRequest(t, fsys, "dashboard", req); docket.HasErrors(f) {
		t.Errorf("the request is not valid: %v", f)
	}

	req, id, problems = Build(Parse(body(t, "dataset.md")), "req-dan", cfg)
	if len(problems) > 0 || id != "sidewalk-repairs" {
		t.Fatalf("problems %v, id %q", problems, id)
	}
	ds := req.Dataset
	if ds.UpdateFrequency != "weekly" || len(ds.Fields) != 3 || ds.Fields[2] != (docket.Field{Name: "status", Type: "text", Description: "Open or closed"}) ||
		len(ds.SampleRows) != 2 || ds.SampleRows[0]["block"] != "3100 block of Prospect Ave, east side" || len(ds.SampleRows[1]) != 2 {
		t.Errorf("dataset %+v", ds)
	}
	if f := validateRequest(t, fsys, "sidewalk-repairs", req); docket.HasErrors(f) {
		t.Errorf("the request is not valid: %v", f)
	}
}

// A badly filled form gets one list of exactly the answers to fix, in the order of the form,
// every problem of a question at once: what could not be read, then what validation found.
func TestProblems(t *testing.T) {
	cfg, fsys := sampleConfig(t)
	a := Parse(body(t, "badly-filled.md"))
	req, _, problems := Build(a, "student-sam", cfg)
	problems = FromFindings(a.Form, problems, validateRequest(t, fsys, "class", req))
	var got []string
	for _, p := range problems {
		got = append(got, p.Question+": "+p.Message)
	}
	want := []string{
		"Title of your request: is too short: write at least 8 characters (it has 4)",
		"Datasets: kcmo-311-servce-requests is not in the catalog; did you mean kcmo-311-service-requests (311 Call Center Service Requests)?; kcmo-adopted-budget (Adopted Budget by Department) is not offered through the API; download it from the portal instead",
		`Calls a day: write a whole number, like 2000; you wrote "about two thousand"`,
		"How you will use the API: this answer is needed",
		"Public record: tick the box to say you understand that everything you write here is published",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// What a requester typed reaches the comment inert: no mention, link, image or HTML of its own.
func TestCommentEscapes(t *testing.T) {
	c := ProblemsComment([]Problem{{"Datasets", `@city-council [click](https://evil.example) <img src=x> **bold** | cell`}}, 7)
	for _, bad := range []string{"@city-council", "[click](", "<img", "**bold**", " | cell", "https://evil"} {
		if strings.Contains(c, bad) {
			t.Errorf("the comment has %q:\n%s", bad, c)
		}
	}
	if !strings.HasPrefix(c, Marker+"\n") || !strings.Contains(c, "Pull request #7 still has your earlier answers") {
		t.Errorf("comment:\n%s", c)
	}
}

// A code fence left open in one answer does not make the questions after it "missing": they are
// still read, and the answer that opens the block is named; every problem of a question is
// listed at once; a column named as a person writes it gets the name docket expects.
func TestUnclosedFenceAndAllProblems(t *testing.T) {
	cfg, _ := sampleConfig(t)
	b := body(t, "dataset.md")
	b = strings.Replace(b, "request_date, date, The day the request was received\nblock, text,", "```\nRequest Date, date, The day the request was received\nblock, when, ", 1)
	b = strings.Replace(b, "2026-03-05,4200 block of Troost Ave,\n```", "2026-03-05,4200 block of Troost Ave,", 1)
	a := Parse(b)
	if a == nil {
		t.Fatal("not read as a form")
	}
	if len(a.Missing) != 0 {
		t.Errorf("questions read as missing after an open fence: %v", a.Missing)
	}
	if a.Unclosed == "" {
		t.Error("the answer with the open fence is not named")
	}
	_, _, problems := Build(a, "req-dan", cfg)
	var got []string
	for _, p := range problems {
		got = append(got, p.Question+": "+p.Message)
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{
		"opens a ``` block that is never closed",
		`"Request Date"`, "did you mean request_date?",
		`the type "when" of block is not one of`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("problems do not say %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "missing from the issue") {
		t.Errorf("a question after the open fence is called missing:\n%s", all)
	}
}

// The forms offer exactly the values the schema allows, in its order: the labels are the
// forms' own, the values are not.
func TestFormOptionsAreTheSchemas(t *testing.T) {
	for name, tc := range map[string]struct {
		options []Option
		want    []string
	}{
		"requester types": {requesterTypes, docket.RequesterTypes()},
		"uses":            {uses, docket.PurposeUses()},
		"frequencies":     {frequencies, docket.UpdateFrequencies()},
	} {
		var got []string
		for _, o := range tc.options {
			got = append(got, o.Value)
		}
		if !slices.Equal(got, tc.want) || len(got) == 0 {
			t.Errorf("%s: the form offers %q, the schema allows %q", name, got, tc.want)
		}
	}
}
