package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/gitrepo"
	"github.com/opendata-docket/docket/internal/keys"
	"github.com/opendata-docket/docket/internal/provision"
	"github.com/opendata-docket/docket/internal/registry"
	"github.com/opendata-docket/docket/internal/seal"
	"github.com/opendata-docket/docket/internal/state"
	"github.com/opendata-docket/docket/internal/validate"
)

const provisionUsage = `Usage: docket provision --state DIR [--deliver-to DIR] [--repo DIR] [--confirm]
                        [--max-removals N] [--allow-mass-change] [--pull-refs PREFIX]
                        [--as-of YYYY-MM-DD]

Reconciles API keys with the decisions in force. Every approved api-access request whose
approval is in force (not expired, suspended or revoked) should have exactly one active key
with the decision's scopes, limits and expiry; the key registry (keys.json in the state folder)
says what was issued. docket prints the difference as a plan:

    + issue     issue a key, encrypt it to the requester, deliver it
    ~ update    change a key's scopes, limits or expiry to the decision's
    - suspend   a suspension is in force          + reinstate  it ended or was lifted
    - revoke    revoked, or no longer approved    - expire     its last day has passed
    > deliver   deliver a key an earlier run issued but could not deliver

and changes nothing unless --confirm is given. A key is generated from crypto/rand, encrypted
with age to the request's delivery.age_recipient, and only its SHA-256 hash and the ciphertext
are kept; the key itself is never written anywhere. The ciphertext is delivered as
<key-id>.age in the --deliver-to folder; the requester reads it with
age -d -i KEYFILE <key-id>.age. A key becomes active once delivered.

A key found in a pull request (any commit of it) or in a commit pushed to the default branch is
revoked and a new one issued in its place, as GitHub does with leaked tokens. docket searches
the pull requests whose commits were fetched into the clone, and the commits since its last run.

Nothing is provisioned from a docket with errors (docket validate lists them). A plan that
suspends or revokes more than --max-removals keys is refused unless --allow-mass-change is
given: check the plan first. (Leaked keys are revoked whatever their number.)

Flags:
    --repo DIR           the repository (default: the one the current folder is in)
    --state DIR          the folder that holds the key registry, keys.json (created if needed)
    --deliver-to DIR     write each new key, encrypted, to DIR/<key-id>.age
    --confirm            apply the plan; without it, docket only prints it
    --max-removals N     the most keys one run may suspend or revoke (default 5)
    --allow-mass-change  apply a plan that suspends or revokes more keys than that
    --pull-refs PREFIX   where the clone holds the pull requests' commits, searched for leaked
                         keys (default refs/remotes/pull/: git fetch origin
                         '+refs/pull/*/head:refs/remotes/pull/*/head')
` + asOfHelp + `

Exit status: 0 when the plan was printed (or applied), 1 when the docket has errors or
something failed (re-running finishes what a failed run left), 2 when docket was called wrongly.
`

