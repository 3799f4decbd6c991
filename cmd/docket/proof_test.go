package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// kansasCity matches what is Kansas City's in this repository's sample: its names, its catalog
// ids and domains, its staff logins, its key prefix and its time zone. None of it may reach a
// docket made for another program.
var kansasCity = regexp.MustCompile(`(?i)kansas|missouri|kcmo|kcpd|kcfd|kcstat|kcod|kc-opendata|kcit|okafor|ramirez|chicago|northeast kc|\bKC\b`)

// TestAnotherCity is the proof that docket serves any program by configuration alone: docket
// init for a fictional city, two requests and a decision, the site built; no file docket
// wrote, the published schemas included, says anything of Kansas City.
func TestAnotherCity(t *testing.T) {
	t.Setenv("DOCKET_AS_OF", "2026-11-27")
	t.Setenv("DOCKET_LOGIN", "")
	dir := filepath.Join(t.TempDir(), "riverton")
	docket := func(args ...string) string {
		t.Helper()
		var out, errb bytes.Buffer
		if code := run(context.Background(), args, &out, &errb); code != 0 {
			t.Fatalf("docket %s: exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errb.String())
		}
		return out.String() + errb.String()
	}
	docket("init", dir, "--no-input", "--name", "Riverton Data Desk", "--city", "Riverton",
		"--time-zone", "America/Denver", "--site", "https://riverton-data.github.io/desk/",
		"--repository", "https://github.com/riverton-data/desk", "--portal", "https://data.riverton.example",
		"--contact", "https://riverton.example/data-desk", "--staff", "rv-ana,rv-bo",
		"--appeals-name", "Chief Data Officer", "--appeals-url", "https://riverton.example/cdo",
		"--first-response-days", "3", "--decision-days", "21", "--appeal-days", "14", "--key-prefix", "rvdd",
		"--dataset-id", "river-gauges", "--dataset-name", "River Gauge Readings",
		"--dataset-url", "https://data.riverton.example/d/gauges", "--dataset-api-path", "/api/gauges",
		"--docket-version", "v1.4.0")
	docket("new", "--repo", dir, "--no-input", "--kind", "api-access", "--title", "Flood alerts for the east bank",
		"--github", "req-mo", "--type", "nonprofit", "--organization", "East Bank Residents", "--datasets", "river-gauges",
		"--requests-per-day", "500", "--peak-per-second", "1", "--integration", "A job polls the gauges every ten minutes.",
		"--use", "integration", "--purpose", "We text residents when the river rises above flood stage.",
		"--personal-data", "no", "--privacy", "Only gauge readings are read; no personal data.", "--data-sharing", "yes")
	docket("new", "--repo", dir, "--no-input", "--kind", "dataset", "--title", "Snow plow routes by street",
		"--github", "req-li", "--type", "individual", "--dataset-name", "Snow Plow Routes",
		"--description", "Which streets each plow route covers, and in which order.", "--frequency", "annually",
		"--field", "street:text:The street's name", "--field", "route:integer:The route's number",
		"--use", "analytics", "--purpose", "A map of which streets are cleared first after a storm.",
		"--personal-data", "no", "--privacy", "Streets and routes only.", "--data-sharing", "no")
	docket("decide", "flood-alerts-for-the-east-bank", "--repo", dir, "--approve", "--by", "rv-ana",
		"--terms-version", "2026-01", "--no-edit", "--no-input")
	out := filepath.Join(t.TempDir(), "site")
	docket("build", "--repo", dir, "--out", out)

	files := 0
	for _, root := range []string{dir, out} {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			files++
			for _, line := range strings.Split(string(b), "\n") {
				if m := kansasCity.FindString(line); m != "" {
					rel, _ := filepath.Rel(filepath.Dir(root), p)
					t.Errorf("%s says %q: %s", rel, m, strings.TrimSpace(line))
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if files < 40 {
		t.Fatalf("only %d files were written", files)
	}
	// The built site is Riverton's.
	index, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil || !bytes.Contains(index, []byte("Riverton Data Desk")) {
		t.Errorf("the site's index does not name Riverton Data Desk (%v)", err)
	}
	req, err := os.ReadFile(filepath.Join(dir, "requests", "snow-plow-routes-by-street", "request.yaml"))
	if err != nil || !bytes.HasPrefix(req, []byte("# yaml-language-server: $schema=https://riverton-data.github.io/desk/schema/request.schema.json\n")) {
		t.Errorf("the request does not point editors at the site's schema:\n%s", req)
	}
}
