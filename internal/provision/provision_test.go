package provision

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"filippo.io/age"
	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/keys"
	"github.com/opendata-docket/docket/internal/registry"
	"github.com/opendata-docket/docket/internal/seal"
	"github.com/opendata-docket/docket/internal/state"
)

var (
	today   = docket.MustDate("2026-11-27")
	decided = docket.MustDate("2026-11-20")
	policy  = docket.KeyPolicy{Prefix: "test", MaxLifetimeDays: 365}
)

// world is a docket and the age identity its requesters read their keys with.
type world struct {
	t       testing.TB
	id      *age.X25519Identity
	cfg     *docket.Config
	records []*docket.Record
}

func newWorld(t testing.TB, ids ...string) *world {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, id: id, cfg: &docket.Config{Keys: policy}}
	for _, rid := range ids {
		w.records = append(w.records, w.approved(rid))
	}
	return w
}

// approved is an approved api-access request of the requester req-<id>.
func (w *world) approved(id string) *docket.Record {
	return &docket.Record{
		ID: id,
		Request: &docket.Request{Kind: docket.KindAPIAccess, Requester: docket.Requester{GitHub: "req-" + id},
			Delivery: &docket.Delivery{AgeRecipient: w.id.Recipient().String()}},
		Decision: &docket.Decision{Outcome: docket.OutcomeApproved, Date: decided, Conditions: &docket.Conditions{
			Scopes: []string{"calls-311"}, Limits: docket.Limits{RequestsPerDay: 5000, RequestsPerSecond: 2},
			Expires: decided.AddDays(300), TermsVersion: "2026-01"}},
		Acceptance: &docket.Acceptance{AcceptedBy: "req-" + id, Date: decided.AddDays(1), TermsVersion: "2026-01"},
	}
}

func (w *world) record(id string) *docket.Record {
	for _, r := range w.records {
		if r.ID == id {
			return r
		}
	}
	w.t.Fatalf("no record %s", id)
	return nil
}

func recipientsOf(rec *docket.Record) ([]seal.Recipient, string, error) {
	if rec.Request.Delivery == nil {
		return nil, "no recipient", nil
	}
	r, err := seal.AgeRecipient(rec.Request.Delivery.AgeRecipient)
	if err != nil {
		return nil, "", err
	}
	return []seal.Recipient{r}, "", nil
}

func (w *world) plan(reg *registry.Registry, day docket.Date, leaked map[string]string) *Plan {
	w.t.Helper()
	p, err := Compute(Input{Config: w.cfg, Records: w.records, Registry: reg, Today: day, Recipients: recipientsOf, Leaked: leaked})
	if err != nil {
		w.t.Fatal(err)
	}
	return p
}

func lines(p *Plan) string { return strings.Join(p.Lines(), "\n") }

func key(id, request string, st registry.Status) *registry.Key {
	k, _ := keys.New("test")
	out := &registry.Key{ID: id, Request: request, SHA256: keys.Hash(k), Scopes: []string{"calls-311"},
		Limits: docket.Limits{RequestsPerDay: 5000, RequestsPerSecond: 2}, Status: st, NotAfter: decided.AddDays(300),
		Created: decided, Changed: decided, Delivery: registry.Delivery{Ciphertext: "-----BEGIN AGE ENCRYPTED FILE-----\n"}}
	if st != registry.StatusPending {
		out.Delivery.Delivered = &registry.Delivered{Date: decided, Via: registry.ViaFile, File: id + ".age"}
	}
	return out
}

func TestComputeIssues(t *testing.T) {
	w := newWorld(t, "bus-feed")
	w.records = append(w.records, &docket.Record{ID: "submitted", Request: &docket.Request{Kind: docket.KindAPIAccess}})
	p := w.plan(registry.New(), today, nil)
	want := "+ issue     bus-feed-1: for @req-bus-feed: calls-311; 5000 calls a day, 2 a second; until 2027-09-16; encrypted to the age key " +
		w.id.Recipient().String() + " (the approval of 2026-11-20 is in force)"
	if got := lines(p); got != want {
		t.Errorf("plan:\n%s\nwant:\n%s", got, want)
	}
	// A request without anyone to encrypt to waits, and says why.
	w.record("bus-feed").Request.Delivery = nil
	p = w.plan(registry.New(), today, nil)
	if got := lines(p); got != "  wait      bus-feed: no recipient" || len(p.Changes) != 0 {
		t.Errorf("plan without a recipient:\n%s", got)
	}
}