func runProvision(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("provision")
	dir := fs.String("repo", repoRoot(), "")
	stateDir := fs.String("state", "", "")
	deliverTo := fs.String("deliver-to", "", "")
	confirm := fs.Bool("confirm", false, "")
	maxRemovals := fs.Int("max-removals", 5, "")
	allowMass := fs.Bool("allow-mass-change", false, "")
	pullRefs := fs.String("pull-refs", "refs/remotes/pull/", "")
	clk := addClock(fs)
	if code, ok := parseFlags(fs, provisionUsage, args, stdout, stderr); !ok {
		return code
	}
	today, err := clk.today()
	if err != nil {
		errorf(stderr, "%s", err)
		return 2
	}
	switch {
	case *stateDir == "":
		errorf(stderr, "--state DIR is needed: the folder that holds the key registry")
		fmt.Fprint(stderr, provisionUsage)
		return 2
	case *maxRemovals < 0:
		errorf(stderr, "--max-removals must be 0 or more")
		return 2
	}
	if st, err := os.Stat(*dir); err != nil || !st.IsDir() {
		errorf(stderr, "--repo %s: not a folder", *dir)
		return 1
	}
	v, err := validate.New()
	if err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	repo, findings, err := v.Repository(os.DirFS(*dir), validate.Options{Today: today})
	if err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	if docket.HasErrors(findings) {
		errorf(stderr, "the docket has %s; nothing is provisioned from a docket that is not valid (docket validate lists them)", count(errorCount(findings), "error", "errors"))
		return 1
	}

	backend := &state.Dir{Path: *stateDir, DryRun: !*confirm}
	reg, err := provision.LoadRegistry(ctx, backend)
	if err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	run, err := provision.LoadRun(ctx, backend)
	if err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	leaks := provision.NewLeaks(reg)
	next := searchLeaks(*dir, *pullRefs, run, leaks, stderr)
	records := make([]*docket.Record, len(repo.Folders))
	for i, f := range repo.Folders {
		records[i] = &f.Record
	}
	plan, err := provision.Compute(provision.Input{
		Config: repo.Config, Records: records, Registry: reg, Today: today,
		Recipients: recipients, Leaked: leaks.Found,
	})
	if err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	for _, l := range plan.Lines() {
		fmt.Fprintln(stdout, printableText(l))
	}
	where := backend.String() + "/" + registry.FileName
	if len(plan.Changes) == 0 {
		fmt.Fprintf(stderr, "docket: no changes: the keys in %s match the decisions in force (%s)\n", printableText(where), keyCount(reg))
		return saveRun(ctx, backend, next, stderr)
	}
	fmt.Fprintf(stderr, "docket: plan: %s (%s in %s)\n", plan.Summary(), keyCount(reg), printableText(where))
	mass := plan.Removals() > *maxRemovals && !*allowMass
	if !*confirm {
		if mass {
			fmt.Fprintf(stderr, "docket: warning: the plan suspends or revokes %d keys, more than --max-removals %d allows; applying it will need --allow-mass-change\n", plan.Removals(), *maxRemovals)
		}
		fmt.Fprintln(stderr, "docket: this is a plan; nothing was changed. Run again with --confirm to apply it")
		return 0
	}
	if mass {
		errorf(stderr, "the plan suspends or revokes %d keys, more than --max-removals %d allows in one run; nothing was changed", plan.Removals(), *maxRemovals)
		hintf(stderr, "check every line of the plan; if it is right, run again with --allow-mass-change")
		return 1
	}
	needsDelivery := plan.Count()[provision.OpIssue]+plan.Count()[provision.OpRotate]+plan.Count()[provision.OpDeliver] > 0
	if needsDelivery && *deliverTo == "" {
		errorf(stderr, "the plan delivers keys, and there is nowhere to deliver them: give --deliver-to DIR; nothing was changed")
		return 1
	}
	env := provision.Env{
		Prefix: repo.Config.Keys.Prefix, NewKey: keys.New, Seal: seal.Seal,
		Save:    provision.SaveRegistry(backend),
		Deliver: &provision.FolderDelivery{Dir: *deliverTo, Today: today, DryRun: !*confirm},
		Today:   today,
		Log:     func(line string) { fmt.Fprintln(stderr, "docket: "+printableText(line)) },
	}
	if err := provision.Apply(ctx, plan, reg, env); err != nil {
		for _, e := range unwrapJoined(err) {
			errorf(stderr, "%s", e)
		}
		hintf(stderr, "run docket provision again: it finishes what this run could not")
		return 1
	}
	fmt.Fprintf(stderr, "docket: applied: %s (%s in %s)\n", plan.Summary(), keyCount(reg), printableText(where))
	return saveRun(ctx, backend, next, stderr)
}

// saveRun records how far this run looked, for the next; a dry-run backend writes nothing.
func saveRun(ctx context.Context, b state.Backend, run *provision.Run, stderr io.Writer) int {
	data, err := run.Encode()
	if err == nil {
		err = b.Write(ctx, map[string][]byte{provision.RunFile: data}, "provision: record the run")
	}
	if err != nil {
		errorf(stderr, "saving the run record: %s", err)
		hintf(stderr, "the keys are in order; the next run searches the same pull requests for leaked keys again")
		return 1
	}
	return 0
}

// maxScanCommits bounds the commits searched for leaked keys in one reference.
const maxScanCommits = 100_000

