package validate

import (
	"github.com/opendata-docket/docket/internal/docket/dockettest"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/keys"
)

const testConfig = dockettest.Config

const apiRequest = dockettest.APIRequest

const datasetRequest = `kind: dataset
title: Sidewalk repair requests
requester:
  github: req-dan
  type: individual
dataset:
  name: Sidewalk Repair Requests
  description: Every sidewalk repair request and its status.
  update_frequency: weekly
  fields:
    - {name: request_date, type: date, description: The day it was received.}
    - {name: block, type: text, description: The block of the address.}
  sample_rows:
    - {request_date: "2026-03-02", block: 3100 block of Prospect Ave}
purpose:
  use: research
  description: We study which neighborhoods wait longest for repairs.
privacy:
  personal_data: false
  considerations: Addresses are given at block level only.
data_sharing_agreement: false
`

const evaluation = dockettest.Evaluation

const approved = `outcome: approved
decided_by: staff-ann
date: 2026-04-01
reasons: The data is public and the traffic is small.
` + evaluation + `conditions:
  scopes: [calls-311]
  limits: {requests_per_day: 5000, requests_per_second: 2}
  expires: 2027-03-31
  data_sharing_agreement: false
  terms_version: "2026-01"
`

const denied = `outcome: denied
decided_by: staff-ann
date: 2026-04-01
reasons: The fields asked for identify residents.
reason_code: privacy
` + evaluation + `appeal:
  instructions: Add appeal.yaml to this folder in a pull request.
  deadline: 2026-05-01
`

const appeal = `date: 2026-04-20
grounds: Block-level counts are enough for our study.
`

const suspension = dockettest.Suspension

var today = docket.MustDate("2026-11-27")

// files builds a repository: the test configuration plus the given files.
func files(kv ...string) fstest.MapFS {
	m := fstest.MapFS{".github/docket.yml": {Data: []byte(testConfig)}}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = &fstest.MapFile{Data: []byte(kv[i+1])}
	}
	return m
}

func run(t *testing.T, fsys fs.FS) []string {
	t.Helper()
	v, err := New()
	if err != nil {
		t.Fatal(err)
	}
	_, findings, err := v.Repository(fsys, Options{Today: today})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range findings {
		got = append(got, f.String())
	}
	// A lean run, which drops each folder as soon as its rules ran, finds exactly the same.
	for _, opts := range []Options{{Today: today, Lean: true}, {Today: today, FindingsOnly: true, Workers: 1}} {
		_, lean, err := v.Repository(fsys, opts)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(lean, findings) {
			t.Errorf("lean run (%+v) found\n%v\nnot\n%v", opts, lean, findings)
		}
	}
	return got
}

func sub(s, old, new string) string {
	if !strings.Contains(s, old) {
		panic("test edit: " + old + " not found")
	}
	return strings.Replace(s, old, new, 1)
}

