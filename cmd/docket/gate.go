package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"time"

	"github.com/opendata-docket/docket/internal/docket"
	apigate "github.com/opendata-docket/docket/internal/gate"
)

const gateUsage = `Usage: docket gate --registry FILE|URL [--repo DIR] [--listen ADDRESS] [--reload 30s]
                   [--redis ADDRESS] [--redis-down open|closed] [--usage-dir DIR]
                   [--key-from LIST] [--uri-header LIST] [--unmapped refuse|any-key]
                   [--log text|json] [--debug] [--as-of YYYY-MM-DD]
       docket gate nginx --upstream ADDRESS [--listen ADDRESS] [--gate LIST] [--location PATH]
                   [--dir DIR]

Enforces the keys docket provision issued at the city's API gateway. docket gate is the
service a gateway asks, for every call, whether the API key in it may make it: nginx
(auth_request to /auth/nginx), Envoy (ext_authz HTTP service at /auth) or Traefik
(ForwardAuth to /auth). It reads the key from the call, hashes it, finds it in the registry
keys.json and answers:

    200  the key is active, within its last day, its scopes and its limits; the key's id is
         in X-Docket-Key-Id for the gateway to log and pass on
    401  no key, a key the registry does not know, or two different keys in one call (with
         WWW-Authenticate)
    403  a pending, suspended, revoked or expired key, a dataset outside the key's scopes, a
         path no catalog entry's api_paths covers, or a path a server behind could read as
         another (with a ';', a backslash, an escaped %); X-Docket-Reason and the body say which
    429  over the key's requests_per_second or requests_per_day, with Retry-After,
         RateLimit-Policy and RateLimit
    503  no registry loaded yet, or Redis down with --redis-down closed

The dataset a call is for is found from the original URI (X-Original-URI, X-Forwarded-Uri or
X-Envoy-Original-Path; if two differ, the call is refused) by the api_paths of the catalog in
the configuration of the repository, on the path as nginx routes it (escapes decoded, "." and
".." resolved). A key works through its last day (not_after) in the program's time zone.

The registry is read again every --reload interval: a file when its modification time
changes, a URL (the published site's keys.json) with If-None-Match. A registry that cannot be
read or breaks its schema is reported in the log and the metrics, and the last good one stays
in use. The key itself is never logged; its id is. /healthz answers 200 once a registry is
loaded; /metrics has Prometheus metrics. SIGINT or SIGTERM stops the gate after the calls in
progress are answered.

docket gate nginx prints an nginx configuration that puts the gate in front of an API: nginx
listens on --listen (default 127.0.0.1:8080), sends every call under --location (default /) to
the gate instances in --gate (default 127.0.0.1:8181) and, when they allow it, to --upstream,
with the key's id in X-Docket-Key-Id and the URI the gate judged, without $$app_token;
refusals reach the client with the gate's status, reason and headers. Its access log has
paths and key ids, never a query (where $$app_token keys are). nginx keeps its pid file, logs and temporary files in --dir (default: the
current folder). Run it with: nginx -c "$PWD/nginx.conf".

Flags:
    --registry FILE|URL  keys.json: a file (a checkout of docket-state, or provision --state)
                         or an https:// address (required)
    --repo DIR           the repository whose configuration has the catalog and time zone
                         (default: the one the current folder is in)
    --listen ADDRESS     where to listen (default: 127.0.0.1:8181)
    --reload DURATION    how often to read the registry again (default: 30s)
    --redis ADDRESS      keep limits in Redis (host:port) so that every gate instance using
                         it enforces one limit (default: in memory, per instance)
    --redis-down POLICY  while Redis cannot be reached: open enforces the limits in memory per
                         instance; closed answers 503 (default: open)
    --usage-dir DIR      write, per day, usage-YYYY-MM-DD.json: per key id, the calls refused
                         and held to a limit (one folder per gate instance)
    --key-from LIST      where to look for the key, in order, comma-separated: header names,
                         query parameters written $name or query:name, and bearer
                         (default: X-App-Token,$$app_token,bearer,X-Api-Key)
    --uri-header LIST    headers holding the original URI, in order (default:
                         X-Original-URI,X-Forwarded-Uri,X-Envoy-Original-Path)
    --unmapped POLICY    a path under no catalog entry's api_paths: refuse answers 403; any-key
                         lets any working key through within its limits (default: refuse)
    --log FORMAT         text or json (default: text), on standard error
    --debug              also log every call allowed, every call without a known key and
                         every call over a limit (otherwise only counted in the metrics and
                         the usage summary)
` + asOfHelp + `
                        (the gate judges not_after against this day, at the current time
                        of day)
`

