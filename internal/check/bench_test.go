package check

import (
	"fmt"
	"github.com/opendata-docket/docket/internal/gitrepo"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/opendata-docket/docket/internal/gitrepo/gittest"
	"github.com/opendata-docket/docket/internal/validate"
)

// BenchmarkCheckOneFile checks a pull request that adds one request to a repository of 10,000
// requests (with decisions for a third of them), stored on disk as git objects: opening the
// repository, compiling the schemas, the merge base, the diff, validating the touched folder and
// the policy. Target: under 1 s on 2 cores.
func BenchmarkCheckOneFile(b *testing.B) {
	dir := b.TempDir()
	r, err := gittest.Disk(dir)
	if err != nil {
		b.Fatal(err)
	}
	snap := gittest.Text(".github/docket.yml", config)
	for i := range 10000 {
		id := fmt.Sprintf("request-%05d", i)
		snap["requests/"+id+"/request.yaml"] = gittest.File{Data: request(fmt.Sprintf("requester-%d", i))}
		if i%3 == 0 {
			snap["requests/"+id+"/decision.yaml"] = gittest.File{Data: approved("2026-04-01")}
		}
	}
	t0 := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	base, err := gittest.Commit(r, "main", snap, t0, "base")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := gittest.Commit(r, "pr", snap.With("requests/bus-feed/request.yaml", request("maria")), t0.Add(time.Hour), "pr", base.Hash); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		repo, err := git.PlainOpen(dir)
		if err != nil {
			b.Fatal(err)
		}
		v, err := validate.New()
		if err != nil {
			b.Fatal(err)
		}
		res, err := Run(gitrepo.Wrap(repo), v, Options{Base: "main", Head: "pr", Actor: "maria", Today: today})
		if err != nil {
			b.Fatal(err)
		}
		if !res.OK() || res.Checked != 1 {
			b.Fatalf("checked %d folders: %v", res.Checked, res.Findings)
		}
	}
}
