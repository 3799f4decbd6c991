package provision

import (
	"context"
	"errors"
	"io/fs"

	"github.com/opendata-docket/docket/internal/registry"
	"github.com/opendata-docket/docket/internal/state"
)

// LoadRegistry reads keys.json from a state backend; a backend without one has an empty
// registry (the first run).
func LoadRegistry(ctx context.Context, b state.Backend) (*registry.Registry, error) {
	data, err := b.Read(ctx, registry.FileName)
	if errors.Is(err, fs.ErrNotExist) {
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
