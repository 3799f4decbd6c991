// Package gate holds docket gate: the HTTP service a city's API gateway asks, for every call,
// whether the API key in it may make it (nginx auth_request, Envoy ext_authz as an HTTP
// service, Traefik ForwardAuth). It enforces the registry docket provision writes (keys.json):
// the key's status, its last day, its scopes (which catalog dataset the call's path belongs to,
// by the catalog's api_paths) and its per-second and per-day limits. The registry is reloaded
// while the gate runs, so a suspension or revocation merged in the repository takes effect
// within one reload interval. The gate never sees more of a key than the gateway sends it and
// never logs a key: only its id.
package gate

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/opendata-docket/docket/internal/registry"
)

// Reason says why the gate answered as it did: a stable word for metrics, logs, usage
// summaries and the X-Docket-Reason-Code header.
type Reason string

const (
	ReasonOK          Reason = "ok"
	ReasonNoKey       Reason = "no_key"
	ReasonSeveralKeys Reason = "several_keys"
	ReasonUnknownKey  Reason = "unknown_key"
	ReasonPending     Reason = "pending"
	ReasonSuspended   Reason = "suspended"
	ReasonRevoked     Reason = "revoked"
	ReasonExpired     Reason = "expired"
	ReasonOutOfScope  Reason = "out_of_scope"
	ReasonNotDataset  Reason = "not_dataset"
	ReasonBadPath     Reason = "bad_path"
	ReasonBadURI      Reason = "ambiguous_uri"
	ReasonNoCalls     Reason = "no_calls_allowed"
	ReasonOverSecond  Reason = "over_limit_second"
	ReasonOverDay     Reason = "over_limit_day"
	ReasonLimiter     Reason = "limiter_down"
	ReasonNoRegistry  Reason = "no_registry"
)

// Reasons lists every Reason, for metrics.
var Reasons = []Reason{ReasonOK, ReasonNoKey, ReasonSeveralKeys, ReasonUnknownKey, ReasonPending,
	ReasonSuspended, ReasonRevoked, ReasonExpired, ReasonOutOfScope, ReasonNotDataset, ReasonBadPath,
	ReasonBadURI, ReasonNoCalls, ReasonOverSecond, ReasonOverDay, ReasonLimiter, ReasonNoRegistry}

// Decision is the gate's answer to one call.
type Decision struct {
	Status  int    // 200, 401, 403, 429 or 503
	Reason  Reason // why
	Message string // for the client's developer, in plain words; "" when allowed
	KeyID   string // the key's id, when the key is known
	Dataset string // the catalog id the path belongs to, when it belongs to one
	// Path is the path judged: the call's, as nginx routes it (see canonicalPath), when the
	// key is known and the path is one the gate judges.
	Path string
	// Policy is the RateLimit-Policy header for the key's limits; RateLimit the RateLimit
	// header and RetryAfter the seconds to wait, when over a limit.
	Policy, RateLimit string
	RetryAfter        int
}

// UnmappedPolicy is what the gate does with a call whose path is under no catalog entry's
// api_paths.
type UnmappedPolicy string

const (
	// UnmappedRefuse answers 403: the path is no dataset API any key can reach (the default:
	// a gateway that sends the gate a path the catalog does not know is misconfigured, and
	// refusing keeps a key within its scopes).
	UnmappedRefuse UnmappedPolicy = "refuse"
	// UnmappedAnyKey accepts any working key, within its limits, whatever its scopes.
	UnmappedAnyKey UnmappedPolicy = "any-key"
)

// Options configures a Gate. Zero values take the defaults named.
type Options struct {
	// KeyFrom lists where a key is looked for, in order: a header name (X-App-Token), a query
	// parameter of the original URI written with a leading $ or as query:NAME ($$app_token),
	// or "bearer" (Authorization: Bearer). Default: DefaultKeyFrom.
	KeyFrom []string
	// URIHeaders lists the headers holding the original request's URI, in order. Default:
	// X-Original-URI (nginx), X-Forwarded-Uri (Traefik), X-Envoy-Original-Path (Envoy).
	URIHeaders []string
	Unmapped   UnmappedPolicy // default UnmappedRefuse
	// Limiter enforces the keys' limits. Default: a MemoryLimiter.
	Limiter Limiter
	// Now is the clock (default time.Now). A key expiring on day D works until midnight at the
	// end of D in the program's time zone, given to NewIndex.
	Now     func() time.Time
	Logger  *slog.Logger // default: discard
	Metrics *Metrics     // default: none
	Usage   *Usage       // default: none
	// Realm is the realm of WWW-Authenticate (default "docket").
	Realm string
}

