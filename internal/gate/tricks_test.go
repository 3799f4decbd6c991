package gate

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opendata-docket/docket/internal/registry"
)

// A key for one dataset must not reach another through the spelling of the path: the gate
// judges the path nginx routes on ($uri: escapes decoded, slashes merged, dot segments
// resolved), not the raw bytes, and refuses spellings an API server may read otherwise.
func TestPathTricks(t *testing.T) {
	k := newKey(t, "dashboard", registry.StatusActive, "kcmo-311")
	k.entry.Limits.RequestsPerSecond = 1e6
	for _, unmapped := range []UnmappedPolicy{UnmappedRefuse, UnmappedAnyKey} {
		g := newGate(t, noon(), Options{Unmapped: unmapped}, regOf(k))
		for _, tc := range []struct {
			uri    string
			status int
			reason Reason
		}{
			// Spellings of the key's own dataset work.
			{"/resource/%644px-6rwg.json", 200, ReasonOK},
			{"/resource//d4px-6rwg.json", 200, ReasonOK},
			{"/resource/./d4px-6rwg.json", 200, ReasonOK},
			{"/resource/x/../d4px-6rwg.json", 200, ReasonOK},
			{"/resource/D4PX-6RWG.json", 200, ReasonOK},
			{"/resource/d4px-6rwg.json?$where=a%3Bb", 200, ReasonOK},
			// Spellings of another dataset are that dataset.
			{"/resource/d4px-6rwg/../f7wj-ckmw.json", 403, ReasonOutOfScope},
			{"/resource/d4px-6rwg/%2e%2e/f7wj-ckmw.json", 403, ReasonOutOfScope},
			{"/resource/d4px-6rwg/..%2ff7wj-ckmw.json", 403, ReasonOutOfScope},
			{"/resource/%66%37wj-ckmw.json", 403, ReasonOutOfScope},
			{"/resource/F7WJ-CKMW.json", 403, ReasonOutOfScope},
			{"/resource//f7wj-ckmw.json", 403, ReasonOutOfScope},
			// Spellings some servers read as another path are refused.
			{"/resource/d4px-6rwg.json/..;/f7wj-ckmw.json", 403, ReasonBadPath},
			{"/resource/d4px-6rwg\\..\\f7wj-ckmw.json", 403, ReasonBadPath},
			{"/resource/d4px-6rwg%5c..%5cf7wj-ckmw.json", 403, ReasonBadPath},
			{"/resource/d4px-6rwg.json%00", 403, ReasonBadPath},
			{"/resource/d4px-6rwg.json%zz", 403, ReasonBadPath},
			{"/resource/d4px-6rwg/%252e%252e/f7wj-ckmw.json", 403, ReasonBadPath},
			{"/resource/d4px-6rwg/%c0%ae%c0%ae/f7wj-ckmw.json", 403, ReasonBadPath},
			{"/resource/d4px-6rwg/caf%C3%A9", 200, ReasonOK},
			{"resource/d4px-6rwg.json", 403, ReasonBadPath},
		} {
			d := g.Check(context.Background(), k.secret, tc.uri)
			if d.Status != tc.status || d.Reason != tc.reason {
				t.Errorf("unmapped %s: %s: got %d %s, want %d %s (%s)", unmapped, tc.uri, d.Status, d.Reason, tc.status, tc.reason, d.Message)
			}
		}
	}
}

