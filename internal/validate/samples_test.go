package validate

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/opendata-docket/docket/internal/docket"
)

// sampleRepo reads the repository's own configuration and sample requests.
func sampleRepo(t *testing.T) fstest.MapFS {
	t.Helper()
	root := os.DirFS("../..")
	m := fstest.MapFS{}
	add := func(p string) {
		data, err := fs.ReadFile(root, p)
		if err != nil {
			t.Fatal(err)
		}
		m[p] = &fstest.MapFile{Data: data}
	}
	add(docket.ConfigPath)
	files, err := fs.Glob(root, "requests/*/*")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range files {
		add(p)
	}
	return m
}

func validateFS(t *testing.T, fsys fs.FS, day docket.Date) ([]docket.Finding, map[string]docket.Status) {
	t.Helper()
	v, err := New()
	if err != nil {
		t.Fatal(err)
	}
	r, findings, err := v.Repository(fsys, Options{Today: day})
	if err != nil {
		t.Fatal(err)
	}
	statuses := map[string]docket.Status{}
	for _, f := range r.Folders {
		statuses[f.ID] = f.Record.Status(day)
	}
	return findings, statuses
}

// The sample data must validate with no errors, and show every status a request can be in.
func TestSampleData(t *testing.T) {
	repo := sampleRepo(t)
	if len(repo) < 11 {
		t.Fatalf("only %d sample files", len(repo))
	}
	// The main job validates the samples against the day it runs: they must stay valid on any
	// later day (nothing in them may turn into an error as time passes).
	for _, day := range []string{"2026-11-27", "2027-06-30", "2031-01-01", "2099-12-31"} {
		if findings, _ := validateFS(t, repo, docket.MustDate(day)); docket.HasErrors(findings) {
			t.Errorf("sample data has errors as of %s: %v", day, findings)
		}
	}
	var statuses map[string]docket.Status
	// The states are judged on the day the samples were written: suspensions end and keys
	// expire as time passes.
	_, statuses = validateFS(t, repo, docket.MustDate("2026-11-27"))
	seen := map[docket.Status]bool{}
	for _, s := range statuses {
		seen[s] = true
	}
	for _, s := range docket.Statuses {
		if !seen[s] {
			t.Errorf("no sample request is %s", s)
		}
	}
}

var dateRE = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)

// Every way of breaking a sample file must be caught, on the right file and line, in docket's
// own words.
func TestSampleMutations(t *testing.T) {
	base := sampleRepo(t)
	type mutation struct {
		name   string
		apply  func(p string, lines []string) (newPath string, newLines []string, line int, ok bool)
		expect string // a word the message must contain
	}
	appendLine := func(s string) func(string, []string) (string, []string, int, bool) {
		return func(p string, lines []string) (string, []string, int, bool) {
			return p, append(lines, s), len(lines) + 1, true
		}
	}
	replaceFirst := func(re *regexp.Regexp, with string) func(string, []string) (string, []string, int, bool) {
		return func(p string, lines []string) (string, []string, int, bool) {
			for i, l := range lines {
				if re.MatchString(l) && !strings.HasPrefix(strings.TrimSpace(l), "#") {
					out := append([]string(nil), lines...)
					out[i] = re.ReplaceAllString(l, with)
					return p, out, i + 1, true
				}
			}
			return p, nil, 0, false
		}
	}
	mutations := []mutation{
		{"unknown field", appendLine("zz_unknown: 1"), "unknown field"},
		{"alias", appendLine("zz_alias: *somewhere"), "aliases"},
		{"anchor", appendLine("zz_anchor: &here value"), "anchors"},
		{"duplicate key", func(p string, lines []string) (string, []string, int, bool) {
			for _, l := range lines {
				if k, _, ok := strings.Cut(l, ":"); ok && k != "" && !strings.HasPrefix(k, " ") && !strings.HasPrefix(k, "#") {
					return p, append(lines, k+": again"), len(lines) + 1, true
				}
			}
			return p, nil, 0, false
		}, "appears twice"},
		{"second document", appendLine("---"), "one YAML document"},
		{"bad date", replaceFirst(dateRE, "2026-13-45"), "there is no 2026-13-45: a year has 12 months"},
		{"tab indentation", replaceFirst(regexp.MustCompile(`^  (\S)`), "\t$1"), "tabs"},
		{"wrong type", replaceFirst(regexp.MustCompile(`^(title|outcome|date): [^|>].*$`), "$1: [1, 2]"), "must be"},
		{"bad enum", replaceFirst(regexp.MustCompile(`^(kind|outcome): .*$`), "$1: maybe"), "must be one of"},
		{"non-staff", replaceFirst(regexp.MustCompile(`^(\s*(- )?(decided_by|by)): (kc-\S+)$`), "$1: not-staff-person"), "not staff"},
		{"future date", replaceFirst(regexp.MustCompile(`^(\s*(- )?date): .*$`), "$1: 2999-01-01"), "in the future"},
		{"not UTF-8", func(p string, lines []string) (string, []string, int, bool) {
			out := append([]string(nil), lines...)
			out[len(out)-1] += "\xff"
			return p, out, len(out), true
		}, "UTF-8"},
		{"misnamed file", func(p string, lines []string) (string, []string, int, bool) {
			return strings.TrimSuffix(p, ".yaml") + ".yml", lines, 1, true
		}, "rename it to"},
		{"file outside a folder", func(p string, lines []string) (string, []string, int, bool) {
			return "requests/" + path.Base(path.Dir(p)) + "-" + path.Base(p), lines, 1, true
		}, "request folder"},
	}
	count := 0
	for p, file := range base {
		if p == docket.ConfigPath {
			continue
		}
		lines := strings.Split(strings.TrimSuffix(string(file.Data), "\n"), "\n")
		for _, m := range mutations {
			newPath, newLines, line, ok := m.apply(p, lines)
			if !ok {
				continue
			}
			if m.name == "non-staff" && path.Base(p) == docket.RequestFile {
				continue
			}
			count++
			t.Run(fmt.Sprintf("%s/%s", p, m.name), func(t *testing.T) {
				fsys := fstest.MapFS{}
				for k, v := range base {
					fsys[k] = v
				}
				delete(fsys, p)
				fsys[newPath] = &fstest.MapFile{Data: []byte(strings.Join(newLines, "\n") + "\n")}
				findings, _ := validateFS(t, fsys, docket.MustDate("2026-11-27"))
				for _, f := range findings {
					if f.Path == newPath && f.Line == line && f.Severity == docket.Error && strings.Contains(f.Message, m.expect) {
						return
					}
				}
				t.Errorf("no error on %s:%d saying %q; got %v", newPath, line, m.expect, findings)
			})
		}
	}
	if count < 100 {
		t.Errorf("only %d mutations applied", count)
	}
}