// searchLeaks looks for the registry's keys in what was pushed since the last run: the pull
// requests whose references (under prefix, fetched into the clone) moved, and the commits of the
// default branch since the commit the last run acted on. Keys can only leak after they are
// issued, so a reference that has not moved since a run need not be searched again. It returns
// the run record for the next run. What cannot be searched is said, never silently skipped.
func searchLeaks(dir, prefix string, last *provision.Run, leaks *provision.Leaks, stderr io.Writer) *provision.Run {
	next := &provision.Run{Version: 1, Commit: last.Commit, Scanned: map[string]string{}}
	r, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true})
	if err != nil {
		if leaks.Any() {
			fmt.Fprintf(stderr, "docket: warning: %s is not a git repository, so pull requests and commits were not searched for leaked keys\n", printableText(dir))
		}
		return next
	}
	head, err := gitrepo.Commit(r, "HEAD")
	if err != nil {
		fmt.Fprintf(stderr, "docket: warning: the repository has no commit, so nothing was searched for leaked keys\n")
		return next
	}
	next.Commit = head.Hash.String()
	refs, err := gitrepo.Refs(r, prefix)
	if err != nil {
		fmt.Fprintf(stderr, "docket: warning: pull requests were not searched for leaked keys: %s\n", printableText(err.Error()))
		return next
	}
	seen := map[plumbing.Hash]bool{}
	names := slices.Sorted(maps.Keys(refs))
	for _, name := range names {
		if !leaks.Any() || last.Scanned[name] == refs[name] {
			next.Scanned[name] = refs[name]
			continue
		}
		where := pullWhere(name, prefix)
		if err := gitrepo.AddedTexts(r, name, "HEAD", maxScanCommits, seen, func(text string) { leaks.Scan(where, text) }); err != nil {
			fmt.Fprintf(stderr, "docket: warning: %s was not searched for leaked keys: %s\n", printableText(where), printableText(err.Error()))
			continue
		}
		next.Scanned[name] = refs[name]
	}
	if leaks.Any() && last.Commit != "" && last.Commit != next.Commit {
		where := "a commit pushed to the default branch"
		if err := gitrepo.AddedTexts(r, "HEAD", last.Commit, maxScanCommits, seen, func(text string) { leaks.Scan(where, text) }); err != nil {
			fmt.Fprintf(stderr, "docket: warning: the commits since %s were not searched for leaked keys: %s\n", short(last.Commit), printableText(err.Error()))
			next.Commit = last.Commit
		}
	}
	return next
}

// pullWhere names a pull request by its reference: refs/remotes/pull/31/head is pull request #31.
func pullWhere(ref, prefix string) string {
	n, _, _ := strings.Cut(strings.TrimPrefix(ref, prefix), "/")
	if _, err := strconv.Atoi(n); err == nil {
		return "pull request #" + n
	}
	return ref
}

// recipients says whom a request's key is encrypted to.
func recipients(rec *docket.Record) ([]seal.Recipient, string, error) {
	req := rec.Request
	if req.Delivery != nil && req.Delivery.AgeRecipient != "" {
		r, err := seal.AgeRecipient(req.Delivery.AgeRecipient)
		if err != nil {
			// validate refuses such a request, so this is not reached from a valid docket
			return nil, "delivery.age_recipient is not an age public key", nil
		}
		return []seal.Recipient{r}, "", nil
	}
	return nil, fmt.Sprintf("the request names no delivery.age_recipient, so there is no key to encrypt to for @%s", req.Requester.GitHub), nil
}

// keyCount says how many keys a registry holds and how many are active.
func keyCount(reg *registry.Registry) string {
	active := 0
	for _, k := range reg.Keys {
		if k.Status == registry.StatusActive {
			active++
		}
	}
	return fmt.Sprintf("%s, %d active", count(len(reg.Keys), "key", "keys"), active)
}

func errorCount(findings []docket.Finding) int {
	n := 0
	for _, f := range findings {
		if f.Severity == docket.Error {
			n++
		}
	}
	return n
}

// unwrapJoined lists the errors joined in err (errors.Join), or err itself.
func unwrapJoined(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, unwrapJoined(e)...)
		}
		return out
	}
	return []error{err}
}
