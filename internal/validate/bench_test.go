package validate

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// writeSynthetic writes a repository of n generated requests to dir. With history, it is a mix
// the way a docket looks after a few years: half with decisions, some with appeals and
// enforcement histories (about 1.8 files a request); without, request files only.
func writeSynthetic(tb testing.TB, dir string, n int, history bool) {
	tb.Helper()
	write := func(name, data string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	write(".github/docket.yml", testConfig)
	for i := range n {
		dir := fmt.Sprintf("requests/request-%05d/", i)
		login := "requester-" + strconv.Itoa(i)
		if !history {
			write(dir+"request.yaml", strings.Replace(apiRequest, "req-rita", login, 1))
			continue
		}
		switch i % 6 {
		case 0, 1:
			write(dir+"request.yaml", strings.Replace(apiRequest, "req-rita", login, 1))
		case 2:
			write(dir+"request.yaml", strings.Replace(datasetRequest, "req-dan", login, 1))
		case 3:
			write(dir+"request.yaml", strings.Replace(apiRequest, "req-rita", login, 1))
			write(dir+"decision.yaml", approved)
		case 4:
			write(dir+"request.yaml", strings.Replace(apiRequest, "req-rita", login, 1))
			write(dir+"decision.yaml", denied)
			write(dir+"appeal.yaml", appeal)
		case 5:
			write(dir+"request.yaml", strings.Replace(apiRequest, "req-rita", login, 1))
			write(dir+"decision.yaml", approved)
			write(dir+"enforcement.yaml", suspension)
		}
	}
}

// BenchmarkValidate10k validates 10,000 request files on disk, end to end: walking the
// folders, reading, parsing and schema-checking every file in parallel, and the rules.
// Target: under 1 s a run and under 200 MB peak RSS on 2 cores. peak-RSS-MB is the process's
// high-water mark, so it includes the benchmark's own setup.
func BenchmarkValidate10k(b *testing.B) { benchmarkValidate(b, false) }

// BenchmarkValidate10kWithHistory validates 10,000 requests with their decisions, appeals and
// enforcement histories: about 18,300 files.
func BenchmarkValidate10kWithHistory(b *testing.B) { benchmarkValidate(b, true) }

func benchmarkValidate(b *testing.B, history bool) {
	dir := b.TempDir()
	writeSynthetic(b, dir, 10000, history)
	v, err := New()
	if err != nil {
		b.Fatal(err)
	}
	fsys := os.DirFS(dir)
	runtime.GC()
	b.ResetTimer()
	for b.Loop() {
		r, findings, err := v.Repository(fsys, Options{Today: today})
		if err != nil {
			b.Fatal(err)
		}
		if len(findings) > 0 || len(r.Folders) != 10000 {
			b.Fatalf("got %d folders and %d findings", len(r.Folders), len(findings))
		}
	}
	b.StopTimer()
	if rss := peakRSS(); rss > 0 {
		b.ReportMetric(rss, "peak-RSS-MB")
	}
}

// peakRSS reads the process's peak resident set size in MB from /proc, or 0 where there is none.
func peakRSS() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range bytes.Split(data, []byte("\n")) {
		if rest, ok := bytes.CutPrefix(line, []byte("VmHWM:")); ok {
			kb, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(string(rest)), " kB"))
			if err == nil {
				return float64(kb) / 1024
			}
		}
	}
	return 0
}
