package gate

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/keys"
	"github.com/opendata-docket/docket/internal/registry"
)

// fakeClock is a clock a test moves by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

var chicago = mustLoc("America/Chicago")

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

func day(s string) docket.Date {
	d, err := docket.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

var catalog = []docket.CatalogEntry{
	{ID: "kcmo-311", APIPaths: []string{"/resource/d4px-6rwg"}},
	{ID: "kcpd-crime", APIPaths: []string{"/resource/f7wj-ckmw", "/api/crime/"}},
}

// testKey is a key made by keys.New and its registry entry; only the hash is in the entry.
type testKey struct {
	secret string
	entry  *registry.Key
}

func newKey(t testing.TB, request string, status registry.Status, scopes ...string) testKey {
	t.Helper()
	secret, err := keys.New("kcmo")
	if err != nil {
		t.Fatal(err)
	}
	k := &registry.Key{
		ID: keys.ID(request, 1), Request: request, SHA256: keys.Hash(secret),
		Scopes: scopes, Limits: docket.Limits{RequestsPerDay: 5000, RequestsPerSecond: 2},
		Status: status, NotAfter: day("2027-04-13"), Created: day("2026-04-15"), Changed: day("2026-04-15"),
		Delivery: registry.Delivery{
			Recipients: []registry.Recipient{{Type: "age", Fingerprint: "age1example"}},
			Ciphertext: "-----BEGIN AGE ENCRYPTED FILE-----\nAAAA\n-----END AGE ENCRYPTED FILE-----\n",
		},
	}
	if status != registry.StatusPending {
		k.Delivery.Delivered = &registry.Delivered{Date: day("2026-04-15"), Via: registry.ViaFile, File: k.ID + ".age"}
	}
	return testKey{secret: secret, entry: k}
}

func regOf(ks ...testKey) *registry.Registry {
	r := registry.New()
	for _, k := range ks {
		r.Keys = append(r.Keys, k.entry)
	}
	return r
}

func newGate(t testing.TB, clk *fakeClock, o Options, reg *registry.Registry) *Gate {
	t.Helper()
	o.Now = clk.Now
	if o.Limiter == nil {
		o.Limiter = NewMemoryLimiter(clk.Now)
	}
	g, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := NewIndex(reg, catalog, chicago)
	if err != nil {
		t.Fatal(err)
	}
	g.SetIndex(ix)
	return g
}

// noon is 2026-11-27 at noon in Kansas City.
func noon() *fakeClock { return &fakeClock{t: time.Date(2026, 11, 27, 12, 0, 0, 0, chicago)} }

func TestCheck(t *testing.T) {
	active := newKey(t, "dashboard", registry.StatusActive, "kcmo-311")
	pending := newKey(t, "pending-req", registry.StatusPending, "kcmo-311")
	suspended := newKey(t, "suspended-req", registry.StatusSuspended, "kcmo-311")
	revoked := newKey(t, "revoked-req", registry.StatusRevoked, "kcmo-311")
	expired := newKey(t, "expired-req", registry.StatusExpired, "kcmo-311")
	lastDay := newKey(t, "last-day", registry.StatusActive, "kcmo-311")
	lastDay.entry.NotAfter = day("2026-11-27")
	pastDay := newKey(t, "past-day", registry.StatusActive, "kcmo-311")
	pastDay.entry.NotAfter = day("2026-11-26")
	g := newGate(t, noon(), Options{}, regOf(active, pending, suspended, revoked, expired, lastDay, pastDay))

	for _, tc := range []struct {
		name, key, uri string
		status         int
		reason         Reason
		keyID          string
		msg            string
	}{
		{"no key", "", "/resource/d4px-6rwg.json", 401, ReasonNoKey, "", "no API key"},
		{"unknown key", "kcmo_" + strings.Repeat("A", 36), "/resource/d4px-6rwg.json", 401, ReasonUnknownKey, "", "not known"},
		{"too long", strings.Repeat("a", 10000), "/resource/d4px-6rwg.json", 401, ReasonUnknownKey, "", "not known"},
		{"active", active.secret, "/resource/d4px-6rwg.json?$limit=5", 200, ReasonOK, "dashboard-1", ""},
		{"active subpath", active.secret, "/resource/d4px-6rwg/rows", 200, ReasonOK, "dashboard-1", ""},
		{"pending", pending.secret, "/resource/d4px-6rwg.json", 403, ReasonPending, "pending-req-1", "not been delivered"},
		{"suspended", suspended.secret, "/resource/d4px-6rwg.json", 403, ReasonSuspended, "suspended-req-1", "is suspended"},
		{"revoked", revoked.secret, "/resource/d4px-6rwg.json", 403, ReasonRevoked, "revoked-req-1", "is revoked"},
		{"expired status", expired.secret, "/resource/d4px-6rwg.json", 403, ReasonExpired, "expired-req-1", "expired"},
		{"last day works", lastDay.secret, "/resource/d4px-6rwg.json", 200, ReasonOK, "last-day-1", ""},
		{"day after last", pastDay.secret, "/resource/d4px-6rwg.json", 403, ReasonExpired, "past-day-1", "its last day was 2026-11-26"},
		{"other dataset", active.secret, "/resource/f7wj-ckmw.json", 403, ReasonOutOfScope, "dashboard-1", "may not read dataset kcpd-crime; it may read: kcmo-311"},
		{"prefix is not a segment", active.secret, "/resource/d4px-6rwgX.json", 403, ReasonNotDataset, "dashboard-1", "not a dataset API"},
		{"no dataset", active.secret, "/admin", 403, ReasonNotDataset, "dashboard-1", "not a dataset API"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := g.Check(context.Background(), tc.key, tc.uri)
			if d.Status != tc.status || d.Reason != tc.reason || d.KeyID != tc.keyID {
				t.Fatalf("got %d %s %q, want %d %s %q (%s)", d.Status, d.Reason, d.KeyID, tc.status, tc.reason, tc.keyID, d.Message)
			}
			if !strings.Contains(d.Message, tc.msg) {
				t.Errorf("message %q does not say %q", d.Message, tc.msg)
			}
			if tc.key != "" && strings.Contains(d.Message, tc.key) {
				t.Errorf("message holds the key")
			}
		})
	}
}