// DefaultKeyFrom is where a key is looked for by default: Socrata's header and query parameter
// first, so existing clients work unchanged.
var DefaultKeyFrom = []string{"X-App-Token", "$$app_token", "bearer", "X-Api-Key"}

// DefaultURIHeaders are the headers gateways put the original URI in.
var DefaultURIHeaders = []string{"X-Original-URI", "X-Forwarded-Uri", "X-Envoy-Original-Path"}

type source struct {
	header string // canonical header name, or ""
	query  string // query parameter, or ""
	bearer bool
}

// Gate answers whether calls may go through. It is safe for concurrent use.
type Gate struct {
	index    atomic.Pointer[Index]
	from     []source
	params   []string // the query parameters in from
	uris     []string
	unmapped UnmappedPolicy
	limiter  Limiter
	now      func() time.Time
	log      *slog.Logger
	metrics  *Metrics
	usage    *Usage
	wwwAuth  string
	loggedMu sync.Mutex
	logged   map[logKey]time.Time // last info line of a refused key, by key id and reason
}

// New returns a gate with no registry yet (every call is refused with 503 until SetIndex).
// The error names a bad KeyFrom, URIHeaders or Unmapped.
func New(o Options) (*Gate, error) {
	g := &Gate{unmapped: o.Unmapped, limiter: o.Limiter, now: o.Now, log: o.Logger, metrics: o.Metrics, usage: o.Usage}
	if g.unmapped == "" {
		g.unmapped = UnmappedRefuse
	}
	if g.unmapped != UnmappedRefuse && g.unmapped != UnmappedAnyKey {
		return nil, errors.New("unmapped paths: want refuse or any-key, not " + strconv.Quote(string(g.unmapped)))
	}
	if g.now == nil {
		g.now = time.Now
	}
	if g.limiter == nil {
		g.limiter = NewMemoryLimiter(g.now)
	}
	if g.log == nil {
		g.log = slog.New(slog.DiscardHandler)
	}
	from := o.KeyFrom
	if len(from) == 0 {
		from = DefaultKeyFrom
	}
	for _, f := range from {
		switch {
		case strings.EqualFold(f, "bearer"):
			g.from = append(g.from, source{bearer: true})
		case strings.HasPrefix(f, "query:"):
			g.from = append(g.from, source{query: strings.TrimPrefix(f, "query:")})
			g.params = append(g.params, strings.TrimPrefix(f, "query:"))
		case strings.HasPrefix(f, "$"):
			g.from = append(g.from, source{query: f})
			g.params = append(g.params, f)
		case f != "" && validHeader(f):
			g.from = append(g.from, source{header: http.CanonicalHeaderKey(f)})
		default:
			return nil, errors.New("key source " + strconv.Quote(f) + ": want a header name, $param or query:param, or bearer")
		}
	}
	uris := o.URIHeaders
	if len(uris) == 0 {
		uris = DefaultURIHeaders
	}
	for _, h := range uris {
		if !validHeader(h) || h == "" {
			return nil, errors.New("URI header " + strconv.Quote(h) + ": want a header name")
		}
		g.uris = append(g.uris, http.CanonicalHeaderKey(h))
	}
	realm := o.Realm
	if realm == "" {
		realm = "docket"
	}
	g.wwwAuth = `Bearer realm="` + realm + `"`
	return g, nil
}

