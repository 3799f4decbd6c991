package scaffold

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// kansasCity are the answers that give this repository's own files: the workflows and forms a
// new docket gets must not drift from the ones docket itself runs.
func kansasCity() *Answers {
	return &Answers{
		Name: "KC Open Data Requests", City: "Kansas City, Missouri", TimeZone: "America/Chicago",
		BaseURL: "https://opendata-docket.github.io/docket/", Repository: "https://github.com/opendata-docket/docket",
		Portal: "https://data.kcmo.org", Contact: "https://www.kcmo.gov/city-hall/departments/information-technology",
		Staff:             []string{"kc-opendata-lee", "kc-opendata-ramirez", "kcit-okafor"},
		Escalation:        Escalation{Name: "Director, Information Technology (Innovation & Technology)"},
		FirstResponseDays: 5, DecisionDays: 30, KeyPrefix: "kcod",
		Dataset:       Dataset{ID: "kcmo-311-service-requests", Name: "311 Call Center Service Requests", URL: "https://data.kcmo.org/d/d4px-6rwg", API: true},
		DocketVersion: "v9.9.9",
	}
}

// installSteps are the steps that get docket onto the runner: this repository builds it from
// its own source, a new docket installs the pinned release.
func installStep(name string) bool {
	return name == "Set up Go" || name == "Build docket" || name == "Check out docket from the base branch" || strings.HasPrefix(name, "Install docket")
}

// normalize drops the install steps of every job and runs docket as "$RUNNER_TEMP/docket".
func normalize(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	jobs, _ := doc["jobs"].(map[string]any)
	for _, j := range jobs {
		job := j.(map[string]any)
		steps, _ := job["steps"].([]any)
		var kept []any
		for _, s := range steps {
			step := s.(map[string]any)
			if name, _ := step["name"].(string); installStep(name) {
				continue
			}
			if run, ok := step["run"].(string); ok {
				step["run"] = strings.ReplaceAll(run, "go run ./cmd/docket ", `"$RUNNER_TEMP/docket" `)
			}
			kept = append(kept, step)
		}
		job["steps"] = kept
	}
	return doc
}

func TestWorkflowsMatchRepository(t *testing.T) {
	a := kansasCity()
	names, err := filepath.Glob("../../.github/workflows/*.yml")
	if err != nil || len(names) == 0 {
		t.Fatalf("no workflows in .github/workflows: %v", err)
	}
	for _, n := range names {
		base := filepath.Base(n)
		t.Run(base, func(t *testing.T) {
			have, err := os.ReadFile(n)
			if err != nil {
				t.Fatal(err)
			}
			made, err := Render("workflows/"+base+".tmpl", a)
			if err != nil {
				t.Fatalf("no template for the workflow %s (add internal/scaffold/templates/workflows/%s.tmpl): %v", base, base, err)
			}
			if got, want := normalize(t, made), normalize(t, have); !reflect.DeepEqual(got, want) {
				g, _ := yaml.Marshal(got)
				w, _ := yaml.Marshal(want)
				t.Errorf("the template differs from .github/workflows/%s in more than how docket is installed:\n--- template\n%s\n--- repository\n%s", base, g, w)
			}
			// Every job that runs docket installs the pinned release, and nothing is built.
			var doc map[string]any
			if err := yaml.Unmarshal(made, &doc); err != nil {
				t.Fatal(err)
			}
			for name, j := range doc["jobs"].(map[string]any) {
				steps, _ := j.(map[string]any)["steps"].([]any)
				installs, runs := false, false
				for _, s := range steps {
					step := s.(map[string]any)
					run, _ := step["run"].(string)
					if strings.Contains(run, "go install github.com/opendata-docket/docket/cmd/docket@v9.9.9") {
						installs = true
					}
					if strings.Contains(run, `"$RUNNER_TEMP/docket"`) {
						runs = true
					}
					if strings.Contains(run, "go build") || strings.Contains(run, "go run") {
						t.Errorf("job %s builds docket from source: %q", name, run)
					}
				}
				if runs && !installs {
					t.Errorf("job %s runs docket without installing the pinned release", name)
				}
			}
		})
	}
}

func TestIssueFormsMatchRepository(t *testing.T) {
	a := kansasCity()
	names, _ := filepath.Glob("../../.github/ISSUE_TEMPLATE/*.yml")
	if len(names) == 0 {
		t.Fatal("no issue forms in .github/ISSUE_TEMPLATE")
	}
	for _, n := range names {
		have, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		made, err := Render("ISSUE_TEMPLATE/"+filepath.Base(n)+".tmpl", a)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(made, have) {
			t.Errorf("the template of %s differs from the repository's with Kansas City's answers:\n%s", filepath.Base(n), made)
		}
	}
}

