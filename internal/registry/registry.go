// Package registry holds keys.json, the record of every API key docket has issued: per key its
// public id, its request, the SHA-256 of the key, the scopes, limits, status and expiry the
// gateway enforces, and the delivery record (who it was encrypted to, the armored ciphertext,
// where and when it was delivered). It is docket provision's current state, kept by a backend
// of package state, and it is published with the site for gateways: it never holds a key.
// Encode refuses to write one, whatever a caller puts in.
//
// The format is versioned; schema/keys.schema.json documents it field by field.
package registry

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/keys"
)

// FileName is the registry's name in a state folder or branch, and on the site.
const FileName = "keys.json"

// Version is the format this docket reads and writes.
const Version = 1

// Status is where a key stands, as a gateway must treat it.
type Status string

const (
	// Pending: issued and sealed, not yet delivered. Nobody holds it; a gateway refuses it.
	StatusPending Status = "pending"
	// Active: delivered; a gateway accepts it within its scopes and limits until not_after.
	StatusActive    Status = "active"
	StatusSuspended Status = "suspended"
	// Revoked and expired are final: a key never comes back from either.
	StatusRevoked Status = "revoked"
	StatusExpired Status = "expired"
)

// Final reports whether a key in this status can never be used again.
func (s Status) Final() bool { return s == StatusRevoked || s == StatusExpired }

// Registry is keys.json.
type Registry struct {
	Schema  string `json:"$schema,omitempty"`
	Version int    `json:"version"`
	Keys    []*Key `json:"keys"`
}

// Key is one issued key. Everything in it is public.
type Key struct {
	ID      string        `json:"id"`      // <request-id>-<n>
	Request string        `json:"request"` // the request id
	SHA256  string        `json:"sha256"`  // hex SHA-256 of the whole key string
	Scopes  []string      `json:"scopes"`
	Limits  docket.Limits `json:"limits"`
	Status  Status        `json:"status"`
	// Reason says why the status last changed, in plain words.
	Reason   string      `json:"reason,omitempty"`
	NotAfter docket.Date `json:"not_after"` // the last day the key works
	Created  docket.Date `json:"created"`
	Changed  docket.Date `json:"changed"`
	// Replaces is the key this one replaces (a rotation, or a key revoked after a leak).
	Replaces string `json:"replaces,omitempty"`
	// Rotation is the requester's request for a new key this key answers (1 for the first);
	// 0 for a key issued on approval.
	Rotation int      `json:"rotation,omitempty"`
	Delivery Delivery `json:"delivery"`
}

// Delivery is how the key reached (or will reach) its requester.
type Delivery struct {
	Recipients []Recipient `json:"recipients"`
	Ciphertext string      `json:"ciphertext"` // ASCII-armored age file; only the recipients can read it
	Delivered  *Delivered  `json:"delivered,omitempty"`
}

// Recipient names a public key the key was encrypted to.
type Recipient struct {
	Type        string `json:"type"`        // age, ssh-ed25519 or ssh-rsa
	Fingerprint string `json:"fingerprint"` // the age public key, or an SSH key's SHA256 fingerprint
}

// Delivered says where and when the ciphertext was handed over.
type Delivered struct {
	Date        docket.Date `json:"date"`
	Via         string      `json:"via"`                    // ViaComment or ViaFile
	PullRequest int         `json:"pull_request,omitempty"` // ViaComment: the pull request
	URL         string      `json:"url,omitempty"`          // ViaComment: the comment
	File        string      `json:"file,omitempty"`         // ViaFile: the file's name
}

// Ways a ciphertext is delivered.
const (
	ViaComment = "comment" // a comment on the pull request that merged the decision
	ViaFile    = "file"    // a file <key-id>.age in a folder (docket provision --deliver-to)
)

// New returns an empty registry.
func New() *Registry { return &Registry{Version: Version, Keys: []*Key{}} }

// Of returns the keys of a request, oldest first.
func (r *Registry) Of(request string) []*Key {
	var out []*Key
	for _, k := range r.Keys {
		if k.Request == request {
			out = append(out, k)
		}
	}
	return out
}

// ByRequest indexes the keys by request, each list oldest first.
func (r *Registry) ByRequest() map[string][]*Key {
	out := make(map[string][]*Key, len(r.Keys))
	for _, k := range r.Keys {
		out[k.Request] = append(out[k.Request], k)
	}
	return out
}

// Key returns the key with the given id, or nil.
func (r *Registry) Key(id string) *Key {
	for _, k := range r.Keys {
		if k.ID == id {
			return k
		}
	}
	return nil
}

// NextID returns the id of the next key for a request, after every key it ever had.
func NextID(have []*Key, request string) string {
	n := 0
	for _, k := range have {
		if i, ok := number(k.ID, request); ok && i > n {
			n = i
		}
	}
	return keys.ID(request, n+1)
}

func number(id, request string) (int, bool) {
	s, ok := strings.CutPrefix(id, request+"-")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n > 0
}

