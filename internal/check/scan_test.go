package check

import (
	"encoding/binary"
	"fmt"
	"github.com/opendata-docket/docket/internal/gitrepo"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/opendata-docket/docket/internal/gitrepo/gittest"
	"github.com/opendata-docket/docket/internal/secrets"
	"github.com/opendata-docket/docket/internal/secrets/secretstest"
	"github.com/opendata-docket/docket/internal/validate"
)

var t0 = time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)

func at(i int) time.Time { return t0.Add(time.Duration(i) * time.Minute) }

// history builds main and a pr branch from it in r, calling each step with the last commit
// made; steps return the next commit's parents (nil: the last commit) and snapshot.
type history struct {
	t    *testing.T
	r    *git.Repository
	main plumbing.Hash
	n    int
}

func newHistory(t *testing.T) *history {
	r := gittest.Memory()
	m, err := gittest.Commit(r, "main", base, at(0), "base")
	if err != nil {
		t.Fatal(err)
	}
	return &history{t: t, r: r, main: m.Hash, n: 1}
}

// commit makes a commit on branch (none when empty) and returns its id.
func (h *history) commit(branch string, s gittest.Snapshot, msg string, parents ...plumbing.Hash) plumbing.Hash {
	h.t.Helper()
	h.n++
	c, err := gittest.Commit(h.r, branch, s, at(h.n), msg, parents...)
	if err != nil {
		h.t.Fatal(err)
	}
	return c.Hash
}

func (h *history) check(actor string) *Result {
	h.t.Helper()
	res, err := Run(gitrepo.Wrap(h.r), newValidator(h.t), Options{Base: "main", Head: "pr", Actor: actor, Today: today})
	if err != nil {
		h.t.Fatal(err)
	}
	return res
}

func short(h plumbing.Hash) string { return h.String()[:12] }

func removedLater(id plumbing.Hash, kind string, line int) string {
	return fmt.Sprintf("commit %s added what looks like %s on line %d; a later commit removed it, but it stays in the history merging would bring in: rewrite the branch without it (or open a new pull request) and revoke it", short(id), secrets.Named(kind), line)
}

func onLine(kind string) string {
	return "this line contains what looks like " + secrets.Named(kind) + "; remove it from every commit of this pull request and revoke it, because a secret pushed to git stays in its history"
}

// gitleaks#1028: a merge commit can add a line of its own, which no parent has. It is scanned
// for that, and not for what it merges from either side.
func TestSecretAddedByAMergeCommit(t *testing.T) {
	token := "ghp_" + strings.Repeat("x1Y2", 9)
	h := newHistory(t)
	side := h.commit("", base.With("docs/a.txt", "side\n"), "side", h.main)
	pr1 := h.commit("", base.With("docs/b.txt", "pr\n"), "pr", h.main)
	// The merge takes both sides and adds a token in a file neither side touched.
	merge := h.commit("", base.With("docs/a.txt", "side\n", "docs/b.txt", "pr\n", "README.md", "# Requests\ntoken "+token+"\n"), "merge", pr1, side)
	h.commit("pr", base.With("docs/a.txt", "side\n", "docs/b.txt", "pr\n"), "remove", merge)
	res := h.check("maria")
	want := []string{"README.md:1:1: " + removedLater(merge, "GitHub token", 2)}
	if got := errorsOf(res); !reflect.DeepEqual(got, want) {
		t.Errorf("errors:\n got %q\nwant %q", got, want)
	}

	// A merge that brings in the base's own history, secrets and all, adds nothing of its own.
	h = newHistory(t)
	pr1 = h.commit("", base.With("docs/b.txt", "pr\n"), "pr", h.main)
	mainNext := h.commit("main", base.With("README.md", "# Requests\nold "+token+"\n"), "main moves on", h.main)
	h.commit("pr", base.With("docs/b.txt", "pr\n", "README.md", "# Requests\nold "+token+"\n"), "merge main", pr1, mainNext)
	if got := errorsOf(h.check("maria")); len(got) != 0 {
		t.Errorf("merging the base in was reported: %q", got)
	}

	// The last commit being the merge: the token is on its line.
	h = newHistory(t)
	pr1 = h.commit("", base.With("docs/b.txt", "pr\n"), "pr", h.main)
	side = h.commit("", base.With("docs/a.txt", "side\n"), "side", h.main)
	h.commit("pr", base.With("docs/a.txt", "side\n", "docs/b.txt", "pr\ntoken "+token+"\n"), "merge", pr1, side)
	want = []string{"docs/b.txt:2:7: " + onLine("GitHub token")}
	if got := errorsOf(h.check("maria")); !reflect.DeepEqual(got, want) {
		t.Errorf("errors:\n got %q\nwant %q", got, want)
	}
}

