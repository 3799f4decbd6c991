package history

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// BenchmarkHistory walks a history of 20,000 commits over 10,000 requests (each request added,
// then decided, one file a commit, so the requests folder changes in every commit and ends
// with 10,000 entries) and, for comparison, runs `git log --name-status` over the same
// repository. The repository is written with git fast-import, which is quick; it needs git.
//
//	go test -run XXX -bench History -benchtime 1x ./internal/history
func BenchmarkHistory(b *testing.B) {
	gitBin, err := exec.LookPath("git")
	if err != nil {
		b.Skip("git is not installed; the benchmark repository is written with git fast-import")
	}
	const requests, commits = 10_000, 20_000
	dir := b.TempDir()
	if out, err := exec.Command(gitBin, "init", "-q", "-b", "main", dir).CombinedOutput(); err != nil {
		b.Fatalf("git init: %v: %s", err, out)
	}
	cmd := exec.Command(gitBin, "fast-import", "--quiet")
	cmd.Dir = dir
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(stdin)
	data := func(s string) { fmt.Fprintf(w, "data %d\n%s\n", len(s), s) }
	for i := 1; i <= commits; i++ {
		id := (i - 1) % requests
		fmt.Fprintf(w, "commit refs/heads/main\nmark :%d\ncommitter Bench <bench@example.org> %d +0000\n", i, 1767225600+i*600)
		data(fmt.Sprintf("change %d", i))
		if i > 1 {
			fmt.Fprintf(w, "from :%d\n", i-1)
		}
		if i <= requests {
			fmt.Fprintf(w, "M 100644 inline requests/request-%05d/request.yaml\n", id)
			data(fmt.Sprintf("kind: dataset\ntitle: Request number %d\n", id))
		} else {
			fmt.Fprintf(w, "M 100644 inline requests/request-%05d/decision.yaml\n", id)
			data(fmt.Sprintf("outcome: approved\ndecided_by: staff\n# %d\n", id))
		}
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		b.Fatalf("git fast-import: %v", err)
	}

	b.Run("go-git", func(b *testing.B) {
		for b.Loop() {
			h, err := Read(dir)
			if err != nil {
				b.Fatal(err)
			}
			if h.Commits != commits || len(h.Events) != requests {
				b.Fatalf("walked %d commits and %d requests", h.Commits, len(h.Events))
			}
		}
		reportRSS(b)
	})
	b.Run("git-log-name-status", func(b *testing.B) {
		for b.Loop() {
			c := exec.Command(gitBin, "log", "--first-parent", "--name-status", "--format=%H %ct", "--", "requests")
			c.Dir = dir
			c.Stdout = nil
			if err := c.Run(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// reportRSS reports the peak resident memory of the test process so far.
func reportRSS(b *testing.B) {
	s, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return
	}
	var kb int64
	for _, line := range strings.Split(string(s), "\n") {
		if _, err := fmt.Sscanf(line, "VmHWM: %d kB", &kb); err == nil {
			b.ReportMetric(float64(kb)/1024, "peak-RSS-MB")
			return
		}
	}
}
