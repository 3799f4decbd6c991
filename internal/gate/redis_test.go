package gate

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/testtool"
)

func TestRedisLimiter(t *testing.T) {
	addr := testtool.Redis(t)
	ctx := context.Background()
	newLimiter := func() *RedisLimiter {
		c := redis.NewClient(&redis.Options{Addr: addr})
		t.Cleanup(func() { c.Close() })
		return NewRedisLimiter(c)
	}
	a, b := newLimiter(), newLimiter()

	// Two limiters on one Redis (two gate instances) share one limit.
	l := docket.Limits{RequestsPerSecond: 100, RequestsPerDay: 4}
	allowed := 0
	for i := range 10 {
		lim := a
		if i%2 == 1 {
			lim = b
		}
		v, err := lim.Allow(ctx, "shared-1", l)
		if err != nil {
			t.Fatal(err)
		}
		if v.Allowed {
			allowed++
		} else if v.Window != WindowDay || v.RetryAfter < 5*time.Hour || v.RetryAfter > 7*time.Hour {
			t.Fatalf("call %d: %+v", i+1, v)
		}
	}
	if allowed != 4 {
		t.Fatalf("two instances allowed %d calls of a key allowed 4 a day", allowed)
	}

	// Half a call a second: one call, then a wait of about two seconds.
	half := docket.Limits{RequestsPerSecond: 0.5, RequestsPerDay: 100}
	if v, _ := a.Allow(ctx, "half-1", half); !v.Allowed {
		t.Fatal("first call at 0.5/s refused")
	}
	v, _ := b.Allow(ctx, "half-1", half)
	if v.Allowed || v.Window != WindowSecond || v.RetryAfter < 1500*time.Millisecond || v.RetryAfter > 2*time.Second {
		t.Fatalf("second call at 0.5/s: %+v", v)
	}

	// Over both limits, the answer names the day; a call over the per-second limit takes
	// nothing from the day.
	both := docket.Limits{RequestsPerSecond: 3, RequestsPerDay: 2}
	var windows []string
	for range 5 {
		v, err := a.Allow(ctx, "both-1", both)
		if err != nil {
			t.Fatal(err)
		}
		windows = append(windows, v.Window)
	}
	if fmt.Sprint(windows) != "[  day day day]" {
		t.Fatalf("windows: %q", windows)
	}

	// Calls over the per-second limit leave the day as it was.
	one := docket.Limits{RequestsPerSecond: 1, RequestsPerDay: 10}
	for i := range 5 {
		if v, err := a.Allow(ctx, "second-1", one); err != nil || v.Allowed != (i == 0) || i > 0 && v.Window != WindowSecond {
			t.Fatalf("call %d at 1/s: %+v %v", i+1, v, err)
		}
	}
	peek, err := a.rl.AllowN(ctx, "docket:second-1:day", redis_rate.Limit{Rate: 10, Burst: 10, Period: 24 * time.Hour}, 0)
	if err != nil || peek.Remaining != 9 {
		t.Fatalf("the day after 1 call allowed and 4 over the second: %+v %v", peek, err)
	}
}