// The key policy's lifetime caps the decision's expiry.
func TestNotAfterIsCapped(t *testing.T) {
	d := &docket.Decision{Date: decided, Conditions: &docket.Conditions{Expires: decided.AddDays(400)}}
	if got := NotAfter(d, policy); !got.Equal(decided.AddDays(365)) {
		t.Errorf("NotAfter = %s", got)
	}
	d.Conditions.Expires = decided.AddDays(10)
	if got := NotAfter(d, policy); !got.Equal(decided.AddDays(10)) {
		t.Errorf("NotAfter = %s", got)
	}
}

func TestComputeFollowsEnforcementAndDecisions(t *testing.T) {
	w := newWorld(t, "suspended", "revoked", "expired", "denied", "updated", "reinstated", "pending", "fine")
	reg := registry.New()
	for _, id := range []string{"suspended", "revoked", "expired", "denied", "updated", "fine", "gone"} {
		reg.Keys = append(reg.Keys, key(id+"-1", id, registry.StatusActive))
	}
	reg.Keys = append(reg.Keys, key("reinstated-1", "reinstated", registry.StatusSuspended), key("pending-1", "pending", registry.StatusPending))
	act := func(a docket.Action, date, until string) docket.EnforcementAction {
		out := docket.EnforcementAction{Action: a, Date: docket.MustDate(date), By: "staff-ann", Reason: "because"}
		if until != "" {
			out.Until = docket.MustDate(until)
		}
		return out
	}
	w.record("suspended").Enforcement = &docket.Enforcement{Actions: []docket.EnforcementAction{act(docket.ActionWarning, "2026-11-21", ""), act(docket.ActionSuspension, "2026-11-22", "2026-12-31")}}
	w.record("revoked").Enforcement = &docket.Enforcement{Actions: []docket.EnforcementAction{act(docket.ActionRevocation, "2026-11-23", "")}}
	w.record("reinstated").Enforcement = &docket.Enforcement{Actions: []docket.EnforcementAction{act(docket.ActionSuspension, "2026-11-22", "2026-12-31"), act(docket.ActionReinstatement, "2026-11-26", "")}}
	w.record("expired").Decision.Conditions.Expires = docket.MustDate("2026-11-26")
	w.record("denied").Decision = &docket.Decision{Outcome: docket.OutcomeDenied, Date: docket.MustDate("2026-11-25")}
	u := w.record("updated").Decision.Conditions
	u.Limits.RequestsPerDay, u.Scopes = 8000, []string{"calls-311", "permits"}
	want := strings.Join([]string{
		"- suspend   suspended-1: suspension of 2026-11-22 by staff-ann, until 2026-12-31",
		"- revoke    revoked-1: revocation of 2026-11-23 by staff-ann",
		"- expire    expired-1: its last day was 2026-11-26",
		"- revoke    denied-1: the decision of 2026-11-25 is denied",
		"~ update    updated-1: scopes calls-311 → calls-311, permits; 5000 → 8000 calls a day",
		"+ reinstate reinstated-1: reinstatement of 2026-11-26 by staff-ann",
		"> deliver   pending-1: issued on 2026-11-20 and not delivered yet",
		"- revoke    gone-1: the request is no longer in the repository",
	}, "\n")
	p := w.plan(reg, today, nil)
	if got := lines(p); got != want {
		t.Errorf("plan:\n%s\nwant:\n%s", got, want)
	}
	if p.Removals() != 4 {
		t.Errorf("Removals = %d, want 4 (suspend and three revocations)", p.Removals())
	}
	// A suspension that has ended reinstates the key without a reinstatement action.
	reg = registry.New()
	reg.Keys = append(reg.Keys, key("suspended-1", "suspended", registry.StatusSuspended))
	w.records = []*docket.Record{w.record("suspended")}
	if got := lines(w.plan(reg, docket.MustDate("2027-01-01"), nil)); got != "+ reinstate suspended-1: the suspension of 2026-11-22 ended on 2026-12-31" {
		t.Errorf("after the suspension:\n%s", got)
	}
	// No key is issued while a suspension is in force.
	if got := lines(w.plan(registry.New(), today, nil)); got != "  wait      suspended: no key is issued while the suspension of 2026-11-22 by staff-ann, until 2026-12-31 is in force" {
		t.Errorf("suspended without a key:\n%s", got)
	}
}

