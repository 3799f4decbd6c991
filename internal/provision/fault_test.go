package provision

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/keys"
	"github.com/opendata-docket/docket/internal/registry"
	"github.com/opendata-docket/docket/internal/seal"
	"github.com/opendata-docket/docket/internal/state"
)

// fault makes the n-th call of one step fail. With after, the step takes effect first (a file
// written, a comment posted, a push that landed) and then reports failure, as when a response
// is lost. With crash, the run stops there, as when the process is killed: nothing after it
// runs, not even the steps for other requests.
type fault struct {
	step  string // key, seal, save or deliver
	n     int
	after bool
	crash bool
}

func (f fault) String() string {
	s := fmt.Sprintf("%s#%d", f.step, f.n)
	if f.after {
		s += " after"
	}
	if f.crash {
		s += " crash"
	}
	return s
}

var errInjected = errors.New("injected failure")

type crashed struct{}

// faulty wraps an Env so that one step fails, and keeps every key it generated (to look for
// them everywhere afterwards) and every line logged.
type faulty struct {
	f     fault
	fired *bool
	calls map[string]int
	made  *[]string
	log   *[]string
}

// hit reports whether this call of step is the one to fail; effect is the step itself.
func (x *faulty) hit(step string, effect func() error) error {
	x.calls[step]++
	if x.f.step != step || x.calls[step] != x.f.n {
		return effect()
	}
	*x.fired = true
	if x.f.after {
		if err := effect(); err != nil {
			return err
		}
	}
	if x.f.crash {
		panic(crashed{})
	}
	return errInjected
}

type faultyDelivery struct {
	x     *faulty
	inner Deliverer
}

func (d faultyDelivery) Deliver(ctx context.Context, k *registry.Key, rec *docket.Record) (out *registry.Delivered, already bool, err error) {
	err = d.x.hit("deliver", func() error {
		var e error
		out, already, e = d.inner.Deliver(ctx, k, rec)
		return e
	})
	if err != nil {
		return nil, false, err
	}
	return out, already, nil
}

func (x *faulty) env(st state.Backend, inner Deliverer, day docket.Date) Env {
	save := SaveRegistry(st)
	return Env{
		Prefix: "test",
		NewKey: func(prefix string) (string, error) {
			var k string
			err := x.hit("key", func() error {
				var e error
				k, e = keys.New(prefix)
				if e == nil {
					*x.made = append(*x.made, k)
				}
				return e
			})
			return k, err
		},
		Seal: func(secret []byte, rs []seal.Recipient) (string, error) {
			var ct string
			err := x.hit("seal", func() error {
				var e error
				ct, e = seal.Seal(secret, rs)
				return e
			})
			return ct, err
		},
		Save: func(ctx context.Context, reg *registry.Registry, msg string) error {
			return x.hit("save", func() error { return save(ctx, reg, msg) })
		},
		Deliver: faultyDelivery{x, inner},
		Today:   day,
		Log:     func(l string) { *x.log = append(*x.log, l) },
	}
}

// TestFaultInjection fails every step of provisioning in turn (generating a key, sealing it,
// saving the registry, delivering), each way it can fail (an error before or after the step
// took effect, or a crash), then runs again until nothing is left to do, and checks after every
// run that no request ever had two active keys, that no key was lost (every request in force
// ends with one active key whose delivered ciphertext opens, with the requester's identity, to a
// key with the registry's hash, and every file delivered is a key the registry knows), and that
// no key appears in the registry, the deliveries, the log or any error.
func TestFaultInjection(t *testing.T) {
	var points []fault
	for _, step := range []string{"key", "seal", "save", "deliver"} {
		for n := 1; n <= 4; n++ {
			if step == "save" && n > 2 {
				continue // a run saves twice: the keys to deliver, then the deliveries
			}
			for _, after := range []bool{false, true} {
				if after && (step == "key" || step == "seal") {
					continue // nothing outside the run changes before they return
				}
				for _, crash := range []bool{false, true} {
					points = append(points, fault{step, n, after, crash})
				}
			}
		}
	}
	for _, via := range []string{registry.ViaFile, registry.ViaComment} {
		for _, f := range points {
			t.Run(via+"/"+f.String(), func(t *testing.T) { faultRun(t, f, via) })
		}
	}
}

