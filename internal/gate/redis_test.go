package gate

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"

	"github.com/opendata-docket/docket/internal/docket"
)

// startRedis starts Debian's redis-server on a free loopback port for the test, keeping nothing
// on disk. Without it the test skips, unless DOCKET_REQUIRE_TOOLS=1 (as in CI).
func startRedis(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		msg := "redis-server is not installed (Debian package redis-server)"
		if os.Getenv("DOCKET_REQUIRE_TOOLS") == "1" {
			t.Fatal(msg + ", and DOCKET_REQUIRE_TOOLS=1 requires it")
		}
		t.Skip(msg)
	}
	addr := closedAddr(t)
	_, port, _ := net.SplitHostPort(addr)
	dir := t.TempDir()
	cmd := exec.Command(bin, "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			fmt.Fprint(c, "PING\r\n")
			line, _ := bufio.NewReader(c).ReadString('\n')
			c.Close()
			if line == "+PONG\r\n" {
				return addr
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("redis-server did not answer on %s", addr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestRedisLimiter(t *testing.T) {
	addr := startRedis(t)
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
