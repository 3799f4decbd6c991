package gitrepo

import (
	"context"
	"errors"
	"io/fs"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/transport/client"
	"github.com/go-git/go-git/v5/plumbing/transport/server"
	"github.com/opendata-docket/docket/internal/gitrepo/gittest"
)

// remoteAndClones makes a bare repository on disk, as GitHub's copy, and two clones of it.
func remoteAndClones(t *testing.T) (remote string, a, b string) {
	t.Helper()
	if _, err := exec.LookPath("git-upload-pack"); err != nil {
		if _, err := exec.LookPath("git"); err != nil {
			// go-git runs git-upload-pack for a remote on disk; without git, serve it in-process.
			client.InstallProtocol("file", server.DefaultServer)
			t.Cleanup(func() { client.InstallProtocol("file", nil) })
		}
	}
	dir := t.TempDir()
	remote = filepath.Join(dir, "remote.git")
	if _, err := git.PlainInit(remote, true); err != nil {
		t.Fatal(err)
	}
	for i, p := range []*string{&a, &b} {
		*p = filepath.Join(dir, string(rune('a'+i)))
		r, err := gittest.Disk(*p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := gittest.Commit(r, "main", gittest.Text("README.md", "docket"), t0, "first"); err != nil {
			t.Fatal(err)
		}
		if _, err := r.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{remote}}); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			if err := r.Push(&git.PushOptions{RemoteName: "origin", RefSpecs: []config.RefSpec{"refs/heads/main:refs/heads/main"}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return remote, a, b
}

func branch(dir string) *StateBranch {
	return &StateBranch{Dir: dir, When: func() time.Time { return t0 }}
}

func remoteFile(t *testing.T, remote, name string) string {
	t.Helper()
	s := &StateBranch{Dir: t.TempDir()}
	r, err := gittest.Disk(s.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{remote}}); err != nil {
		t.Fatal(err)
	}
	data, err := s.Read(context.Background(), name)
	if err != nil {
		t.Fatalf("reading %s from the remote: %v", name, err)
	}
	return string(data)
}

func TestStateBranch(t *testing.T) {
	ctx := context.Background()
	remote, a, b := remoteAndClones(t)

	// Before the first run there is no branch.
	sa := branch(a)
	if _, err := sa.Read(ctx, "keys.json"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Read before the branch exists: %v", err)
	}
	if err := sa.Write(ctx, map[string][]byte{"keys.json": []byte("one")}, "provision: first"); err != nil {
		t.Fatal(err)
	}
	if got := remoteFile(t, remote, "keys.json"); got != "one" {
		t.Fatalf("the remote has %q", got)
	}

	// Another writer adds another file after this run read keys.json: the push is rejected,
	// and Write puts its change on the new tip.
	sa = branch(a)
	if _, err := sa.Read(ctx, "keys.json"); err != nil {
		t.Fatal(err)
	}
	sb := branch(b)
	if err := sb.Write(ctx, map[string][]byte{"ledger.json": []byte("pull requests")}, "ledger"); err != nil {
		t.Fatal(err)
	}
	if err := sa.Write(ctx, map[string][]byte{"keys.json": []byte("two")}, "provision: second"); err != nil {
		t.Fatalf("Write after the branch moved: %v", err)
	}
	if got := remoteFile(t, remote, "keys.json"); got != "two" {
		t.Errorf("keys.json on the remote: %q", got)
	}
	if got := remoteFile(t, remote, "ledger.json"); got != "pull requests" {
		t.Errorf("the other writer's file was lost: %q", got)
	}
	// The history is linear: nothing was forced.
	rr, _ := git.PlainOpen(remote)
	ref, err := rr.Reference(plumbing.NewBranchReferenceName("docket-state"), true)
	if err != nil {
		t.Fatal(err)
	}
	tip, _ := rr.CommitObject(ref.Hash())
	if tip.Message != "provision: second\n" || tip.NumParents() != 1 {
		t.Errorf("tip %q with %d parents", tip.Message, tip.NumParents())
	}
	if p, _ := tip.Parent(0); p.Message != "ledger\n" {
		t.Errorf("the tip's parent is %q, want the other writer's commit", p.Message)
	}

	// A file someone else changed since this run read it is never overwritten.
	sa = branch(a)
	if _, err := sa.Read(ctx, "keys.json"); err != nil {
		t.Fatal(err)
	}
	sb = branch(b)
	if err := sb.Write(ctx, map[string][]byte{"keys.json": []byte("from b")}, "b"); err != nil {
		t.Fatal(err)
	}
	if err := sa.Write(ctx, map[string][]byte{"keys.json": []byte("three")}, "provision: third"); !errors.Is(err, ErrConflict) {
		t.Errorf("Write over a changed file: %v", err)
	}
	if got := remoteFile(t, remote, "keys.json"); got != "from b" {
		t.Errorf("keys.json on the remote: %q", got)
	}

	// A dry run pushes nothing; the clone's own branches are left alone.
	sa = &StateBranch{Dir: a, DryRun: true}
	if err := sa.Write(ctx, map[string][]byte{"keys.json": []byte("dry")}, "dry"); err != nil {
		t.Fatal(err)
	}
	if got := remoteFile(t, remote, "keys.json"); got != "from b" {
		t.Errorf("a dry run wrote %q", got)
	}
	ra, _ := git.PlainOpen(a)
	if _, err := ra.Reference(plumbing.NewBranchReferenceName("docket-state"), false); err == nil {
		t.Error("a local branch docket-state was made in the clone")
	}
}