func validHeader(s string) bool {
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// SetIndex swaps in a new index atomically: calls already being checked finish with the old.
func (g *Gate) SetIndex(ix *Index) { g.index.Store(ix) }

// Index returns the index in use, or nil before the first registry.
func (g *Gate) Index() *Index { return g.index.Load() }

// Check decides on a call bearing key (as sent; "" for none) for the original URI uri (path and
// query). Allowing a known, working key within its limits allocates nothing beyond what the
// limiter does.
func (g *Gate) Check(ctx context.Context, key, uri string) Decision {
	ix := g.index.Load()
	if ix == nil {
		return Decision{Status: http.StatusServiceUnavailable, Reason: ReasonNoRegistry,
			Message: "the gate has not loaded its key registry yet; retry in a minute", RetryAfter: 30}
	}
	if key == "" {
		return Decision{Status: http.StatusUnauthorized, Reason: ReasonNoKey,
			Message: "no API key: send your docket key in the X-App-Token header (or as $$app_token, a bearer token or X-Api-Key)"}
	}
	e := ix.lookup(key)
	if e == nil {
		return Decision{Status: http.StatusUnauthorized, Reason: ReasonUnknownKey,
			Message: "this API key is not known: check that you sent the whole key as docket delivered it"}
	}
	d := Decision{KeyID: e.id, Policy: e.policy}
	path := uri
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	path, pathOK := canonicalPath(path)
	var ds string
	var mapped bool
	if pathOK {
		ds, mapped = ix.Dataset(path)
	}
	d.Dataset, d.Path = ds, path
	now := g.now()
	switch {
	case e.status == registry.StatusPending:
		return refuse(d, ReasonPending, "key "+e.id+" has not been delivered yet: use the key delivered on your request's pull request")
	case e.status == registry.StatusSuspended:
		return refuse(d, ReasonSuspended, "key "+e.id+" is suspended: see the enforcement record of request "+e.request+" on the program's site")
	case e.status == registry.StatusRevoked:
		return refuse(d, ReasonRevoked, "key "+e.id+" is revoked: if it was replaced, use the new key delivered on request "+e.request+"; otherwise make a new request")
	case e.status == registry.StatusExpired || !now.Before(e.end):
		return refuse(d, ReasonExpired, "key "+e.id+" expired: its last day was "+e.notAfter+"; make a new request to renew it")
	case e.status != registry.StatusActive:
		return refuse(d, ReasonRevoked, "key "+e.id+" is not active")
	}
	if !pathOK {
		// Whatever the unmapped policy: a server behind the gate may read such a path as
		// another one (Tomcat's "..;", IIS's backslash), which the gate cannot judge.
		return refuse(d, ReasonBadPath, "this path has a bad escape, an escaped %, a ';', a backslash, a control character or bytes that are not UTF-8: the gate does not let such paths through")
	}
	if !mapped {
		if g.unmapped == UnmappedRefuse {
			return refuse(d, ReasonNotDataset, "this path is not a dataset API this key can reach")
		}
	} else if !inScope(e.scopes, ds) {
		return refuse(d, ReasonOutOfScope, "key "+e.id+" may not read dataset "+ds+"; it may read: "+e.scopeTxt)
	}
	if e.limits.RequestsPerSecond <= 0 || e.limits.RequestsPerDay <= 0 {
		return refuse(d, ReasonNoCalls, "key "+e.id+" is allowed no calls by its decision")
	}
	v, err := g.limiter.Allow(ctx, e.id, e.limits)
	if err != nil {
		d.Status, d.Reason, d.RetryAfter = http.StatusServiceUnavailable, ReasonLimiter, 5
		d.Message = "the gate cannot check rate limits right now; retry in a few seconds"
		return d
	}
	if !v.Allowed {
		secs := int((v.RetryAfter + time.Second - 1) / time.Second)
		d.Status, d.RetryAfter = http.StatusTooManyRequests, secs
		d.Reason = ReasonOverSecond
		limit := strconv.FormatFloat(e.limits.RequestsPerSecond, 'f', -1, 64) + " requests per second"
		if v.Window == WindowDay {
			d.Reason = ReasonOverDay
			limit = strconv.FormatInt(e.limits.RequestsPerDay, 10) + " requests per day"
		}
		d.RateLimit = `"` + v.Window + `";r=0;t=` + strconv.Itoa(secs)
		d.Message = "key " + e.id + " is over its limit of " + limit + ": retry after " + strconv.Itoa(secs) + " s"
		return d
	}
	d.Status, d.Reason = http.StatusOK, ReasonOK
	return d
}

func refuse(d Decision, r Reason, msg string) Decision {
	d.Status, d.Reason, d.Message = http.StatusForbidden, r, msg
	return d
}

func inScope(scopes []string, ds string) bool {
	for _, s := range scopes {
		if s == ds {
			return true
		}
	}
	return false
}

// request returns the key a call carries and the original URI of the call. Every configured
// place is read, every value of it: a call that carries two different keys (a working one and
// a revoked one, say) is answered ReasonSeveralKeys rather than judged by whichever place comes
// first, and a call whose URI headers disagree (a client's own X-Original-URI next to the one
// Traefik sets in X-Forwarded-Uri) is answered ReasonBadURI rather than judged by the path the
// client wrote.
func (g *Gate) request(r *http.Request) (key, uri string, bad Reason) {
	for _, h := range g.uris {
		for _, v := range r.Header[h] {
			switch {
			case v == "":
			case uri == "":
				uri = v
			case v != uri:
				return "", "", ReasonBadURI
			}
		}
	}
	if uri == "" {
		// Envoy's ext_authz HTTP service asks for path_prefix + the original path: with
		// path_prefix /auth, the original URI is what follows it.
		uri = r.URL.RequestURI()
		if rest, ok := strings.CutPrefix(uri, PathAuth); ok && strings.HasPrefix(rest, "/") {
			uri = rest
		}
	}
	take := func(v string) bool {
		switch {
		case v == "":
		case key == "":
			key = v
		case v != key:
			return false
		}
		return true
	}
	for _, s := range g.from {
		switch {
		case s.header != "":
			for _, v := range r.Header[s.header] {
				if !take(strings.TrimSpace(v)) {
					return "", uri, ReasonSeveralKeys
				}
			}
		case s.bearer:
			for _, a := range r.Header["Authorization"] {
				if len(a) > 7 && strings.EqualFold(a[:7], "bearer ") && !take(strings.TrimSpace(a[7:])) {
					return "", uri, ReasonSeveralKeys
				}
			}
		default:
			v, several := queryValue(uri, s.query)
			if several || !take(v) {
				return "", uri, ReasonSeveralKeys
			}
		}
	}
	return key, uri, ""
}

// queryValue returns the value of the parameter name in uri's query, unescaped only if it
// holds an escape (a key has none), so that reading it allocates nothing. several is true when
// the parameter is there more than once with different values (or a value that cannot be
// unescaped).
func queryValue(uri, name string) (value string, several bool) {
	i := strings.IndexByte(uri, '?')
	if i < 0 {
		return "", false
	}
	q := uri[i+1:]
	if j := strings.IndexByte(q, '#'); j >= 0 {
		q = q[:j]
	}
	for q != "" {
		var part string
		part, q, _ = strings.Cut(q, "&")
		k, v, _ := strings.Cut(part, "=")
		if !paramIs(k, name) {
			continue
		}
		if strings.ContainsAny(v, "%+") {
			u, err := unescape(v)
			if err != nil {
				return "", true
			}
			v = u
		}
		switch {
		case v == "":
		case value == "":
			value = v
		case v != value:
			return "", true
		}
	}
	return value, false
}

// paramIs reports whether the query parameter name k (as sent, maybe escaped) is name.
func paramIs(k, name string) bool {
	if k == name {
		return true
	}
	if !strings.ContainsAny(k, "%+") {
		return false
	}
	u, err := unescape(k)
	return err == nil && u == name
}

var unescape = url.QueryUnescape

// ServeHTTP answers an auth subrequest: 200 with X-Docket-Key-Id, or 401, 403, 429 or 503 with
// the reason in the body and in X-Docket-Reason. Envoy and Traefik pass the answer on as it is.
func (g *Gate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.serve(w, r, false)
}

// NginxHandler answers as ServeHTTP does, for nginx's auth_request, which takes only 2xx, 401
// and 403: a 429 or 503 is answered 403 with the real status in X-Docket-Status, for the nginx
// configuration to answer with (see testdata/nginx.conf.tmpl).
func (g *Gate) NginxHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { g.serve(w, r, true) })
}

