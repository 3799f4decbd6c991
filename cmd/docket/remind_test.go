package main

import (
	"bytes"
	"context"
	"fmt"
	"github.com/opendata-docket/docket/internal/docket/dockettest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/gitrepo/gittest"
	"github.com/opendata-docket/docket/internal/history"
	"github.com/opendata-docket/docket/internal/validate"
	"github.com/opendata-docket/docket/internal/website"
)

// remindRequest is the shared API-access request by login, for a dataset of the repository's
// own catalog (remindRepo uses its configuration).
func remindRequest(login string) string {
	return strings.Replace(dockettest.By(dockettest.APIRequest, login), "[calls-311]", "[kcmo-311-service-requests]", 1)
}

const remindEvaluation = dockettest.Evaluation

// remindRepo is a docket with history: four requests, each merged on its own day. waiting
// (pull request #50) gets no answer; refused (#51) is denied with an appeal deadline of
// 2026-12-01; expiring (#52) has a key that expires on 2026-12-15; orphan came in by a commit
// of no pull request. It returns the folder.
func remindRepo(t *testing.T, g *intakeGitHub) string {
	dir := t.TempDir()
	cfg, err := os.ReadFile(filepath.Join("..", "..", ".github", "docket.yml"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := gittest.Disk(dir)
	if err != nil {
		t.Fatal(err)
	}
	snap := gittest.Text(".github/docket.yml", string(cfg))
	var parent []string
	for i, step := range []struct {
		id    string
		files []string
		pr    int
	}{
		{"waiting", []string{"request.yaml", remindRequest("req-wes")}, 50},
		{"refused", []string{"request.yaml", remindRequest("req-dan"), "decision.yaml", "outcome: denied\ndecided_by: kc-opendata-lee\ndate: 2026-11-02\nreason_code: privacy\nreasons: The records name the people who called.\n" + remindEvaluation + "appeal:\n  instructions: Add appeal.yaml in a pull request by the deadline.\n  deadline: 2026-12-01\n"}, 51},
		{"expiring", []string{"request.yaml", remindRequest("req-rita"), "decision.yaml", "outcome: approved\ndecided_by: kc-opendata-lee\ndate: 2026-11-03\nreasons: The data is public and the traffic is small.\n" + remindEvaluation + "conditions:\n  scopes: [kcmo-311-service-requests]\n  limits: {requests_per_day: 5000, requests_per_second: 2}\n  expires: 2026-12-15\n  data_sharing_agreement: false\n  terms_version: \"2026-01\"\n", "acceptance.yaml", "accepted_by: req-rita\ndate: 2026-11-04\nterms_version: \"2026-01\"\ndata_sharing_agreement: false\n"}, 52},
		{"orphan", []string{"request.yaml", remindRequest("req-ola")}, 0},
	} {
		for j := 0; j < len(step.files); j += 2 {
			snap = snap.With("requests/"+step.id+"/"+step.files[j], step.files[j+1])
		}
		var parents []plumbing.Hash
		if len(parent) > 0 {
			parents = append(parents, plumbing.NewHash(parent[len(parent)-1]))
		}
		c, err := gittest.Commit(r, "master", snap, time.Date(2026, 11, i+1, 15, 0, 0, 0, time.UTC), "merge "+step.id, parents...)
		if err != nil {
			t.Fatal(err)
		}
		parent = append(parent, c.Hash.String())
		if step.pr > 0 {
			g.commitPulls[c.Hash.String()] = fmt.Sprintf(`[{"number": %d, "merged_at": "2026-11-0%dT15:00:00Z", "merge_commit_sha": %q}]`, step.pr, i+1, c.Hash.String())
		}
	}
	for p, f := range snap {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, p), []byte(f.Data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func runRemindCmd(t *testing.T, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"remind"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

// Each milestone is posted once, ever, on the pull request that brought the request in; a
// request with no pull request goes to the one tracking issue. A second run the same day
// writes nothing; a later day posts only the milestones reached since.
func TestRemindPostsEachMilestoneOnce(t *testing.T) {
	g := newIntakeGitHub(t)
	dir := remindRepo(t, g)

	code, stdout, stderr := runRemindCmd(t, "--repo", dir, "--as-of", "2026-11-27")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	want := `docket: 4 reminders due as of 2026-11-27
waiting: no first response, due 2026-11-06
    This request has waited 26 days without a first response; staff aim to give one within 5 days.
    posted on pull request #50
orphan: no first response, due 2026-11-09
    This request has waited 23 days without a first response; staff aim to give one within 5 days.
    in the tracking issue
refused: the time to appeal ends on 2026-12-01
    The time to appeal this denial ends on 2026-12-01 (4 days from 2026-11-27). To appeal, add appeal.yaml to the request's folder in a pull request, as the decision explains.
    posted on pull request #51
expiring: the API key expires on 2026-12-15
    The API key of this request expires on 2026-12-15 (18 days from 2026-11-27). To keep access, open a new request before then.
    posted on pull request #52
docket: tracking issue #900: created
`
	if stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}
	if w := strings.Join(g.takeWrites(), "\n"); w != "POST /issues/50/comments\nPOST /issues/51/comments\nPOST /issues/52/comments\nPOST /issues" {
		t.Errorf("writes:\n%s", w)
	}
	if c := g.comments[51][0]["body"].(string); !strings.HasPrefix(c, "<!-- docket:remind refused appeal-deadline-2026-12-01 -->\n@req-dan **Service reminder** (2026-11-27): The time to appeal this denial ends on 2026-12-01") ||
		!strings.Contains(c, "Where the request stands: https://opendata-docket.github.io/docket/requests/refused/\n") {
		t.Errorf("comment on #51:\n%s", c)
	}
	if c := g.comments[50][0]["body"].(string); strings.Contains(c, "@") {
		t.Errorf("a reminder for staff mentions someone:\n%s", c)
	}
	if is := g.issues[900]; is["title"] != "Service reminders: 1 item due" || !strings.Contains(is["body"].(string), "- `orphan`: no first response, due 2026-11-09, https://opendata-docket.github.io/docket/requests/orphan/\n") {
		t.Errorf("tracking issue %v", is)
	}

	// Again the same day: everything is already posted, and the issue says the same.
	if code, stdout, _ := runRemindCmd(t, "--repo", dir, "--as-of", "2026-11-27"); code != 0 || strings.Count(stdout, "already posted on pull request") != 3 || !strings.Contains(stdout, "docket: tracking issue #900: unchanged\n") {
		t.Errorf("exit %d\n%s", code, stdout)
	}
	if w := g.takeWrites(); len(w) != 0 {
		t.Errorf("a second run wrote %v", w)
	}

	// Days later: waiting and orphan pass the decision target too; that alone is new.
	if code, stdout, stderr := runRemindCmd(t, "--repo", dir, "--as-of", "2026-12-05"); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if w := strings.Join(g.takeWrites(), "\n"); w != "POST /issues/50/comments\nPATCH /issues/900" {
		t.Errorf("writes:\n%s", w)
	}
	if c := g.comments[50]; len(c) != 2 || !strings.HasPrefix(c[1]["body"].(string), "<!-- docket:remind waiting decision -->\n") {
		t.Errorf("comments on #50: %v", c)
	}

}

// With --tracking-issue every milestone is in the one issue and no request is commented on.
func TestRemindTrackingIssue(t *testing.T) {
	g := newIntakeGitHub(t)
	dir := remindRepo(t, g)
	// A dry run first: it says what it would do, with the issue's text, and writes nothing.
	code, stdout, _ := runRemindCmd(t, "--repo", dir, "--as-of", "2026-11-27", "--tracking-issue", "--dry-run")
	if code != 0 || !strings.Contains(stdout, "docket: tracking issue: would be created\n\n<!-- docket:remind-tracking -->\n") || strings.Contains(stdout, "pull request #") {
		t.Errorf("exit %d\n%s", code, stdout)
	}
	if w := g.takeWrites(); len(w) != 0 {
		t.Errorf("a dry run wrote %v", w)
	}
	if code, stdout, stderr := runRemindCmd(t, "--repo", dir, "--as-of", "2026-11-27", "--tracking-issue"); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if w := strings.Join(g.takeWrites(), "\n"); w != "POST /issues" {
		t.Errorf("writes:\n%s", w)
	}
	if is := g.issues[900]; is["title"] != "Service reminders: 4 items due" {
		t.Errorf("tracking issue %v", is)
	}
}

// On the sample data, the reminders of targets missed are exactly the requests the site lists
// as overdue, from the same service clock.
func TestRemindSampleDataMatchesTheSite(t *testing.T) {
	t.Setenv("GITHUB_TOKEN", "")
	root := filepath.Join("..", "..")
	if _, err := history.Read(root); err != nil {
		t.Skipf("the repository's history is not available: %v", err)
	}
	for _, day := range []string{"2026-11-29", "2026-12-20", "2027-01-15"} {
		code, stdout, stderr := runRemindCmd(t, "--repo", root, "--as-of", day, "--dry-run")
		if code != 0 {
			t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
		}
		var reminded []string
		for _, l := range strings.Split(stdout, "\n") {
			if id, rest, ok := strings.Cut(l, ": no "); ok && !strings.HasPrefix(l, " ") && (strings.HasPrefix(rest, "first response") || strings.HasPrefix(rest, "decision")) {
				if !slices.Contains(reminded, id) {
					reminded = append(reminded, id)
				}
			}
		}
		var overdue []string
		for _, e := range sampleEntries(t, root, day) {
			if e.Overdue != "" {
				overdue = append(overdue, e.ID)
			}
		}
		slices.Sort(reminded)
		slices.Sort(overdue)
		if !slices.Equal(reminded, overdue) {
			t.Errorf("%s: reminded %v, the site lists as overdue %v\n%s", day, reminded, overdue, stdout)
		}
		if day == "2026-11-29" && len(overdue) == 0 {
			t.Errorf("%s: nothing overdue in the sample data; the test proves nothing", day)
		}
	}
}

func sampleEntries(t *testing.T, root, day string) []*website.Entry {
	t.Helper()
	today := docket.MustDate(day)
	v, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	r, _, err := v.Repository(os.DirFS(root), validate.Options{Today: today})
	if err != nil {
		t.Fatal(err)
	}
	h, err := history.Read(root)
	if err != nil {
		t.Fatal(err)
	}
	es, _ := website.Entries(&website.Input{Repo: r, Files: os.DirFS(root), History: h, AsOf: today})
	return es
}
