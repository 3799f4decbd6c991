package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opendata-docket/docket/internal/docket/dockettest"

	"filippo.io/age"

	"github.com/opendata-docket/docket/internal/docket"
	apigate "github.com/opendata-docket/docket/internal/gate"
	"github.com/opendata-docket/docket/internal/registry"
	"github.com/opendata-docket/docket/internal/seal"
	"github.com/opendata-docket/docket/internal/testtool"
)

// gateStack is nginx in front of an upstream stub, asking two docket gate instances that share
// one Redis, with keys issued by docket provision.
type gateStack struct {
	dir, repo, state, out string
	identity              *age.X25519Identity
	nginx                 string // base URL
	gates                 []string
	gateLogs              []*syncBuffer
	usageDirs             []string
	stopGates             func()
	upstreamCalls         chan http.Header
}

// gateRequest is dockettest.APIRequest by maria, delivered to an age recipient.
var gateRequest = strings.Replace(dockettest.APIRequest, "github: req-rita", "github: maria", 1) + "delivery:\n  age_recipient: RECIPIENT\n"

const gateAcceptance = `accepted_by: maria
date: 2026-11-21
terms_version: "2026-01"
`

const gateDecision = `outcome: approved
decided_by: staff-ann
date: 2026-11-20
reasons: The data is public and the traffic is small.
evaluation:
  sensitivity: {verdict: met, note: Public data.}
  feasibility: {verdict: met, note: Served by the portal.}
  resources: {verdict: met, note: Little work.}
  legal: {verdict: met, note: Standard terms.}
conditions:
  scopes: [calls-311]
  limits: {requests_per_day: PER_DAY, requests_per_second: PER_SECOND}
  expires: 2027-11-19
  data_sharing_agreement: false
  terms_version: "2026-01"
`