func (g *Gate) serve(w http.ResponseWriter, r *http.Request, nginx bool) {
	start := time.Now()
	key, uri, bad := g.request(r)
	var d Decision
	switch bad {
	case ReasonSeveralKeys:
		d = Decision{Status: http.StatusUnauthorized, Reason: bad,
			Message: "this call carries more than one API key (in X-App-Token, $$app_token, Authorization or X-Api-Key): send only your docket key, once"}
	case ReasonBadURI:
		d = Decision{Status: http.StatusForbidden, Reason: bad,
			Message: "the gateway sent this call's original URI twice, differently: a client may not send X-Original-URI, X-Forwarded-Uri or X-Envoy-Original-Path itself"}
	default:
		d = g.Check(r.Context(), key, uri)
	}
	h := w.Header()
	if d.KeyID != "" {
		h["X-Docket-Key-Id"] = []string{d.KeyID}
	}
	if nginx && d.Status == http.StatusOK {
		// nginx sends the API this URI (see testdata/nginx.conf.tmpl): the path judged,
		// and the query without the key.
		h["X-Docket-Upstream-Uri"] = []string{upstreamURI(uri, d.Path, g.params)}
	}
	if d.Policy != "" {
		h["Ratelimit-Policy"] = []string{d.Policy}
	}
	status := d.Status
	if d.Status != http.StatusOK {
		h.Set("X-Docket-Status", strconv.Itoa(d.Status))
		h.Set("X-Docket-Reason", d.Message)
		h.Set("X-Docket-Reason-Code", string(d.Reason))
		h.Set("Content-Type", "text/plain; charset=utf-8")
		h.Set("Cache-Control", "no-store")
		if d.Status == http.StatusUnauthorized {
			h.Set("WWW-Authenticate", g.wwwAuth)
		}
		if d.RetryAfter > 0 {
			h.Set("Retry-After", strconv.Itoa(d.RetryAfter))
		}
		if d.RateLimit != "" {
			h.Set("RateLimit", d.RateLimit)
		}
		if nginx && status != http.StatusUnauthorized {
			status = http.StatusForbidden
		}
	}
	w.WriteHeader(status)
	if d.Status != http.StatusOK {
		_, _ = w.Write([]byte(d.Message + "\n"))
	}
	g.record(d, r.Method, uri, time.Since(start))
}

