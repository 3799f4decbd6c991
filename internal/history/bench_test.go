package history

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkHistory walks a history of 25,000 commits over 10,000 requests (each request added,
// then decided, then half of the decisions edited, one file a commit, so the requests folder
// changes in every commit and ends with 10,000 entries) and, for comparison in the same run,
// runs `git log --first-parent --name-status -- requests` over the same repository (the target:
// the walk within 2x of it). "cached-one-commit" is a rebuild after one new commit with
// --history-cache: the cache of the commit before it is read, one commit walked, the cache
// written again (target: under a second). The repository is written with git fast-import,
// which is quick; it needs git.
//
//	go test -run XXX -bench History -benchtime 1x -timeout 30m ./internal/history
func BenchmarkHistory(b *testing.B) {
	gitBin, err := exec.LookPath("git")
	if err != nil {
		b.Skip("git is not installed; the benchmark repository is written with git fast-import")
	}
	const requests, commits = 10_000, 25_000
	dir := b.TempDir()
	// DOCKET_BENCH_REPO keeps the repository in that folder and uses it again when it is there,
	// to compare two versions of docket on the same repository without writing it twice.
	keep := os.Getenv("DOCKET_BENCH_REPO")
	if keep != "" {
		dir = keep
	}
	if _, err := os.Stat(filepath.Join(dir, ".git")); keep == "" || err != nil {
		writeBenchRepo(b, gitBin, dir, requests, commits)
	}
	benchHistory(b, gitBin, dir, requests, commits)
}

func writeBenchRepo(b *testing.B, gitBin, dir string, requests, commits int) {
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
		switch {
		case i <= requests:
			fmt.Fprintf(w, "M 100644 inline requests/request-%05d/request.yaml\n", id)
			data(fmt.Sprintf("kind: dataset\ntitle: Request number %d\n", id))
		case i <= 2*requests:
			fmt.Fprintf(w, "M 100644 inline requests/request-%05d/decision.yaml\n", id)
			data(fmt.Sprintf("outcome: approved\ndecided_by: staff\n# %d\n", id))
		default:
			fmt.Fprintf(w, "M 100644 inline requests/request-%05d/decision.yaml\n", id)
			data(fmt.Sprintf("outcome: approved\ndecided_by: staff\n# %d, corrected\n", id))
		}
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		b.Fatalf("git fast-import: %v", err)
	}
}

func benchHistory(b *testing.B, gitBin, dir string, requests, commits int) {

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
	b.Run("cached-one-commit", func(b *testing.B) {
		git := func(args ...string) string {
			c := exec.Command(gitBin, args...)
			c.Dir = dir
			out, err := c.Output()
			if err != nil {
				b.Fatalf("git %v: %v", args, err)
			}
			return strings.TrimSpace(string(out))
		}
		tip := git("rev-parse", "main")
		cacheDir := b.TempDir()
		before := filepath.Join(cacheDir, "before")
		// The cache as the build of the commit before the tip left it.
		git("update-ref", "refs/heads/main", tip+"~1")
		if _, _, err := ReadCached(dir, before); err != nil {
			b.Fatal(err)
		}
		git("update-ref", "refs/heads/main", tip)
		old, err := os.ReadFile(before)
		if err != nil {
			b.Fatal(err)
		}
		cache := filepath.Join(cacheDir, "cache")
		for b.Loop() {
			b.StopTimer()
			if err := os.WriteFile(cache, old, 0o644); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			h, notes, err := ReadCached(dir, cache)
			if err != nil || len(notes) > 0 || !h.fromCache {
				b.Fatalf("%v %q", err, notes)
			}
			if h.Commits != commits || len(h.Events) != requests {
				b.Fatalf("walked %d commits and %d requests", h.Commits, len(h.Events))
			}
		}
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
