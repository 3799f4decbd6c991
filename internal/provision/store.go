package provision

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/opendata-docket/docket/internal/registry"
	"github.com/opendata-docket/docket/internal/state"
)

// LoadRegistry reads keys.json from a state backend. A backend with neither keys.json nor a
// run record has an empty registry (the first run); one with a run record and no keys.json
// has lost its registry, and is refused: read as empty, every key would be issued again.
func LoadRegistry(ctx context.Context, b state.Backend) (*registry.Registry, error) {
	data, err := b.Read(ctx, registry.FileName)
	if errors.Is(err, fs.ErrNotExist) {
		_, rerr := b.Read(ctx, RunFile)
		switch {
		case rerr == nil:
			return nil, fmt.Errorf("%s has %s but no %s: an earlier run kept its keys there, so they cannot be taken as none; restore %s (its history is on the state branch) before provisioning again", b, RunFile, registry.FileName, registry.FileName)
		case !errors.Is(rerr, fs.ErrNotExist):
			return nil, rerr
		}
		return registry.New(), nil
	}
	if err != nil {
		return nil, err
	}
	return registry.Decode(data)
}

// SaveRegistry returns Env.Save for a state backend: the registry is encoded (which refuses
// any text holding a key) and written whole.
func SaveRegistry(b state.Backend) func(ctx context.Context, reg *registry.Registry, message string) error {
	return func(ctx context.Context, reg *registry.Registry, message string) error {
		data, err := reg.Encode()
		if err != nil {
			return err
		}
		return b.Write(ctx, map[string][]byte{registry.FileName: data}, message)
	}
}