var (
	hexSHA256 = regexp.MustCompile(`^[0-9a-f]{64}$`)
	keyID     = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*-[1-9][0-9]*$`)
)

// Check verifies what must hold of every registry docket writes: well-formed ids and hashes,
// known statuses, ids and hashes used once, and at most one active key per request.
func (r *Registry) Check() error {
	if r.Version != Version {
		return fmt.Errorf("%s is version %d; this docket reads version %d", FileName, r.Version, Version)
	}
	ids := map[string]bool{}
	sums := map[string]string{}
	active := map[string]string{}
	var errs []error
	for i, k := range r.Keys {
		where := fmt.Sprintf("keys[%d] (%s)", i, k.ID)
		switch {
		case !keyID.MatchString(k.ID) || !strings.HasPrefix(k.ID, k.Request+"-"):
			errs = append(errs, fmt.Errorf("%s: the id must be the request id and a number, like %s", where, keys.ID(k.Request, 1)))
		case ids[k.ID]:
			errs = append(errs, fmt.Errorf("%s: the id is used twice", where))
		}
		ids[k.ID] = true
		if !hexSHA256.MatchString(k.SHA256) {
			errs = append(errs, fmt.Errorf("%s: sha256 must be 64 lowercase hexadecimal digits", where))
		} else if other, ok := sums[k.SHA256]; ok {
			errs = append(errs, fmt.Errorf("%s: has the same hash as %s", where, other))
		}
		sums[k.SHA256] = k.ID
		switch k.Status {
		case StatusPending, StatusSuspended, StatusRevoked, StatusExpired:
		case StatusActive:
			if other, ok := active[k.Request]; ok {
				errs = append(errs, fmt.Errorf("%s: request %s already has an active key, %s", where, k.Request, other))
			}
			active[k.Request] = k.ID
			if k.Delivery.Delivered == nil {
				errs = append(errs, fmt.Errorf("%s: active but never delivered", where))
			}
		default:
			errs = append(errs, fmt.Errorf("%s: unknown status %q", where, k.Status))
		}
		if k.Delivery.Ciphertext == "" {
			errs = append(errs, fmt.Errorf("%s: no ciphertext", where))
		}
	}
	return errors.Join(errs...)
}

// ErrHoldsKey is returned when encoded registry text would contain an API key. It cannot
// happen unless a bug put a key where a hash or ciphertext belongs; Encode refuses rather than
// publish it.
var ErrHoldsKey = errors.New("the registry would contain an API key; nothing was written")

// ErrHoldsKeyRead is returned when a registry read holds an API key: it must not be used or
// published. The key is exposed and must be revoked.
var ErrHoldsKeyRead = errors.New("holds an API key, which must never be in the registry: revoke that key, take it out of the file, and check how it got there; nothing was built from it")

// Encode returns the registry as indented JSON, after Check, and only if no valid API key
// appears anywhere in the text.
func (r *Registry) Encode() ([]byte, error) {
	if err := r.Check(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return nil, err
	}
	if len(keys.Find(buf.String())) > 0 {
		return nil, ErrHoldsKey
	}
	return buf.Bytes(), nil
}

// Decode reads keys.json strictly: it must match schema/keys.schema.json (every required field
// present, no null where a value belongs, no unknown field), and the result must pass Check. A
// registry that breaks its schema is refused, never read as an empty one.
func Decode(data []byte) (*Registry, error) {
	r, err := decode(data)
	// The schema's messages quote what they found ("must be one of ..., not X"): an error
	// that would quote a key (a key in a status, say) is the refusal of a key instead, so that
	// no log the error reaches holds one.
	if err != nil && len(keys.Find(err.Error())) > 0 {
		return nil, fmt.Errorf("%s: %w", FileName, ErrHoldsKeyRead)
	}
	return r, err
}

func decode(data []byte) (*Registry, error) {
	if err := checkSchema(data); err != nil {
		return nil, fmt.Errorf("%s: %w", FileName, err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	r := &Registry{}
	if err := dec.Decode(r); err != nil {
		return nil, fmt.Errorf("reading %s: %w", FileName, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("reading %s: text after the registry", FileName)
	}
	if r.Keys == nil { // cannot happen past the schema; kept so that no caller sees a nil list
		return nil, fmt.Errorf("%s: keys is missing", FileName)
	}
	if err := r.Check(); err != nil {
		return nil, fmt.Errorf("%s: %w", FileName, err)
	}
	// A registry is public: one that holds a key anywhere (a reason, a scope, a ciphertext;
	// written plainly or with JSON escapes) is refused before anything is built from it.
	if len(keys.Find(string(data))) > 0 {
		return nil, fmt.Errorf("%s: %w", FileName, ErrHoldsKeyRead)
	}
	for i, k := range r.Keys {
		text, err := json.Marshal(k)
		if err != nil {
			return nil, err
		}
		if len(keys.Find(string(text))) > 0 {
			return nil, fmt.Errorf("%s: keys[%d] (%s): %w", FileName, i, k.ID, ErrHoldsKeyRead)
		}
	}
	return r, nil
}

// Clone returns a deep copy, so a plan can be applied to a copy and the original kept.
func (r *Registry) Clone() *Registry {
	out := &Registry{Schema: r.Schema, Version: r.Version, Keys: make([]*Key, len(r.Keys))}
	for i, k := range r.Keys {
		c := *k
		c.Scopes = slices.Clone(k.Scopes)
		c.Delivery.Recipients = slices.Clone(k.Delivery.Recipients)
		if k.Delivery.Delivered != nil {
			d := *k.Delivery.Delivered
			c.Delivery.Delivered = &d
		}
		out.Keys[i] = &c
	}
	return out
}
