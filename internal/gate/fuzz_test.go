package gate

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/opendata-docket/docket/internal/keys"
	"github.com/opendata-docket/docket/internal/registry"
)

// FuzzServe sends the gate any original URI and any token: it answers one of its statuses,
// never panics, never echoes what was sent as a key, and lets through only the one key it knows.
func FuzzServe(f *testing.F) {
	k := newKey(f, "dashboard", registry.StatusActive, "kcmo-311")
	k.entry.Limits.RequestsPerSecond = 1e9
	g := newGate(f, noon(), Options{}, regOf(k))
	f.Add("/resource/d4px-6rwg.json", "x")
	f.Add("/resource/d4px-6rwg.json?$$app_token=abc&$limit=1", "")
	f.Add("/resource/d4px-6rwg.json?%24%24app_token=%zz", "")
	f.Add("/resource/d4px-6rwg.json?$$app_token="+k.secret, "")
	f.Add("/?a=b&&&=&$$app_token", k.secret+"\x00")
	f.Add("/resource/f7wj-ckmw", k.secret)
	f.Add("/resource/d4px-6rwg/../f7wj-ckmw?$$app_token="+k.secret+"&a=%22", k.secret)
	f.Add("/resource/%64%34px-6rwg/x%20y?$$app_token=x", k.secret)
	f.Add("/resource/d4px-6rwg", "kcmo_"+strings.Repeat("A", 36))
	f.Fuzz(func(t *testing.T, uri, token string) {
		r := httptest.NewRequest("GET", "/auth", nil)
		r.Header["X-Original-Uri"] = []string{uri}
		r.Header["X-App-Token"] = []string{token}
		w := httptest.NewRecorder()
		g.ServeHTTP(w, r)
		switch w.Code {
		case 200:
			key, _, _ := g.request(r)
			if key != k.secret {
				t.Fatalf("allowed a call with key %q", key)
			}
		case 401, 403, 429:
		default:
			t.Fatalf("status %d", w.Code)
		}
		// What nginx sends the API for a call allowed is a dataset of the key's, and no key.
		wn := httptest.NewRecorder()
		g.NginxHandler().ServeHTTP(wn, r)
		if wn.Code == 200 {
			up := wn.Header().Get("X-Docket-Upstream-Uri")
			p, _, _ := strings.Cut(up, "?")
			c, ok := canonicalPath(p)
			ds, _ := g.Index().Dataset(c)
			if !printable(up) || !ok || ds != "kcmo-311" || strings.Contains(up, k.secret) {
				t.Fatalf("allowed %q, sending the API %q", uri, up)
			}
		}
		// A key-shaped token (messages never hold one) is never in the answer.
		if key, _, _ := g.request(r); len(keys.Find(key)) > 0 {
			all := w.Body.String()
			for _, vs := range w.Header() {
				all += strings.Join(vs, "\n")
			}
			if strings.Contains(all, key) {
				t.Fatalf("the answer echoes the key %q", key)
			}
		}
	})
}
