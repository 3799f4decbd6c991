package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every helper escapes the whole line once: a line break in a GitHub error body cannot start a
// forged workflow command, and text escaped by a caller is not escaped again.
func TestVoiceEscapesOnce(t *testing.T) {
	for name, say := range map[string]func(w *bytes.Buffer){
		"error":   func(w *bytes.Buffer) { errorf(w, "github said: %s", "nope\n::error::forged") },
		"warning": func(w *bytes.Buffer) { warningf(w, "github said: %s", "nope\n::error::forged") },
		"note":    func(w *bytes.Buffer) { notef(w, "github said: %s", "nope\n::error::forged") },
		"hint":    func(w *bytes.Buffer) { hintf(w, "github said: %s", "nope\n::error::forged") },
		"say":     func(w *bytes.Buffer) { sayf(w, "github said: %s", "nope\n::error::forged") },
		"line":    func(w *bytes.Buffer) { linef(w, "github said: %s", "nope\n::error::forged") },
	} {
		var b bytes.Buffer
		say(&b)
		got := b.String()
		if strings.Count(got, "\n") != 1 || !strings.Contains(got, `github said: nope\n::error::forged`) {
			t.Errorf("%s: %q", name, got)
		}
		b.Reset()
		errorf(&b, "%s", `already escaped: \x1b`)
		if got := b.String(); got != "docket: error: already escaped: \\x1b\n" {
			t.Errorf("escaped twice: %q", got)
		}
	}
}

// No line starting "docket: " is written outside voice.go, so none can skip its rules.
func TestVoiceIsTheOnlyWayToSpeak(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f == "voice.go" || strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			if strings.Contains(line, `"docket: `) {
				t.Errorf("%s:%d: writes a docket: line itself; use sayf, errorf, warningf, notef or hintf: %s", f, i+1, strings.TrimSpace(line))
			}
		}
	}
}
