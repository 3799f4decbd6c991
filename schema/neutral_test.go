package schema

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// The schemas ship in every program's docket and are published on its site: they speak of "the
// program", with neutral example values. Kansas City, the worked example in this repository,
// lives in its sample configuration and requests only.
func TestSchemasNameNoCity(t *testing.T) {
	city := regexp.MustCompile(`(?i)kansas|missouri|kcmo|kcpd|northeast-311|kcfd|kcstat|kcod|kc-opendata|kcit|okafor|ramirez|chicago|delgado|\bKC\b|the city's (answer|published)`)
	names, err := fs.Glob(FS, "*.schema.json")
	if err != nil || len(names) == 0 {
		t.Fatalf("no schemas: %v", err)
	}
	for _, n := range names {
		b, err := FS.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if m := city.FindString(line); m != "" {
				t.Errorf("%s:%d names a city (%q): %s", n, i+1, m, strings.TrimSpace(line))
			}
		}
	}
}
