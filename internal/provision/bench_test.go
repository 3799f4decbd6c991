package provision

import (
	"fmt"
	"testing"

	"github.com/opendata-docket/docket/internal/registry"
)

// BenchmarkPlan plans 10,000 approved requests: against an empty registry (10,000 keys to
// issue, each recipient parsed) and against a registry that already matches (nothing to do,
// every key compared with its decision).
func BenchmarkPlan(b *testing.B) {
	const n = 10_000
	w := newWorld(b)
	empty := registry.New()
	full := registry.New()
	for i := range n {
		id := fmt.Sprintf("request-%05d", i)
		w.records = append(w.records, w.approved(id))
		k := key(id+"-1", id, registry.StatusActive)
		k.NotAfter = decided.AddDays(300)
		full.Keys = append(full.Keys, k)
	}
	for name, reg := range map[string]*registry.Registry{"empty-registry": empty, "converged-registry": full} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				p, err := Compute(Input{Config: w.cfg, Records: w.records, Registry: reg, Today: today, Recipients: recipientsOf})
				if err != nil {
					b.Fatal(err)
				}
				if name == "empty-registry" && len(p.Changes) != n || name == "converged-registry" && len(p.Changes) != 0 {
					b.Fatalf("%s: %d changes", name, len(p.Changes))
				}
			}
		})
	}
}
