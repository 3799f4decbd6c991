package check

import (
	"github.com/opendata-docket/docket/internal/docket/dockettest"
	"github.com/opendata-docket/docket/internal/gitrepo"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/gitrepo/gittest"
	"github.com/opendata-docket/docket/internal/keys"
	"github.com/opendata-docket/docket/internal/validate"
)

// config is the shared configuration (dockettest.Config) with a staff team, for the tests of
// team membership.
var config = strings.Replace(dockettest.Config, "  logins: [staff-ann, staff-bo]\n", "  logins: [staff-ann, staff-bo]\n  team: testorg/open-data\n", 1)

// request is the shared API-access request (dockettest.APIRequest) by login.
func request(login string) string { return dockettest.By(dockettest.APIRequest, login) }

const evaluation = dockettest.Evaluation

func approved(date string) string {
	return `outcome: approved
decided_by: staff-ann
date: ` + date + `
reasons: The data is public and the traffic is small.
` + evaluation + `conditions:
  scopes: [calls-311]
  limits: {requests_per_day: 5000, requests_per_second: 2}
  expires: 2027-03-31
  data_sharing_agreement: false
  terms_version: "2026-01"
`
}

func denied(deadline string) string {
	return `outcome: denied
decided_by: staff-ann
date: 2026-10-01
reasons: The fields asked for identify residents.
reason_code: privacy
` + evaluation + `appeal:
  instructions: Add appeal.yaml to this folder in a pull request.
  deadline: ` + deadline + `
`
}

const needsInfo = `outcome: needs-info
decided_by: staff-bo
date: 2026-10-01
reasons: Which council districts do you need, and how often?
reason_code: incomplete
estimated_review_days: 10
`

func withdrawn(by string) string {
	return "outcome: withdrawn\ndecided_by: " + by + "\ndate: 2026-11-20\n"
}

const appeal = "date: 2026-11-25\ngrounds: Block-level counts are enough for our study.\n"

const warning = `actions:
  - action: warning
    date: 2026-06-01
    by: staff-bo
    reason: Traffic far above the limit for a week.
`

const suspension = warning + `  - action: suspension
    date: 2026-07-01
    until: 2026-07-31
    by: staff-bo
    reason: Traffic stayed above the limit after the warning.
`

var base = gittest.Text(
	".github/docket.yml", config,
	"README.md", "# Requests\n",
	"requests/open/request.yaml", request("rita"),
	"requests/asked/request.yaml", request("rita"),
	"requests/asked/decision.yaml", needsInfo,
	"requests/granted/request.yaml", request("rita"),
	"requests/granted/decision.yaml", approved("2026-04-01"),
	"requests/refused/request.yaml", request("dan"),
	"requests/refused/decision.yaml", denied("2026-12-20"),
	"requests/too-late/request.yaml", request("dan"),
	"requests/too-late/decision.yaml", denied("2026-11-01"),
	"requests/warned/request.yaml", request("rita"),
	"requests/warned/decision.yaml", approved("2026-04-01"),
	"requests/warned/enforcement.yaml", warning,
	"requests/appealed/request.yaml", request("dan"),
	"requests/appealed/decision.yaml", denied("2026-12-20"),
	"requests/appealed/appeal.yaml", "date: 2026-11-20\ngrounds: Block-level counts are enough for our study.\n",
)

var today = docket.MustDate("2026-11-27")

// run commits base on main and head on a branch from it, and checks the branch as actor.
func run(t *testing.T, head gittest.Snapshot, actor string, opts Options) *Result {
	t.Helper()
	return runOn(t, base, head, actor, opts)
}

