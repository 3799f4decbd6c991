package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// The soft memory limit of docket build starts at its floor and follows the live heap up, so a
// docket larger than the floor does not keep the collector running; stopping leaves it set.
func TestGovernMemoryFollowsTheLiveHeap(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	stop := governMemory(8<<20, 3, 2)
	if got := debug.SetMemoryLimit(-1); got != 8<<20 {
		t.Errorf("the limit starts at %d, not the floor", got)
	}
	live := make([]byte, 64<<20)
	for i := range live {
		live[i] = byte(i)
	}
	deadline := time.Now().Add(10 * time.Second)
	for debug.SetMemoryLimit(-1) < 96<<20 && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(30 * time.Millisecond)
	}
	runtime.KeepAlive(live)
	stop()
	got := debug.SetMemoryLimit(-1)
	if got < 96<<20 || got == math.MaxInt64 {
		t.Errorf("with 64 MiB live the limit is %d, want at least 96 MiB", got)
	}
}