// No key is issued before the requester accepts the terms the decision names, and the
// data-sharing agreement when it requires one.
func TestComputeWaitsForAcceptance(t *testing.T) {
	w := newWorld(t, "bus-feed")
	rec := w.record("bus-feed")
	for _, tc := range []struct {
		edit func()
		want string
	}{
		{func() { rec.Acceptance = nil }, "waiting for @req-bus-feed to accept terms 2026-01 in requests/bus-feed/acceptance.yaml"},
		{func() { rec.Acceptance = &docket.Acceptance{TermsVersion: "2025-07"} }, "waiting for @req-bus-feed to accept terms 2026-01 in requests/bus-feed/acceptance.yaml"},
		{func() { rec.Acceptance.TermsVersion = "2026-01"; rec.Decision.Conditions.DataSharingAgreement = true },
			"waiting for @req-bus-feed to accept terms 2026-01 and the signed data-sharing agreement in requests/bus-feed/acceptance.yaml"},
	} {
		tc.edit()
		p := w.plan(registry.New(), today, nil)
		if len(p.Changes) != 0 || len(p.Waiting) != 1 || p.Waiting[0].Why != tc.want {
			t.Errorf("plan:\n%s\nwant to wait: %s", lines(p), tc.want)
		}
	}
	rec.Acceptance.DataSharingAgreement = true
	if p := w.plan(registry.New(), today, nil); p.Summary() != "1 to issue" {
		t.Errorf("plan once accepted:\n%s", lines(p))
	}
}

// A requester who lost a key gets a new one, and the old one ends once the new one is
// delivered; one whose key leaked has it revoked at once.
func TestComputeRotation(t *testing.T) {
	w := newWorld(t, "bus-feed")
	rec := w.record("bus-feed")
	reg := registry.New()
	reg.Keys = append(reg.Keys, key("bus-feed-1", "bus-feed", registry.StatusActive))
	if p := w.plan(reg, today, nil); len(p.Changes) != 0 {
		t.Fatalf("plan before asking:\n%s", lines(p))
	}
	rec.Acceptance.NewKeys = []docket.NewKey{{Date: today, Reason: docket.NewKeyLost}}
	got := lines(w.plan(reg, today, nil))
	if !strings.HasPrefix(got, "± rotate    bus-feed-2: for @req-bus-feed: ") ||
		!strings.HasSuffix(got, "; replaces bus-feed-1, revoked once this key is delivered (@req-bus-feed asked for a new key on 2026-11-27: lost)") {
		t.Errorf("plan for a lost key:\n%s", got)
	}
	rec.Acceptance.NewKeys[0].Reason = docket.NewKeyLeaked
	p := w.plan(reg, today, nil)
	got = lines(p)
	if !strings.HasPrefix(got, "- revoke    bus-feed-1: @req-bus-feed asked for a new key on 2026-11-27: leaked\n± rotate    bus-feed-2: ") ||
		!strings.HasSuffix(got, "; replaces bus-feed-1, revoked at once (@req-bus-feed asked for a new key on 2026-11-27: leaked)") {
		t.Errorf("plan for a leaked key:\n%s", got)
	}
	if p.Removals() != 0 {
		t.Errorf("a revocation the requester asked for counts against the mass-change guard")
	}
	// Once a key answers the request, nothing more is asked.
	k2 := key("bus-feed-2", "bus-feed", registry.StatusPending)
	k2.Rotation = 1
	reg.Keys = append(reg.Keys, k2)
	if got := lines(w.plan(reg, today, nil)); got != "> deliver   bus-feed-2: issued on 2026-11-20 and not delivered yet" {
		t.Errorf("plan with the new key pending:\n%s", got)
	}
}

// A leaked key is revoked at once and a new key issued in its place.
func TestComputeLeak(t *testing.T) {
	w := newWorld(t, "bus-feed")
	reg := registry.New()
	old := key("bus-feed-1", "bus-feed", registry.StatusActive)
	reg.Keys = append(reg.Keys, old)
	p := w.plan(reg, today, map[string]string{old.SHA256: "pull request #31"})
	got := lines(p)
	if !strings.HasPrefix(got, "- revoke    bus-feed-1: the key was found in pull request #31\n+ issue     bus-feed-2: for @req-bus-feed: ") ||
		!strings.HasSuffix(got, "; replaces bus-feed-1, revoked at once (bus-feed-1 was found in pull request #31)") {
		t.Errorf("plan:\n%s", got)
	}
}