// gitleaks-action#187: the scan used to stop after 250 commits, so a token added, removed, and
// buried under 260 empty commits passed. Every commit is scanned now.
func TestSecretBuriedUnderManyCommits(t *testing.T) {
	token := "AKIA" + strings.Repeat("Q", 16)
	h := newHistory(t)
	add := h.commit("", base.With("docs/notes.txt", "aws "+token+"\n"), "add", h.main)
	last := h.commit("", base, "remove", add)
	for range 260 {
		last = h.commit("", base, "empty", last)
	}
	gittest.SetRef(h.r, "refs/heads/pr", last)
	want := []string{"docs/notes.txt:1:1: " + removedLater(add, "AWS access key", 1)}
	if got := errorsOf(h.check("maria")); !reflect.DeepEqual(got, want) {
		t.Errorf("errors:\n got %q\nwant %q", got, want)
	}
}

func utf16Of(s string, order binary.AppendByteOrder, bom bool) string {
	var b []byte
	if bom {
		b = order.AppendUint16(b, 0xfeff)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		b = order.AppendUint16(b, u)
	}
	return string(b)
}

// Files outside requests/ are scanned whatever their encoding: UTF-16 with a byte order mark (or
// without one), UTF-8 with a byte order mark, invalid UTF-8, and binary files with NUL bytes.
func TestSecretsInAnyEncoding(t *testing.T) {
	for _, ex := range secretstest.Examples() {
		text := "first line\nthe secret: " + ex.Secret + "\n"
		files := map[string]string{
			"docs/utf16le.txt":   utf16Of(text, binary.LittleEndian, true),
			"docs/utf16be.txt":   utf16Of(text, binary.BigEndian, true),
			"docs/utf16-nobom":   utf16Of(text, binary.LittleEndian, false),
			"docs/bom-utf8.txt":  "\ufeff" + text,
			"docs/latin1.txt":    "caf\xe9\n" + "the secret: " + ex.Secret + "\n",
			"site/logo.png":      "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01\x00\x00\nthe secret: " + ex.Secret + "\x00\xff\n",
			"requests/open/x.db": "\x00\x01\x02\nthe secret: " + ex.Secret + "\n",
		}
		head := base
		for p, data := range files {
			head = head.With(p, data)
		}
		res := run(t, head, "staff-ann", Options{})
		var got []string
		for _, f := range res.Findings {
			if strings.Contains(f.Message, "looks like "+secrets.Named(ex.Kind)) {
				got = append(got, fmt.Sprintf("%s:%d", f.Path, f.Line))
			}
		}
		var want []string
		for p, data := range files {
			if i := strings.Index(data, "the secret"); i >= 0 {
				want = append(want, fmt.Sprintf("%s:%d", p, 1+strings.Count(data[:i], "\n")))
			} else {
				want = append(want, p+":2") // UTF-16
			}
		}
		slices.Sort(want)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: found in\n %q\nwant\n %q", ex.Kind, got, want)
		}
		// A binary file under requests/ is refused as well as scanned.
		if !slices.ContainsFunc(errorsOf(res), func(s string) bool {
			return strings.HasPrefix(s, "requests/open/x.db:1:1: binary files are not allowed under requests/")
		}) {
			t.Errorf("%s: the binary file under requests/ was not refused: %q", ex.Kind, errorsOf(res))
		}
	}
}

// The same encodings in a commit whose secret a later commit removed.
func TestSecretsInAnyEncodingInHistory(t *testing.T) {
	token := "sk_live_" + strings.Repeat("a1B2", 6)
	for name, data := range map[string]string{
		"utf-16le":  utf16Of("x\n"+token+"\n", binary.LittleEndian, true),
		"utf-16be":  utf16Of("x\n"+token+"\n", binary.BigEndian, true),
		"no bom":    utf16Of("x\n"+token+"\n", binary.BigEndian, false),
		"invalid":   "\xff\xfex\n" + token + "\n",
		"binary":    "\x00x\n" + token + "\x00\n",
		"utf-8 bom": "\ufeffx\n" + token + "\n",
	} {
		h := newHistory(t)
		add := h.commit("", base.With("site/blob.bin", data), "add", h.main)
		h.commit("pr", base, "remove", add)
		want := []string{"site/blob.bin:1:1: " + removedLater(add, "Stripe secret key", 2)}
		if got := errorsOf(h.check("maria")); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: errors:\n got %q\nwant %q", name, got, want)
		}
	}
}

