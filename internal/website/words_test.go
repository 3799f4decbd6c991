package website

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/opendata-docket/docket/internal/gh"
)

// The public pages speak to the public: no commit hashes, no file names and no "pull request"
// in their main text. Those stay in each request page's "Technical details" section, in the
// guides and references written for requesters, and in what requesters and staff wrote.
func TestPublicPagesSpeakPlainly(t *testing.T) {
	cut := []*regexp.Regexp{
		regexp.MustCompile(`(?s)<head>.*?</head>`),
		regexp.MustCompile(`(?s)<section aria-labelledby="sources" class="sources">.*?</section>`),
		regexp.MustCompile(`(?s)<footer.*?</footer>`),
		// What requesters and staff wrote, set apart as theirs.
		regexp.MustCompile(`(?s)<div class="prose[^"]*">.*?</div>`),
		regexp.MustCompile(`(?s)<pre>.*?</pre>`),
		regexp.MustCompile(`<[^>]*>`), // tags and their attributes: addresses are not text
	}
	words := []*regexp.Regexp{
		regexp.MustCompile(`(?i)pull request`),
		regexp.MustCompile(`\b[\w-]+\.(yaml|yml)\b`),
		regexp.MustCompile(`\b[0-9a-f]{7,40}\b`),
		regexp.MustCompile(`(?i)\bcommit\b`),
	}
	for _, dir := range []string{sampleDocket(t), hostileDocket(t)} {
		pending := []gh.PendingRequest{{Number: 42, Title: "Bus feed", Author: "maria", URL: "https://github.com/kcmo/requests/pull/42",
			Created: time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC), IDs: []string{"bus-feed"}}}
		files := readSite(t, buildSite(t, dir, &Input{Pending: pending, Source: "https://github.com/kcmo/requests"}))
		for p, b := range files {
			if !strings.HasSuffix(p, ".html") || strings.HasPrefix(p, "guide/") || strings.HasPrefix(p, "reference/") || strings.HasPrefix(p, "data/") {
				continue
			}
			text := string(b)
			for _, re := range cut {
				text = re.ReplaceAllString(text, " ")
			}
			for _, re := range words {
				for _, m := range re.FindAllString(text, -1) {
					if strings.Trim(m, "0123456789") == "" {
						continue // a number (a sample row's), not a hash
					}
					i := strings.Index(text, m)
					t.Errorf("%s: %q in the main text: …%s…", p, m, strings.Join(strings.Fields(text[max(0, i-80):min(len(text), i+80)]), " "))
					break
				}
			}
		}
	}
}
