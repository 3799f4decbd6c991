package main

import (
	"bytes"
	"context"
	"fmt"
	"github.com/opendata-docket/docket/internal/docket/dockettest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opendata-docket/docket/internal/gitrepo/gittest"
	"github.com/opendata-docket/docket/internal/secrets"
	"github.com/opendata-docket/docket/internal/secrets/secretstest"
)

// TestSecretsAreNeverRepeated pastes a secret of every kind docket knows into every place where
// docket echoes what a requester wrote (a quoted value, a value cut short in a message, a field
// name, the requester's login, a title, file and folder names in and outside requests/, a
// symbolic link's target, a commit message, a revision), runs docket check in every format
// with the summary and the report, and docket validate, and looks in everything they wrote for
// any 12 characters in a row of the secret.
func TestSecretsAreNeverRepeated(t *testing.T) {
	config := []byte(dockettest.Config)
	request := func(s string) string {
		return "kind: api-access\ntitle: " + s + "\nrequester:\n  github: maria\n  type: nonprofit\n" +
			"api_access:\n  datasets: [calls-311]\n  traffic: {requests_per_day: 2000, peak_requests_per_second: 2}\n" +
			"  integration: A nightly job pulls new calls into our database.\n" +
			"purpose:\n  use: analytics\n  description: We chart response times by council district.\n" +
			"privacy:\n  personal_data: false\n  considerations: Only counts by ZIP code are published.\n" +
			"data_sharing_agreement: true\n"
	}
	for _, ex := range secretstest.Examples() {
		s := secretstest.OneLine(ex.Secret)
		quoted := `"` + s + `"`
		long := strings.Repeat("x", 50) + " " + s // cut at 60 characters in messages
		sites := map[string]gittest.Snapshot{
			"a value one of a list":           gittest.Text("requests/bus-feed/request.yaml", strings.Replace(request("Bus feed"), "use: analytics", "use: "+quoted, 1)),
			"a value cut short":               gittest.Text("requests/bus-feed/request.yaml", strings.Replace(request("Bus feed"), "use: analytics", "use: "+long, 1)),
			"a value with a pattern":          gittest.Text("requests/bus-feed/request.yaml", request("Bus feed")+"delivery:\n  age_recipient: "+quoted+"\n"),
			"a value of a list":               gittest.Text("requests/bus-feed/request.yaml", strings.Replace(request("Bus feed"), "datasets: [calls-311]", "datasets: ["+quoted+"]", 1)),
			"a field name":                    gittest.Text("requests/bus-feed/request.yaml", request("Bus feed")+quoted+": 1\n"),
			"a nested field name":             gittest.Text("requests/bus-feed/request.yaml", strings.Replace(request("Bus feed"), "  personal_data: false", "  personal_data: false\n  "+quoted+": 1", 1)),
			"the requester's login":           gittest.Text("requests/bus-feed/request.yaml", strings.Replace(request("Bus feed"), "github: maria", "github: "+quoted, 1)),
			"the title":                       gittest.Text("requests/bus-feed/request.yaml", request(quoted)),
			"a file name in a request folder": gittest.Text("requests/bus-feed/request.yaml", request("Bus feed"), "requests/bus-feed/"+s+".yaml", "x: 1\n"),
			"a request folder name":           gittest.Text("requests/"+s+"/request.yaml", request("Bus feed")),
			"a file name outside requests/":   gittest.Text("docs/"+s+".md", "notes\n"),
			"a folder name outside requests/": gittest.Text(s+"/notes.md", "notes\n"),
			"a file directly in requests/":    gittest.Text("requests/"+s, "x\n"),
			"a line outside requests/":        gittest.Text("README.md", "# Requests\n"+s+"\n"),
			"a symbolic link's target":        gittest.Snapshot{"docs/link": {Data: "../" + s, Mode: 0o120000}},
			// Hints that quote the word around a slip, which a secret's _ or - cuts short.
			"a word in an apostrophe hint": gittest.Text("requests/bus-feed/request.yaml", request("'token "+s+"'s dashboard'")),
			"a word in a quote-mark hint":  gittest.Text("requests/bus-feed/request.yaml", request(`"key `+s+`"s dashboard"`)),
			"a value written with escapes": gittest.Text("requests/bus-feed/request.yaml", request(escaped(s))),
		}
		for site, files := range sites {
			t.Run(ex.Kind+"/"+site, func(t *testing.T) {
				t.Parallel()
				out := checkOutputs(t, config, files, "pr")
				if leak := secretstest.Leak(out, 12); leak != "" {
					t.Errorf("%q is repeated in:\n%s", leak, out)
				}
			})
		}
		t.Run(ex.Kind+"/a revision", func(t *testing.T) {
			t.Parallel()
			out := checkOutputs(t, config, gittest.Text("README.md", "x\n"), s+"~1")
			if leak := secretstest.Leak(out, 12); leak != "" {
				t.Errorf("%q is repeated in:\n%s", leak, out)
			}
		})
	}
}