// writeRequest adds an approved, accepted api-access request for calls-311 to the repository.
func (s *gateStack) writeRequest(t testing.TB, id string, perDay, perSecond int) {
	t.Helper()
	d := filepath.Join(s.repo, "requests", id)
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	dec := strings.NewReplacer("PER_DAY", strconv.Itoa(perDay), "PER_SECOND", strconv.Itoa(perSecond)).Replace(gateDecision)
	for name, text := range map[string]string{
		"request.yaml":    strings.ReplaceAll(gateRequest, "RECIPIENT", s.identity.Recipient().String()),
		"acceptance.yaml": gateAcceptance,
		"decision.yaml":   dec,
	} {
		if err := os.WriteFile(filepath.Join(d, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// upstreamURI returns the request URI of the upstream's last call (after the calls already
// waiting), or "" when it had none within a second.
func (s *gateStack) upstreamURI() string {
	last := ""
	for {
		select {
		case h := <-s.upstreamCalls:
			last = h.Get("X-Test-Request-Uri")
			continue
		default:
		}
		if last != "" {
			return last
		}
		select {
		case h := <-s.upstreamCalls:
			last = h.Get("X-Test-Request-Uri")
		case <-time.After(time.Second):
			return ""
		}
	}
}

// provision runs docket provision --confirm, as staff's workflow does.
func (s *gateStack) provision(t testing.TB) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"provision", "--repo", s.repo, "--state", s.state, "--deliver-to", s.out, "--confirm"}, &stdout, &stderr); code != 0 {
		t.Fatalf("docket provision: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
}

// key decrypts the key delivered for id, as its requester would.
func (s *gateStack) key(t testing.TB, id string) string {
	t.Helper()
	ct, err := os.ReadFile(filepath.Join(s.out, id+".age"))
	if err != nil {
		t.Fatal(err)
	}
	k, err := seal.Open(string(ct), []byte(s.identity.String()))
	if err != nil {
		t.Fatal(err)
	}
	return string(k)
}

// editRegistry changes the registry file in place (written whole, then renamed).
func (s *gateStack) editRegistry(t testing.TB, edit func(r *registry.Registry)) {
	t.Helper()
	path := filepath.Join(s.state, registry.FileName)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r, err := registry.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	edit(r)
	if data, err = r.Encode(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path+".new", data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(path+".new", path); err != nil {
		t.Fatal(err)
	}
}

// newGateStack makes the repository and issues keys with setup (which calls writeRequest and
// provision), then starts Redis, the upstream stub, two gates (sharing Redis, or each with its
// limits in memory when memory is set) and nginx.
func newGateStack(t testing.TB, workers int, plain string, memory bool, setup func(s *gateStack)) *gateStack {
	nginxBin := testtool.Need(t, "nginx", "nginx")
	dir := t.TempDir()
	s := &gateStack{dir: dir, repo: filepath.Join(dir, "repo"), state: filepath.Join(dir, "state"), out: filepath.Join(dir, "out"),
		upstreamCalls: make(chan http.Header, 1000)}
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	s.identity = id
	config := []byte(dockettest.Config)
	config = bytes.Replace(config, []byte(`api: true}`), []byte(`api: true, api_paths: [/resource/calls-311]}`), 1)
	config = bytes.Replace(config, []byte(`sensitivity: restricted, api: true}`), []byte(`sensitivity: restricted, api: true, api_paths: [/resource/ems-times]}`), 1)
	if !bytes.Contains(config, []byte("/resource/ems-times")) {
		t.Fatal("dockettest.Config changed: the api_paths were not added")
	}
	if err := os.MkdirAll(filepath.Join(s.repo, ".github"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(s.repo, ".github", "docket.yml"), config, 0o644); err != nil {
		t.Fatal(err)
	}
	setup(s)

	// Redis, on a loopback port, keeping nothing on disk.
	redisAddr := testtool.Redis(t)

	// The data API: says which key id nginx passed on.
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Clone()
		h.Set("X-Test-Request-Uri", r.RequestURI) // what the upstream was sent
		select {
		case s.upstreamCalls <- h:
		default:
		}
		fmt.Fprintf(w, "data for %s at %s\n", r.Header.Get("X-Docket-Key-Id"), r.URL.Path)
	}))
	t.Cleanup(up.Close)

	// Two gates sharing Redis, each with its own usage folder, reloading every second.
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i := range 2 {
		addr := testtool.FreeAddr(t)
		usage := filepath.Join(dir, fmt.Sprintf("usage-%d", i))
		logs := &syncBuffer{}
		s.gates, s.gateLogs, s.usageDirs = append(s.gates, addr), append(s.gateLogs, logs), append(s.usageDirs, usage)
		wg.Add(1)
		go func() {
			defer wg.Done()
			args := []string{"gate", "--repo", s.repo, "--registry", filepath.Join(s.state, registry.FileName),
				"--listen", addr, "--reload", "1s", "--usage-dir", usage}
			if !memory {
				args = append(args, "--redis", redisAddr)
			}
			codes[i] = run(ctx, args, logs, logs)
		}()
		testtool.WaitUntil(t, "docket gate /healthz", func() error {
			resp, err := http.Get("http://" + addr + "/healthz")
			if err != nil {
				return err
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				return fmt.Errorf("status %d; log:\n%s", resp.StatusCode, logs)
			}
			return nil
		})
	}
	stopped := false
	s.stopGates = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		wg.Wait()
		for i, c := range codes {
			if c != 0 {
				t.Errorf("gate %d exited %d:\n%s", i, c, s.gateLogs[i])
			}
		}
	}
	t.Cleanup(s.stopGates)

	// nginx, from the documented configuration.
	listen := testtool.FreeAddr(t)
	user := ""
	if os.Geteuid() == 0 {
		user = "root" // the workers read the test's private temporary folder
	}
	accessLog := filepath.Join(dir, "access.log")
	if workers > 1 {
		accessLog = "off"
	}
	conf, err := apigate.NginxConfig(apigate.NginxParams{
		User: user, Workers: workers, Dir: dir, Gates: s.gates, Upstream: strings.TrimPrefix(up.URL, "http://"),
		Listen: listen, Location: "/", AccessLog: accessLog, Plain: plain,
	})
	if err != nil {
		t.Fatal(err)
	}
	confPath := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(confPath, conf, 0o644); err != nil {
		t.Fatal(err)
	}
	testtool.Start(t, dir, nginxBin, "-p", dir, "-e", filepath.Join(dir, "error.log"), "-c", confPath)
	s.nginx = "http://" + listen
	testtool.WaitUntil(t, "nginx listening", func() error {
		c, err := net.DialTimeout("tcp", listen, time.Second)
		if err == nil {
			c.Close()
		}
		return err
	})
	return s
}

type answer struct {
	status int
	header http.Header
	body   string
}

func fetchURL(t testing.TB, url string, header ...string) answer {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, string(body)}
}

