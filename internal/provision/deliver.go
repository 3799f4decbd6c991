package provision

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/registry"
	"github.com/opendata-docket/docket/internal/state"
)

// FolderDelivery writes each key's armored ciphertext to <key-id>.age in a folder (docket
// provision --deliver-to), for a requester or staff member to pass on, or for a test to read.
// With DryRun it writes nothing and reports nothing delivered.
type FolderDelivery struct {
	Dir    string
	Today  docket.Date
	DryRun bool

	swept bool // stale temporary files were removed
}

// stale names a temporary file state.WriteFileNew makes for <key-id>.age (.<key-id>.age.NNNN),
// which a run killed while writing leaves behind.
var stale = regexp.MustCompile(`^\.[a-z0-9-]+\.age\.[0-9]+$`)

// sweep removes the temporary files an interrupted run left in the delivery folder. They hold
// only ciphertext, but they are litter, and a careless copy of the folder would pass them on.
func sweep(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading the delivery folder: %w", err)
	}
	for _, e := range entries {
		if e.Type().IsRegular() && stale.MatchString(e.Name()) {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				return fmt.Errorf("removing a temporary file an earlier run left: %w", err)
			}
		}
	}
	return nil
}

// Deliver writes the file, or finds it written already with the same ciphertext.
func (f *FolderDelivery) Deliver(_ context.Context, k *registry.Key, _ *docket.Record) (*registry.Delivered, bool, error) {
	if f.DryRun {
		return nil, false, errors.New("dry run: nothing was delivered")
	}
	if !f.swept {
		f.swept = true
		if err := sweep(f.Dir); err != nil {
			return nil, false, err
		}
	}
	name := k.ID + ".age"
	d := &registry.Delivered{Date: f.Today, Via: registry.ViaFile, File: name}
	p := filepath.Join(f.Dir, name)
	have, err := os.ReadFile(p)
	switch {
	case err == nil && bytes.Equal(have, []byte(k.Delivery.Ciphertext)):
		return d, true, nil
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return nil, false, fmt.Errorf("reading %s: %w", p, err)
	case err == nil:
		// A file of another ciphertext under this name is a key delivered before, which the
		// registry does not know (a registry lost or reset, say). It may be the only copy
		// of a key someone uses: it is never overwritten.
		return nil, false, fmt.Errorf("%s holds another key's ciphertext; a delivered file is never overwritten: move it away if it is not needed, and check the registry", p)
	}
	if err := os.MkdirAll(f.Dir, 0o755); err != nil {
		return nil, false, fmt.Errorf("making the delivery folder: %w", err)
	}
	if err := state.WriteFileNew(p, []byte(k.Delivery.Ciphertext), 0o644); err != nil {
		return nil, false, err
	}
	return d, false, nil
}
