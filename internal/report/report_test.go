package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/opendata-docket/docket/internal/docket"
)

var sample = []docket.Finding{
	{Path: "requests/a,b:c/request.yaml", Line: 3, Col: 5, Field: "title", Message: "100% wrong\n::error::forged"},
	{Path: "requests/x/request.yaml", Line: 0, Col: 0, Message: "whole file", Severity: docket.Warning},
}

func TestGitHubEscapesWorkflowCommands(t *testing.T) {
	var b bytes.Buffer
	if err := GitHub(&b, sample); err != nil {
		t.Fatal(err)
	}
	want := "::error file=requests/a%2Cb%3Ac/request.yaml,line=3,col=5,title=docket::title: 100%25 wrong%0A::error::forged\n" +
		"::warning file=requests/x/request.yaml,line=1,col=1,title=docket::whole file\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	if strings.Count(b.String(), "\n") != len(sample) {
		t.Error("a finding spilled onto more than one line")
	}
}

func TestTextEscapesControlCharacters(t *testing.T) {
	var b bytes.Buffer
	f := []docket.Finding{{Path: "requests/\x1b[2Jx/request.yaml", Line: 1, Col: 1, Message: "bad"}}
	if err := Text(&b, f); err != nil {
		t.Fatal(err)
	}
	if want := "requests/\\x1b[2Jx/request.yaml:1:1: bad\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

func TestJSON(t *testing.T) {
	var b bytes.Buffer
	if err := JSON(&b, nil); err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(b.String()) != "[]" {
		t.Errorf("no findings: got %q, want []", b.String())
	}
	b.Reset()
	if err := JSON(&b, sample); err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0]["field"] != "title" || got[0]["line"] != 3.0 || got[1]["severity"] != "warning" || got[1]["line"] != 1.0 {
		t.Errorf("unexpected JSON: %s", b.String())
	}
}

func TestWriteUnknownFormat(t *testing.T) {
	if err := Write(&bytes.Buffer{}, "xml", sample); err == nil {
		t.Error("unknown format accepted")
	}
}