func faultRun(t *testing.T, f fault, via string) {
	w := newWorld(t, "a", "b", "c", "d")
	st := &state.Dir{Path: t.TempDir()}
	out := t.TempDir()
	gh := &fakeGitHub{comments: map[int][]string{}}
	deliverer := func(day docket.Date) Deliverer {
		if via == registry.ViaFile {
			return &FolderDelivery{Dir: out, Today: day}
		}
		return &CommentDelivery{GitHub: gh, Today: day, PullRequest: func(_ context.Context, rec *docket.Record) (int, error) {
			return 100 + int(rec.ID[0]-'a'), nil
		}}
	}
	delivered := func() map[string][]string {
		if via == registry.ViaFile {
			return filesDelivered(t, out)
		}
		return gh.delivered()
	}
	var made, log []string
	var errs []error
	fired := false
	run := func(f fault, day docket.Date, leaked map[string]string) *Plan {
		t.Helper()
		reg, err := LoadRegistry(context.Background(), st)
		if err != nil {
			t.Fatalf("%s: the registry cannot be read after a failure: %v", f, err)
		}
		p := w.plan(reg, day, leaked)
		x := &faulty{f: f, fired: &fired, calls: map[string]int{}, made: &made, log: &log}
		func() {
			defer func() {
				if r := recover(); r != nil {
					if _, ok := r.(crashed); !ok {
						panic(r)
					}
				}
			}()
			if err := Apply(context.Background(), p, reg, x.env(st, deliverer(day), day)); err != nil {
				errs = append(errs, err)
			}
		}()
		w.invariants(st, out, delivered(), gh, made, log, errs, false)
		return p
	}
	converge := func(day docket.Date, leaked map[string]string) {
		t.Helper()
		for i := 0; ; i++ {
			if p := run(fault{}, day, leaked); len(p.Changes) == 0 {
				break
			}
			if i == 3 {
				t.Fatalf("no convergence after %d runs", i)
			}
		}
		w.invariants(st, out, delivered(), gh, made, log, errs, true)
	}

	// Four approvals: four keys to issue.
	run(f, today, nil)
	converge(today, nil)

	// Then a suspension, a leak, new limits and a lost key, with the same fault.
	reg, _ := LoadRegistry(context.Background(), st)
	leaked := map[string]string{activeKey(t, reg, "b").SHA256: "pull request #31"}
	w.record("a").Enforcement = &docket.Enforcement{Actions: []docket.EnforcementAction{
		{Action: docket.ActionSuspension, Date: today, Until: today.AddDays(30), By: "staff-ann", Reason: "traffic"}}}
	w.record("c").Decision.Conditions.Limits.RequestsPerDay = 9000
	w.record("d").Acceptance.NewKeys = []docket.NewKey{{Date: today, Reason: docket.NewKeyLost}}
	later := today.AddDays(1)
	run(f, later, leaked)
	converge(later, leaked)
	if !fired {
		t.Fatalf("the fault %s never happened", f)
	}
	reg, _ = LoadRegistry(context.Background(), st)
	if k := reg.Of("a")[0]; k.Status != registry.StatusSuspended {
		t.Errorf("a: %s, want suspended", k.Status)
	}
	if ks := reg.Of("b"); len(ks) != 2 || ks[0].Status != registry.StatusRevoked || ks[1].Replaces != ks[0].ID {
		t.Errorf("b after the leak: %d keys", len(ks))
	}
	if ks := reg.Of("d"); len(ks) != 2 || ks[0].Status != registry.StatusRevoked || ks[0].Reason != "replaced by d-2" || ks[1].Status != registry.StatusActive {
		t.Errorf("d after asking for a new key: %d keys", len(ks))
	}
	if k := activeKey(t, reg, "c"); k.Limits.RequestsPerDay != 9000 {
		t.Errorf("c: %d calls a day", k.Limits.RequestsPerDay)
	}
}

func activeKey(t *testing.T, reg *registry.Registry, request string) *registry.Key {
	t.Helper()
	for _, k := range reg.Keys {
		if k.Request == request && k.Status == registry.StatusActive {
			return k
		}
	}
	t.Fatalf("%s has no active key", request)
	return nil
}

