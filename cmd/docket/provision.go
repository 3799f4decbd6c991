package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/gh"
	"github.com/opendata-docket/docket/internal/gitrepo"
	"github.com/opendata-docket/docket/internal/keys"
	"github.com/opendata-docket/docket/internal/provision"
	"github.com/opendata-docket/docket/internal/registry"
	"github.com/opendata-docket/docket/internal/seal"
	"github.com/opendata-docket/docket/internal/state"
)

const provisionUsage = `Usage: docket provision [--repo DIR] [--state DIR | --state-branch NAME] [--deliver-to DIR]
                        [--confirm] [--max-removals N] [--allow-mass-change]
                        [--keys-out FILE] [--since REV] [--pull-refs PREFIX]
                        [--as-of YYYY-MM-DD]

Reconciles API keys with the decisions in force. Every approved api-access request whose
approval is in force (not expired, suspended or revoked), and whose requester has accepted the
decision's terms in acceptance.yaml, should have exactly one active key with the decision's
scopes, limits and expiry; the key registry, keys.json, says what was issued. docket prints the
difference as a plan:

    + issue     issue a key, encrypt it to the requester, deliver it
    ± rotate    a new key the requester asked for (new_keys in acceptance.yaml)
    ~ update    change a key's scopes, limits or expiry to the decision's
    - suspend   a suspension is in force          + reinstate  it ended or was lifted
    - revoke    revoked, leaked, or no longer approved
    - expire    its last day has passed
    > deliver   deliver a key an earlier run issued but could not deliver

and changes nothing unless --confirm is given. A new decision naming terms the requester has
not accepted (or newly requiring a data-sharing agreement) suspends their key until they
accept them in acceptance.yaml; the plan says so with a wait line. A key is generated from crypto/rand and
encrypted with age to the request's delivery.age_recipient or, without one, to the requester's
ed25519 and RSA SSH keys on GitHub; only its SHA-256 hash and the ciphertext are kept, and the
key itself is never written anywhere. The ciphertext is posted as a comment on the pull request
that merged the decision (found again by a hidden marker, so never posted twice), or with
--deliver-to written to DIR/<key-id>.age; the requester reads it with age -d -i KEYFILE. A key
becomes active once delivered.

The registry is kept in keys.json (and the run record in provision.json) at the top of the
branch docket-state of the clone's remote origin, committed and pushed with go-git (fetched
again and retried when the push is rejected); with --state, in a folder instead.

Only what passed the gate acts: every commit of the default branch since the last run is
checked again with docket check's policy, as the author of the pull request GitHub says merged
it. A request whose files a refused commit changed (pushed without a pull request, or merged
while the check was red) is held until the file changes again through a pull request that
passes: no key is issued, delivered, reinstated or widened for it, while suspensions,
revocations, expiry and leaked keys still apply. Such changes are listed in the job summary and
in one tracking issue.

A key found in a pull request (any commit of it) or in a commit pushed to the default branch is
revoked and a new one issued in its place, as GitHub does with leaked tokens. docket searches
the pull requests whose commits were fetched into the clone, and the commits since its last run.

Nothing is provisioned from a docket with errors (docket validate lists them). A plan that
suspends or revokes more than --max-removals keys is refused unless --allow-mass-change is
given: check the plan first. (Leaked keys are revoked whatever their number.)

GitHub (reading SSH keys, commenting) needs GITHUB_TOKEN and GITHUB_REPOSITORY; pushing the
state branch needs a token that may write contents.

Flags:
    --repo DIR           the repository (default: the one the current folder is in)
    --state DIR          keep the key registry in this folder (created if needed) instead of a
                         branch
    --state-branch NAME  the branch of origin that holds the registry (default docket-state)
    --deliver-to DIR     write each new key, encrypted, to DIR/<key-id>.age instead of
                         commenting on GitHub
    --branch NAME        the default branch, whose pull requests merged the decisions
                         (default: $GITHUB_REF_NAME)
    --confirm            apply the plan; without it, docket only prints it
    --max-removals N     the most keys one run may suspend or revoke (default 5)
    --allow-mass-change  apply a plan that suspends or revokes more keys than that
    --keys-out FILE      also write the registry, as it stands after the run, to FILE (for
                         docket build --keys)
    --since REV          check again every change of the default branch after REV (default: the
                         commit the last run acted on)
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
	stateBranch := fs.String("state-branch", "docket-state", "")
	branch := fs.String("branch", os.Getenv("GITHUB_REF_NAME"), "")
	deliverTo := fs.String("deliver-to", "", "")
	confirm := fs.Bool("confirm", false, "")
	maxRemovals := fs.Int("max-removals", 5, "")
	allowMass := fs.Bool("allow-mass-change", false, "")
	pullRefs := fs.String("pull-refs", "refs/remotes/pull/", "")
	since := fs.String("since", "", "")
	keysOut := fs.String("keys-out", "", "")
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
	case *maxRemovals < 0:
		errorf(stderr, "--max-removals must be 0 or more")
		return 2
	}
	v, repo, findings, err := validateDir(*dir, today)
	if err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	if docket.HasErrors(findings) {
		errorf(stderr, "the docket has %s; nothing is provisioned from a docket that is not valid (docket validate lists them)", docket.Count(errorCount(findings), "error", "errors"))
		return 1
	}

	client, err := githubClient(!*confirm)
	if err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	var backend state.Backend = &state.Dir{Path: *stateDir, DryRun: !*confirm}
	where := *stateDir + "/" + registry.FileName
	if *stateDir == "" {
		if _, err := gitrepo.Open(*dir); err != nil {
			errorf(stderr, "the key registry is kept on the branch %s of the repository's remote, and %s is not a git repository", *stateBranch, *dir)
			hintf(stderr, "give --state DIR to keep the registry in a folder")
			return 1
		}
		backend = &gitrepo.StateBranch{Dir: *dir, Branch: *stateBranch, Token: os.Getenv("GITHUB_TOKEN"),
			Name: "github-actions[bot]", Email: "41898282+github-actions[bot]@users.noreply.github.com", When: clk.now, DryRun: !*confirm}
		where = registry.FileName + " on the " + backend.String()
	}
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
	leaks.Remember(run.Leaked)
	next := searchLeaks(*dir, *pullRefs, run, leaks, stderr)
	var held []provision.Held
	if r, err := gitrepo.Open(*dir); err == nil {
		if _, err := r.Commit("HEAD"); err == nil {
			if held, err = gateHeld(ctx, r, v, client, run, *since, *branch, today, stderr); err != nil {
				errorf(stderr, "%s", err)
				hintf(stderr, "if the branch was rewritten, check its history and give --since REV: the commit after which to check every change again")
				return 1
			}
		}
	}
	next.Held = held
	records := make([]*docket.Record, len(repo.Folders))
	for i, f := range repo.Folders {
		records[i] = &f.Record
	}
	plan, err := provision.Compute(provision.Input{
		Config: repo.Config, Records: records, Registry: reg, Today: today,
		Recipients: recipientsFrom(ctx, client), Leaked: leaks.Found, Held: provision.HeldByRequest(held),
	})
	if err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	for _, l := range plan.Lines() {
		linef(stdout, "%s", l)
	}
	if len(plan.Changes) == 0 {
		sayf(stderr, "no changes: the keys in %s match the decisions in force (%s)", where, keyCount(reg))
		if err := reportHeld(ctx, client, held, plan, *confirm, stderr); err != nil {
			errorf(stderr, "%s", err)
			return 1
		}
		if code := writeKeys(*keysOut, reg, stderr); code != 0 {
			return code
		}
		return saveRun(ctx, backend, next, leaks, reg, stderr)
	}
	sayf(stderr, "plan: %s (%s in %s)", plan.Summary(), keyCount(reg), where)
	mass := plan.Removals() > *maxRemovals && !*allowMass
	if !*confirm {
		if mass {
			warningf(stderr, "the plan suspends or revokes %d keys, more than --max-removals %d allows; applying it will need --allow-mass-change", plan.Removals(), *maxRemovals)
		}
		sayf(stderr, "this is a plan; nothing was changed. Run again with --confirm to apply it")
		if err := reportHeld(ctx, client, held, plan, false, stderr); err != nil {
			errorf(stderr, "%s", err)
			return 1
		}
		return writeKeys(*keysOut, reg, stderr)
	}
	if mass {
		errorf(stderr, "the plan suspends or revokes %d keys, more than --max-removals %d allows in one run; nothing was changed", plan.Removals(), *maxRemovals)
		hintf(stderr, "check every line of the plan; if it is right, run again with --allow-mass-change")
		return 1
	}
	needsDelivery := plan.Count()[provision.OpIssue]+plan.Count()[provision.OpRotate]+plan.Count()[provision.OpDeliver] > 0
	var deliver provision.Deliverer = &provision.FolderDelivery{Dir: *deliverTo, Today: today, DryRun: !*confirm}
	if *deliverTo == "" {
		if needsDelivery && client == nil {
			errorf(stderr, "the plan delivers keys, and there is nowhere to deliver them: give --deliver-to DIR, or GITHUB_TOKEN and GITHUB_REPOSITORY to comment on the pull requests; nothing was changed")
			return 1
		}
		deliver = &provision.CommentDelivery{GitHub: client, Today: today, Registry: reg, PullRequest: mergedBy(*dir, *branch, client)}
	}
	env := provision.Env{
		Prefix: repo.Config.Keys.Prefix, NewKey: keys.New, Seal: seal.Seal,
		Save:    provision.SaveRegistry(backend),
		Deliver: deliver,
		Today:   today,
		Log:     func(line string) { sayf(stderr, "%s", line) },
	}
	if err := provision.Apply(ctx, plan, reg, env); err != nil {
		for _, e := range unwrapJoined(err) {
			errorf(stderr, "%s", e)
		}
		hintf(stderr, "run docket provision again: it finishes what this run could not")
		return 1
	}
	sayf(stderr, "applied: %s (%s in %s)", plan.Summary(), keyCount(reg), where)
	if err := reportHeld(ctx, client, held, plan, true, stderr); err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	if code := writeKeys(*keysOut, reg, stderr); code != 0 {
		return code
	}
	return saveRun(ctx, backend, next, leaks, reg, stderr)
}

// writeKeys writes the registry to path (for docket build --keys), when one is given. It is the
// registry as saved: with --confirm, after the run; without, as it was.
func writeKeys(path string, reg *registry.Registry, stderr io.Writer) int {
	if path == "" {
		return 0
	}
	data, err := reg.Encode()
	if err == nil {
		err = state.WriteFileAtomic(path, data, 0o644)
	}
	if err != nil {
		errorf(stderr, "--keys-out: %s", err)
		return 1
	}
	return 0
}

// saveRun records how far this run looked, for the next; a dry-run backend writes nothing.
func saveRun(ctx context.Context, b state.Backend, run *provision.Run, leaks *provision.Leaks, reg *registry.Registry, stderr io.Writer) int {
	if l := leaks.Unresolved(reg); len(l) > 0 {
		run.Leaked = l
	}
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
	r, err := gitrepo.Open(dir)
	if err != nil {
		if leaks.Any() {
			warningf(stderr, "%s is not a git repository, so pull requests and commits were not searched for leaked keys", dir)
		}
		return next
	}
	head, err := r.Commit("HEAD")
	if err != nil {
		warningf(stderr, "the repository has no commit, so nothing was searched for leaked keys")
		return next
	}
	next.Commit = head.Hash.String()
	refs, err := r.Refs(prefix)
	if err != nil {
		warningf(stderr, "pull requests were not searched for leaked keys: %s", err)
		return next
	}
	seen := map[gitrepo.Hash]bool{}
	names := slices.Sorted(maps.Keys(refs))
	for _, name := range names {
		if !leaks.Any() || last.Scanned[name] == refs[name] {
			next.Scanned[name] = refs[name]
			continue
		}
		where := pullWhere(name, prefix)
		if err := r.AddedTexts(name, "HEAD", maxScanCommits, seen, func(text string) { leaks.Scan(where, text) }); err != nil {
			warningf(stderr, "%s was not searched for leaked keys: %s", where, err)
			continue
		}
		next.Scanned[name] = refs[name]
	}
	if leaks.Any() && last.Commit != "" && last.Commit != next.Commit {
		where := "a commit pushed to the default branch"
		if err := r.AddedTexts("HEAD", last.Commit, maxScanCommits, seen, func(text string) { leaks.Scan(where, text) }); err != nil {
			warningf(stderr, "the commits since %s were not searched for leaked keys: %s", short(last.Commit), err)
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

// recipientsFrom says whom a request's key is encrypted to: the request's age recipient, or the
// requester's SSH keys on GitHub.
func recipientsFrom(ctx context.Context, client *gh.Client) func(rec *docket.Record) ([]seal.Recipient, string, error) {
	return func(rec *docket.Record) ([]seal.Recipient, string, error) {
		req := rec.Request
		if req.Delivery != nil && req.Delivery.AgeRecipient != "" {
			r, err := seal.AgeRecipient(req.Delivery.AgeRecipient)
			if err != nil {
				// validate refuses such a request, so this is not reached from a valid docket
				return nil, "delivery.age_recipient is not an age public key", nil
			}
			return []seal.Recipient{r}, "", nil
		}
		login := req.Requester.GitHub
		if client == nil {
			return nil, fmt.Sprintf("the request names no delivery.age_recipient, and without GITHUB_TOKEN and GITHUB_REPOSITORY the SSH keys of @%s cannot be read", login), nil
		}
		lines, err := client.SSHKeys(ctx, login)
		if err != nil {
			return nil, "", err
		}
		rs, skipped := seal.SSHRecipients(lines)
		if len(rs) == 0 {
			why := fmt.Sprintf("@%s has no ed25519 or RSA SSH key on GitHub and the request names no delivery.age_recipient; the key is issued once they add one", login)
			if len(skipped) > 0 {
				why += " (keys of other types cannot be used: " + strings.Join(skipped, ", ") + ")"
			}
			return nil, why, nil
		}
		return rs, "", nil
	}
}

// mergedBy finds the pull request that merged a request's decision: the commit of the default
// branch that last changed decision.yaml, and the pull request GitHub says brought it in.
func mergedBy(dir, branch string, client *gh.Client) func(ctx context.Context, rec *docket.Record) (int, error) {
	return func(ctx context.Context, rec *docket.Record) (int, error) {
		r, err := gitrepo.Open(dir)
		if err != nil {
			return 0, fmt.Errorf("--repo %s is not a git repository, so the pull request that merged the decision cannot be found: %w", dir, err)
		}
		p := docket.RequestsDir + "/" + rec.ID + "/" + docket.DecisionFile
		sha, err := r.LastChange("HEAD", p, maxScanCommits)
		if err != nil {
			return 0, err
		}
		pr, err := client.MergedPullRequest(ctx, sha, branch)
		if errors.Is(err, gh.ErrNoPullRequest) {
			return 0, fmt.Errorf("the decision was not merged through a pull request (commit %s), so there is no pull request to post the key on; deliver it with --deliver-to", short(sha))
		}
		if err != nil {
			return 0, err
		}
		return pr.Number, nil
	}
}

// keyCount says how many keys a registry holds and how many are active.
func keyCount(reg *registry.Registry) string {
	active := 0
	for _, k := range reg.Keys {
		if k.Status == registry.StatusActive {
			active++
		}
	}
	return fmt.Sprintf("%s, %d active", docket.Count(len(reg.Keys), "key", "keys"), active)
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