// The upstream is sent the path the gate judged and the query without the key, so that what
// the API serves is what the gate allowed and the key goes no further than the gate.
func TestUpstreamURI(t *testing.T) {
	k := newKey(t, "dashboard", registry.StatusActive, "kcmo-311")
	k.entry.Limits.RequestsPerSecond = 1e6
	g := newGate(t, noon(), Options{}, regOf(k))
	for uri, want := range map[string]string{
		"/resource/d4px-6rwg.json":                                                          "/resource/d4px-6rwg.json",
		"/resource/d4px-6rwg.json?$limit=5&$where=a%3Db":                                    "/resource/d4px-6rwg.json?$limit=5&$where=a%3Db",
		"/resource/d4px-6rwg.json?$$app_token=" + k.secret:                                  "/resource/d4px-6rwg.json",
		"/resource/d4px-6rwg.json?$limit=5&$$app_token=" + k.secret + "&x":                  "/resource/d4px-6rwg.json?$limit=5&x",
		"/resource/d4px-6rwg.json?%24%24app_token=" + k.secret + "&$$app_token=" + k.secret: "/resource/d4px-6rwg.json",
		"/resource/x/../%644px-6rwg.json?a=%C3%A9":                                          "/resource/d4px-6rwg.json?a=%C3%A9",
		"/resource/d4px-6rwg/a%20b?q=\"x\"\xc3\xa9":                                         "/resource/d4px-6rwg/a%20b?q=%22x%22%C3%A9",
	} {
		r := httptest.NewRequest("GET", PathAuthNginx, nil)
		r.Header.Set("X-Original-URI", uri)
		r.Header.Set("X-App-Token", k.secret) // the same key as in the query, when it is there
		w := httptest.NewRecorder()
		g.NginxHandler().ServeHTTP(w, r)
		if w.Code != 200 {
			t.Fatalf("%s: %d %s", uri, w.Code, w.Body)
		}
		if got := w.Header().Get("X-Docket-Upstream-Uri"); got != want {
			t.Errorf("%s: upstream URI %q, want %q", uri, got, want)
		}
	}
}

// A call with two different keys (in two places, or one header twice) is refused whichever
// of them is good: a revoked key must not ride along with a working one.
func TestSeveralKeys(t *testing.T) {
	good := newKey(t, "dashboard", registry.StatusActive, "kcmo-311")
	good.entry.Limits.RequestsPerSecond = 1e6
	bad := newKey(t, "revoked-req", registry.StatusRevoked, "kcmo-311")
	g := newGate(t, noon(), Options{}, regOf(good, bad))
	for name, tc := range map[string]struct {
		set    func(r *http.Request)
		status int
	}{
		"good header, revoked bearer": {func(r *http.Request) {
			r.Header.Set("X-App-Token", good.secret)
			r.Header.Set("Authorization", "Bearer "+bad.secret)
		}, 401},
		"revoked header, good query": {func(r *http.Request) {
			r.Header.Set("X-Api-Key", bad.secret)
			r.Header.Set("X-Original-URI", "/resource/d4px-6rwg.json?$$app_token="+good.secret)
		}, 401},
		"one header twice": {func(r *http.Request) {
			r.Header.Add("X-App-Token", good.secret)
			r.Header.Add("X-App-Token", bad.secret)
		}, 401},
		"query parameter twice": {func(r *http.Request) {
			r.Header.Set("X-Original-URI", "/resource/d4px-6rwg.json?$$app_token="+good.secret+"&%24%24app_token="+bad.secret)
		}, 401},
		"bearer twice": {func(r *http.Request) {
			r.Header.Add("Authorization", "Bearer "+good.secret)
			r.Header.Add("Authorization", "Bearer "+bad.secret)
		}, 401},
		"the same key in two places": {func(r *http.Request) {
			r.Header.Set("X-App-Token", good.secret)
			r.Header.Set("Authorization", "bearer  "+good.secret+" ")
		}, 200},
		"an empty bearer and a key": {func(r *http.Request) {
			r.Header.Set("X-App-Token", good.secret)
			r.Header.Set("Authorization", "Bearer ")
		}, 200},
	} {
		r := httptest.NewRequest("GET", "/auth", nil)
		r.Header.Set("X-Original-URI", "/resource/d4px-6rwg.json")
		tc.set(r)
		w := httptest.NewRecorder()
		g.ServeHTTP(w, r)
		if w.Code != tc.status {
			t.Errorf("%s: %d %s, want %d", name, w.Code, w.Body, tc.status)
		}
		if w.Code == 401 && !strings.Contains(w.Body.String(), "more than one API key") {
			t.Errorf("%s: %s", name, w.Body)
		}
		for _, s := range []string{good.secret, bad.secret} {
			if strings.Contains(w.Body.String(), s) || strings.Contains(w.Header().Get("X-Docket-Reason"), s) {
				t.Errorf("%s: the answer holds a key", name)
			}
		}
	}
}

