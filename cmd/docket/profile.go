package main

import (
	"os"
	"runtime"
	"runtime/pprof"
)

// startProfiles starts the profiles maintainers ask for through the environment, for measuring
// docket on a real docket rather than in a benchmark:
//
//	DOCKET_CPUPROFILE=cpu.out docket build ...   # then: go tool pprof cpu.out
//	DOCKET_MEMPROFILE=mem.out docket build ...   # the heap's allocations, written at exit
//
// It returns the function that stops them, to be called once the command has finished. A
// profile that cannot be written is reported and skipped; the command still runs.
func startProfiles() (stop func()) {
	var stops []func()
	if name := os.Getenv("DOCKET_CPUPROFILE"); name != "" {
		f, err := os.Create(name)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			warningf(os.Stderr, "no CPU profile: %v", err)
		} else {
			stops = append(stops, func() { pprof.StopCPUProfile(); f.Close() })
		}
	}
	if name := os.Getenv("DOCKET_MEMPROFILE"); name != "" {
		stops = append(stops, func() {
			f, err := os.Create(name)
			if err == nil {
				runtime.GC()
				err = pprof.Lookup("allocs").WriteTo(f, 0)
				f.Close()
			}
			if err != nil {
				warningf(os.Stderr, "no memory profile: %v", err)
			}
		})
	}
	return func() {
		for _, stop := range stops {
			stop()
		}
	}
}
