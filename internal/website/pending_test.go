package website

import (
	"bytes"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opendata-docket/docket/internal/gh"
)

// hostileMarker is written into every text of a pull request that is not merged yet; it must
// not appear in any file of the site, in any case or form.
const hostileMarker = "Zq7Unreviewed"

// hostilePending returns an open pull request whose every text field, found by reflection so
// that a field added later is covered too, holds the marker among hostile text; the author is
// text shaped almost like a login. An id is a slug the site may show, so the pull request
// adds one plain new id, among would-be ids that hold the marker and are not slugs.
func hostilePending(number int, id string, rotate int) gh.PendingRequest {
	pr := gh.PendingRequest{Number: number, Created: time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC), Updated: time.Date(2026, 3, 21, 12, 0, 0, 0, time.UTC)}
	texts := []string{
		hostileMarker + ` approved by the city <script>window.pwned=1</script>`,
		"https://github.com/" + hostileMarker + "/requests/pull/7?" + hostileMarker,
		"javascript:window.pwned=1//" + hostileMarker,
		strings.ToLower(hostileMarker) + "--login", // the shape of a login, but not one
		"=HYPERLINK(\"https://evil.example\",\"" + hostileMarker + "\")",
	}
	v := reflect.ValueOf(&pr).Elem()
	n := 0
	for i := range v.NumField() {
		f := v.Field(i)
		switch {
		case f.Kind() == reflect.String:
			f.SetString(texts[(n+rotate)%len(texts)])
			n++
		case f.Type() == reflect.TypeFor[[]string]():
			// Ids are slugs the site may show; these are not, so they must be dropped.
			f.Set(reflect.ValueOf([]string{hostileMarker, "../" + strings.ToLower(hostileMarker), id, id + "/" + hostileMarker}))
		}
	}
	if pr.Author == "" || pr.Title == "" || len(pr.IDs) == 0 {
		panic("gh.PendingRequest changed shape; update hostilePending")
	}
	return pr
}

// TestPendingPublishesNoFreeText builds a site with open pull requests whose title, author,
// address and every other text hold a marker, with each kind of text in each field in turn,
// and reads every file written: HTML, feed, JSON, CSV, schemas and assets. The marker is in
// none of them, while the pull requests themselves are listed by number and id.
func TestPendingPublishesNoFreeText(t *testing.T) {
	dir := copyDocket(t, filepath.Join("testdata", "hostile"))
	var pending []gh.PendingRequest
	ids := []string{"bus-feed", "rail-feed", "tram-feed", "ferry-feed", "bike-feed"}
	for i, id := range ids {
		pr := hostilePending(100+i, id, i) // each text lands in each field once
		pending = append(pending, pr)
	}
	// A login, which GitHub vouches for, is a platform fact the site keeps.
	ok := hostilePending(200, "walk-feed", 0)
	ok.Author = "maria-k"
	pending = append(pending, ok)
	for _, source := range []string{"", "https://github.com/kcmo/requests"} {
		files := readSite(t, buildSite(t, dir, &Input{Pending: pending, Source: source}))
		if len(files) < 20 {
			t.Fatalf("only %d files", len(files))
		}
		for p, b := range files {
			if bytes.Contains(bytes.ToLower(b), bytes.ToLower([]byte(hostileMarker))) {
				i := bytes.Index(bytes.ToLower(b), bytes.ToLower([]byte(hostileMarker)))
				t.Errorf("source %q: %s holds text of an unmerged pull request: …%s…", source, p, b[max(i-80, 0):min(i+40, len(b))])
			}
		}
		index := string(files["index.html"])
		for i, id := range ids {
			if !strings.Contains(index, "Proposed request "+id) || !strings.Contains(index, "proposed on GitHub (#"+strconv.Itoa(100+i)+"), not reviewed yet") {
				t.Errorf("source %q: pull request #%d is not listed by its number and id %s", source, 100+i, id)
			}
		}
		if source != "" && !strings.Contains(index, `<a href="https://github.com/kcmo/requests/pull/100">Proposed request bus-feed</a>`) {
			t.Errorf("the link to a pull request is not made from the repository's address")
		}
		if !bytes.Contains(files["requests.json"], []byte(`"opened": "2026-03-20T12:00:00Z"`)) || !bytes.Contains(files["requests.json"], []byte(`"author": "maria-k"`)) {
			t.Error("requests.json lacks the day a pull request was opened or the login of its author")
		}
	}
}