func runOn(t *testing.T, base, head gittest.Snapshot, actor string, opts Options) *Result {
	t.Helper()
	r := gittest.Memory()
	t0 := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	b, err := gittest.Commit(r, "main", base, t0, "base")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gittest.Commit(r, "pr", head, t0.Add(time.Hour), "change", b.Hash); err != nil {
		t.Fatal(err)
	}
	v := newValidator(t)
	opts.Base, opts.Head, opts.Actor, opts.Today = "main", "pr", actor, today
	res, err := Run(gitrepo.Wrap(r), v, opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func newValidator(t *testing.T) *validate.Validator {
	t.Helper()
	v, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func errorsOf(res *Result) []string {
	var out []string
	for _, f := range res.Findings {
		if f.Severity == docket.Error {
			out = append(out, f.String())
		}
	}
	return out
}

func TestPolicy(t *testing.T) {
	key, err := keys.New("test")
	if err != nil {
		t.Fatal(err)
	}
	belongs := func(p, owner string) string {
		return p + ":1:1: this request belongs to @" + owner + "; only they or staff may change its files. To ask for something yourself, open a new request in a folder of your own"
	}
	const deleted = ":1:1: files under requests/ are the public record and cannot be deleted or renamed; to change a request, edit it, or withdraw it with a decision of outcome withdrawn"
	tests := []struct {
		name  string
		actor string
		head  gittest.Snapshot
		opts  Options
		want  []string // error findings; nil means allowed
	}{
		// Adding a request.
		{"anyone adds a request as themselves", "maria", base.With("requests/bus-feed/request.yaml", request("maria")), Options{}, nil},
		{"logins ignore case", "Maria", base.With("requests/bus-feed/request.yaml", request("maria")), Options{}, nil},
		{"a request must name its author", "maria", base.With("requests/bus-feed/request.yaml", request("rita")), Options{},
			[]string{"requests/bus-feed/request.yaml:4:11: requester.github: names rita, but this pull request is by maria; a request must name its own author, so write maria here"}},
		{"staff may file on someone's behalf", "staff-ann", base.With("requests/bus-feed/request.yaml", request("maria")), Options{}, nil},
		{"an id taken by another open pull request", "maria", base.With("requests/bus-feed/request.yaml", request("maria")), Options{Claims: []Claim{claim("bus-feed", 12, "rita", request("rita"))}},
			[]string{"requests/bus-feed/request.yaml:1:1: the id bus-feed is already taken by pull request #12; rename your folder to another id"}},
		{"an id that exists on the base branch", "maria", base.With("requests/open/request.yaml", request("maria")), Options{},
			[]string{belongs("requests/open/request.yaml", "rita")}},

		// Editing a request.
		{"the requester edits a request without a decision", "rita", base.With("requests/open/request.yaml", strings.Replace(request("rita"), "2000", "3000", 1)), Options{}, nil},
		{"the requester answers questions", "rita", base.With("requests/asked/request.yaml", strings.Replace(request("rita"), "2000", "3000", 1)), Options{}, nil},
		{"the requester edits a decided request", "rita", base.With("requests/granted/request.yaml", strings.Replace(request("rita"), "2000", "3000", 1)), Options{},
			[]string{"requests/granted/request.yaml:1:1: this request can no longer be edited: it is approved; ask staff in a comment, or open a new request"}},
		{"the requester hands the request to someone else", "rita", base.With("requests/open/request.yaml", request("maria")), Options{},
			[]string{"requests/open/request.yaml:4:11: requester.github: cannot be changed: a request stays with the person who made it"}},
		{"someone edits another requester's request", "mallory", base.With("requests/open/request.yaml", strings.Replace(request("rita"), "2000", "3000", 1)), Options{},
			[]string{belongs("requests/open/request.yaml", "rita")}},
		{"staff edit any request", "staff-bo", base.With("requests/granted/request.yaml", strings.Replace(request("rita"), "2000", "3000", 1)), Options{}, nil},

		// Decisions.
		{"a requester approves their own request", "rita", base.With("requests/open/decision.yaml", strings.Replace(approved("2026-11-20"), "staff-ann", "rita", 1)), Options{},
			[]string{"requests/open/decision.yaml:1:10: outcome: only staff may decide requests; you may withdraw your own request with outcome: withdrawn and decided_by: rita"}},
		{"a requester approves their own request, asking the team", "rita", base.With("requests/open/decision.yaml", strings.Replace(approved("2026-11-20"), "staff-ann", "rita", 1)),
			Options{TeamMember: func(team, login string) (bool, error) { return false, nil }},
			[]string{
				"requests/open/decision.yaml:1:10: outcome: only staff may decide requests; you may withdraw your own request with outcome: withdrawn and decided_by: rita",
				"requests/open/decision.yaml:2:13: decided_by: rita is not staff: neither in staff.logins in .github/docket.yml nor a member of the team testorg/open-data",
			}},
		{"someone decides another requester's request", "mallory", base.With("requests/open/decision.yaml", approved("2026-11-20")), Options{},
			[]string{belongs("requests/open/decision.yaml", "rita")}},
		{"the requester withdraws an open request", "rita", base.With("requests/open/decision.yaml", withdrawn("rita")), Options{}, nil},
		{"the requester withdraws while asked for information", "rita", base.With("requests/asked/decision.yaml", withdrawn("rita")), Options{}, nil},
		{"the requester withdraws an approved request", "rita", base.With("requests/granted/decision.yaml", withdrawn("rita")), Options{},
			[]string{"requests/granted/decision.yaml:1:10: outcome: this request is approved and can no longer be withdrawn; ask staff in a comment"}},
		{"staff decide", "staff-bo", base.With("requests/open/decision.yaml", approved("2026-11-20")), Options{}, nil},
		{"staff decide again later", "staff-bo", base.With("requests/asked/decision.yaml", approved("2026-11-20")), Options{}, nil},
		{"staff rewrite a merged decision", "staff-bo", base.With("requests/granted/decision.yaml", strings.Replace(approved("2026-04-01"), "5000", "9000", 1)), Options{},
			[]string{"requests/granted/decision.yaml:3:7: date: this rewrites the decision of 2026-04-01 that is already merged; a change of decision is a new decision with a later date (git keeps the earlier one)"}},
		{"a team member decides", "carol", base.With("requests/open/decision.yaml", strings.Replace(approved("2026-11-20"), "staff-ann", "carol", 1)),
			Options{TeamMember: func(team, login string) (bool, error) { return login == "carol", nil }}, nil},

		// Appeals.
		{"the requester appeals a denial in time", "dan", base.With("requests/refused/appeal.yaml", appeal), Options{}, nil},
		{"the requester appeals too late", "dan", base.With("requests/too-late/appeal.yaml", strings.Replace(appeal, "2026-11-25", "2026-10-25", 1)), Options{},
			[]string{"requests/too-late/appeal.yaml:1:1: the deadline to appeal was 2026-11-01; contact Director of IT if there is a reason it could not be filed in time"}},
		{"the requester appeals an approval", "rita", base.With("requests/granted/appeal.yaml", appeal), Options{},
			[]string{
				"requests/granted/appeal.yaml:1:1: an appeal can only follow a denial that is not final, and this request is approved",
				"requests/granted/appeal.yaml:1:1: an appeal can only follow a denial; the decision on this request is approved",
			}},
		{"someone appeals another requester's denial", "mallory", base.With("requests/refused/appeal.yaml", appeal), Options{},
			[]string{belongs("requests/refused/appeal.yaml", "dan")}},

		// Enforcement.
		{"staff add an enforcement action", "staff-bo", base.With("requests/warned/enforcement.yaml", suspension), Options{}, nil},
		{"staff rewrite a past action", "staff-bo", base.With("requests/warned/enforcement.yaml", strings.Replace(suspension, "Traffic far above", "Traffic well above", 1)), Options{},
			[]string{"requests/warned/enforcement.yaml:2:3: actions: changes or removes an action already merged (actions[1] of 2026-06-01); past actions stay as they are (only the outcome of a request for remediation or removal may be added), so add a new action at the end"}},
		{"the key holder edits their enforcement history", "rita", base.With("requests/warned/enforcement.yaml", suspension), Options{},
			[]string{"requests/warned/enforcement.yaml:1:1: only staff may record enforcement actions"}},

		// Deleting and renaming.
		{"the requester deletes their folder", "rita", base.Without("requests/open"), Options{}, []string{"requests/open/request.yaml" + deleted}},
		{"staff delete a decision", "staff-ann", base.Without("requests/granted/decision.yaml"), Options{}, []string{"requests/granted/decision.yaml" + deleted}},
		{"a folder is renamed", "rita", base.Without("requests/open").With("requests/opened/request.yaml", request("rita")), Options{}, []string{"requests/open/request.yaml" + deleted}},

		// Outside requests/.
		{"a change outside requests/ is allowed", "maria", base.With("README.md", "# Requests\n\nMore words.\n"), Options{}, nil},
		{"a configuration change is allowed and checks everything", "maria", base.With(".github/docket.yml", strings.Replace(config, "staff-bo]", "staff-bo, maria]", 1)), Options{}, nil},

		// What may never be committed.
		{"a symbolic link", "maria", base.With("requests/bus-feed/request.yaml", request("maria")).WithFile("requests/bus-feed/decision.yaml", gittest.File{Data: "../granted/decision.yaml", Mode: filemode.Symlink}), Options{},
			[]string{
				"requests/bus-feed/decision.yaml:1:1: only staff may write decisions; to withdraw your request, write outcome: withdrawn and decided_by: maria",
				"requests/bus-feed/decision.yaml:1:1: symbolic links are not allowed; commit the file itself",
			}},
		{"a symbolic link named like the site's folder", "mallory", base.WithFile("_site", gittest.File{Data: ".", Mode: filemode.Symlink}).With(".docket-site", "x"), Options{},
			[]string{"_site:1:1: symbolic links are not allowed anywhere in this repository; commit the file itself (git rm --cached _site)"}},
		{"a symbolic link deep outside requests/", "mallory", base.WithFile("docs/a/b/link", gittest.File{Data: "../../../.git", Mode: filemode.Symlink}), Options{},
			[]string{"docs/a/b/link:1:1: symbolic links are not allowed anywhere in this repository; commit the file itself (git rm --cached docs/a/b/link)"}},
		{"a staff member's symbolic link", "staff-ann", base.WithFile(".github/workflows", gittest.File{Data: "/tmp", Mode: filemode.Symlink}), Options{},
			[]string{".github/workflows:1:1: symbolic links are not allowed anywhere in this repository; commit the file itself (git rm --cached .github/workflows)"}},
		{"a submodule", "maria", base.WithFile("vendor/thing", gittest.File{Mode: filemode.Submodule, Submodule: plumbing.NewHash("0123456789012345678901234567890123456789")}), Options{},
			[]string{"vendor/thing:1:1: submodules are not allowed; remove it with git rm --cached vendor/thing"}},
		{"a submodule under requests/", "maria", base.With("requests/bus-feed/request.yaml", request("maria")).WithFile("requests/bus-feed/sub", gittest.File{Mode: filemode.Submodule, Submodule: plumbing.NewHash("0123456789012345678901234567890123456789")}), Options{},
			[]string{
				"requests/bus-feed/sub:1:1: submodules are not allowed; remove it with git rm --cached requests/bus-feed/sub",
				"requests/bus-feed/sub:1:1: unknown file in a request folder; a request folder holds only request.yaml, decision.yaml, appeal.yaml, acceptance.yaml, enforcement.yaml",
			}},
		{"an executable request", "maria", base.WithFile("requests/bus-feed/request.yaml", gittest.File{Data: request("maria"), Mode: filemode.Executable}), Options{},
			[]string{"requests/bus-feed/request.yaml:1:1: files under requests/ must not be executable; remove the executable bit (git update-index --chmod=-x requests/bus-feed/request.yaml)"}},
		{"a binary file", "maria", base.With("requests/bus-feed/request.yaml", request("maria"), "requests/bus-feed/photo.png", "\x89PNG\r\n\x1a\n\x00\x00"), Options{},
			[]string{
				"requests/bus-feed/photo.png:1:1: binary files are not allowed under requests/; a request folder holds only YAML text files",
				"requests/bus-feed/photo.png:1:1: unknown file in a request folder; a request folder holds only request.yaml, decision.yaml, appeal.yaml, acceptance.yaml, enforcement.yaml",
			}},
		{"an API key in a request", "maria", base.With("requests/bus-feed/request.yaml", request("maria")+"# my key: "+key+"\n"), Options{},
			[]string{"requests/bus-feed/request.yaml:19:11: this line contains what looks like an API key issued by docket; remove it from every commit of this pull request and revoke it, because a secret pushed to git stays in its history"}},
		{"a file directly under requests/", "mallory", base.With("requests/evil.txt", "hello"), Options{},
			[]string{"requests/evil.txt:1:1: files cannot sit directly in requests/; put it in a request folder, as requests/<id>/request.yaml"}},
		{"a control character in a file name", "mallory", base.With("docs/a\nb.md", "hello"), Options{},
			[]string{"docs/a\nb.md:1:1: file names may not contain control characters or line breaks; rename the file"}},
		{"the requester rewrites a merged appeal", "dan", base.With("requests/appealed/appeal.yaml", strings.Replace(appeal, "Block-level", "Street-level", 1)), Options{},
			[]string{"requests/appealed/appeal.yaml:1:1: the appeal filed on 2026-11-20 is part of the record and cannot be changed; add to it in a comment on the pull request"}},
		{"a key in a value is said once, for the pull request", "maria", base.With("requests/bus-feed/request.yaml", strings.Replace(request("maria"), "use: analytics", "use: "+key, 1)), Options{},
			[]string{
				"requests/bus-feed/request.yaml:13:8: this line contains what looks like an API key issued by docket; remove it from every commit of this pull request and revoke it, because a secret pushed to git stays in its history",
			}},
		{"a GitHub token in the README", "maria", base.With("README.md", "# Requests\ntoken = ghp_"+strings.Repeat("x1Y2", 9)+"\n"), Options{},
			[]string{"README.md:2:9: this line contains what looks like a GitHub token; remove it from every commit of this pull request and revoke it, because a secret pushed to git stays in its history"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := run(t, tt.head, tt.actor, tt.opts)
			got := errorsOf(res)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("errors:\n got %q\nwant %q", got, tt.want)
			}
			for _, f := range res.Findings {
				if strings.Contains(f.Message, key) || strings.Contains(f.Message, "x1Y2") {
					t.Errorf("a finding repeats the secret: %v", f)
				}
			}
		})
	}
}

// A folder whose request on the base branch is not valid cannot be claimed by someone else.
func TestInvalidBaseFailsClosed(t *testing.T) {
	broken := base.With("requests/broken/request.yaml", strings.Replace(request("rita"), "data_sharing_agreement: true\n", "", 1))
	res := runOn(t, broken, broken.With("requests/broken/request.yaml", request("mallory")), "mallory", Options{})
	want := []string{"requests/broken/request.yaml:1:1: the files of this request on the base branch are not valid, so docket cannot tell whose it is or where it stands; only staff may change it until they are fixed"}
	if got := errorsOf(res); !reflect.DeepEqual(got, want) {
		t.Errorf("errors:\n got %q\nwant %q", got, want)
	}
	// Staff may repair it.
	if res := runOn(t, broken, broken.With("requests/broken/request.yaml", request("rita")), "staff-ann", Options{}); !res.OK() {
		t.Errorf("staff could not repair the request: %v", res.Findings)
	}
}

// A secret added by one commit and removed by the next stays in the history merging brings in.
func TestSecretInAnEarlierCommit(t *testing.T) {
	r := gittest.Memory()
	t0 := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	b, _ := gittest.Commit(r, "main", base, t0, "base")
	token := "ghp_" + strings.Repeat("x1Y2", 9)
	c1, _ := gittest.Commit(r, "", base.With("README.md", "# Requests\ntoken = "+token+"\n"), t0.Add(time.Hour), "oops", b.Hash)
	if _, err := gittest.Commit(r, "pr", base.With("README.md", "# Requests\nno token\n"), t0.Add(2*time.Hour), "remove", c1.Hash); err != nil {
		t.Fatal(err)
	}
	res, err := Run(gitrepo.Wrap(r), newValidator(t), Options{Base: "main", Head: "pr", Actor: "maria", Today: today})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"README.md:1:1: commit " + c1.Hash.String()[:12] + " added what looks like a GitHub token on line 2; a later commit removed it, but it stays in the history merging would bring in: rewrite the branch without it (or open a new pull request) and revoke it"}
	if got := errorsOf(res); !reflect.DeepEqual(got, want) {
		t.Errorf("errors:\n got %q\nwant %q", got, want)
	}
}

// Criss-cross merges can hide a change from a diff against any one merge base; check refuses.
func TestCrissCrossIsRefused(t *testing.T) {
	r := gittest.Memory()
	t0 := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	m0, _ := gittest.Commit(r, "", base, t0, "m0")
	p1, _ := gittest.Commit(r, "", base.With("README.md", "p1"), t0.Add(time.Hour), "p1", m0.Hash)
	c, _ := gittest.Commit(r, "", base.With("requests/warned/enforcement.yaml", suspension), t0.Add(2*time.Hour), "c", m0.Hash)
	if _, err := gittest.Commit(r, "main", base.With("README.md", "p1", "requests/warned/enforcement.yaml", suspension), t0.Add(3*time.Hour), "merge", p1.Hash, c.Hash); err != nil {
		t.Fatal(err)
	}
	attack, _ := gittest.Commit(r, "", base.With("README.md", "p1"), t0.Add(4*time.Hour), "drop c", p1.Hash, c.Hash)
	if _, err := gittest.Commit(r, "pr", base.With("README.md", "p1", "requests/bus-feed/request.yaml", request("maria")), t0.Add(5*time.Hour), "mine", attack.Hash); err != nil {
		t.Fatal(err)
	}
	_, err := Run(gitrepo.Wrap(r), newValidator(t), Options{Base: "main", Head: "pr", Actor: "maria", Today: today})
	if err == nil || !strings.Contains(err.Error(), "more than one common ancestor") {
		t.Errorf("Run = %v, want the criss-cross refusal", err)
	}
}