// checkOutputs commits files on a branch pr from a main holding the configuration, runs docket
// check of head against main in each format, with the summary and the report, and docket
// validate on the files, and returns everything they printed and wrote.
func checkOutputs(t *testing.T, config []byte, files gittest.Snapshot, head string) string {
	t.Helper()
	dir := t.TempDir()
	r, err := gittest.Disk(dir)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	base := gittest.Text(".github/docket.yml", string(config))
	m, err := gittest.Commit(r, "main", base, t0, "base")
	if err != nil {
		t.Fatal(err)
	}
	snap := base
	for p, f := range files {
		snap = snap.WithFile(p, f)
	}
	if _, err := gittest.Commit(r, "pr", snap, t0.Add(time.Hour), "add", m.Hash); err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, format := range []string{"text", "github", "json"} {
		var stdout, stderr bytes.Buffer
		summary, rep := filepath.Join(dir, "summary.md"), filepath.Join(dir, "report.json")
		args := []string{"check", "--repo", dir, "--base", "main", "--head", head, "--actor", "maria", "--format", format, "--summary", summary, "--report", rep}
		run(context.Background(), args, &stdout, &stderr)
		all.WriteString(stdout.String() + stderr.String())
		for _, p := range []string{summary, rep} {
			data, _ := os.ReadFile(p)
			all.Write(data)
			os.Remove(p)
		}
	}
	// docket validate reads a folder: write the files that a file system can hold.
	work := t.TempDir()
	for p, f := range snap {
		if f.Mode != 0 || len(filepath.Base(p)) > 200 {
			continue
		}
		p = filepath.Join(work, filepath.FromSlash(p))
		if os.MkdirAll(filepath.Dir(p), 0o755) == nil {
			os.WriteFile(p, []byte(f.Data), 0o644)
		}
	}
	for _, format := range []string{"text", "github", "json"} {
		var stdout, stderr bytes.Buffer
		run(context.Background(), []string{"validate", "--repo", work, "--format", format}, &stdout, &stderr)
		all.WriteString(stdout.String() + stderr.String())
	}
	return all.String()
}

// escaped writes s as a double-quoted YAML value with its fourth character as a \x escape and a
// line break escaped in the middle: the secret is whole only once the value is decoded.
func escaped(s string) string {
	return `"` + s[:3] + fmt.Sprintf(`\x%02x`, s[3]) + s[4:len(s)/2] + "\\\n  " + s[len(s)/2:] + `"`
}

// A secret written with escapes, or split by an escaped line break, is found in the value it
// decodes to: docket validate refuses the file (so docket build publishes nothing of it) and
// docket check blocks the pull request.
func TestSecretsHiddenByEscapes(t *testing.T) {
	for _, ex := range secretstest.Examples() {
		if ex.Kind == "private key" {
			continue
		}
		dir := t.TempDir()
		req := strings.Replace(checkRequest(t), "title: ", "title: "+escaped(ex.Secret)+"\n#", 1)
		config := []byte(dockettest.Config)
		for name, data := range map[string]string{".github/docket.yml": string(config), "requests/bus-feed/request.yaml": req} {
			p := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), []string{"validate", "--repo", dir}, &stdout, &stderr)
		if code != 1 || !strings.Contains(stdout.String(), "title: contains what looks like "+secrets.Named(ex.Kind)) {
			t.Errorf("%s: exit %d\n%s", ex.Kind, code, stdout.String())
		}
		if leak := secretstest.Leak(stdout.String()+stderr.String(), 12); leak != "" {
			t.Errorf("%s: output repeats %q", ex.Kind, leak)
		}
	}
}
