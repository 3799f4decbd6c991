package website

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/keys"
	"github.com/opendata-docket/docket/internal/registry"
)

// With the key registry, a request page shows its key's id, status, limits, last day and
// delivery, and the acceptance of its terms; the site publishes keys.json; no key, and no
// hash, is on any page.
func TestKeysOnTheSite(t *testing.T) {
	dir := sampleDocket(t)
	const id = "northeast-311-neighborhood-dashboard"
	if err := os.WriteFile(filepath.Join(dir, "requests", id, "acceptance.yaml"), []byte("accepted_by: maria-delgado-kc\ndate: 2026-06-16\nterms_version: \"2026-01\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	day := docket.MustDate("2026-06-16")
	secret, err := keys.New("kcod")
	if err != nil {
		t.Fatal(err)
	}
	reg := registry.New()
	reg.Keys = append(reg.Keys, &registry.Key{ID: id + "-1", Request: id, SHA256: keys.Hash(secret), Scopes: []string{"kcmo-311-service-requests"},
		Limits: docket.Limits{RequestsPerDay: 5000, RequestsPerSecond: 2}, Status: registry.StatusActive, Reason: "delivered",
		NotAfter: docket.MustDate("2027-04-13"), Created: day, Changed: day,
		Delivery: registry.Delivery{Recipients: []registry.Recipient{{Type: "ssh-ed25519", Fingerprint: "SHA256:abc"}},
			Ciphertext: "-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n-----END AGE ENCRYPTED FILE-----\n",
			Delivered:  &registry.Delivered{Date: day, Via: registry.ViaComment, PullRequest: 12, URL: "https://github.com/x/y/pull/12#issuecomment-1"}}})
	files := readSite(t, buildSite(t, dir, &Input{Keys: reg}))

	page := string(files["requests/"+id+"/index.html"])
	for _, want := range []string{
		`<h2 id="key">API key</h2>`,
		`Terms 2026-01 accepted by <a href="https://github.com/maria-delgado-kc">@maria-delgado-kc</a> on <time datetime="2026-06-16">2026-06-16</time>.`,
		`<h3><code>` + id + `-1</code></h3>`,
		`<div><dt>Status</dt><dd>Active</dd></div>`,
		`<div><dt>Limits</dt><dd>5,000 requests a day, 2 a second</dd></div>`,
		`<div><dt>Last day</dt><dd><time datetime="2027-04-13">2027-04-13</time></dd></div>`,
		`<div><dt>Delivered</dt><dd><time datetime="2026-06-16">2026-06-16</time>, in a comment on GitHub (#12)</dd></div>`,
		`<a href="../../keys.json">register of issued keys</a>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the request page lacks %s", want)
		}
	}
	if strings.Contains(page, keys.Hash(secret)) {
		t.Error("the request page shows the key's hash")
	}
	// Another approved request, not accepted yet, says what it waits for.
	other := string(files["requests/parking-citations-curb-investigation/index.html"])
	if !strings.Contains(other, "No key is issued until the requester accepts the terms of use (version 2026-01).") {
		t.Error("a request waiting for its acceptance does not say so")
	}
	got, err := registry.Decode(files["keys.json"])
	if err != nil || len(got.Keys) != 1 || got.Keys[0].SHA256 != keys.Hash(secret) {
		t.Fatalf("keys.json: %v", err)
	}
	if !bytes.Contains(files["data/index.html"], []byte(`<a href="../keys.json"><code>keys.json</code></a>`)) {
		t.Error("the data page does not link keys.json")
	}
	for p, b := range files {
		if bytes.Contains(b, []byte(secret)) || len(keys.Find(string(b))) > 0 {
			t.Errorf("%s holds a key", p)
		}
	}

	// Without the registry, nothing is said of keys and keys.json is not published.
	files = readSite(t, buildSite(t, dir, nil))
	if _, ok := files["keys.json"]; ok {
		t.Error("keys.json published without a registry")
	}
	if bytes.Contains(files["data/index.html"], []byte("keys.json")) || bytes.Contains(files["requests/"+id+"/index.html"], []byte("keys.json")) {
		t.Error("a link to keys.json without a registry")
	}
}
