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
// measures rendering and writing every file (about 20,000 pages, feeds and source files) after
// validation, which internal/validate benchmarks on its own. peak-RSS-MB is the process's
// high-water mark, setup included.
//
//	go test -run XXX -bench Build10k -benchtime 3x ./internal/website
func BenchmarkBuild10k(b *testing.B) {
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
	for copyN := 0; n < 10000; copyN++ {
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
	debug.SetMemoryLimit(256 << 20) // as docket build does
	runtime.GC()
	setup := hwm()
	b.ResetTimer()
	var sum *Summary
	for b.Loop() {
		if sum, err = bld.Build(in, out); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(sum.Pages), "files")
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
