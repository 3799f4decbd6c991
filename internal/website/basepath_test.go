package website

import "testing"

func TestBasePath(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", "/"},
		{"https://opendata-docket.github.io/docket/", "/docket/"},
		{"https://opendata-docket.github.io/docket", "/docket/"},
		{"https://data.example.org", "/"},
		{"https://data.example.org/", "/"},
		{"https://example.org/a/b%20c/", "/a/b%20c/"},
		{"/relative/", "/"},
		{"javascript:alert(1)", "/"},
		{"https://example.org/x/?q=1#f", "/x/"},
	} {
		if got := BasePath(c.in); got != c.want {
			t.Errorf("BasePath(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
