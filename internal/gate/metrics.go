package gate

import (
	"net/http"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the gate's Prometheus metrics, in a registry of their own. No metric has a key
// or key id label: the number of keys would make the number of series unbounded, and the
// usage summary counts per key id instead.
type Metrics struct {
	reg        *prometheus.Registry
	decisions  map[Reason]prometheus.Counter
	latency    prometheus.Histogram
	loaded     atomic.Int64 // unix nanoseconds of the last registry swapped in
	keys       atomic.Int64
	reloadErrs prometheus.Counter
	redisErrs  prometheus.Counter
	fallbacks  prometheus.Counter
}

// NewMetrics returns the gate's metrics; now is the clock registry age is measured with.
func NewMetrics(now func() time.Time) *Metrics {
	if now == nil {
		now = time.Now
	}
	m := &Metrics{reg: prometheus.NewRegistry(), decisions: map[Reason]prometheus.Counter{}}
	dec := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "docket_gate_decisions_total",
		Help: "Calls answered, by result (allowed, unauthorized, refused, limited, unavailable) and reason.",
	}, []string{"result", "reason"})
	for _, r := range Reasons {
		m.decisions[r] = dec.WithLabelValues(resultOf(r), string(r))
	}
	m.latency = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "docket_gate_check_seconds",
		Help:    "Time to answer one auth subrequest, limiter included.",
		Buckets: []float64{.00001, .000025, .00005, .0001, .00025, .0005, .001, .0025, .005, .01, .05},
	})
	m.reloadErrs = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "docket_gate_registry_reload_errors_total",
		Help: "Registry loads that failed (unreachable, unreadable or invalid); the last good registry stays in use.",
	})
	m.redisErrs = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "docket_gate_redis_errors_total",
		Help: "Calls to Redis (the shared limiter) that failed.",
	})
	m.fallbacks = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "docket_gate_redis_down_total",
		Help: "Times the gate found Redis unreachable and turned to its --redis-down policy.",
	})
	age := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "docket_gate_registry_age_seconds",
		Help: "Seconds since the registry in use was loaded (-1 before the first).",
	}, func() float64 {
		l := m.loaded.Load()
		if l == 0 {
			return -1
		}
		return now().Sub(time.Unix(0, l)).Seconds()
	})
	size := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "docket_gate_registry_keys",
		Help: "Keys in the registry in use.",
	}, func() float64 { return float64(m.keys.Load()) })
	m.reg.MustRegister(dec, m.latency, m.reloadErrs, m.redisErrs, m.fallbacks, age, size)
	return m
}

func resultOf(r Reason) string {
	switch r {
	case ReasonOK:
		return "allowed"
	case ReasonNoKey, ReasonSeveralKeys, ReasonUnknownKey:
		return "unauthorized"
	case ReasonOverSecond, ReasonOverDay:
		return "limited"
	case ReasonLimiter, ReasonNoRegistry:
		return "unavailable"
	}
	return "refused"
}

func (m *Metrics) observe(d Decision, took time.Duration) {
	if c := m.decisions[d.Reason]; c != nil {
		c.Inc()
	}
	m.latency.Observe(took.Seconds())
}

// Loaded records that a registry of n keys was swapped in at t.
func (m *Metrics) Loaded(t time.Time, n int) {
	m.loaded.Store(t.UnixNano())
	m.keys.Store(int64(n))
}

// ReloadFailed counts a failed registry load.
func (m *Metrics) ReloadFailed() { m.reloadErrs.Inc() }

// RedisError counts a failed call to Redis.
func (m *Metrics) RedisError() { m.redisErrs.Inc() }

// RedisDown counts Redis becoming unreachable.
func (m *Metrics) RedisDown() { m.fallbacks.Inc() }

// Handler serves the metrics in Prometheus's text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}
