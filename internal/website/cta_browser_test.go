package website

import (
	"encoding/base64"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBrowserMakeARequest is a new requester's way in: from the index, "How it works", then
// "Ask for a new dataset" on the guide reaches the dataset form on GitHub in two clicks; the
// catalog's "Ask for a key" reaches the API-access form with the dataset filled in. GitHub is
// not contacted: the browser's requests to it are answered here, and their addresses checked.
func TestBrowserMakeARequest(t *testing.T) {
	bin := chromiumBinary(t)
	out := buildSite(t, sampleDocket(t), nil)
	tb := startChromium(t, bin).newTab(t)
	tb.call("Fetch.enable", map[string]any{"patterns": []map[string]string{{"urlPattern": "https://github.com/*"}}}, nil)

	const forms = "https://github.com/opendata-docket/docket/issues/new?"
	for _, c := range []struct {
		start  string
		clicks []string // link texts, clicked in turn
		want   string
	}{
		{"index.html", []string{"How it works", "Ask for a new dataset"}, forms + "template=request-dataset.yml"},
		{"index.html", []string{"Ask for an API key"}, forms + "template=request-api-access.yml"},
		{"index.html", []string{"Datasets", "Ask for a key to 311 Call Center Service Requests"}, forms + "datasets=kcmo-311-service-requests&template=request-api-access.yml"},
	} {
		if problems := tb.open(filepath.Join(out, c.start)); len(problems) > 0 {
			t.Errorf("%s: %v", c.start, problems)
		}
		for i, text := range c.clicks {
			last := i == len(c.clicks)-1
			var found bool
			tb.eval(`(function () {
				var want = `+jsString(text)+`;
				var links = Array.prototype.filter.call(document.querySelectorAll('main a, nav a'), function (a) {
					return a.textContent.replace(/\s+/g, ' ').trim() === want;
				});
				if (links.length === 0) { return false; }
				links[0].click();
				return true;
			})()`, &found)
			if !found {
				t.Fatalf("%s: no link %q to click", c.start, text)
			}
			if !last {
				tb.problems(true) // the next page of the site has loaded
				continue
			}
			if got := tb.pausedRequest(); got != c.want {
				t.Errorf("from %s, clicking %q opens %s, want %s", c.start, strings.Join(c.clicks, " then "), got, c.want)
			}
		}
	}
}

// pausedRequest waits for the browser's next request intercepted by Fetch.enable, answers it
// with an empty page and returns its address.
func (tb *tab) pausedRequest() string {
	tb.t.Helper()
	guard := time.After(30 * time.Second)
	for {
		select {
		case m := <-tb.c.events:
			if m.SessionID != tb.session || m.Method != "Fetch.requestPaused" {
				continue
			}
			var p struct {
				RequestID string
				Request   struct{ URL string }
			}
			if err := json.Unmarshal(m.Params, &p); err != nil {
				tb.t.Fatal(err)
			}
			tb.call("Fetch.fulfillRequest", map[string]any{"requestId": p.RequestID, "responseCode": 200,
				"responseHeaders": []map[string]string{{"name": "Content-Type", "value": "text/html"}},
				"body":            base64.StdEncoding.EncodeToString([]byte("<!doctype html><title>form</title>"))}, nil)
			return p.Request.URL
		case <-guard:
			tb.t.Fatal("the browser did not go to GitHub")
			return ""
		}
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