// Behind Traefik (X-Forwarded-Uri, set by Traefik) a client may send X-Original-URI itself:
// the gate must not judge the call by a path the client wrote. Headers that disagree refuse
// the call.
func TestForgedURIHeader(t *testing.T) {
	k := newKey(t, "dashboard", registry.StatusActive, "kcmo-311")
	g := newGate(t, noon(), Options{}, regOf(k))
	r := httptest.NewRequest("GET", "/auth", nil)
	r.Header.Set("X-Forwarded-Uri", "/resource/f7wj-ckmw.json")
	r.Header.Set("X-Original-URI", "/resource/d4px-6rwg.json")
	r.Header.Set("X-App-Token", k.secret)
	w := httptest.NewRecorder()
	g.ServeHTTP(w, r)
	if w.Code != 403 || w.Header().Get("X-Docket-Reason-Code") != string(ReasonBadURI) {
		t.Fatalf("two original URIs: %d %v %s", w.Code, w.Header(), w.Body)
	}
	r.Header.Set("X-Original-URI", "/resource/f7wj-ckmw.json")
	r.Header.Add("X-Original-URI", "/resource/d4px-6rwg.json")
	w = httptest.NewRecorder()
	g.ServeHTTP(w, r)
	if w.Code != 403 || w.Header().Get("X-Docket-Reason-Code") != string(ReasonBadURI) {
		t.Fatalf("one URI header twice: %d %v %s", w.Code, w.Header(), w.Body)
	}
}

// A registry is read whole into memory and validated: one too large is refused, not read, and
// the last good one is kept.
func TestReloadTooLarge(t *testing.T) {
	k := newKey(t, "dashboard", registry.StatusActive, "kcmo-311")
	path := filepath.Join(t.TempDir(), "keys.json")
	writeReg(t, path, regOf(k))
	g := newGate(t, noon(), Options{}, registry.New())
	rl := NewReloader(path, g, catalog, chicago, nil, nil, nil)
	if err := rl.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, maxRegistry+1); err != nil { // sparse: nothing is written
		t.Fatal(err)
	}
	if err := rl.Load(context.Background()); err == nil || !strings.Contains(err.Error(), "larger than 64 MB") {
		t.Fatalf("a registry file of 64 MB and a byte: %v", err)
	}
	if d := g.Check(context.Background(), k.secret, "/resource/d4px-6rwg"); d.Status != 200 {
		t.Fatalf("the last good registry was not kept: %d", d.Status)
	}
	// A registry replaced by a link to something that is not a file is not read.
	os.Remove(path)
	if err := os.Symlink("/dev/zero", path); err != nil {
		t.Fatal(err)
	}
	if err := rl.Load(context.Background()); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("a registry linked to /dev/zero: %v", err)
	}
}

// A registry read over https is not taken from a plain http address it redirects to.
func TestReloadRefusesHTTPRedirect(t *testing.T) {
	k := newKey(t, "dashboard", registry.StatusActive, "kcmo-311")
	data, err := regOf(k).Encode()
	if err != nil {
		t.Fatal(err)
	}
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(data) }))
	defer plain.Close()
	secure := httptest.NewTLSServer(http.RedirectHandler(plain.URL+"/keys.json", http.StatusFound))
	defer secure.Close()
	g := newGate(t, noon(), Options{}, registry.New())
	g.SetIndex(nil)
	var logs strings.Builder
	rl := NewReloader(secure.URL+"/keys.json", g, catalog, chicago, secure.Client(), slog.New(slog.NewTextHandler(&logs, nil)), nil)
	err = rl.Load(context.Background())
	if err == nil || !strings.Contains(err.Error(), "not https") || g.Index() != nil {
		t.Fatalf("an https registry redirected to http: %v", err)
	}
	// A password in the address stays out of errors and logs.
	rl = NewReloader("http://gate:hunter2@"+strings.TrimPrefix(plain.URL, "http://")+"/keys.json", g, catalog, chicago, nil, slog.New(slog.NewTextHandler(&logs, nil)), nil)
	if err := rl.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(logs.String(), "hunter2") || !strings.Contains(logs.String(), "plain http") {
		t.Fatalf("logs:\n%s", logs.String())
	}
}

