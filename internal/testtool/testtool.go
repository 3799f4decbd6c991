// Package testtool starts the real programs docket's tests talk to (redis-server, nginx, git,
// Chromium) and holds the one rule for when a program is missing: the test skips with a message
// naming the Debian package to install, unless DOCKET_REQUIRE_TOOLS=1 (as .ci/run sets), when it
// fails instead. It is imported by tests only.
package testtool

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// Missing skips the test with msg, which says what is missing and how to install it, or fails it
// when DOCKET_REQUIRE_TOOLS=1.
func Missing(t testing.TB, msg string) {
	t.Helper()
	if os.Getenv("DOCKET_REQUIRE_TOOLS") == "1" {
		t.Fatal(msg + ", and DOCKET_REQUIRE_TOOLS=1 requires it")
	}
	t.Skip(msg)
}

// Need returns the path of the program name, looked for on $PATH and in /usr/sbin (where Debian
// puts nginx); when it is not there, the test skips naming the Debian package pkg (see Missing).
func Need(t testing.TB, name, pkg string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if p := filepath.Join("/usr/sbin", name); isFile(p) {
		return p
	}
	Missing(t, fmt.Sprintf("%s is not installed (Debian package %s: apt-get install -y %s)", name, pkg, pkg))
	return ""
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

// FreeAddr returns a loopback address (127.0.0.1:port) whose port was free a moment ago.
func FreeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// WaitUntil calls ok every 20 ms until it returns nil, and fails the test with what and ok's
// last error when it has not after 10 seconds.
func WaitUntil(t testing.TB, what string, ok func() error) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := ok()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %v", what, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Start starts the program name with args in dir, and stops it (interrupt, then kill after 5
// seconds) and waits for it when the test ends. Its output goes to dir/<name>.out, shown in the
// test's log when the test failed.
func Start(t testing.TB, dir, name string, args ...string) {
	t.Helper()
	logPath := filepath.Join(dir, filepath.Base(name)+".out")
	out, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr, cmd.Dir = out, out, dir
	if err := cmd.Start(); err != nil {
		out.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		out.Close()
		if t.Failed() {
			data, _ := os.ReadFile(logPath)
			t.Logf("%s output:\n%s", name, data)
		}
	})
}

// Redis starts a redis-server on a free loopback port that keeps nothing on disk, waits until it
// answers PING, and returns its address (host:port). It is stopped when the test ends. Without
// redis-server the test skips (see Need).
func Redis(t testing.TB) string {
	t.Helper()
	bin := Need(t, "redis-server", "redis-server")
	dir := t.TempDir()
	addr := FreeAddr(t)
	_, port, _ := net.SplitHostPort(addr)
	Start(t, dir, bin, "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir)
	WaitUntil(t, "redis-server answering PING on "+addr, func() error {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			return err
		}
		defer c.Close()
		fmt.Fprint(c, "PING\r\n")
		line, err := bufio.NewReader(c).ReadString('\n')
		if err != nil || line != "+PONG\r\n" {
			return fmt.Errorf("answered %q, %v", line, err)
		}
		return nil
	})
	return addr
}