// TestGateBehindNginx is issue 10's story end to end: keys from docket provision, checked by
// two docket gate instances behind Debian's nginx, sharing limits in Redis; a suspension and a
// revocation merged and provisioned take effect without a restart.
func TestGateBehindNginx(t *testing.T) {
	var keysOf map[string]string
	s := newGateStack(t, 1, "", false, func(s *gateStack) {
		s.writeRequest(t, "dashboard", 5000, 10)
		s.writeRequest(t, "suspend-me", 5000, 10)
		s.writeRequest(t, "revoke-me", 5000, 10)
		s.writeRequest(t, "expiring", 5000, 10)
		s.writeRequest(t, "limited", 5, 10)
		s.provision(t)
		keysOf = map[string]string{}
		for _, id := range []string{"dashboard", "suspend-me", "revoke-me", "expiring", "limited"} {
			keysOf[id] = s.key(t, id+"-1")
		}
		// A key whose last day was yesterday, its status not yet changed by provision.
		s.editRegistry(t, func(r *registry.Registry) {
			d, _ := docket.ParseDate("2026-11-26")
			r.Key("expiring-1").NotAfter = d
		})
	})
	api := s.nginx + "/resource/calls-311.json"

	// A valid key gets the data, and the upstream learns the key's id, never the key.
	a := fetchURL(t, api+"?$where=x", "X-App-Token", keysOf["dashboard"])
	if a.status != 200 || a.body != "data for dashboard-1 at /resource/calls-311.json\n" {
		t.Fatalf("valid key: %d %q", a.status, a.body)
	}
	h := <-s.upstreamCalls
	if h.Get("X-App-Token") != "" || h.Get("X-Docket-Key-Id") != "dashboard-1" {
		t.Errorf("upstream got X-App-Token %q, X-Docket-Key-Id %q", h.Get("X-App-Token"), h.Get("X-Docket-Key-Id"))
	}
	// Socrata's query parameter and a bearer token work as well.
	if a := fetchURL(t, api+"?$$app_token="+keysOf["dashboard"]+"&$limit=5"); a.status != 200 {
		t.Errorf("$$app_token: %d %q", a.status, a.body)
	}
	// The key in the query goes no further than the gate: the upstream gets the rest.
	if got := s.upstreamURI(); got != "/resource/calls-311.json?$limit=5" {
		t.Errorf("the upstream was sent %q", got)
	}
	if a := fetchURL(t, api, "Authorization", "Bearer "+keysOf["dashboard"]); a.status != 200 {
		t.Errorf("bearer: %d %q", a.status, a.body)
	}

	for _, tc := range []struct {
		name, url, key string
		status         int
		body           string
	}{
		{"no key", api, "", 401, "no API key: send your docket key in the X-App-Token header (or as $$app_token, a bearer token or X-Api-Key)"},
		{"unknown key", api, "test_" + strings.Repeat("x", 36), 401, "this API key is not known: check that you sent the whole key as docket delivered it"},
		{"expired", api, keysOf["expiring"], 403, "key expiring-1 expired: its last day was 2026-11-26; make a new request to renew it"},
		{"other dataset", s.nginx + "/resource/ems-times.json", keysOf["dashboard"], 403, "key dashboard-1 may not read dataset ems-times; it may read: calls-311"},
		{"no dataset", s.nginx + "/admin/users", keysOf["dashboard"], 403, "this path is not a dataset API this key can reach"},
		// What nginx routes on, the gate scopes on: another dataset spelled through the key's own.
		{"dot segments", s.nginx + "/resource/calls-311/../ems-times.json", keysOf["dashboard"], 403, "key dashboard-1 may not read dataset ems-times; it may read: calls-311"},
		{"escaped dot segments", s.nginx + "/resource/calls-311/%2E%2E/ems-times.json", keysOf["dashboard"], 403, "key dashboard-1 may not read dataset ems-times; it may read: calls-311"},
		{"tomcat dot segments", s.nginx + "/resource/calls-311.json/..;/ems-times.json", keysOf["dashboard"], 403, "this path has a bad escape, an escaped %, a ';', a backslash, a control character or bytes that are not UTF-8: the gate does not let such paths through"},
		// A client's own URI header does not reach the gate.
		{"forged URI header", s.nginx + "/resource/ems-times.json", keysOf["dashboard"], 403, "key dashboard-1 may not read dataset ems-times; it may read: calls-311"},
	} {
		var hdr []string
		if tc.key != "" {
			hdr = []string{"X-App-Token", tc.key}
		}
		if tc.name == "forged URI header" {
			hdr = append(hdr, "X-Forwarded-Uri", "/resource/calls-311.json", "X-Original-URI", "/resource/calls-311.json")
		}
		a := fetchURL(t, tc.url, hdr...)
		if a.status != tc.status || a.body != tc.body+"\n" || a.header.Get("X-Docket-Reason") != tc.body {
			t.Errorf("%s: %d %q (X-Docket-Reason %q), want %d %q", tc.name, a.status, a.body, a.header.Get("X-Docket-Reason"), tc.status, tc.body)
		}
		if w := a.header.Values("WWW-Authenticate"); tc.status == 401 && (len(w) != 1 || w[0] != `Bearer realm="docket"`) {
			t.Errorf("%s: WWW-Authenticate %q", tc.name, w)
		}
	}

	// An escaped spelling of the key's own dataset works, and the upstream is sent the path
	// the gate judged.
	if a := fetchURL(t, s.nginx+"/resource/%63alls-311.json?a=%20b", "X-App-Token", keysOf["dashboard"]); a.status != 200 || a.body != "data for dashboard-1 at /resource/calls-311.json\n" {
		t.Errorf("escaped path: %d %q", a.status, a.body)
	}
	if got := s.upstreamURI(); got != "/resource/calls-311.json?a=%20b" {
		t.Errorf("the upstream was sent %q", got)
	}

	// One key's calls through both gates are held to its limit of 5 a day: counted in Redis.
	// 16 calls in well under a second also pass its 10 a second; the answer names the day.
	var statuses []int
	var limited answer
	for range 16 {
		a := fetchURL(t, api, "X-App-Token", keysOf["limited"])
		statuses = append(statuses, a.status)
		if a.status == 429 {
			limited = a
		}
	}
	if fmt.Sprint(statuses) != "[200 200 200 200 200 429 429 429 429 429 429 429 429 429 429 429]" {
		t.Fatalf("16 calls of a key allowed 5 a day, through two gates: %v", statuses)
	}
	retry, _ := strconv.Atoi(limited.header.Get("Retry-After"))
	if retry < 17000 || retry > 17300 || limited.header.Get("RateLimit-Policy") != `"second";q=10;w=1, "day";q=5;w=86400` ||
		!regexp.MustCompile(`^"day";r=0;t=\d+$`).MatchString(limited.header.Get("RateLimit")) ||
		!strings.HasPrefix(limited.body, "key limited-1 is over its limit of 5 requests per day: retry after ") {
		t.Errorf("429: %v %q", limited.header, limited.body)
	}
	for i, g := range s.gates {
		m := fetchURL(t, "http://"+g+"/metrics").body
		if !regexp.MustCompile(`docket_gate_decisions_total\{reason="over_limit_day",result="limited"\} [1-9]`).MatchString(m) {
			t.Errorf("gate %d answered no over-limit call: both gates should share the traffic", i)
		}
		if strings.Contains(m, "limited-1") {
			t.Errorf("gate %d has a per-key metric", i)
		}
	}

	// Staff merge a suspension and a revocation; provision changes the registry; within the
	// reload interval both keys are refused, without a restart.
	for id, action := range map[string]string{
		"suspend-me": "  - action: suspension\n    date: 2026-11-25\n    until: 2026-12-31\n    by: staff-ann\n    reason: Traffic far above the limit for a week.\n",
		"revoke-me":  "  - action: revocation\n    date: 2026-11-25\n    by: staff-ann\n    reason: The data was resold against the terms.\n",
	} {
		if a := fetchURL(t, api, "X-App-Token", keysOf[id]); a.status != 200 {
			t.Fatalf("%s before the enforcement action: %d %q", id, a.status, a.body)
		}
		if err := os.WriteFile(filepath.Join(s.repo, "requests", id, "enforcement.yaml"), []byte("actions:\n"+action), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s.provision(t)
	changed := time.Now()
	for id, want := range map[string]string{
		"suspend-me": "key suspend-me-1 is suspended: see the enforcement record of request suspend-me on the program's site",
		"revoke-me":  "key revoke-me-1 is revoked: if it was replaced, use the new key delivered on request revoke-me; otherwise make a new request",
	} {
		testtool.WaitUntil(t, id+" refused after the registry changed", func() error {
			// Twice, so that both gates (round robin) are asked.
			for range 2 {
				if a := fetchURL(t, api, "X-App-Token", keysOf[id]); a.status != 403 || a.body != want+"\n" {
					return fmt.Errorf("%d %q", a.status, a.body)
				}
			}
			return nil
		})
	}
	t.Logf("the suspension and the revocation took effect %s after provision wrote the registry", time.Since(changed).Round(10*time.Millisecond))

	// nginx's access log names paths and key ids, never a key (not even one sent as $$app_token).
	accessLog, err := os.ReadFile(filepath.Join(s.dir, "access.log"))
	if err != nil {
		t.Fatal(err)
	}
	for id, k := range keysOf {
		if strings.Contains(string(accessLog), k) {
			t.Errorf("nginx's access log holds the key of %s", id)
		}
	}
	if !strings.Contains(string(accessLog), `"GET /resource/calls-311.json" 200 `) || !strings.Contains(string(accessLog), "key_id=dashboard-1 ") {
		t.Errorf("nginx's access log:\n%s", accessLog)
	}

	// The gates' logs name key ids, never a key; the usage summaries count the limited key's
	// refusals across both gates.
	s.stopGates()
	total := 0
	for i := range s.gates {
		logs := s.gateLogs[i].String()
		for id, k := range keysOf {
			if strings.Contains(logs, k) {
				t.Errorf("gate %d logged the key of %s", i, id)
			}
		}
		if !strings.Contains(logs, "key_id=suspend-me-1") || !strings.Contains(logs, "registry loaded") {
			t.Errorf("gate %d log:\n%s", i, logs)
		}
		data, err := os.ReadFile(filepath.Join(s.usageDirs[i], "usage-"+testDay+".json"))
		if err != nil {
			t.Fatal(err)
		}
		m := regexp.MustCompile(`"limited-1": \{\s*"over_limit": (\d+)`).FindSubmatch(data)
		if m == nil {
			t.Fatalf("gate %d usage:\n%s", i, data)
		}
		n, _ := strconv.Atoi(string(m[1]))
		total += n
	}
	if total != 11 {
		t.Errorf("usage summaries count %d over-limit calls of limited-1, want 11", total)
	}
}

// BenchmarkNginxWrk measures, with wrk (Debian's package), nginx in front of the same upstream
// with and without auth_request to docket gate (two instances sharing Redis, or each with its
// limits in memory), on this machine: requests per second of each, their ratio, and p99
// latency. Run it with go test ./cmd/docket -run XXX -bench NginxWrk -benchtime 1x.
func BenchmarkNginxWrk(b *testing.B) {
	for _, limits := range []string{"redis", "memory"} {
		b.Run(limits, func(b *testing.B) { benchmarkNginxWrk(b, limits == "memory") })
	}
}

func benchmarkNginxWrk(b *testing.B, memory bool) {
	wrk := testtool.Need(b, "wrk", "wrk")
	var key string
	s := newGateStack(b, 2, "/plain/", memory, func(s *gateStack) {
		s.writeRequest(b, "bench", 5000, 10)
		s.provision(b)
		key = s.key(b, "bench-1")
		// Limits no benchmark reaches, so that every call is allowed.
		s.editRegistry(b, func(r *registry.Registry) {
			r.Key("bench-1").Limits = docket.Limits{RequestsPerDay: 1 << 40, RequestsPerSecond: 1e9}
		})
	})
	if a := fetchURL(b, s.nginx+"/resource/calls-311.json", "X-App-Token", key); a.status != 200 {
		b.Fatalf("gated: %d %s", a.status, a.body)
	}
	if a := fetchURL(b, s.nginx+"/plain/resource/calls-311.json"); a.status != 200 {
		b.Fatalf("plain: %d %s", a.status, a.body)
	}
	measure := func(url string) (rps, p99ms float64) {
		out, err := exec.Command(wrk, "-t2", "-c32", "-d3s", "--latency", "-H", "X-App-Token: "+key, url).CombinedOutput()
		if err != nil {
			b.Fatalf("wrk: %v\n%s", err, out)
		}
		text := string(out)
		if m := regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`).FindStringSubmatch(text); m != nil {
			b.Fatalf("wrk saw %s refused calls:\n%s", m[1], text)
		}
		m := regexp.MustCompile(`Requests/sec:\s+([\d.]+)`).FindStringSubmatch(text)
		p := regexp.MustCompile(`\s99%\s+([\d.]+)(us|ms|s)`).FindStringSubmatch(text)
		if m == nil || p == nil {
			b.Fatalf("wrk output not understood:\n%s", text)
		}
		rps, _ = strconv.ParseFloat(m[1], 64)
		p99ms, _ = strconv.ParseFloat(p[1], 64)
		switch p[2] {
		case "us":
			p99ms /= 1000
		case "s":
			p99ms *= 1000
		}
		return rps, p99ms
	}
	// The machine is shared: plain and gated runs alternate, three of each, and the medians
	// are reported.
	for range b.N {
		var plain, gated, plainP99, gatedP99, ratio []float64
		for range 3 {
			r, p := measure(s.nginx + "/plain/resource/calls-311.json")
			plain, plainP99 = append(plain, r), append(plainP99, p)
			r, p = measure(s.nginx + "/resource/calls-311.json")
			gated, gatedP99 = append(gated, r), append(gatedP99, p)
			ratio = append(ratio, gated[len(gated)-1]/plain[len(plain)-1])
		}
		b.Logf("plain req/s %v p99 ms %v; gated req/s %v p99 ms %v", plain, plainP99, gated, gatedP99)
		b.ReportMetric(median(plain), "plain-req/s")
		b.ReportMetric(median(gated), "gated-req/s")
		b.ReportMetric(median(ratio), "ratio")
		b.ReportMetric(median(plainP99), "plain-p99-ms")
		b.ReportMetric(median(gatedP99), "gated-p99-ms")
	}
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}
