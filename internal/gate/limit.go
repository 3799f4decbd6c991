package gate

import (
	"context"
	"errors"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
	"golang.org/x/time/rate"

	"github.com/opendata-docket/docket/internal/docket"
)

// Verdict is a limiter's answer for one call of a key.
type Verdict struct {
	Allowed bool
	// Window is the limit that refused the call: WindowSecond or WindowDay ("" when allowed).
	Window string
	// Quota is that limit's number of requests per window; Remaining how many are left.
	Quota, Remaining int64
	// RetryAfter is how long until one more call is allowed (0 when allowed).
	RetryAfter time.Duration
}

// Windows of the limits, as named in RateLimit headers and usage summaries.
const (
	WindowSecond = "second"
	WindowDay    = "day"
)

// Limiter takes one call of a key from its limits. Both limits are a generic cell rate
// (token bucket) of the library behind the limiter: requests_per_second with a burst of one
// second's worth (at least 1), and requests_per_day with a burst of the whole day's amount,
// refilled evenly over 24 hours. A limit of 0 is never passed (the gate refuses such a key).
type Limiter interface {
	Allow(ctx context.Context, keyID string, l docket.Limits) (Verdict, error)
}

// secondBurst is the burst of a per-second limit: one second's worth, at least one call.
func secondBurst(rps float64) int { return int(math.Max(1, math.Ceil(rps))) }

// MemoryLimiter keeps each key's limits in this process (golang.org/x/time/rate). Several gate
// instances each with a MemoryLimiter each allow the whole limit: use a RedisLimiter to share.
type MemoryLimiter struct {
	now func() time.Time
	mu  sync.RWMutex
	m   map[string]*buckets
}

type buckets struct {
	limits   docket.Limits
	sec, day *rate.Limiter
}

// NewMemoryLimiter returns an empty in-memory limiter reading time from now (nil: time.Now).
func NewMemoryLimiter(now func() time.Time) *MemoryLimiter {
	if now == nil {
		now = time.Now
	}
	return &MemoryLimiter{now: now, m: map[string]*buckets{}}
}

func newBuckets(l docket.Limits) *buckets {
	return &buckets{
		limits: l,
		sec:    rate.NewLimiter(rate.Limit(l.RequestsPerSecond), secondBurst(l.RequestsPerSecond)),
		day:    rate.NewLimiter(rate.Limit(float64(l.RequestsPerDay)/86400), int(l.RequestsPerDay)),
	}
}

// Allow implements Limiter. A key whose limits changed in the registry gets new buckets.
func (m *MemoryLimiter) Allow(_ context.Context, keyID string, l docket.Limits) (Verdict, error) {
	m.mu.RLock()
	b := m.m[keyID]
	m.mu.RUnlock()
	if b == nil || b.limits != l {
		m.mu.Lock()
		if b = m.m[keyID]; b == nil || b.limits != l {
			b = newBuckets(l)
			m.m[keyID] = b
		}
		m.mu.Unlock()
	}
	now := m.now()
	if !b.sec.AllowN(now, 1) {
		// A client whose day is used up learns that, not to retry in a second.
		if b.day.TokensAt(now) < 1 {
			return refusedBy(WindowDay, b.day, now, l.RequestsPerDay), nil
		}
		return refusedBy(WindowSecond, b.sec, now, int64(secondBurst(l.RequestsPerSecond))), nil
	}
	if !b.day.AllowN(now, 1) {
		return refusedBy(WindowDay, b.day, now, l.RequestsPerDay), nil
	}
	return Verdict{Allowed: true, Quota: l.RequestsPerDay, Remaining: int64(b.day.TokensAt(now))}, nil
}

func refusedBy(window string, lim *rate.Limiter, now time.Time, quota int64) Verdict {
	missing := 1 - lim.TokensAt(now)
	wait := time.Duration(missing / float64(lim.Limit()) * float64(time.Second))
	return Verdict{Window: window, Quota: quota, RetryAfter: max(wait, time.Millisecond)}
}

// RedisLimiter keeps each key's limits in Redis (github.com/go-redis/redis_rate, GCRA in a Lua
// script), so every gate instance using the same Redis enforces one shared limit.
type RedisLimiter struct {
	rl *redis_rate.Limiter
}

