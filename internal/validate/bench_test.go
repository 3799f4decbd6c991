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
	runValidateBench(b, dir, Options{Today: today}, 10000, 0)
}

// BenchmarkValidateSamples10k validates 10,010 copies of the repository's own sample requests
// (715 of each of the 14, with their decisions, appeals and enforcement: 22,165 files), the
// realistic docket the comparison uses: Markdown, long texts, sample rows. It runs as
// docket validate does (FindingsOnly: each folder dropped once checked). The samples' traffic
// above the key policy gives 2 warnings in each copy of one of them.
// Target (issue 16): faster than ajv-cli on the same files, peak RSS under 150 MiB.
func BenchmarkValidateSamples10k(b *testing.B) { benchmarkSamples(b, 715) }

// BenchmarkValidateSamples40k is BenchmarkValidateSamples10k with four times the requests
// (40,040): the time may grow at most 4.4 times, and peak RSS stays under 400 MiB.
func BenchmarkValidateSamples40k(b *testing.B) { benchmarkSamples(b, 2860) }

func benchmarkSamples(b *testing.B, copies int) {
	dir := b.TempDir()
	n := writeSamples(b, dir, copies)
	runValidateBench(b, dir, Options{Today: today, FindingsOnly: true}, n, 2*copies)
}

// writeSamples writes the repository's configuration and copies of each sample request folder
// under the ids <id>-<copy>, and returns how many folders it wrote.
func writeSamples(tb testing.TB, dir string, copies int) int {
	tb.Helper()
	root := filepath.Join("..", "..")
	write := func(name string, data []byte) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	config, err := os.ReadFile(filepath.Join(root, ".github", "docket.yml"))
	if err != nil {
		tb.Fatal(err)
	}
	write(".github/docket.yml", config)
	folders, err := filepath.Glob(filepath.Join(root, "requests", "*"))
	if err != nil || len(folders) == 0 {
		tb.Fatalf("no sample requests: %v", err)
	}
	for _, folder := range folders {
		files, err := filepath.Glob(filepath.Join(folder, "*.yaml"))
		if err != nil {
			tb.Fatal(err)
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				tb.Fatal(err)
			}
			for i := range copies {
				write(fmt.Sprintf("requests/%s-%04d/%s", filepath.Base(folder), i, filepath.Base(f)), data)
			}
		}
	}
	return len(folders) * copies
}

// runValidateBench validates the repository in dir once an iteration and checks it has the
// given numbers of folders and findings.
func runValidateBench(b *testing.B, dir string, opts Options, folders, findings int) {
	v, err := New()
	if err != nil {
		b.Fatal(err)
	}
	fsys := os.DirFS(dir)
	runtime.GC()
	b.ResetTimer()
	for b.Loop() {
		r, found, err := v.Repository(fsys, opts)
		if err != nil {
			b.Fatal(err)
		}
		if len(found) != findings || len(r.Folders) != folders {
			b.Fatalf("got %d folders and %d findings, want %d and %d: %v", len(r.Folders), len(found), folders, findings, found[:min(len(found), 3)])
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