func riverton() *Answers {
	return &Answers{
		Name: "Riverton Data Desk", City: "Riverton", TimeZone: "Asia/Kolkata",
		Portal: "https://data.riverton.example", Contact: "https://riverton.example/desk",
		Staff: []string{"rv-ana"}, Escalation: Escalation{Name: "Chief Data Officer"},
		FirstResponseDays: 3, DecisionDays: 20, KeyPrefix: "rvdd",
		Dataset:       Dataset{ID: "river-gauges", Name: "River Gauges", URL: "https://data.riverton.example/d/g", API: true},
		DocketVersion: "v1.4.0",
	}
}

func TestCronInTheProgramsZone(t *testing.T) {
	a := riverton()
	// 00:15 in India (UTC+5:30) is 18:45 UTC the day before; 08:17 is 02:47 UTC.
	if got := a.PublishCron(); got != "45 18 * * *" {
		t.Errorf("PublishCron = %q, want 45 18 * * *", got)
	}
	if got := a.RemindCron(); got != "47 2 * * *" {
		t.Errorf("RemindCron = %q, want 47 2 * * *", got)
	}
}

func TestCheck(t *testing.T) {
	if errs := riverton().Check(); len(errs) != 0 {
		t.Fatalf("valid answers refused: %v", errs)
	}
	a := riverton()
	a.KeyPrefix, a.Staff, a.DocketVersion, a.FirstResponseDays = "RV", nil, "v1.4.0+dirty", 40
	var got []string
	for _, e := range a.Check() {
		got = append(got, e.Error())
	}
	want := []string{
		"staff: give at least one GitHub login",
		"first response target: 40 days is more than the decision target, 20 days",
		`key prefix: "RV" is not a key prefix: 2 to 10 lowercase letters and digits, starting with a letter`,
		`docket version: "v1.4.0+dirty" is not a docket release like v1.2.0`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Check =\n%q\nwant\n%q", got, want)
	}
}

func TestYAMLValuesAreQuoted(t *testing.T) {
	a := riverton()
	a.Name = "Data: #1 desk"
	files, err := Files(a)
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Program struct{ Name string } `yaml:"program"`
	}
	if err := yaml.Unmarshal(files[".github/docket.yml"], &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Program.Name != a.Name {
		t.Errorf("program.name read back as %q, want %q", cfg.Program.Name, a.Name)
	}
}

func TestWriteNeverReplaces(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "mine.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := Write(dir, map[string][]byte{"mine.txt": []byte("theirs")})
	if !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("Write into a folder with a file: %v, want ErrNotEmpty", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "mine.txt")); string(b) != "mine" {
		t.Errorf("mine.txt was changed to %q", b)
	}
}

func TestWriteAllOrNothing(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "new")
	// "a" cannot be both a file and a folder: the second file fails after the first was written.
	err := Write(dir, map[string][]byte{"a": []byte("x"), "a/b": []byte("y")})
	if err == nil {
		t.Fatal("Write succeeded with a file and a folder of the same name")
	}
	left, _ := os.ReadDir(parent)
	if len(left) != 0 {
		t.Errorf("a failed Write left %v behind", left)
	}
	// Into an existing empty folder, every file arrives.
	empty := filepath.Join(parent, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := Write(empty, map[string][]byte{"x/y.txt": []byte("y"), "z.txt": nil}); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(empty, "x", "y.txt")); err != nil || string(b) != "y" {
		t.Errorf("x/y.txt: %q, %v", b, err)
	}
	left, _ = os.ReadDir(parent)
	if len(left) != 1 {
		t.Errorf("the temporary folder was left: %v", left)
	}
}

func TestPagesURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://github.com/Riverton-Data/desk":          "https://riverton-data.github.io/desk/",
		"https://github.com/riverton/riverton.github.io": "https://riverton.github.io/",
		"https://github.com/Riverton/Riverton.GitHub.io": "https://riverton.github.io/",
		"":                       "",
		"https://gitlab.com/a/b": "",
	} {
		if got := PagesURL(in); got != want {
			t.Errorf("PagesURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCheckTextRefusesControlCharacters(t *testing.T) {
	if _, err := CheckText(120)("Riverton\x1b[2J Desk"); err == nil {
		t.Error("a terminal escape was accepted in a name")
	}
	if got, err := CheckText(120)("  Riverton   Data Desk "); err != nil || got != "Riverton Data Desk" {
		t.Errorf("CheckText = %q, %v", got, err)
	}
}

// A one-character name is refused at its question, as the configuration's schema would refuse it
// after all the others.
func TestCheckTextRefusesTooShort(t *testing.T) {
	for _, s := range []string{"X", " N ", "é"} {
		if _, err := CheckText(120)(s); err == nil || !strings.Contains(err.Error(), "too short") {
			t.Errorf("%q: %v", s, err)
		}
	}
	if got, err := CheckText(120)("KC"); err != nil || got != "KC" {
		t.Errorf("two characters: %q %v", got, err)
	}
}
