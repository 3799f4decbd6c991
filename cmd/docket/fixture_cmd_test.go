package main

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/opendata-docket/docket/internal/docket/dockettest"
	"github.com/rogpeppe/go-internal/testscript"
)

// fixture is the testscript command "fixture NAME PATH [login=LOGIN] [agreement=false]": it
// writes one of the request files the tests share (internal/docket/dockettest) to PATH, so a
// scenario need not repeat it. NAME is api-request (dockettest.APIRequest, by req-rita) or
// dataset-request (dockettest.DatasetRequest, by req-dan); login= names another requester and
// agreement=false answers no to the data-sharing agreement. The file has the fixture's lines
// exactly, so messages a scenario expects keep their line numbers.
func fixture(ts *testscript.TestScript, neg bool, args []string) {
	const usage = "usage: fixture api-request|dataset-request PATH [login=LOGIN] [agreement=false]"
	if neg || len(args) < 2 {
		ts.Fatalf(usage)
	}
	var doc string
	switch args[0] {
	case "api-request":
		doc = dockettest.APIRequest
	case "dataset-request":
		doc = dockettest.DatasetRequest
	default:
		ts.Fatalf("unknown fixture %q; %s", args[0], usage)
	}
	for _, opt := range args[2:] {
		switch key, value, _ := strings.Cut(opt, "="); key {
		case "login":
			doc = dockettest.By(doc, value)
		case "agreement":
			if value != "false" {
				ts.Fatalf("agreement=%s: only agreement=false changes the fixture", value)
			}
			if !strings.Contains(doc, "\ndata_sharing_agreement: true\n") {
				ts.Fatalf("%s already answers no to the agreement", args[0])
			}
			doc = strings.Replace(doc, "\ndata_sharing_agreement: true\n", "\ndata_sharing_agreement: false\n", 1)
		default:
			ts.Fatalf("unknown option %q; %s", opt, usage)
		}
	}
	p := ts.MkAbs(args[1])
	ts.Check(os.MkdirAll(filepath.Dir(p), 0o755))
	ts.Check(os.WriteFile(p, []byte(doc), 0o644))
}