// RateLimit-Policy tells a client the quota enforced, also for rates that are no whole number
// of calls in a whole number of seconds.
func TestPolicyOfOddRates(t *testing.T) {
	for rps, want := range map[float64][2]int64{2: {2, 1}, 0.5: {1, 2}, 2.5: {5, 2}, 0.0001: {1, 10000}, 1.0 / 3: {1, 3}, 2.7182: {9786, 3600}} {
		if q, w := perWindow(rps); q != want[0] || w != want[1] {
			t.Errorf("%v a second: %d in %d s, want %d in %d s", rps, q, w, want[0], want[1])
		}
	}
}

// Even with --debug, every call logged, the gate's log names key ids and paths, never a key:
// not one in the query, not one that was refused, not two at once.
func TestDebugLogHasNoKey(t *testing.T) {
	k := newKey(t, "dashboard", registry.StatusActive, "kcmo-311")
	k.entry.Limits.RequestsPerSecond = 1
	r := newKey(t, "revoked-req", registry.StatusRevoked, "kcmo-311")
	unknown := "kcmo_" + strings.Repeat("Z", 36)
	var logs strings.Builder
	log := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	g := newGate(t, noon(), Options{Logger: log}, regOf(k, r))
	for _, c := range [][2]string{
		{"/resource/d4px-6rwg.json?$$app_token=" + k.secret, ""},
		{"/resource/d4px-6rwg.json?$$app_token=" + k.secret, ""}, // over the limit
		{"/resource/f7wj-ckmw.json?$$app_token=" + k.secret, ""},
		{"/resource/d4px-6rwg;x?$$app_token=" + k.secret, ""},
		{"/resource/d4px-6rwg.json?$$app_token=" + r.secret, ""},
		{"/resource/d4px-6rwg.json?$$app_token=" + unknown, ""},
		{"/resource/d4px-6rwg.json?$$app_token=" + r.secret, k.secret},
	} {
		req := httptest.NewRequest("GET", PathAuthNginx, nil)
		req.Header.Set("X-Original-URI", c[0])
		if c[1] != "" {
			req.Header.Set("X-App-Token", c[1])
		}
		g.NginxHandler().ServeHTTP(httptest.NewRecorder(), req)
	}
	out := logs.String()
	if strings.Count(out, "\n") != 7 {
		t.Fatalf("want a line a call:\n%s", out)
	}
	for _, s := range []string{k.secret, r.secret, unknown, "app_token"} {
		if strings.Contains(out, s) {
			t.Errorf("the log holds %q:\n%s", s, out)
		}
	}
}

// A revoked key in a client's loop is one line in the gate's log a minute, not one a call.
func TestRefusalLogIsBounded(t *testing.T) {
	r := newKey(t, "revoked-req", registry.StatusRevoked, "kcmo-311")
	var logs strings.Builder
	clk := noon()
	g := newGate(t, clk, Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))}, regOf(r))
	call := func() {
		req := httptest.NewRequest("GET", PathAuthNginx, nil)
		req.Header.Set("X-Original-URI", "/resource/d4px-6rwg.json")
		req.Header.Set("X-App-Token", r.secret)
		g.NginxHandler().ServeHTTP(httptest.NewRecorder(), req)
	}
	for range 1000 {
		call()
	}
	if n := strings.Count(logs.String(), "reason=revoked"); n != 1 {
		t.Fatalf("1000 calls of a revoked key in a second: %d lines", n)
	}
	clk.Add(time.Minute)
	call()
	if n := strings.Count(logs.String(), "reason=revoked"); n != 2 {
		t.Fatalf("a minute later: %d lines in all, want 2", n)
	}
}

// A call with headers far larger than any gateway sends is refused before it is read whole.
func TestHugeHeaders(t *testing.T) {
	k := newKey(t, "dashboard", registry.StatusActive, "kcmo-311")
	path := filepath.Join(t.TempDir(), "keys.json")
	writeReg(t, path, regOf(k))
	addr, stop := runGate(t, RedisDownOpen, path, io.Discard)
	defer stop()
	req, _ := http.NewRequest("GET", "http://"+addr+PathAuthNginx, nil)
	req.Header.Set("X-Original-URI", "/resource/d4px-6rwg.json")
	req.Header.Set("X-Junk", strings.Repeat("a", 200<<10))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("200 KB of headers: %d", resp.StatusCode)
	}
}
