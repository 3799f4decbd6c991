package website

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/validate"
)

// BenchmarkBuild10k builds the site of 10,010 requests: the repository's 14 sample requests
// (every status, Markdown, tables, enforcement histories) copied 715 times under new ids. It
// measures rendering and writing every file (about 20,000 pages and feeds) after validation,
// which internal/validate benchmarks on its own. peak-RSS-MB is the process's high-water mark,
// setup included; live-MB the heap the build starts from (the validated docket); largest-page-kB
// the largest HTML page written.
//
//	go test -run XXX -bench Build10k -benchtime 3x ./internal/website
func BenchmarkBuild10k(b *testing.B) { benchBuild(b, 10000) }

// BenchmarkBuild40k is BenchmarkBuild10k with 40,040 requests, for how the build grows: four
// times the requests should cost at most 4.4 times the time, and no page may pass 1 MB.
//
//	go test -run XXX -bench Build40k -benchtime 1x ./internal/website
func BenchmarkBuild40k(b *testing.B) { benchBuild(b, 40000) }

func benchBuild(b *testing.B, requests int) {
	src := filepath.Join("..", "..")
	dir := b.TempDir()
	cfg, err := os.ReadFile(filepath.Join(src, ".github", "docket.yml"))
	if err != nil {
		b.Fatal(err)
	}
	_ = os.MkdirAll(filepath.Join(dir, ".github"), 0o755)
	if err := os.WriteFile(filepath.Join(dir, ".github", "docket.yml"), cfg, 0o644); err != nil {
		b.Fatal(err)
	}
	folders, err := os.ReadDir(filepath.Join(src, "requests"))
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for copyN := 0; n < requests; copyN++ {
		for _, f := range folders {
			id := fmt.Sprintf("%s-%03d", f.Name(), copyN)
			files, _ := fs.Glob(os.DirFS(filepath.Join(src, "requests", f.Name())), "*.yaml")
			_ = os.MkdirAll(filepath.Join(dir, "requests", id), 0o755)
			for _, name := range files {
				data, _ := os.ReadFile(filepath.Join(src, "requests", f.Name(), name))
				s := strings.ReplaceAll(string(data), "requests/"+f.Name()+"/", "requests/"+id+"/")
				if err := os.WriteFile(filepath.Join(dir, "requests", id, name), []byte(s), 0o644); err != nil {
					b.Fatal(err)
				}
			}
			n++
		}
	}
	v, err := validate.New()
	if err != nil {
		b.Fatal(err)
	}
	r, findings, err := v.Repository(os.DirFS(dir), validate.Options{Today: docket.MustDate("2026-11-27")})
	if err != nil || docket.HasErrors(findings) {
		b.Fatalf("generated docket does not validate: %v %d findings", err, len(findings))
	}
	Release(r)
	bld, err := New()
	if err != nil {
		b.Fatal(err)
	}
	out := filepath.Join(b.TempDir(), "site")
	in := &Input{Repo: r, Files: os.DirFS(dir), HistoryNote: "benchmark"}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	live := float64(ms.HeapAlloc) / (1 << 20)
	defer debug.SetGCPercent(debug.SetGCPercent(60)) // as docket build does
	setup := hwm()
	b.ResetTimer()
	var sum *Summary
	for b.Loop() {
		if sum, err = bld.Build(in, out); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(sum.Pages), "files")
	b.ReportMetric(live, "live-MB")
	largest := int64(0)
	_ = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".html") {
			if fi, err := d.Info(); err == nil {
				largest = max(largest, fi.Size())
			}
		}
		return nil
	})
	b.ReportMetric(float64(largest)/1000, "largest-page-kB")
	b.ReportMetric(setup, "setup-peak-RSS-MB")
	b.ReportMetric(hwm(), "peak-RSS-MB")
}

// hwm is the process's peak resident memory so far, in MB.
func hwm() float64 {
	s, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(s), "\n") {
		var kb int64
		if _, err := fmt.Sscanf(line, "VmHWM: %d kB", &kb); err == nil {
			return float64(kb) / 1024
		}
	}
	return 0
}