// A token in a file name, a commit message or a symbolic link's target is in the history too.
func TestSecretsOutsideFileContents(t *testing.T) {
	token := "xoxb-" + strings.Repeat("1234567890", 2) + "-abcdefghijkl"
	h := newHistory(t)
	named := h.commit("", base.With("docs/"+token+".txt", "x\n"), "add a file", h.main)
	renamed := h.commit("", base.With("docs/notes.txt", "x\n"), "rename it\n\nthe token was "+token, named)
	h.commit("pr", base.With("docs/notes.txt", "x\n").WithFile("docs/link", gittest.File{Data: "../" + token, Mode: filemode.Symlink}), "link", renamed)
	got := errorsOf(h.check("staff-ann"))
	want := []string{
		"commit " + short(renamed) + ":3:15: the message of commit " + short(renamed) + " contains what looks like a Slack token; it stays in the history merging would bring in: reword the commit (git rebase -i), push again, and revoke it",
		"docs/[redacted].txt:1:1: commit " + short(named) + " added a file whose name contains what looks like a Slack token; a later commit renamed or removed it, but it stays in the history merging would bring in: rewrite the branch without it (or open a new pull request) and revoke it",
		"docs/link:1:4: " + onLine("Slack token"),
	}
	// Another engineer's rule refuses symbolic links; only the secret findings matter here.
	got = slices.DeleteFunc(got, func(s string) bool { return !strings.Contains(s, "Slack token") })
	if !reflect.DeepEqual(got, want) {
		t.Errorf("errors:\n got %q\nwant %q", got, want)
	}
}

// A file too large to scan is refused, never scanned in part.
func TestFileTooLargeToScan(t *testing.T) {
	defer func(n int64) { maxBlob = n }(maxBlob)
	maxBlob = 1 << 10
	h := newHistory(t)
	add := h.commit("", base.With("docs/big.bin", strings.Repeat("x", 2<<10)), "add", h.main)
	h.commit("pr", base.With("docs/small.txt", "x"), "remove", add)
	want := []string{"docs/big.bin:1:1: commit " + short(add) + " added a version of this file that is larger than 0 MiB, more than docket scans for secrets, so it cannot be checked; large files do not belong in this repository: remove it from every commit of this pull request"}
	if got := errorsOf(h.check("maria")); !reflect.DeepEqual(got, want) {
		t.Errorf("errors:\n got %q\nwant %q", got, want)
	}
}

// BenchmarkScanManyCommits checks a pull request of 2,000 commits, each changing one file of a
// repository of 200 requests (a new version of a notes file, and every tenth commit a request):
// the walk, a diff per commit, and the scan of each distinct file version once.
func BenchmarkScanManyCommits(b *testing.B) {
	r := gittest.Memory()
	snap := gittest.Text(".github/docket.yml", config)
	for i := range 200 {
		snap[fmt.Sprintf("requests/request-%04d/request.yaml", i)] = gittest.File{Data: request(fmt.Sprintf("requester-%d", i))}
	}
	m, err := gittest.Commit(r, "main", snap, t0, "base")
	if err != nil {
		b.Fatal(err)
	}
	last := m.Hash
	for i := range 2000 {
		snap = snap.With("docs/notes.txt", strings.Repeat(fmt.Sprintf("line %d of the notes\n", i), 50))
		if i%10 == 0 {
			snap = snap.With("requests/bus-feed/request.yaml", request("maria")+fmt.Sprintf("# %d\n", i))
		}
		c, err := gittest.Commit(r, "", snap, at(i+1), "change", last)
		if err != nil {
			b.Fatal(err)
		}
		last = c.Hash
	}
	gittest.SetRef(r, "refs/heads/pr", last)
	v, err := validateNew()
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		res, err := Run(gitrepo.Wrap(r), v, Options{Base: "main", Head: "pr", Actor: "staff-ann", Today: today})
		if err != nil {
			b.Fatal(err)
		}
		if !res.OK() {
			b.Fatal(res.Findings)
		}
	}
}

func validateNew() (*validate.Validator, error) { return validate.New() }

// BenchmarkFindSecrets scans 8 MiB of random bytes, as a binary file is scanned.
func BenchmarkFindSecrets(b *testing.B) {
	data := make([]byte, 8<<20)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		findSecrets(data)
	}
}

// The names and e-mail addresses of a commit's author and committer reach the merged history
// too, so a token pasted there is found like one in a message.
func TestSecretsInCommitIdentity(t *testing.T) {
	for _, ex := range secretstest.Examples() {
		if ex.Kind == "private key" {
			continue // a PEM block does not fit in a name
		}
		h := newHistory(t)
		c, err := h.r.CommitObject(h.commit("", base.With("docs/a.txt", "x\n"), "a change", h.main))
		if err != nil {
			t.Fatal(err)
		}
		c.Author.Name = "alice " + ex.Secret
		c.Committer.Email = ex.Secret + "@example.org"
		obj := h.r.Storer.NewEncodedObject()
		if err := c.Encode(obj); err != nil {
			t.Fatal(err)
		}
		id, err := h.r.Storer.SetEncodedObject(obj)
		if err != nil {
			t.Fatal(err)
		}
		if err := gittest.SetRef(h.r, "refs/heads/pr", id); err != nil {
			t.Fatal(err)
		}
		got := strings.Join(errorsOf(h.check("maria")), "\n")
		for _, role := range []string{"author's name", "committer's e-mail address"} {
			want := "commit " + short(id) + ":1:1: the " + role + " of commit " + short(id) + " contains what looks like " + secrets.Named(ex.Kind)
			if !strings.Contains(got, want) {
				t.Errorf("%s in the %s: errors\n%s", ex.Kind, role, got)
			}
		}
	}
}