// The whole cycle on a folder: issue and deliver, then nothing to do.
func TestApplyConverges(t *testing.T) {
	w := newWorld(t, "a", "b")
	st := &state.Dir{Path: t.TempDir()}
	out := t.TempDir()
	run := func() (*Plan, error) {
		reg, err := LoadRegistry(context.Background(), st)
		if err != nil {
			t.Fatal(err)
		}
		p := w.plan(reg, today, nil)
		return p, Apply(context.Background(), p, reg, w.env(st, out, nil))
	}
	if p, err := run(); err != nil || p.Summary() != "2 to issue" {
		t.Fatalf("first run: %s, %v", p.Summary(), err)
	}
	if p, err := run(); err != nil || len(p.Changes) != 0 {
		t.Fatalf("second run: %s, %v", lines(p), err)
	}
	reg, _ := LoadRegistry(context.Background(), st)
	for _, k := range reg.Keys {
		if k.Status != registry.StatusActive || k.Delivery.Delivered == nil {
			t.Errorf("%s: %s, delivered %v", k.ID, k.Status, k.Delivery.Delivered)
		}
	}
}

// env is the real Env, with log lines kept in log.
func (w *world) env(st state.Backend, out string, log *[]string) Env {
	return Env{Prefix: "test", NewKey: keys.New, Seal: seal.Seal, Save: SaveRegistry(st),
		Deliver: &FolderDelivery{Dir: out, Today: today}, Today: today,
		Log: func(l string) {
			if log != nil {
				*log = append(*log, l)
			}
		}}
}

// A dry-run folder writes nothing.
func TestDryRunWritesNothing(t *testing.T) {
	w := newWorld(t, "a")
	dir, out := t.TempDir(), t.TempDir()
	st := &state.Dir{Path: dir, DryRun: true}
	reg := registry.New()
	p := w.plan(reg, today, nil)
	env := w.env(st, out, nil)
	env.Deliver = &FolderDelivery{Dir: out, Today: today, DryRun: true}
	err := Apply(context.Background(), p, reg, env)
	if err == nil || !strings.Contains(err.Error(), "dry run: nothing was delivered") {
		t.Errorf("Apply in a dry run: %v", err)
	}
	for _, d := range []string{dir, out} {
		if files := listFiles(t, d); len(files) > 0 {
			t.Errorf("a dry run wrote %v", files)
		}
	}
}

func ExamplePlan_Summary() {
	p := &Plan{Changes: []Change{{Op: OpIssue}, {Op: OpIssue}, {Op: OpSuspend}}}
	fmt.Println(p.Summary())
	// Output: 2 to issue, 1 to suspend
}

