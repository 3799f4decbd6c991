package gitrepo

import (
	"bytes"
	"encoding/binary"
	"runtime"
	"testing"

	"github.com/go-git/go-git/v5/plumbing/format/packfile"
)

// FuzzApplyDelta holds applyDelta to go-git's PatchDelta, which it replaces in the history pass
// only to allocate once. A delta go-git makes (DiffDelta) gives its target through both; on the
// fuzzer's own bytes (mostly malformed deltas), when both make an object it is the same one.
// They differ only where git itself is stricter or looser than go-git: applyDelta, like git's
// patch_delta, refuses bytes left after the object is complete (go-git ignores them), and
// accepts an empty base or a delta shorter than 4 bytes that is otherwise whole (go-git refuses
// both up front; git never writes either).
//
//	go test -run XXX -fuzz FuzzApplyDelta ./internal/gitrepo
func FuzzApplyDelta(f *testing.F) {
	f.Add([]byte("requests/a/request.yaml\x00"), []byte("requests/b/request.yaml\x00"), []byte{})
	f.Add(bytes.Repeat([]byte("abc"), 30000), append(bytes.Repeat([]byte("abc"), 29000), 'x'), []byte{0x90, 0x01})
	f.Add([]byte("base"), []byte("new"), []byte{0x04, 0x03, 0x03, 'a', 'b', 'c', 'd'})
	f.Fuzz(func(t *testing.T, base, target, raw []byte) {
		if len(base) > 0 {
			made := packfile.DiffDelta(base, target)
			got, err := applyDelta(base, made)
			if err != nil || !bytes.Equal(got, target) {
				t.Fatalf("delta %x that go-git made: applyDelta gave %q, %v; want %q", made, got, err, target)
			}
		}
		want, wantErr := packfile.PatchDelta(base, raw)
		got, err := applyDelta(base, raw)
		switch {
		case err == nil && wantErr == nil && !bytes.Equal(got, want):
			t.Fatalf("delta %x: applyDelta made %q, PatchDelta %q", raw, got, want)
		case err == nil && wantErr != nil && len(base) > 0 && len(raw) >= 4:
			t.Fatalf("delta %x: applyDelta made %q where PatchDelta refused: %v", raw, got, wantErr)
		}
	})
}

// A delta claiming an object far larger than it can make is refused without reserving the
// claimed size: 12 bytes may not cost 512 GiB.
func TestApplyDeltaClaimsTooMuch(t *testing.T) {
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	for _, claim := range []uint64{512 << 30, MaxObjectSize} {
		delta := binary.AppendUvarint(binary.AppendUvarint(nil, 4), claim)
		delta = append(delta, 0x04, 'a', 'b', 'c', 'd')
		if _, err := applyDelta([]byte("base"), delta); err == nil {
			t.Errorf("a delta claiming %d bytes and making 4 was accepted", claim)
		}
	}
	runtime.ReadMemStats(&ms1)
	if got := ms1.TotalAlloc - ms0.TotalAlloc; got > 2*maxPrealloc {
		t.Errorf("refusing two deltas allocated %d bytes", got)
	}
}
