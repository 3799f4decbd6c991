package gate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The nginx configuration the README shows is the one the end-to-end test runs: every line of
// the README's nginx block is a line of testdata/nginx.conf.tmpl, in the same order.
func TestREADMEShowsTheTestedNginxConfig(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := os.ReadFile(filepath.Join("testdata", "nginx.conf.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(readme), "```nginx\n")
	if !ok {
		t.Fatal("README.md has no nginx block")
	}
	block, _, _ = strings.Cut(block, "```")
	var lines []string
	for _, l := range strings.Split(strings.ReplaceAll(string(tmpl), "{{.Location}}", "/"), "\n") {
		lines = append(lines, strings.TrimSpace(l))
	}
	at := 0
	for _, want := range strings.Split(block, "\n") {
		want = strings.TrimSpace(want)
		if want == "" {
			continue
		}
		for at < len(lines) && lines[at] != want {
			at++
		}
		if at == len(lines) {
			t.Fatalf("README.md's nginx block has %q, which testdata/nginx.conf.tmpl does not have there", want)
		}
	}
}