func TestExpiryByProgramDay(t *testing.T) {
	k := newKey(t, "dashboard", registry.StatusActive, "kcmo-311")
	k.entry.NotAfter = day("2026-11-27")
	clk := &fakeClock{t: time.Date(2026, 11, 27, 23, 59, 59, 0, chicago)}
	g := newGate(t, clk, Options{}, regOf(k))
	if d := g.Check(context.Background(), k.secret, "/resource/d4px-6rwg.json"); d.Status != 200 {
		t.Fatalf("last second of the last day: %d %s", d.Status, d.Message)
	}
	clk.Add(time.Second) // midnight in Kansas City; already the 28th in UTC hours before
	if d := g.Check(context.Background(), k.secret, "/resource/d4px-6rwg.json"); d.Reason != ReasonExpired {
		t.Fatalf("the day after: %d %s", d.Status, d.Reason)
	}
}

func TestUnmappedAnyKey(t *testing.T) {
	k := newKey(t, "dashboard", registry.StatusActive, "kcmo-311")
	g := newGate(t, noon(), Options{Unmapped: UnmappedAnyKey}, regOf(k))
	if d := g.Check(context.Background(), k.secret, "/views/metadata"); d.Status != 200 {
		t.Fatalf("unmapped path with any-key: %d %s", d.Status, d.Message)
	}
	if d := g.Check(context.Background(), k.secret, "/resource/f7wj-ckmw.json"); d.Status != 403 {
		t.Fatalf("a mapped dataset out of scope is still refused: %d", d.Status)
	}
	if _, err := New(Options{Unmapped: "allow"}); err == nil {
		t.Fatal("an unknown unmapped policy was taken")
	}
}

func TestDataset(t *testing.T) {
	ix, err := NewIndex(registry.New(), catalog, nil)
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"/resource/d4px-6rwg":       "kcmo-311",
		"/resource/d4px-6rwg.csv":   "kcmo-311",
		"/resource/d4px-6rwg/x":     "kcmo-311",
		"/resource/d4px-6rwg2.json": "",
		"/api/crime/2026":           "kcpd-crime",
		"/api/crime":                "kcpd-crime",
		"/api/crimes":               "",
		"/":                         "",
	} {
		if got, _ := ix.Dataset(path); got != want {
			t.Errorf("Dataset(%q) = %q, want %q", path, got, want)
		}
	}
	_, err = NewIndex(registry.New(), []docket.CatalogEntry{
		{ID: "a", APIPaths: []string{"/resource/x"}}, {ID: "b", APIPaths: []string{"/resource/x/"}},
	}, nil)
	if err == nil || !strings.Contains(err.Error(), "catalog b: api_paths: /resource/x is also a path of a") {
		t.Fatalf("overlapping api_paths: %v", err)
	}
}

