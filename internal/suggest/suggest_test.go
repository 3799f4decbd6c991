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

// The banded distance agrees with the full one below the limit, on every pair of a set of
// words built to be near one another.
func TestEditDistanceBand(t *testing.T) {
	full := func(a, b string) int {
		ra, rb := []rune(a), []rune(b)
		d := make([][]int, len(ra)+1)
		for i := range d {
			d[i] = make([]int, len(rb)+1)
			d[i][0] = i
		}
		for j := range d[0] {
			d[0][j] = j
		}
		for i := 1; i <= len(ra); i++ {
			for j := 1; j <= len(rb); j++ {
				cost := 1
				if ra[i-1] == rb[j-1] {
					cost = 0
				}
				d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			}
		}
		return d[len(ra)][len(rb)]
	}
	words := []string{"", "a", "ab", "ba", "abc", "acb", "organization", "organisation", "organizations",
		"rganization", "orgnaization", "xyz", "requests_per_day", "request_per_day", "requests-per-day", "dé", "de", "éd"}
	for _, a := range words {
		for _, b := range words {
			for limit := 1; limit <= 4; limit++ {
				want := min(full(a, b), limit)
				if got := editDistance(a, b, limit); got != want {
					t.Errorf("editDistance(%q, %q, %d) = %d, want %d", a, b, limit, got, want)
				}
			}
		}
	}
}

func TestNamed(t *testing.T) {
	catalog := []string{
		"KC Streetcar Daily Ridership kcmo-streetcar-ridership",
		"311 Call Center Service Requests kcmo-311-service-requests",
		"Building Permits (City Planning & Development) kcmo-building-permits",
		"Business License Holders kcmo-business-licenses",
	}
	for in, want := range map[string]int{
		"KC Streetcar Daily Ridership": 0,
		"kc streetcar daily ridership": 0,
		"streetcar ridership":          0,
		"Streetcar":                    0,
		"building permits":             2,
		"311 service requests":         1,
		"kcmo":                         -1, // in every entry
		"business":                     3,
		"parking citations":            -1,
		"":                             -1,
	} {
		if got := Named(in, catalog); got != want {
			t.Errorf("Named(%q) = %d, want %d", in, got, want)
		}
	}
}
