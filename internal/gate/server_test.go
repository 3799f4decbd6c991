package gate

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opendata-docket/docket/internal/registry"
)

// closedAddr is a loopback address where nothing listens.
func closedAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// runGate runs a whole gate with Redis unreachable, and returns its address and a stop
// function that checks the shutdown was clean.
func runGate(t *testing.T, down RedisDown, regPath string, logs io.Writer) (string, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Config{
			Listen: "127.0.0.1:0", Registry: regPath, Reload: time.Hour,
			Catalog: CatalogSource{Entries: catalog, Location: chicago},
			Redis:   closedAddr(t), RedisDown: down,
			Log:   slog.New(slog.NewTextHandler(logs, nil)),
			Ready: func(a net.Addr) { ready <- a },
		})
	}()
	select {
	case a := <-ready:
		return a.String(), func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("shutdown: %v", err)
			}
		}
	case err := <-done:
		t.Fatalf("the gate stopped: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("the gate did not start")
	}
	return "", nil
}

func TestRedisDownPolicy(t *testing.T) {
	k := newKey(t, "dashboard", registry.StatusActive, "kcmo-311")
	k.entry.Limits.RequestsPerSecond = 100
	path := filepath.Join(t.TempDir(), "keys.json")
	writeReg(t, path, regOf(k))
	for _, tc := range []struct {
		down   RedisDown
		status int
		log    string
	}{
		{RedisDownOpen, 200, `doing="enforcing limits per instance, in memory, until it is back"`},
		{RedisDownClosed, 503, `doing="answering 503 until it is back"`},
	} {
		t.Run(string(tc.down), func(t *testing.T) {
			logs := &lockedBuffer{}
			addr, stop := runGate(t, tc.down, path, logs)
			for range 3 {
				req, _ := http.NewRequest("GET", "http://"+addr+PathAuth, nil)
				req.Header.Set("X-Original-URI", "/resource/d4px-6rwg.json")
				req.Header.Set("X-App-Token", k.secret)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != tc.status {
					t.Fatalf("Redis down, policy %s: %d, want %d", tc.down, resp.StatusCode, tc.status)
				}
			}
			resp, err := http.Get("http://" + addr + PathMetrics)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			for _, want := range []string{"docket_gate_redis_down_total 1", "docket_gate_redis_errors_total 1", "docket_gate_registry_keys 1"} {
				if !strings.Contains(string(body), want) {
					t.Errorf("metrics lack %q", want)
				}
			}
			stop()
			out := logs.String()
			if strings.Count(out, `msg="redis cannot be reached"`) != 1 || !strings.Contains(out, tc.log) {
				t.Errorf("log:\n%s", out)
			}
			if strings.Contains(out, k.secret) {
				t.Error("the key was logged")
			}
		})
	}
}

func TestHealthz(t *testing.T) {
	g, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := http.Server{Handler: g.Mux(nil)}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Close()
	get := func() int {
		resp, err := http.Get("http://" + ln.Addr().String() + PathHealth)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if s := get(); s != 503 {
		t.Fatalf("before a registry: %d", s)
	}
	ix, _ := NewIndex(registry.New(), catalog, nil)
	g.SetIndex(ix)
	if s := get(); s != 200 {
		t.Fatalf("with a registry: %d", s)
	}
}