func TestRules(t *testing.T) {
	const (
		req = "requests/feed/request.yaml"
		dec = "requests/feed/decision.yaml"
		apl = "requests/feed/appeal.yaml"
		enf = "requests/feed/enforcement.yaml"
	)
	tests := []struct {
		name string
		fsys fstest.MapFS
		want []string
	}{
		{"valid api approval with enforcement", files(req, apiRequest, dec, approved, enf, suspension), nil},
		{"valid dataset approval", files(req, datasetRequest, dec, approved[:strings.Index(approved, "conditions:")]+"publication:\n  planned: 2026-12-01\n"), nil},
		{"valid appeal", files(req, apiRequest, dec, denied, apl, appeal), nil},
		{"valid withdrawal by the requester", files(req, apiRequest, dec, "outcome: withdrawn\ndecided_by: req-rita\ndate: 2026-04-01\n"), nil},

		{"decision in the future", files(req, apiRequest, dec, sub(approved, "date: 2026-04-01", "date: 2026-12-25")),
			[]string{dec + ":3:7: date: 2026-12-25 is in the future (today is 2026-11-27); use the day it happened"}},
		{"decision without request", files(dec, approved),
			[]string{dec + ":1:1: a decision needs its request: add requests/feed/request.yaml"}},
		{"decider is not staff", files(req, apiRequest, dec, sub(approved, "decided_by: staff-ann", "decided_by: req-rita")),
			[]string{dec + ":2:13: decided_by: req-rita is not staff; only the logins listed under staff.logins in .github/docket.yml may decide or take enforcement actions"}},
		{"staff logins ignore case", files(req, apiRequest, dec, sub(approved, "decided_by: staff-ann", "decided_by: Staff-Ann")), nil},
		{"withdrawal by someone else", files(req, apiRequest, dec, "outcome: withdrawn\ndecided_by: req-other\ndate: 2026-04-01\n"),
			[]string{dec + ":2:13: decided_by: req-other is not staff; only the logins listed under staff.logins in .github/docket.yml may decide or take enforcement actions"}},
		{"approved api access without conditions", files(req, apiRequest, dec, approved[:strings.Index(approved, "conditions:")]),
			[]string{dec + ":1:10: outcome: an approved api-access request needs conditions: scopes, limits, expires, data_sharing_agreement and terms_version"}},
		{"conditions on a dataset request", files(req, datasetRequest, dec, approved),
			[]string{dec + ":10:1: conditions: apply only to api-access requests; this request is kind dataset"}},
		{"publication on an api request", files(req, apiRequest, dec, approved+"publication:\n  planned: 2026-12-01\n"),
			[]string{dec + ":16:1: publication: applies only to dataset requests; this request is kind api-access"}},
		{"scope not in catalog", files(req, apiRequest, dec, sub(approved, "scopes: [calls-311]", "scopes: [calls-311, calls-31]")),
			[]string{dec + ":11:23: conditions.scopes[2]: calls-31 is not in the catalog; did you mean calls-311 (311 Calls)?"}},
		{"scope without api", files(req, apiRequest, dec, sub(approved, "scopes: [calls-311]", "scopes: [calls-311, budget]")),
			[]string{dec + ":11:23: conditions.scopes[2]: budget (Budget) is not offered through the API; download it from the portal instead"}},
		{"restricted scope needs agreement", files(req, sub(apiRequest, "datasets: [calls-311]", "datasets: [calls-311, ems-times]"), dec, sub(approved, "scopes: [calls-311]", "scopes: [calls-311, ems-times]")),
			[]string{dec + ":11:23: conditions.scopes[2]: ems-times is restricted data; set conditions.data_sharing_agreement to true"}},
		{"scope not requested", files(req, apiRequest, dec, sub(sub(approved, "scopes: [calls-311]", "scopes: [calls-311, ems-times]"), "data_sharing_agreement: false", "data_sharing_agreement: true")),
			[]string{dec + ":11:23: warning: conditions.scopes[2]: ems-times was not asked for in the request's api_access.datasets"}},
		{"limits above policy", files(req, apiRequest, dec, sub(approved, "limits: {requests_per_day: 5000, requests_per_second: 2}", "limits: {requests_per_day: 60000, requests_per_second: 20}")),
			[]string{
				dec + ":12:30: conditions.limits.requests_per_day: 60000 is more than the key policy's maximum of 50000",
				dec + ":12:58: conditions.limits.requests_per_second: 20 is more than the key policy's maximum of 10",
			}},
		{"key lifetime above policy", files(req, apiRequest, dec, sub(approved, "expires: 2027-03-31", "expires: 2027-06-01")),
			[]string{dec + ":13:12: conditions.expires: 2027-06-01 is 426 days after the decision; the key policy allows at most 365 (until 2027-04-01)"}},
		{"expiry before decision", files(req, apiRequest, dec, sub(approved, "expires: 2027-03-31", "expires: 2026-03-31")),
			[]string{dec + ":13:12: conditions.expires: 2026-03-31 is not after the decision date 2026-04-01"}},
		{"appeal deadline before decision", files(req, apiRequest, dec, sub(denied, "deadline: 2026-05-01", "deadline: 2026-03-01")),
			[]string{dec + ":13:13: appeal.deadline: 2026-03-01 is not after the decision date 2026-04-01; give the requester time to appeal"}},
		{"appeal without a decision", files(req, apiRequest, apl, appeal),
			[]string{apl + ":1:1: an appeal can only follow a denial, and this request has no decision yet"}},
		{"appeal after an approval", files(req, apiRequest, dec, approved, apl, appeal),
			[]string{apl + ":1:1: an appeal can only follow a denial; the decision on this request is approved"}},
		{"appeal after the deadline", files(req, apiRequest, dec, denied, apl, sub(appeal, "2026-04-20", "2026-05-02")),
			[]string{apl + ":1:7: date: 2026-05-02 is after the appeal deadline of 2026-05-01; contact Director of IT if there is a reason it could not be filed in time"}},
		{"appeal before the denial", files(req, apiRequest, dec, denied, apl, sub(appeal, "2026-04-20", "2026-03-02")),
			[]string{apl + ":1:7: date: 2026-03-02 is before the denial it appeals (2026-04-01)"}},
		{"decision on appeal without an appeal", files(req, apiRequest, dec, approved+"review: appeal\n"),
			[]string{dec + ":16:9: review: this decision answers an appeal, but requests/feed/appeal.yaml does not exist"}},
		{"decision on appeal before the appeal", files(req, apiRequest, dec, sub(approved, "date: 2026-04-01", "date: 2026-04-10")+"review: appeal\n", apl, appeal),
			[]string{dec + ":3:7: date: 2026-04-10 is before the appeal it answers was filed (2026-04-20)"}},
		{"enforcement on a dataset request not decided", files(req, datasetRequest, enf, suspension),
			[]string{enf + ":1:1: enforcement applies only to an approved request (an issued API key, or data shared with the requester); there is no decision"}},
		{"enforcement before approval", files(req, apiRequest, dec, denied, enf, suspension),
			[]string{enf + ":1:1: enforcement applies only to an approved request (an issued API key, or data shared with the requester); the decision is denied"}},
		{"enforcement out of order", files(req, apiRequest, dec, approved, enf, sub(suspension, "date: 2026-07-01", "date: 2026-05-01")),
			[]string{enf + ":7:11: actions[2].date: 2026-05-01 is before the action above it (2026-06-01); list actions oldest first"}},
		{"enforcement before the key", files(req, apiRequest, dec, approved, enf, sub(suspension, "date: 2026-06-01", "date: 2026-03-01")),
			[]string{enf + ":3:11: actions[1].date: 2026-03-01 is before the request was approved (2026-04-01)"}},
		{"enforcement by non-staff", files(req, apiRequest, dec, approved, enf, sub(suspension, "by: staff-bo", "by: req-rita")),
			[]string{enf + ":4:9: actions[1].by: req-rita is not staff; only the logins listed under staff.logins in .github/docket.yml may decide or take enforcement actions"}},
		{"suspension ends before it starts", files(req, apiRequest, dec, approved, enf, sub(suspension, "until: 2026-07-31", "until: 2026-06-30")),
			[]string{enf + ":8:12: actions[2].until: 2026-06-30 is before the suspension starts (2026-07-01)"}},
		{"reinstatement without suspension", files(req, apiRequest, dec, approved, enf, sub(suspension, "action: suspension\n    date: 2026-07-01\n    until: 2026-07-31", "action: reinstatement\n    date: 2026-07-01")),
			[]string{enf + ":6:13: actions[2].action: a reinstatement ends a suspension early, and no suspension is in force on 2026-07-01"}},
		{"action after revocation", files(req, apiRequest, dec, approved, enf, sub(suspension, "action: warning", "action: revocation")),
			[]string{enf + ":6:13: actions[2].action: the key was revoked on 2026-06-01; a revocation is final (renewal is a new request)"}},
		{"request dataset not in catalog", files(req, sub(apiRequest, "datasets: [calls-311]", "datasets: [parking-tickets]")),
			[]string{req + ":7:14: api_access.datasets[1]: parking-tickets is not in the catalog; use an id from the catalog page, or ask for the dataset to be published with kind: dataset"}},
		{"traffic above policy is flagged", files(req, sub(sub(apiRequest, "requests_per_day: 2000", "requests_per_day: 90000"), "peak_requests_per_second: 2", "peak_requests_per_second: 40")),
			[]string{
				req + ":9:23: warning: api_access.traffic.requests_per_day: 90000 calls a day is more than the key policy allows (50000); staff will review whether a higher limit can be granted",
				req + ":10:31: warning: api_access.traffic.peak_requests_per_second: 40 calls a second is more than the key policy allows (10); staff will review whether a higher limit can be granted",
			}},
		{"sample row column not declared", files(req, sub(datasetRequest, "block: 3100 block", "blok: 3100 block")),
			[]string{req + ":14:36: dataset.sample_rows[1].blok: column blok is not among the fields listed in dataset.fields; did you mean block?"}},
		{"sample value of the wrong type", files(req, sub(datasetRequest, `{request_date: "2026-03-02"`, `{request_date: "March 2"`)),
			[]string{req + ":14:22: dataset.sample_rows[1].request_date: column request_date is of type date; write a date as YYYY-MM-DD, like 2026-04-14"}},
		{"column listed twice", files(req, sub(datasetRequest, "name: block,", "name: request_date,")),
			[]string{
				req + ":12:14: dataset.fields[2].name: column request_date is listed twice (first as fields[1]); list each column once",
				req + ":14:36: dataset.sample_rows[1].block: column block is not among the fields listed in dataset.fields; add it there or remove it from the row",
			}},
		{"bad age recipient checksum", files(req, apiRequest+"delivery:\n  age_recipient: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8q\n"),
			[]string{req + ":20:18: delivery.age_recipient: is not a valid age public key (its checksum does not match); copy it again from the output of age-keygen"}},
		{"good age recipient", files(req, apiRequest+"delivery:\n  age_recipient: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p\n"), nil},
		{"catalog id twice", fstest.MapFS{".github/docket.yml": {Data: []byte(testConfig + "  - {id: budget, name: Budget 2, url: \"https://data.example.org/d/4\", sensitivity: public, api: false}\n")}},
			[]string{".github/docket.yml:25:10: catalog[4].id: catalog id budget is used twice (first at catalog[3]); ids must be unique"}},
		{"default limits above maximum", fstest.MapFS{".github/docket.yml": {Data: []byte(sub(testConfig, "default_limits: {requests_per_day: 1000,", "default_limits: {requests_per_day: 100000,"))}},
			[]string{".github/docket.yml:18:38: keys.default_limits.requests_per_day: is more than keys.max_limits.requests_per_day (50000)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := run(t, tt.fsys)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("findings:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestLayout(t *testing.T) {
	tests := []struct {
		name string
		fsys fstest.MapFS
		want []string
	}{
		{"missing configuration", fstest.MapFS{"requests/.gitkeep": {}},
			[]string{".github/docket.yml:1:1: configuration file is missing; docket needs it to know the staff, the catalog and the key policy"}},
		{"configuration with the other extension", fstest.MapFS{".github/docket.yaml": {Data: []byte(testConfig)}},
			[]string{".github/docket.yml:1:1: configuration file is missing; rename .github/docket.yaml to .github/docket.yml"}},
		{"file directly under requests", files("requests/my-request.yaml", apiRequest),
			[]string{"requests/my-request.yaml:1:1: files cannot sit directly in requests/; put it in a request folder, as requests/<id>/request.yaml"}},
		{"misspelt file name", files("requests/feed/request.yml", apiRequest),
			[]string{"requests/feed/request.yml:1:1: unknown file in a request folder; rename it to request.yaml"}},
		{"capitalised file name", files("requests/feed/Request.yaml", apiRequest),
			[]string{"requests/feed/Request.yaml:1:1: unknown file in a request folder; rename it to request.yaml"}},
		{"file name with .txt added", files("requests/feed/request.yaml.txt", apiRequest),
			[]string{"requests/feed/request.yaml.txt:1:1: unknown file in a request folder; rename it to request.yaml"}},
		{"file name of a second download", files("requests/feed/request (1).yaml", apiRequest),
			[]string{"requests/feed/request (1).yaml:1:1: unknown file in a request folder; rename it to request.yaml"}},
		{"file saved as JSON", files("requests/feed/request.json", apiRequest),
			[]string{"requests/feed/request.json:1:1: unknown file in a request folder; rename it to request.yaml"}},
		{"copy of a decision", files("requests/feed/request.yaml", apiRequest, "requests/feed/decision copy.yml", approved),
			[]string{"requests/feed/decision copy.yml:1:1: unknown file in a request folder; rename it to decision.yaml"}},
		{"other file", files("requests/feed/request.yaml", apiRequest, "requests/feed/notes.md", "hi"),
			[]string{"requests/feed/notes.md:1:1: unknown file in a request folder; a request folder holds only request.yaml, decision.yaml, appeal.yaml, acceptance.yaml, enforcement.yaml"}},
		{"folder in a request folder", files("requests/feed/request.yaml", apiRequest, "requests/feed/data/rows.csv", "a,b"),
			[]string{"requests/feed/data:1:1: folders are not allowed inside a request folder; it holds only request.yaml, decision.yaml, appeal.yaml, acceptance.yaml, enforcement.yaml"}},
		{"bad folder name", files("requests/My_Feed/request.yaml", apiRequest),
			[]string{`requests/My_Feed:1:1: folder name "My_Feed" is not a valid request id: it must use lowercase letters and digits in words joined by single hyphens; write my-feed`}},
		{"folder name too long", files("requests/"+strings.Repeat("a", 65)+"/request.yaml", apiRequest),
			[]string{"requests/" + strings.Repeat("a", 65) + `:1:1: folder name "` + strings.Repeat("a", 65) + `" is not a valid request id: it is 65 characters long; a request id has at most 64`}},
		{"symlink in a request folder", fstest.MapFS{".github/docket.yml": {Data: []byte(testConfig)}, "requests/feed/request.yaml": {Data: []byte("/etc/passwd"), Mode: fs.ModeSymlink}},
			[]string{"requests/feed/request.yaml:1:1: symbolic links are not allowed; commit the file itself"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := run(t, tt.fsys)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("findings:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestFindingsSorted(t *testing.T) {
	got := run(t, files(
		"requests/b/request.yaml", "title: 5\nkind: x\n",
		"requests/a/request.yaml", "kind: dataset\ntitle: 5\n",
	))
	want := []string{
		"requests/a/request.yaml:1:1: data_sharing_agreement: is required but missing",
		"requests/a/request.yaml:1:1: dataset: is required when kind is dataset, but missing",
		"requests/a/request.yaml:1:1: privacy: is required but missing",
		"requests/a/request.yaml:1:1: purpose: is required but missing",
		"requests/a/request.yaml:1:1: requester: is required but missing",
		"requests/a/request.yaml:2:8: title: must be text, not 5; put it in quotes",
		"requests/b/request.yaml:1:1: data_sharing_agreement: is required but missing",
		"requests/b/request.yaml:1:1: privacy: is required but missing",
		"requests/b/request.yaml:1:1: purpose: is required but missing",
		"requests/b/request.yaml:1:1: requester: is required but missing",
		"requests/b/request.yaml:1:8: title: must be text, not 5; put it in quotes",
		`requests/b/request.yaml:2:7: kind: must be one of dataset, api-access, not "x"`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("findings:\n got %q\nwant %q", got, want)
	}
}

// The file system walk must not follow symbolic links, read special files or large files whole.
func TestDiskLayout(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(".github/docket.yml", testConfig)
	write("requests/feed/request.yaml", apiRequest)
	write("requests/big/request.yaml", "title: "+strings.Repeat("x", 2<<20))
	if err := os.Symlink("../feed", filepath.Join(dir, "requests", "linked")); err != nil {
		t.Skip("symbolic links not supported here:", err)
	}
	if err := os.Symlink("/etc/passwd", filepath.Join(dir, "requests", "feed", "decision.yaml")); err != nil {
		t.Fatal(err)
	}
	got := run(t, os.DirFS(dir))
	want := []string{
		"requests/big/request.yaml:1:1: file is 2.0 MiB; the limit is 1 MiB",
		"requests/feed/decision.yaml:1:1: symbolic links are not allowed; commit the file itself",
		"requests/linked:1:1: symbolic links are not allowed under requests/",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("findings:\n got %q\nwant %q", got, want)
	}
}

// A secret pasted where a value belongs is not repeated by the message that quotes the value.
func TestFindingsNeverQuoteSecrets(t *testing.T) {
	key, err := keys.New("kcod")
	if err != nil {
		t.Fatal(err)
	}
	got := run(t, files("requests/feed/request.yaml", sub(apiRequest, "use: analytics", "use: "+key)+key+": 1\n"))
	// A secret in a value or a field name is itself the finding (the file is not read further),
	// and the finding never repeats it.
	want := []string{
		`requests/feed/request.yaml:13:8: purpose.use: contains what looks like an API key issued by docket; remove it from every commit and revoke it, because this repository and its site are public`,
		`requests/feed/request.yaml:19:1: a field name here contains what looks like an API key issued by docket; remove it from every commit and revoke it, because this repository and its site are public`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("findings:\n got %q\nwant %q", got, want)
	}
}

// A lean run keeps of each folder what its caller asked for, and of the files only the sources
// of those with findings, which redaction reads.
func TestLeanDrops(t *testing.T) {
	fsys := files(
		"requests/feed/request.yaml", apiRequest,
		"requests/feed/decision.yaml", approved,
		"requests/slow/request.yaml", sub(apiRequest, "peak_requests_per_second: 2", "peak_requests_per_second: 40"),
	)
	v, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name       string
		opts       Options
		docs, recs bool
	}{
		{"default", Options{Today: today}, true, true},
		{"lean", Options{Today: today, Lean: true}, false, true},
		{"findings only", Options{Today: today, FindingsOnly: true}, false, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, findings, err := v.Repository(fsys, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(findings) != 1 || findings[0].Path != "requests/slow/request.yaml" || len(r.Folders) != 2 {
				t.Fatalf("want one warning on requests/slow/request.yaml in 2 folders, have %v in %d", findings, len(r.Folders))
			}
			feed, slow := r.Folder("feed"), r.Folder("slow")
			for _, f := range feed.Files {
				if (f.Doc != nil) != tt.docs {
					t.Errorf("%s: document kept %v, want %v", f.Path, f.Doc != nil, tt.docs)
				}
				if !f.OK || (f.Value != nil) != tt.recs {
					t.Errorf("%s: OK %v, value kept %v, want OK and %v", f.Path, f.OK, f.Value != nil, tt.recs)
				}
			}
			if (feed.Record.Decision != nil) != tt.recs || feed.Record.ID != "feed" {
				t.Errorf("feed: record %+v, want the decision kept %v", feed.Record, tt.recs)
			}
			if doc := slow.Files[docket.KindRequestFile].Doc; doc == nil || len(doc.Source()) == 0 {
				t.Error("requests/slow/request.yaml has a finding, and its source was dropped")
			}
			if r.ConfigFile.Doc == nil || r.Config == nil {
				t.Error("the configuration was dropped")
			}
		})
	}
}
