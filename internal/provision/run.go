package provision

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"

	"github.com/opendata-docket/docket/internal/state"
)

// RunFile is the provision run record in the state, next to keys.json.
const RunFile = "provision.json"

// Run is what one provision run leaves for the next: how far it looked. It holds no secret.
type Run struct {
	Version int `json:"version"`
	// Commit is the commit of the default branch the last applied run acted on; the next run
	// looks at the commits after it.
	Commit string `json:"commit,omitempty"`
	// Scanned holds, per pull-request reference, the commit whose history was last searched for
	// leaked keys; a reference that has not moved is not searched again.
	Scanned map[string]string `json:"scanned,omitempty"`
	// Held are changes of the default branch that did not pass the gate; their requests are not
	// acted on while the files are as those changes left them.
	Held []Held `json:"held,omitempty"`
	// Leaked are keys found leaked that were not revoked yet (hex SHA-256 → where): the
	// commits they were found in are not searched again, so a found leak is kept until a run
	// revokes the key.
	Leaked map[string]string `json:"leaked,omitempty"`
}

// Held is a change to a request's file that docket check's policy refuses (pushed without a
// pull request, or merged while the gate was red). Nothing is done for the request while the
// file is the version that change left; a later change to it, checked in its turn, releases it.
type Held struct {
	Request string `json:"request"`
	Path    string `json:"path"`
	Blob    string `json:"blob"` // the file's version after the change; empty when it removed the file
	Commit  string `json:"commit"`
	Why     string `json:"why"`
}

// LoadRun reads the run record; there is none before the first run.
func LoadRun(ctx context.Context, b state.Backend) (*Run, error) {
	data, err := b.Read(ctx, RunFile)
	if errors.Is(err, fs.ErrNotExist) {
		return &Run{Version: 1, Scanned: map[string]string{}}, nil
	}
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	r := &Run{}
	if err := dec.Decode(r); err != nil {
		return nil, fmt.Errorf("reading %s: %w", RunFile, err)
	}
	if r.Version != 1 {
		return nil, fmt.Errorf("%s is version %d; this docket reads version 1", RunFile, r.Version)
	}
	if r.Scanned == nil {
		r.Scanned = map[string]string{}
	}
	return r, nil
}

// Encode returns the run record as indented JSON.
func (r *Run) Encode() ([]byte, error) {
	return json.MarshalIndent(r, "", "  ")
}
