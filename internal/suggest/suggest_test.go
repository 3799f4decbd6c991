package suggest

import "testing"

func TestClosest(t *testing.T) {
	fields := []string{"organization", "name", "github", "type"}
	for in, want := range map[string]string{
		"organisation": "organization",
		"Github":       "github",
		"git_hub":      "github",
		"nmae":         "name",
		"typ":          "type",
		"colour":       "",
		"name":         "", // exact: nothing to suggest
		"x":            "", // too short to guess
	} {
		if got := Closest(in, fields); got != want {
			t.Errorf("Closest(%q) = %q, want %q", in, got, want)
		}
	}
}