// NewRedisLimiter returns a limiter on c: a *redis.Client, or its AutoPipeliner, which sends
// the scripts of calls checked at the same time to Redis in one round trip.
func NewRedisLimiter(c redis.Cmdable) *RedisLimiter {
	return &RedisLimiter{rl: redis_rate.NewLimiter(c)}
}

// Allow implements Limiter. The error is Redis's (unreachable, timed out).
func (r *RedisLimiter) Allow(ctx context.Context, keyID string, l docket.Limits) (Verdict, error) {
	sec := redis_rate.Limit{Rate: 1, Burst: secondBurst(l.RequestsPerSecond), Period: time.Duration(float64(time.Second) / l.RequestsPerSecond)}
	res, err := r.rl.Allow(ctx, "docket:"+keyID+":second", sec)
	if err != nil {
		return Verdict{}, err
	}
	n := int(l.RequestsPerDay)
	day := redis_rate.Limit{Rate: n, Burst: n, Period: 24 * time.Hour}
	dayKey := "docket:" + keyID + ":day"
	if res.Allowed == 0 {
		// A call over the per-second limit takes nothing from the day. A client whose day is
		// used up learns that, not to retry in a second: the day is read at no cost.
		if peek, err := r.rl.AllowN(ctx, dayKey, day, 0); err == nil && peek.Remaining < 1 {
			ei := day.Period / time.Duration(day.Rate)
			wait := peek.ResetAfter - time.Duration(day.Burst-1)*ei
			return Verdict{Window: WindowDay, Quota: l.RequestsPerDay, RetryAfter: max(wait, time.Millisecond)}, nil
		}
		return Verdict{Window: WindowSecond, Quota: int64(sec.Burst), RetryAfter: max(res.RetryAfter, time.Millisecond)}, nil
	}
	res, err = r.rl.Allow(ctx, dayKey, day)
	if err != nil {
		return Verdict{}, err
	}
	if res.Allowed == 0 {
		return Verdict{Window: WindowDay, Quota: l.RequestsPerDay, RetryAfter: max(res.RetryAfter, time.Millisecond)}, nil
	}
	return Verdict{Allowed: true, Quota: l.RequestsPerDay, Remaining: int64(res.Remaining)}, nil
}

// ErrLimiterDown is returned by a FallbackLimiter that fails closed while its shared limiter
// cannot be reached.
var ErrLimiterDown = errors.New("the shared rate limiter (Redis) cannot be reached")

// FallbackLimiter uses Shared (Redis) and, when it fails, either Local limits (Open: the calls
// go on, each instance holding the whole limit) or refuses the call with ErrLimiterDown
// (closed). OnChange is called once when Shared starts failing (with its error) and once when
// it works again (with nil); OnError on every failure.
//
// After a failure Shared is not asked again for Backoff (default 1 s): every call meanwhile
// takes the policy at once instead of waiting for Redis to time out.
type FallbackLimiter struct {
	Shared, Local Limiter
	Open          bool
	OnChange      func(err error)
	OnError       func(err error)
	Backoff       time.Duration
	down          atomic.Bool
	retryAt       atomic.Int64 // unix nanoseconds
}

// Allow implements Limiter.
func (f *FallbackLimiter) Allow(ctx context.Context, keyID string, l docket.Limits) (Verdict, error) {
	if f.down.Load() && time.Now().UnixNano() < f.retryAt.Load() {
		return f.fallback(ctx, keyID, l)
	}
	v, err := f.Shared.Allow(ctx, keyID, l)
	if err == nil {
		if f.down.CompareAndSwap(true, false) && f.OnChange != nil {
			f.OnChange(nil)
		}
		return v, nil
	}
	backoff := f.Backoff
	if backoff <= 0 {
		backoff = time.Second
	}
	f.retryAt.Store(time.Now().Add(backoff).UnixNano())
	if f.OnError != nil {
		f.OnError(err)
	}
	if !f.down.Swap(true) && f.OnChange != nil {
		f.OnChange(err)
	}
	return f.fallback(ctx, keyID, l)
}

func (f *FallbackLimiter) fallback(ctx context.Context, keyID string, l docket.Limits) (Verdict, error) {
	if f.Open {
		return f.Local.Allow(ctx, keyID, l)
	}
	return Verdict{}, ErrLimiterDown
}
