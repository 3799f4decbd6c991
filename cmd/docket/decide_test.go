package main

import (
	"bytes"
	"context"
	"github.com/opendata-docket/docket/internal/docket/dockettest"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Ctrl-C or SIGTERM while docket decide waits for an answer ends it with status 130 at once,
// writing nothing; the prompt does not sit on the terminal until the next line.
func TestDecideInterruptedAtPrompt(t *testing.T) {
	dir := t.TempDir()
	config := []byte(dockettest.Config)
	req := strings.Replace(dockettest.APIRequest, "data_sharing_agreement: true", "data_sharing_agreement: false", 1)
	for p, b := range map[string]string{".github/docket.yml": string(config), "requests/feed/request.yaml": req} {
		p = filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(b), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pr, pw := io.Pipe() // a terminal nobody types into
	defer pw.Close()
	old := stdin
	stdin = pr
	defer func() { stdin = old }()
	t.Setenv("DOCKET_LOGIN", "")
	t.Setenv("EDITOR", "")
	t.Setenv("VISUAL", "")

	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- runDecide(ctx, []string{"feed", "--deny", "--repo", dir, "--as-of", "2026-11-27"}, &stdout, &stderr)
	}()
	time.Sleep(100 * time.Millisecond)
	cancel()
	select {
	case code := <-done:
		if code != 130 {
			t.Errorf("exit status %d, want 130\n%s", code, stderr.String())
		}
		if !strings.HasSuffix(stderr.String(), "docket: error: interrupted\n") {
			t.Errorf("stderr does not end with the interruption:\n%s", stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("docket decide did not stop when interrupted")
	}
	if _, err := os.Stat(filepath.Join(dir, "requests", "feed", "decision.yaml")); err == nil {
		t.Error("a decision was written after the interrupt")
	}
}