func TestKeySources(t *testing.T) {
	k := newKey(t, "dashboard", registry.StatusActive, "kcmo-311")
	k.entry.Limits.RequestsPerSecond = 100
	g := newGate(t, noon(), Options{}, regOf(k))
	for name, set := range map[string]func(r *http.Request){
		"X-App-Token": func(r *http.Request) { r.Header.Set("X-App-Token", k.secret) },
		"$$app_token": func(r *http.Request) {
			r.Header.Set("X-Original-URI", "/resource/d4px-6rwg.json?a=1&$$app_token="+k.secret)
		},
		"escaped param": func(r *http.Request) {
			r.Header.Set("X-Original-URI", "/resource/d4px-6rwg.json?%24%24app_token="+k.secret)
		},
		"bearer":    func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+k.secret) },
		"X-Api-Key": func(r *http.Request) { r.Header.Set("X-Api-Key", k.secret) },
		"X-Forwarded-Uri": func(r *http.Request) {
			r.Header.Del("X-Original-URI")
			r.Header.Set("X-Forwarded-Uri", "/resource/d4px-6rwg?$$app_token="+k.secret)
		},
		"lowercase bearer": func(r *http.Request) { r.Header.Set("Authorization", "bearer "+k.secret) },
	} {
		t.Run(name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/auth", nil)
			r.Header.Set("X-Original-URI", "/resource/d4px-6rwg.json")
			set(r)
			w := httptest.NewRecorder()
			g.ServeHTTP(w, r)
			if w.Code != 200 || w.Header().Get("X-Docket-Key-Id") != "dashboard-1" {
				t.Fatalf("got %d %q: %s", w.Code, w.Header().Get("X-Docket-Key-Id"), w.Body)
			}
		})
	}
	// Envoy's ext_authz with path_prefix /auth: the original path follows the prefix.
	mux := g.Mux(nil)
	r0 := httptest.NewRequest("GET", "/auth/resource/d4px-6rwg.json?$$app_token="+k.secret, nil)
	w0 := httptest.NewRecorder()
	mux.ServeHTTP(w0, r0)
	if w0.Code != 200 {
		t.Fatalf("ext_authz path prefix: %d %s", w0.Code, w0.Body)
	}
	// Only the configured places count.
	only, err := New(Options{KeyFrom: []string{"X-Api-Key"}, Now: noon().Now})
	if err != nil {
		t.Fatal(err)
	}
	only.SetIndex(g.Index())
	r := httptest.NewRequest("GET", "/auth", nil)
	r.Header.Set("X-Original-URI", "/resource/d4px-6rwg.json")
	r.Header.Set("X-App-Token", k.secret)
	w := httptest.NewRecorder()
	only.ServeHTTP(w, r)
	if w.Code != 401 {
		t.Fatalf("X-App-Token read although only X-Api-Key is configured: %d", w.Code)
	}
	if _, err := New(Options{KeyFrom: []string{"X App Token"}}); err == nil {
		t.Fatal("a header name with spaces was taken")
	}
}