// invariants checks the three properties; with settled, also that every request in force holds
// its key.
func (w *world) invariants(st *state.Dir, out string, delivered map[string][]string, gh *fakeGitHub, made, log []string, errs []error, settled bool) {
	t := w.t
	t.Helper()
	// No key anywhere: the state, the deliveries, the comments, the log, the errors.
	texts := map[string]string{"log": strings.Join(log, "\n")}
	for i, e := range errs {
		texts[fmt.Sprintf("error %d", i)] = e.Error()
	}
	for n, cs := range gh.comments {
		for i, c := range cs {
			texts[fmt.Sprintf("comment %d on #%d", i, n)] = c
		}
	}
	for _, dir := range []string{st.Path, out} {
		for _, p := range listFiles(t, dir) {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			texts[p] = string(data)
		}
	}
	for where, text := range texts {
		if n := len(keys.Find(text)); n > 0 {
			t.Fatalf("%s holds %d keys", where, n)
		}
		for _, k := range made {
			if strings.Contains(text, k) {
				t.Fatalf("%s holds a key that was generated", where)
			}
		}
	}

	// Never two active keys: read the file as data, not through Check, which would refuse it.
	data, err := os.ReadFile(filepath.Join(st.Path, registry.FileName))
	if errors.Is(err, fs.ErrNotExist) {
		if settled {
			t.Fatal("no registry after settling")
		}
		if len(delivered) > 0 {
			t.Fatal("keys were delivered before any registry was saved")
		}
		return
	}
	var raw struct {
		Keys []struct {
			ID, Request, Status string
		}
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	active := map[string]int{}
	for _, k := range raw.Keys {
		if k.Status == "active" {
			active[k.Request]++
			if active[k.Request] > 1 {
				t.Fatalf("%s has two active keys", k.Request)
			}
		}
	}
	reg, err := registry.Decode(data)
	if err != nil {
		t.Fatal(err)
	}

	// No key lost: every key delivered (once, never twice) is the ciphertext of a key the
	// registry knows, and opens to a key with that key's hash.
	for id, cts := range delivered {
		if len(cts) > 1 {
			t.Fatalf("%s was delivered %d times", id, len(cts))
		}
		k := reg.Key(id)
		if k == nil || k.Delivery.Ciphertext != cts[0] {
			t.Fatalf("%s was delivered, and the registry does not know that ciphertext", id)
		}
		plain, err := seal.Open(cts[0], []byte(w.id.String()))
		if err != nil || !keys.Matches(string(plain), k.SHA256) {
			t.Fatalf("%s does not open to the key with the registry's hash: %v", id, err)
		}
	}
	if !settled {
		return
	}
	for _, rec := range w.records {
		d := want(rec, w.cfg.Keys, today)
		var live []*registry.Key
		for _, k := range reg.Of(rec.ID) {
			if !k.Status.Final() {
				live = append(live, k)
			}
		}
		if d.status != registry.StatusActive && d.status != registry.StatusSuspended {
			continue
		}
		if len(live) != 1 || live[0].Delivery.Delivered == nil {
			t.Fatalf("%s: %d keys in use after settling, want 1, delivered", rec.ID, len(live))
		}
		if len(delivered[live[0].ID]) != 1 {
			t.Fatalf("%s: in use, and not delivered", live[0].ID)
		}
	}
}

// filesDelivered reads the ciphertexts a folder delivery wrote, by key id.
func filesDelivered(t testing.TB, dir string) map[string][]string {
	out := map[string][]string{}
	for _, p := range listFiles(t, dir) {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		id := strings.TrimSuffix(filepath.Base(p), ".age")
		out[id] = append(out[id], string(data))
	}
	return out
}

// fakeGitHub keeps the comments posted, by pull request.
type fakeGitHub struct {
	comments map[int][]string
}

func (g *fakeGitHub) FindComment(_ context.Context, n int, marker string) (string, bool, error) {
	for i, c := range g.comments[n] {
		if strings.Contains(c, marker) {
			return fmt.Sprintf("https://github.test/pull/%d#comment-%d", n, i), true, nil
		}
	}
	return "", false, nil
}

func (g *fakeGitHub) PostComment(_ context.Context, n int, body string) (string, error) {
	g.comments[n] = append(g.comments[n], body)
	return fmt.Sprintf("https://github.test/pull/%d#comment-%d", n, len(g.comments[n])-1), nil
}

// delivered reads the ciphertexts out of the comments, by key id.
func (g *fakeGitHub) delivered() map[string][]string {
	out := map[string][]string{}
	for _, cs := range g.comments {
		for _, c := range cs {
			id, _, _ := strings.Cut(strings.TrimPrefix(c, "<!-- docket:key "), " ")
			start := strings.Index(c, "-----BEGIN AGE ENCRYPTED FILE-----")
			end := strings.Index(c, "-----END AGE ENCRYPTED FILE-----")
			out[id] = append(out[id], c[start:end]+"-----END AGE ENCRYPTED FILE-----\n")
		}
	}
	return out
}

func listFiles(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
