package validate

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// FuzzRepository feeds arbitrary bytes to docket as a request and a decision, through the
// whole loader: YAML reading, schema checks, decoding and the rules. Whatever the input, nothing
// may panic or hang, and every finding must be located inside the file it names and said in
// docket's words rather than a library's.
//
// The seed corpus is the sample requests and decisions of this repository, the test inputs
// above, and the files in testdata/fuzz/FuzzRepository.
func FuzzRepository(f *testing.F) {
	f.Add([]byte(apiRequest), []byte(approved))
	f.Add([]byte(datasetRequest), []byte(denied))
	f.Add([]byte(apiRequest), []byte(denied+"review: appeal\n"))
	for _, dir := range sampleFolders(f) {
		req, _ := os.ReadFile(filepath.Join(dir, "request.yaml"))
		dec, _ := os.ReadFile(filepath.Join(dir, "decision.yaml"))
		f.Add(req, dec)
	}
	v, err := New()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, request, decision []byte) {
		fsys := fstest.MapFS{
			".github/docket.yml":          {Data: []byte(testConfig)},
			"requests/fuzz/request.yaml":  {Data: request},
			"requests/fuzz/decision.yaml": {Data: decision},
			"requests/fuzz/appeal.yaml":   {Data: []byte(appeal)},
		}
		_, findings, err := v.Repository(fsys, Options{Today: today})
		if err != nil {
			t.Fatal(err)
		}
		for _, fd := range findings {
			var data []byte
			switch fd.Path {
			case "requests/fuzz/request.yaml":
				data = request
			case "requests/fuzz/decision.yaml":
				data = decision
			case "requests/fuzz/appeal.yaml":
				data = []byte(appeal)
			default:
				t.Fatalf("finding for a file that does not exist: %v", fd)
			}
			lines := bytes.Count(data, []byte("\n")) + 1
			if fd.Line < 1 || fd.Line > lines || fd.Col < 1 {
				t.Errorf("finding outside its file (%d lines): %v", lines, fd)
			}
			if fd.Message == "" {
				t.Errorf("finding without a message: %v", fd)
			}
			for _, raw := range []string{"jsonschema", "yaml:", "%!", "<nil>", "reflect", "json: "} {
				if strings.Contains(fd.Message, raw) {
					t.Errorf("finding leaks library text %q: %v", raw, fd)
				}
			}
		}
	})
}

// sampleFolders lists the request folders of the repository's own sample data.
func sampleFolders(tb testing.TB) []string {
	dirs, err := filepath.Glob(filepath.Join("..", "..", "requests", "*"))
	if err != nil {
		tb.Fatal(err)
	}
	return dirs
}