func TestAnswers(t *testing.T) {
	k := newKey(t, "dashboard", registry.StatusActive, "kcmo-311")
	k.entry.Limits = docket.Limits{RequestsPerSecond: 1, RequestsPerDay: 100}
	s := newKey(t, "suspended-req", registry.StatusSuspended, "kcmo-311")
	clk := noon()
	g := newGate(t, clk, Options{}, regOf(k, s))
	call := func(h http.Handler, key string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", "/auth", nil)
		r.Header.Set("X-Original-URI", "/resource/d4px-6rwg.json")
		if key != "" {
			r.Header.Set("X-App-Token", key)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	w := call(g, "")
	if w.Code != 401 || w.Header().Get("WWW-Authenticate") != `Bearer realm="docket"` || !strings.Contains(w.Body.String(), "no API key") {
		t.Fatalf("no key: %d %v %s", w.Code, w.Header(), w.Body)
	}
	w = call(g, s.secret)
	if w.Code != 403 || !strings.Contains(w.Header().Get("X-Docket-Reason"), "suspended") || w.Header().Get("X-Docket-Reason-Code") != "suspended" {
		t.Fatalf("suspended: %d %v", w.Code, w.Header())
	}
	w = call(g, k.secret)
	if w.Code != 200 || w.Header().Get("RateLimit-Policy") != `"second";q=1;w=1, "day";q=100;w=86400` {
		t.Fatalf("first call: %d %v", w.Code, w.Header())
	}
	w = call(g, k.secret)
	if w.Code != 429 || w.Header().Get("Retry-After") != "1" || w.Header().Get("RateLimit") != `"second";r=0;t=1` ||
		!strings.Contains(w.Body.String(), "over its limit of 1 requests per second") {
		t.Fatalf("second call in the same second: %d %v %s", w.Code, w.Header(), w.Body)
	}
	w = call(g.NginxHandler(), k.secret)
	if w.Code != 403 || w.Header().Get("X-Docket-Status") != "429" || w.Header().Get("Retry-After") != "1" {
		t.Fatalf("nginx answer over the limit: %d %v", w.Code, w.Header())
	}
	clk.Add(time.Second)
	if w = call(g, k.secret); w.Code != 200 {
		t.Fatalf("a second later: %d %s", w.Code, w.Body)
	}
}

func TestMemoryLimiterDay(t *testing.T) {
	clk := noon()
	m := NewMemoryLimiter(clk.Now)
	l := docket.Limits{RequestsPerSecond: 100, RequestsPerDay: 3}
	for i := range 3 {
		if v, _ := m.Allow(context.Background(), "k-1", l); !v.Allowed {
			t.Fatalf("call %d refused", i+1)
		}
	}
	v, _ := m.Allow(context.Background(), "k-1", l)
	if v.Allowed || v.Window != WindowDay || v.RetryAfter < 7*time.Hour || v.RetryAfter > 9*time.Hour {
		t.Fatalf("fourth call of 3 a day: %+v", v)
	}
	// Another key has its own limit; a key whose limits change gets them at once.
	if v, _ := m.Allow(context.Background(), "k-2", l); !v.Allowed {
		t.Fatal("another key was refused")
	}
	if v, _ := m.Allow(context.Background(), "k-1", docket.Limits{RequestsPerSecond: 100, RequestsPerDay: 10}); !v.Allowed {
		t.Fatal("raised limits were not applied")
	}
}

func TestMemoryLimiterNamesTheDay(t *testing.T) {
	clk := noon()
	m := NewMemoryLimiter(clk.Now)
	l := docket.Limits{RequestsPerSecond: 3, RequestsPerDay: 2}
	var got []string
	for range 5 {
		v, _ := m.Allow(context.Background(), "k-1", l)
		got = append(got, v.Window)
	}
	// Calls 3 and 4 are over the day's 2 (and take a second's token); call 5 is over both.
	if fmt.Sprint(got) != "[  day day day]" {
		t.Fatalf("windows: %q", got)
	}
}

func TestFractionalRate(t *testing.T) {
	if q, w := perWindow(0.5); q != 1 || w != 2 {
		t.Errorf("0.5/s: %d in %d", q, w)
	}
	if q, w := perWindow(2.5); q != 5 || w != 2 {
		t.Errorf("2.5/s: %d in %d", q, w)
	}
	clk := noon()
	m := NewMemoryLimiter(clk.Now)
	l := docket.Limits{RequestsPerSecond: 0.5, RequestsPerDay: 100}
	if v, _ := m.Allow(context.Background(), "k-1", l); !v.Allowed {
		t.Fatal("first call refused")
	}
	clk.Add(time.Second)
	if v, _ := m.Allow(context.Background(), "k-1", l); v.Allowed || v.RetryAfter != time.Second {
		t.Fatalf("after 1 s at 0.5/s: %+v", v)
	}
	clk.Add(time.Second)
	if v, _ := m.Allow(context.Background(), "k-1", l); !v.Allowed {
		t.Fatal("after 2 s at 0.5/s: refused")
	}
}

type failing struct{ calls int }

func (f *failing) Allow(context.Context, string, docket.Limits) (Verdict, error) {
	f.calls++
	return Verdict{}, errors.New("dial tcp 127.0.0.1:1: connection refused")
}

func TestFallback(t *testing.T) {
	k := newKey(t, "dashboard", registry.StatusActive, "kcmo-311")
	clk := noon()
	var changes []error
	for _, open := range []bool{true, false} {
		shared := &failing{}
		changes = nil
		f := &FallbackLimiter{Shared: shared, Local: NewMemoryLimiter(clk.Now), Open: open,
			OnChange: func(err error) { changes = append(changes, err) }}
		g := newGate(t, clk, Options{Limiter: f}, regOf(k))
		d1 := g.Check(context.Background(), k.secret, "/resource/d4px-6rwg.json")
		d2 := g.Check(context.Background(), k.secret, "/resource/d4px-6rwg.json")
		d3 := g.Check(context.Background(), k.secret, "/resource/d4px-6rwg.json")
		if open && (d1.Status != 200 || d2.Status != 200 || d3.Status != 429) {
			t.Errorf("open: local limits of 2/s not applied: %d %d %d", d1.Status, d2.Status, d3.Status)
		}
		if !open && (d1.Status != 503 || d1.Reason != ReasonLimiter) {
			t.Errorf("closed: %d %s", d1.Status, d1.Reason)
		}
		if shared.calls != 1 {
			t.Errorf("open=%v: Redis asked %d times within its backoff, want once", open, shared.calls)
		}
		if len(changes) != 1 || changes[0] == nil {
			t.Errorf("open=%v: Redis going down reported %d times, want once: %v", open, len(changes), changes)
		}
	}
}

func TestNoRegistry(t *testing.T) {
	g, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d := g.Check(context.Background(), "x", "/"); d.Status != 503 || d.Reason != ReasonNoRegistry {
		t.Fatalf("%+v", d)
	}
}

func writeReg(t *testing.T, path string, r *registry.Registry) {
	t.Helper()
	data, err := r.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestReloadFile(t *testing.T) {
	k := newKey(t, "dashboard", registry.StatusActive, "kcmo-311")
	path := filepath.Join(t.TempDir(), "keys.json")
	writeReg(t, path, regOf(k))
	clk := noon()
	m := NewMetrics(clk.Now)
	g := newGate(t, clk, Options{Metrics: m}, registry.New())
	g.SetIndex(nil)
	rl := NewReloader(path, g, catalog, chicago, nil, nil, m)
	if err := rl.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	if d := g.Check(context.Background(), k.secret, "/resource/d4px-6rwg"); d.Status != 200 {
		t.Fatalf("after the first load: %d", d.Status)
	}
	k.entry.Status = registry.StatusSuspended
	writeReg(t, path, regOf(k))
	os.Chtimes(path, time.Now(), time.Now().Add(time.Second)) // a new mtime even on a coarse clock
	if err := rl.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	if d := g.Check(context.Background(), k.secret, "/resource/d4px-6rwg"); d.Reason != ReasonSuspended {
		t.Fatalf("after the suspension: %d %s", d.Status, d.Reason)
	}
	// A registry that breaks its schema is refused and the last good one kept.
	os.WriteFile(path, []byte(`{"version":1}`), 0o644)
	os.Chtimes(path, time.Now(), time.Now().Add(2*time.Second))
	err := rl.Load(context.Background())
	if err == nil || !strings.Contains(err.Error(), "registry "+path+": keys.json") {
		t.Fatalf("a broken registry: %v", err)
	}
	if d := g.Check(context.Background(), k.secret, "/resource/d4px-6rwg"); d.Reason != ReasonSuspended {
		t.Fatalf("the last good registry was not kept: %d %s", d.Status, d.Reason)
	}
	os.Remove(path)
	if err := rl.Load(context.Background()); err == nil {
		t.Fatal("a missing registry was not reported")
	}
	body := scrape(t, m)
	for _, want := range []string{"docket_gate_registry_reload_errors_total 2", "docket_gate_registry_keys 1", `docket_gate_decisions_total{reason="suspended",result="refused"} 0`} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	w := httptest.NewRecorder()
	m.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	return w.Body.String()
}

func TestReloadURL(t *testing.T) {
	k := newKey(t, "dashboard", registry.StatusActive, "kcmo-311")
	data, err := regOf(k).Encode()
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	gets, notModified := 0, 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		gets++
		etag := fmt.Sprintf(`"%d"`, len(data))
		if r.Header.Get("If-None-Match") == etag {
			notModified++
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Write(data)
	}))
	defer srv.Close()
	clk := noon()
	g := newGate(t, clk, Options{}, registry.New())
	rl := NewReloader(srv.URL+"/keys.json", g, catalog, chicago, srv.Client(), nil, nil)
	for range 2 {
		if err := rl.Load(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if gets != 2 || notModified != 1 {
		t.Fatalf("gets %d, 304s %d: want 2 and 1", gets, notModified)
	}
	if d := g.Check(context.Background(), k.secret, "/resource/d4px-6rwg"); d.Status != 200 {
		t.Fatalf("%d", d.Status)
	}
}

func TestUsage(t *testing.T) {
	dir := t.TempDir()
	k := newKey(t, "dashboard", registry.StatusActive, "kcmo-311")
	k.entry.Limits = docket.Limits{RequestsPerSecond: 1, RequestsPerDay: 100}
	clk := noon()
	u, err := NewUsage(dir, chicago)
	if err != nil {
		t.Fatal(err)
	}
	g := newGate(t, clk, Options{Usage: u}, regOf(k))
	call := func(uri string) {
		r := httptest.NewRequest("GET", "/auth", nil)
		r.Header.Set("X-Original-URI", uri)
		r.Header.Set("X-App-Token", k.secret)
		g.ServeHTTP(httptest.NewRecorder(), r)
	}
	call("/resource/d4px-6rwg")
	call("/resource/d4px-6rwg")
	call("/resource/d4px-6rwg")
	call("/resource/f7wj-ckmw")
	if err := u.Flush(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "usage-2026-11-27.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"day": "2026-11-27"`, `"dashboard-1": {`, `"over_limit": 2`, `"refused": 1`, `"out_of_scope": 1`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("usage file lacks %s:\n%s", want, data)
		}
	}
	if strings.Contains(string(data), k.secret) {
		t.Error("usage file holds the key")
	}
	// A restart adds to the day's counts.
	u2, _ := NewUsage(dir, chicago)
	u2.Count(clk.Now(), "dashboard-1", ReasonOutOfScope)
	u2.Flush()
	data, _ = os.ReadFile(filepath.Join(dir, "usage-2026-11-27.json"))
	if !strings.Contains(string(data), `"refused": 2`) {
		t.Errorf("counts after a restart:\n%s", data)
	}
}

// BenchmarkCheck measures one key check with 10,000 keys in the registry: hashing, lookup,
// status, expiry, scope and the in-memory limiter (with limits the benchmark does not reach).
func BenchmarkCheck(b *testing.B) {
	reg := registry.New()
	var secrets []string
	for i := range 10000 {
		k := newKey(b, fmt.Sprintf("req%d", i), registry.StatusActive, "kcmo-311")
		k.entry.Limits = docket.Limits{RequestsPerSecond: 1e9, RequestsPerDay: 1 << 50}
		reg.Keys = append(reg.Keys, k.entry)
		secrets = append(secrets, k.secret)
	}
	clk := noon()
	g := newGate(b, clk, Options{}, reg)
	ctx := context.Background()
	for _, s := range secrets[:100] { // warm the limiter's buckets
		g.Check(ctx, s, "/resource/d4px-6rwg.json")
	}
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if d := g.Check(ctx, secrets[i%100], "/resource/d4px-6rwg.json?$limit=10"); d.Status != 200 {
			b.Fatal(d.Message)
		}
		i++
	}
}

func TestCheckAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	k := newKey(t, "dashboard", registry.StatusActive, "kcmo-311")
	k.entry.Limits = docket.Limits{RequestsPerSecond: 1e9, RequestsPerDay: 1 << 50}
	g := newGate(t, noon(), Options{}, regOf(k))
	ctx := context.Background()
	g.Check(ctx, k.secret, "/resource/d4px-6rwg.json")
	if n := testing.AllocsPerRun(100, func() { g.Check(ctx, k.secret, "/resource/d4px-6rwg.json") }); n != 0 {
		t.Fatalf("an allowed check allocates %v times", n)
	}
}

// A refusal that is the gate's own doing is not evidence against the key's holder.
func TestUsageSkipsGateFaults(t *testing.T) {
	dir := t.TempDir()
	k := newKey(t, "dashboard", registry.StatusActive, "kcmo-311")
	u, err := NewUsage(dir, chicago)
	if err != nil {
		t.Fatal(err)
	}
	clk := noon()
	g := newGate(t, clk, Options{Usage: u, Limiter: &FallbackLimiter{Shared: &failing{}}}, regOf(k))
	r := httptest.NewRequest("GET", "/auth", nil)
	r.Header.Set("X-Original-URI", "/resource/d4px-6rwg")
	r.Header.Set("X-App-Token", k.secret)
	w := httptest.NewRecorder()
	g.ServeHTTP(w, r)
	if w.Code != 503 || w.Header().Get("Retry-After") != "5" {
		t.Fatalf("Redis down, closed: %d %v", w.Code, w.Header())
	}
	if err := u.Flush(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "usage-2026-11-27.json")); err == nil {
		t.Fatal("a 503 of the gate's own was counted against the key")
	}
}
