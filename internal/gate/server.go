package gate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/opendata-docket/docket/internal/docket"
)

// maxHeaderBytes bounds the headers of a call to the gate.
const maxHeaderBytes = 64 << 10

// Paths the gate answers on.
const (
	PathAuth      = "/auth"       // real statuses: Envoy ext_authz, Traefik ForwardAuth
	PathAuthNginx = "/auth/nginx" // 429 and 503 as 403 with X-Docket-Status: nginx auth_request
	PathHealth    = "/healthz"
	PathMetrics   = "/metrics"
)

// Mux returns the gate's handler: the two auth paths, /healthz (200 once a registry is loaded,
// 503 before) and, with m, /metrics.
func (g *Gate) Mux(m *Metrics) http.Handler {
	mux := http.NewServeMux()
	mux.Handle(PathAuth, g)
	mux.Handle(PathAuth+"/", g) // ForwardAuth may append the path
	mux.Handle(PathAuthNginx, g.NginxHandler())
	mux.HandleFunc(PathHealth, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		ix := g.Index()
		if ix == nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"status":"no registry loaded"}` + "\n"))
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{
			"status": "ok", "keys": ix.Size(), "registry_loaded": ix.loaded.UTC().Format(time.RFC3339),
		})
	})
	if m != nil {
		mux.Handle(PathMetrics, m.Handler())
	}
	return mux
}

// RedisDown is what the gate does while Redis cannot be reached.
type RedisDown string

const (
	// RedisDownOpen: each instance enforces the limits alone, in memory, until Redis is back.
	RedisDownOpen RedisDown = "open"
	// RedisDownClosed: every call that needs a limit checked is answered 503.
	RedisDownClosed RedisDown = "closed"
)

// Config is a whole gate service, as docket gate runs it.
type Config struct {
	Listen    string // address to listen on (host:port)
	Registry  string // keys.json: a file or an http(s) URL
	Reload    time.Duration
	Options   Options // Limiter, Metrics and Usage are set by Run
	Catalog   CatalogSource
	Redis     string // Redis address; "" keeps limits in memory
	RedisDown RedisDown
	UsageDir  string // "" keeps no usage summary
	Log       *slog.Logger
	// Ready, if set, receives the address listened on once the gate serves.
	Ready func(addr net.Addr)
}

// CatalogSource is the catalog and the program's time zone, from the configuration.
type CatalogSource struct {
	Entries  []docket.CatalogEntry
	Location *time.Location
}

// Run serves the gate until ctx ends, then shuts down gracefully: calls in progress are
// answered (for up to 10 s), and the usage summary is written. The first registry load must
// succeed; later failures keep the last good registry.
func Run(ctx context.Context, c Config) error {
	log := c.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	o := c.Options
	o.Logger = log
	if o.Now == nil {
		o.Now = time.Now
	}
	m := NewMetrics(time.Now)
	o.Metrics = m
	local := NewMemoryLimiter(time.Now)
	o.Limiter = local
	if c.Redis != "" {
		// go-redis has one logger for the process: the first gate's log gets its lines.
		redisLogOnce.Do(func() { redis.SetLogger(redisLog{log}) })
		// Short timeouts and no dial retries: a call must not wait long for a Redis that is
		// down; the --redis-down policy answers it instead (and Redis is tried again a
		// second later).
		rdb := redis.NewClient(&redis.Options{Addr: c.Redis, DialTimeout: 500 * time.Millisecond,
			ReadTimeout: 500 * time.Millisecond, WriteTimeout: 500 * time.Millisecond, MaxRetries: 1,
			DialerRetries: 1, PoolSize: 64})
		defer rdb.Close()
		if err := rdb.Ping(ctx).Err(); err != nil {
			log.Warn("redis cannot be reached at start", "addr", c.Redis, "error", err.Error(), "policy", string(c.RedisDown))
		}
		// Calls checked at the same time share round trips to Redis: under load, the
		// scripts of many calls go in one pipeline, which halves the gate's cost per call.
		var cmds redis.Cmdable = rdb
		if ap, err := rdb.AutoPipeline(); err == nil {
			cmds = ap
		}
		o.Limiter = &FallbackLimiter{
			Shared: NewRedisLimiter(cmds), Local: local, Open: c.RedisDown != RedisDownClosed,
			OnError: func(error) { m.RedisError() },
			OnChange: func(err error) {
				if err != nil {
					m.RedisDown()
					what := "enforcing limits per instance, in memory, until it is back"
					if c.RedisDown == RedisDownClosed {
						what = "answering 503 until it is back"
					}
					log.Error("redis cannot be reached", "addr", c.Redis, "error", err.Error(), "policy", string(c.RedisDown), "doing", what)
					return
				}
				log.Info("redis reached again; limits are shared again", "addr", c.Redis)
			},
		}
	}
	if c.UsageDir != "" {
		u, err := NewUsage(c.UsageDir, c.Catalog.Location)
		if err != nil {
			return err
		}
		o.Usage = u
		defer func() {
			if err := u.Flush(); err != nil {
				log.Error("usage summary not written", "error", err.Error())
			}
		}()
	}
	g, err := New(o)
	if err != nil {
		return err
	}
	if _, err := prefixesOf(c.Catalog.Entries); err != nil {
		return fmt.Errorf("%s: %w", docket.ConfigPath, err)
	}
	rl := NewReloader(c.Registry, g, c.Catalog.Entries, c.Catalog.Location, nil, log, m)
	if err := rl.Load(ctx); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.Listen)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", c.Listen, err)
	}
	// A gateway's subrequest is a few headers: 64 KB of them (nginx's own limit is 32 KB)
	// rather than net/http's 1 MB, so that many connections cannot hold much memory, and
	// headers must come within 5 s (slowloris).
	srv := &http.Server{Handler: g.Mux(m), ReadHeaderTimeout: 5 * time.Second, IdleTimeout: 2 * time.Minute,
		MaxHeaderBytes: maxHeaderBytes}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	log.Info("gate serving", "addr", ln.Addr().String(), "registry", c.Registry, "reload", c.Reload.String(), "redis", c.Redis)
	if c.Ready != nil {
		c.Ready(ln.Addr())
	}
	bg, stop := context.WithCancel(ctx)
	defer stop()
	go rl.Run(bg, c.Reload)
	if o.Usage != nil {
		go func() {
			t := time.NewTicker(time.Minute)
			defer t.Stop()
			for {
				select {
				case <-bg.Done():
					return
				case <-t.C:
					if err := o.Usage.Flush(); err != nil {
						log.Error("usage summary not written", "error", err.Error())
					}
				}
			}
		}()
	}
	select {
	case err := <-done:
		return fmt.Errorf("serving: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutting down: %w", err)
	}
	log.Info("stopped: every call in progress was answered")
	return nil
}

var redisLogOnce sync.Once

// redisLog sends go-redis's own messages (dial failures, retries) to the gate's log, at debug
// level: the gate reports Redis going down and coming back itself, once each.
type redisLog struct{ log *slog.Logger }

func (r redisLog) Printf(ctx context.Context, format string, v ...any) {
	r.log.Debug("redis client", "message", fmt.Sprintf(format, v...))
}
