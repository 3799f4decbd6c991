package speed

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/testtool"
	"github.com/opendata-docket/docket/internal/validate"
)

// TestGenerate keeps the comparison's generator from rotting: a small docket it writes must
// validate without errors, its git history must have the commits asked for and end at the
// files written, and its Hugo site must have a page per request.
func TestGenerate(t *testing.T) {
	dir := t.TempDir()
	o := Options{Src: filepath.Join("..", ".."), Requests: 30, Out: filepath.Join(dir, "docket"), Hugo: filepath.Join(dir, "hugo")}
	git, gitErr := exec.LookPath("git")
	if gitErr == nil {
		o.Commits = 60
	}
	if err := Generate(o); err != nil {
		t.Fatal(err)
	}
	ids, err := os.ReadDir(filepath.Join(o.Out, "requests"))
	if err != nil || len(ids) != 30 {
		t.Fatalf("requests/ has %d folders, want 30 (%v)", len(ids), err)
	}
	v, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	_, findings, err := v.Repository(os.DirFS(o.Out), validate.Options{Today: docket.MustDate("2026-11-27")})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		if f.Severity == docket.Error {
			t.Errorf("generated docket: %s:%d: %s", f.Path, f.Line, f.Message)
		}
	}
	pages, _ := filepath.Glob(filepath.Join(o.Hugo, "content", "requests", "*.md"))
	if len(pages) != 30 {
		t.Errorf("the Hugo site has %d request pages, want 30", len(pages))
	}
	if gitErr != nil {
		testtool.Missing(t, "git is not installed (Debian package git): the generated history is not checked")
	}
	run := func(args ...string) string {
		cmd := exec.Command(git, args...)
		cmd.Dir = o.Out
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %s: %v: %s", strings.Join(args, " "), err, out)
		}
		return strings.TrimSpace(string(out))
	}
	if n := run("rev-list", "--count", "HEAD"); n != "60" {
		t.Errorf("the history has %s commits, want 60", n)
	}
	if st := run("status", "--porcelain"); st != "" {
		t.Errorf("the last commit is not the files written:\n%s", st)
	}
	// Dates go forward, one commit after another, and end before the day compare.sh judges by.
	times := strings.Fields(run("log", "--reverse", "--format=%ct"))
	for i := 1; i < len(times); i++ {
		if len(times[i]) != len(times[i-1]) || times[i] <= times[i-1] {
			t.Fatalf("commit %d is dated %s, not after commit %d (%s)", i+1, times[i], i, times[i-1])
		}
	}
	if last := run("log", "-1", "--format=%cs"); last >= "2026-11-27" {
		t.Errorf("the last commit is dated %s, not before 2026-11-27", last)
	}
}