// A request whose change did not pass the gate gets nothing that gives access, but what takes
// access away still applies: a suspension, a revocation, an expiry, a leak, narrower terms.
func TestComputeHeld(t *testing.T) {
	held := HeldByRequest([]Held{{Request: "bus-feed", Path: "requests/bus-feed/enforcement.yaml", Commit: "0123456789abcdef", Why: "it was pushed without a pull request"}})
	wait := "  wait      bus-feed: " + held["bus-feed"]
	plan := func(w *world, reg *registry.Registry, day docket.Date, leaked map[string]string) string {
		t.Helper()
		p, err := Compute(Input{Config: w.cfg, Records: w.records, Registry: reg, Today: day, Recipients: recipientsOf, Held: held, Leaked: leaked})
		if err != nil {
			t.Fatal(err)
		}
		return lines(p)
	}
	active := func() *registry.Registry {
		reg := registry.New()
		reg.Keys = append(reg.Keys, key("bus-feed-1", "bus-feed", registry.StatusActive))
		return reg
	}
	for _, tc := range []struct {
		name   string
		change func(w *world, reg *registry.Registry) (docket.Date, map[string]string)
		want   string
	}{
		{"revocation", func(w *world, _ *registry.Registry) (docket.Date, map[string]string) {
			w.record("bus-feed").Enforcement = &docket.Enforcement{Actions: []docket.EnforcementAction{{Action: docket.ActionRevocation, Date: today, By: "staff-ann"}}}
			return today, nil
		}, "- revoke    bus-feed-1: revocation of 2026-11-27 by staff-ann\n" + wait},
		{"suspension", func(w *world, _ *registry.Registry) (docket.Date, map[string]string) {
			w.record("bus-feed").Enforcement = &docket.Enforcement{Actions: []docket.EnforcementAction{{Action: docket.ActionSuspension, Date: today, By: "staff-ann", Until: today.AddDays(9)}}}
			return today, nil
		}, "- suspend   bus-feed-1: suspension of 2026-11-27 by staff-ann, until 2026-12-06\n" + wait},
		{"expiry", func(w *world, _ *registry.Registry) (docket.Date, map[string]string) {
			return decided.AddDays(301), nil
		}, "- expire    bus-feed-1: its last day was 2027-09-16\n" + wait},
		{"leak", func(w *world, reg *registry.Registry) (docket.Date, map[string]string) {
			return today, map[string]string{reg.Keys[0].SHA256: "pull request #31"}
		}, "- revoke    bus-feed-1: the key was found in pull request #31\n" + wait},
		{"wider and narrower terms", func(w *world, _ *registry.Registry) (docket.Date, map[string]string) {
			c := w.record("bus-feed").Decision.Conditions
			c.Scopes = []string{"calls-311", "permits"}
			c.Limits = docket.Limits{RequestsPerDay: 9000, RequestsPerSecond: 1}
			return today, nil
		}, "~ update    bus-feed-1: 2 → 1 calls a second\n" + wait},
		{"wider terms", func(w *world, _ *registry.Registry) (docket.Date, map[string]string) {
			w.record("bus-feed").Decision.Conditions.Limits.RequestsPerDay = 9000
			return today, nil
		}, wait},
		{"reinstatement", func(w *world, reg *registry.Registry) (docket.Date, map[string]string) {
			reg.Keys[0].Status = registry.StatusSuspended
			return today, nil
		}, wait},
		{"a new key asked for", func(w *world, _ *registry.Registry) (docket.Date, map[string]string) {
			w.record("bus-feed").Acceptance.NewKeys = []docket.NewKey{{Date: today, Reason: docket.NewKeyLost}}
			return today, nil
		}, wait},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, "bus-feed")
			reg := active()
			day, leaked := tc.change(w, reg)
			if got := plan(w, reg, day, leaked); got != tc.want {
				t.Errorf("plan:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
	// Nothing is issued or delivered while held.
	w := newWorld(t, "bus-feed")
	if got := plan(w, registry.New(), today, nil); got != wait {
		t.Errorf("plan without keys:\n%s", got)
	}
	reg := registry.New()
	reg.Keys = append(reg.Keys, key("bus-feed-1", "bus-feed", registry.StatusPending))
	if got := plan(w, reg, today, nil); got != wait {
		t.Errorf("plan with a pending key:\n%s", got)
	}
}

// What the tracking issue and the job summary quote from check messages cannot mention,
// link or format anything.
func TestHeldIssueIsInert(t *testing.T) {
	body := HeldIssue([]Held{{Request: "x", Path: "requests/x/decision.yaml", Commit: "abc", Why: "by @mallory: <img src=x> [click](https://evil.example) | cell"}})
	for _, bad := range []string{"@mallory", "<img", "](https", " | cell"} {
		if strings.Contains(body, bad) {
			t.Errorf("the issue holds %q:\n%s", bad, body)
		}
	}
	if !strings.Contains(body, `&lt;img src=x&gt; \[click\]\(https\://evil.example\) \| cell |`) {
		t.Errorf("the text is not there, escaped:\n%s", body)
	}
	if !strings.HasPrefix(body, HeldMarker+"\n") {
		t.Error("no marker")
	}
	if md := Markdown(&Plan{}, nil, true); md != "### docket provision\n\nNo changes: the keys match the decisions in force.\n\n" {
		t.Errorf("Markdown = %q", md)
	}
}

// A leak found by one run is kept in the run record until a run revokes the key: the commits it
// was found in are not searched again, so forgetting it would let the key work for good.
func TestLeaksAreKeptUntilRevoked(t *testing.T) {
	reg := registry.New()
	live, gone := key("bus-feed-1", "bus-feed", registry.StatusActive), key("old-feed-1", "old-feed", registry.StatusRevoked)
	reg.Keys = append(reg.Keys, live, gone)
	earlier := map[string]string{live.SHA256: "pull request #31", gone.SHA256: "pull request #9"}

	l := NewLeaks(reg)
	l.Remember(earlier)
	if len(l.Found) != 1 || l.Found[live.SHA256] != "pull request #31" {
		t.Fatalf("remembered %v", l.Found)
	}
	if got := l.Unresolved(reg); len(got) != 1 || got[live.SHA256] == "" {
		t.Errorf("before the revocation, unresolved: %v", got)
	}
	live.Status = registry.StatusRevoked
	if got := l.Unresolved(reg); len(got) != 0 {
		t.Errorf("after the revocation, unresolved: %v", got)
	}
	// Round trip through provision.json.
	r := &Run{Version: 1, Leaked: earlier}
	data, err := r.Encode()
	if err != nil || !strings.Contains(string(data), `"leaked"`) {
		t.Fatalf("Encode: %v\n%s", err, data)
	}
}