// record counts a decision in the metrics and the usage summary and logs it. The key is never
// logged; the key id is.
func (g *Gate) record(d Decision, method, uri string, took time.Duration) {
	if g.metrics != nil {
		g.metrics.observe(d, took)
	}
	if d.Status == http.StatusOK {
		if g.log.Enabled(context.Background(), slog.LevelDebug) {
			g.log.Debug("allowed", "key_id", d.KeyID, "dataset", d.Dataset, "method", method)
		}
		return
	}
	// The usage summary is evidence about a key's holder: a refusal that is the gate's own
	// doing (Redis down, no registry) is not counted against the key.
	if g.usage != nil && d.KeyID != "" && d.Reason != ReasonLimiter && d.Reason != ReasonNoRegistry {
		g.usage.Count(g.now(), d.KeyID, d.Reason)
	}
	path := d.Path // the path judged, as nginx routes it
	if path == "" {
		path, _, _ = strings.Cut(uri, "?") // the query may hold the key ($$app_token)
	}
	// Calls without a known key and calls over a limit can come by the thousand a second;
	// they are counted (metrics, usage summary) and logged only at debug level. A refusal of
	// a known key (suspended, revoked, expired, out of scope) is worth a line: the first of
	// each key and reason in a minute, so that a revoked key left in a client's loop cannot
	// fill the disk with the gate's log (the rest are at debug level, and counted).
	level := slog.LevelInfo
	if d.Status == http.StatusUnauthorized || d.Status == http.StatusTooManyRequests || !g.firstInMinute(d) {
		level = slog.LevelDebug
	}
	if g.log.Enabled(context.Background(), level) {
		g.log.Log(context.Background(), level, "refused", "status", d.Status, "reason", string(d.Reason),
			"key_id", d.KeyID, "dataset", d.Dataset, "method", method, "path", path)
	}
}

// firstInMinute reports whether d is the first refusal of its key and reason in the last
// minute. The map holds one entry per key id and reason the registry has had.
func (g *Gate) firstInMinute(d Decision) bool {
	now := g.now()
	k := logKey{d.KeyID, d.Reason}
	g.loggedMu.Lock()
	defer g.loggedMu.Unlock()
	if last, ok := g.logged[k]; ok && now.Sub(last) < time.Minute && !now.Before(last) {
		return false
	}
	if g.logged == nil {
		g.logged = map[logKey]time.Time{}
	}
	g.logged[k] = now
	return true
}

type logKey struct {
	keyID  string
	reason Reason
}