func runGate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "nginx" {
		return runGateNginx(args[1:], stdout, stderr)
	}
	fs := newFlagSet("gate")
	dir := fs.String("repo", repoRoot(), "")
	reg := fs.String("registry", "", "")
	listen := fs.String("listen", "127.0.0.1:8181", "")
	reload := fs.Duration("reload", 30*time.Second, "")
	redisAddr := fs.String("redis", "", "")
	redisDown := fs.String("redis-down", "open", "")
	usageDir := fs.String("usage-dir", "", "")
	keyFrom := fs.String("key-from", strings.Join(apigate.DefaultKeyFrom, ","), "")
	uriHeader := fs.String("uri-header", strings.Join(apigate.DefaultURIHeaders, ","), "")
	unmapped := fs.String("unmapped", string(apigate.UnmappedRefuse), "")
	logFormat := fs.String("log", "text", "")
	debug := fs.Bool("debug", false, "")
	clk := addClock(fs)
	if code, ok := parseFlags(fs, gateUsage, args, stdout, stderr); !ok {
		return code
	}
	bad := func(format string, a ...any) int {
		errorf(stderr, format, a...)
		hintf(stderr, "run \"docket gate -h\" for the flags")
		return 2
	}
	switch {
	case *reg == "":
		return bad("--registry is required: the keys.json file or address to enforce")
	case *reload < time.Second:
		return bad("--reload %s: use at least 1s", *reload)
	case *redisDown != string(apigate.RedisDownOpen) && *redisDown != string(apigate.RedisDownClosed):
		return bad("--redis-down %q: use open or closed", *redisDown)
	case *logFormat != "text" && *logFormat != "json":
		return bad("--log %q: use text or json", *logFormat)
	}
	if _, _, err := net.SplitHostPort(*listen); err != nil {
		return bad("--listen %q: want host:port, like 127.0.0.1:8181", *listen)
	}
	if *redisAddr != "" {
		if _, _, err := net.SplitHostPort(*redisAddr); err != nil {
			return bad("--redis %q: want host:port, like 127.0.0.1:6379", *redisAddr)
		}
	}
	asOf, err := clk.today()
	if err != nil {
		return bad("%s", err)
	}
	opts := apigate.Options{KeyFrom: splitList(*keyFrom), URIHeaders: splitList(*uriHeader), Unmapped: apigate.UnmappedPolicy(*unmapped)}
	if _, err := apigate.New(opts); err != nil {
		return bad("%s", err)
	}

	_, r, _, err := validateDir(*dir, asOf)
	if err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	if r.Config == nil {
		errorf(stderr, "%s is missing or not valid: the gate needs its catalog", docket.ConfigPath)
		hintf(stderr, "run \"docket validate\" to see what is wrong")
		return 1
	}
	loc := time.UTC
	if tz := r.Config.Program.TimeZone; tz != "" {
		if loc, err = time.LoadLocation(tz); err != nil {
			errorf(stderr, "%s: program.time_zone %q is not a time zone this machine knows", docket.ConfigPath, tz)
			return 1
		}
	}
	if clk.set() {
		// The day is pinned; the time of day (for limits) is the wall clock's.
		opts.Now = func() time.Time {
			t := time.Now().In(loc)
			d := asOf.Time()
			return time.Date(d.Year(), d.Month(), d.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc)
		}
	}
	level := slog.LevelInfo
	if *debug {
		level = slog.LevelDebug
	}
	var h slog.Handler = slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level})
	if *logFormat == "json" {
		h = slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: level})
	}
	err = apigate.Run(ctx, apigate.Config{
		Listen: *listen, Registry: *reg, Reload: *reload, Options: opts,
		Catalog: apigate.CatalogSource{Entries: r.Config.Catalog, Location: loc},
		Redis:   *redisAddr, RedisDown: apigate.RedisDown(*redisDown), UsageDir: *usageDir,
		Log: slog.New(h),
	})
	if err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	return 0
}

// splitList splits a comma-separated flag value, dropping spaces and empty items.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// runGateNginx prints the nginx configuration for a gate in front of an API.
func runGateNginx(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("gate nginx")
	listen := fs.String("listen", "127.0.0.1:8080", "")
	gates := fs.String("gate", "127.0.0.1:8181", "")
	upstream := fs.String("upstream", "", "")
	location := fs.String("location", "/", "")
	dir := fs.String("dir", ".", "")
	if code, ok := parseFlags(fs, gateUsage, args, stdout, stderr); !ok {
		return code
	}
	bad := func(format string, a ...any) int {
		errorf(stderr, format, a...)
		hintf(stderr, "run \"docket gate -h\" for the flags")
		return 2
	}
	if *upstream == "" {
		return bad("--upstream is required: the address (host:port) of the API to put the gate in front of")
	}
	addrs := map[string]string{"--listen": *listen, "--upstream": *upstream}
	for _, g := range splitList(*gates) {
		if _, _, err := net.SplitHostPort(g); err != nil || strings.ContainsAny(g, " ;{}") {
			return bad("--gate %q: want host:port, like 127.0.0.1:8181", g)
		}
	}
	for _, name := range []string{"--listen", "--upstream"} {
		if _, _, err := net.SplitHostPort(addrs[name]); err != nil || strings.ContainsAny(addrs[name], " ;{}") {
			return bad("%s %q: want host:port, like 127.0.0.1:8080", name, addrs[name])
		}
	}
	if len(splitList(*gates)) == 0 {
		return bad("--gate: name at least one gate instance (host:port)")
	}
	if !strings.HasPrefix(*location, "/") || strings.ContainsAny(*location, " ;{}\"'") {
		return bad("--location %q: want a path, like / or /resource/", *location)
	}
	abs, err := filepath.Abs(*dir)
	if err != nil || strings.ContainsAny(abs, " ;{}\"'") {
		return bad("--dir %q: want a folder whose path has no spaces, quotes, braces or semicolons", *dir)
	}
	conf, err := apigate.NginxConfig(apigate.NginxParams{Dir: abs, AccessLog: filepath.Join(abs, "access.log"),
		Listen: *listen, Location: *location, Gates: splitList(*gates), Upstream: *upstream})
	if err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	_, _ = stdout.Write(conf)
	return 0
}
