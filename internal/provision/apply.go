package provision

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/keys"
	"github.com/opendata-docket/docket/internal/registry"
	"github.com/opendata-docket/docket/internal/seal"
)

// Deliverer hands sealed keys to their requesters.
type Deliverer interface {
	// Deliver hands k's ciphertext to the requester of rec, or finds that it was handed over
	// already (a file holding the same ciphertext, a comment bearing the key's marker) and says
	// so with already: a key is never delivered twice.
	Deliver(ctx context.Context, k *registry.Key, rec *docket.Record) (d *registry.Delivered, already bool, err error)
}

// Env is what Apply acts through. Every step that can fail is a field, so that a test can make
// each fail in turn.
type Env struct {
	Prefix  string                                                   // the key policy's prefix
	NewKey  func(prefix string) (string, error)                      // keys.New
	Seal    func(secret []byte, rs []seal.Recipient) (string, error) // seal.Seal
	Save    func(ctx context.Context, reg *registry.Registry, message string) error
	Deliver Deliverer
	Today   docket.Date
	// Log receives one line for each thing done, in plain words, with no secret in it.
	Log func(line string)
}

// Apply carries out p on reg (the registry p was computed from), in three steps:
//
//  1. every key to issue is generated, sealed to its recipients and added to the registry as
//     pending, with its hash and ciphertext; statuses and terms change; the registry is saved.
//     The key itself is dropped once sealed.
//  2. every pending key whose request wants it is delivered (or found already delivered), and
//     becomes active; any other key of its request still working is revoked as replaced.
//  3. the registry is saved again.
//
// A failure in step 1 or 2 for one request does not stop the others; a failure to save stops
// the run. Whatever the failure, running again converges: a key whose save failed was never
// delivered, and a key delivered but not recorded is found by the deliverer and recorded.
func Apply(ctx context.Context, p *Plan, reg *registry.Registry, env Env) error {
	var failed []error
	fail := func(c Change, err error) {
		failed = append(failed, fmt.Errorf("%s: %w", c.Key, err))
	}
	var did []string
	var saved []Change
	for _, c := range p.Changes {
		if c.Op == OpDeliver {
			continue
		}
		if c.Op == OpIssue || c.Op == OpRotate {
			k, err := issue(env, c)
			if err != nil {
				fail(c, err)
				continue
			}
			reg.Keys = append(reg.Keys, k)
			did, saved = append(did, string(c.Op)+" "+c.Key), append(saved, c)
			continue
		}
		k := reg.Key(c.Key)
		if k == nil {
			fail(c, errors.New("not in the registry"))
			continue
		}
		switch c.Op {
		case OpUpdate:
			k.Scopes, k.Limits, k.NotAfter = slices.Clone(c.Scopes), c.Limits, c.NotAfter
		case OpSuspend:
			k.Status, k.Reason = registry.StatusSuspended, c.Why
		case OpReinstate:
			k.Status, k.Reason = registry.StatusActive, c.Why
		case OpRevoke:
			k.Status, k.Reason = registry.StatusRevoked, c.Why
		case OpExpire:
			k.Status, k.Reason = registry.StatusExpired, c.Why
		}
		k.Changed = env.Today
		did, saved = append(did, string(c.Op)+" "+c.Key), append(saved, c)
	}
	if len(did) > 0 {
		if err := env.Save(ctx, reg, "provision: "+strings.Join(did, ", ")); err != nil {
			return errors.Join(append(failed, fmt.Errorf("saving the key registry: %w; nothing was delivered, and the next run starts again from the saved registry", err))...)
		}
		for _, c := range saved {
			env.Log(done(c))
		}
	}

	var delivered []string
	for _, c := range p.Changes {
		if c.Op != OpIssue && c.Op != OpRotate && c.Op != OpDeliver {
			continue
		}
		k := reg.Key(c.Key)
		if k == nil || k.Status != registry.StatusPending {
			continue // not issued (its failure is reported), or no longer pending
		}
		d, already, err := env.Deliver.Deliver(ctx, k, c.rec)
		if err != nil {
			fail(c, fmt.Errorf("delivering: %w; it stays pending and is delivered on the next run", err))
			continue
		}
		k.Delivery.Delivered = d
		activate(reg, k, env.Today)
		delivered = append(delivered, k.ID)
		if already {
			env.Log(fmt.Sprintf("found %s already delivered to %s; recorded it", k.ID, where(d)))
		} else {
			env.Log(fmt.Sprintf("delivered %s to %s", k.ID, where(d)))
		}
	}
	if len(delivered) > 0 {
		if err := env.Save(ctx, reg, "provision: delivered "+strings.Join(delivered, ", ")); err != nil {
			return errors.Join(append(failed, fmt.Errorf("saving the key registry after delivering %s: %w; the next run finds the deliveries and records them", strings.Join(delivered, ", "), err))...)
		}
	}
	return errors.Join(failed...)
}

// issue generates a key, seals it and returns its registry entry. The key is not kept.
func issue(env Env, c Change) (*registry.Key, error) {
	secret, err := env.NewKey(env.Prefix)
	if err != nil {
		return nil, fmt.Errorf("generating the key: %w", err)
	}
	sum := keys.Hash(secret)
	// The key leaves this function only sealed. (Go cannot wipe a string; it is garbage as
	// soon as this returns, and it is never logged, wrapped in an error or stored.)
	ct, err := env.Seal([]byte(secret), c.Recipients)
	if err != nil {
		return nil, fmt.Errorf("encrypting the key: %w", err)
	}
	rs := make([]registry.Recipient, len(c.Recipients))
	for i, r := range c.Recipients {
		rs[i] = registry.Recipient{Type: r.Type, Fingerprint: r.Fingerprint}
	}
	return &registry.Key{
		ID: c.Key, Request: c.Request, SHA256: sum,
		Scopes: slices.Clone(c.Scopes), Limits: c.Limits, NotAfter: c.NotAfter,
		Status: registry.StatusPending, Reason: c.Why, Created: env.Today, Changed: env.Today,
		Replaces: c.Replaces, Rotation: c.Rotation,
		Delivery: registry.Delivery{Recipients: rs, Ciphertext: ct},
	}, nil
}

// activate makes a delivered key active and revokes every other key of its request that still
// works: a request never has two active keys, and a replaced key ends when its successor is in
// the requester's hands.
func activate(reg *registry.Registry, k *registry.Key, today docket.Date) {
	for _, o := range reg.Keys {
		if o.Request == k.Request && o != k && !o.Status.Final() {
			o.Status, o.Reason, o.Changed = registry.StatusRevoked, "replaced by "+k.ID, today
		}
	}
	k.Status, k.Changed = registry.StatusActive, today
	k.Reason = "delivered"
}

// done says what a change did, once saved.
func done(c Change) string {
	switch c.Op {
	case OpIssue, OpRotate:
		return fmt.Sprintf("issued %s for @%s and saved its hash and ciphertext", c.Key, c.Owner)
	case OpUpdate:
		return fmt.Sprintf("updated %s: %s", c.Key, strings.Join(c.Diff, "; "))
	case OpSuspend:
		return fmt.Sprintf("suspended %s: %s", c.Key, c.Why)
	case OpReinstate:
		return fmt.Sprintf("reinstated %s: %s", c.Key, c.Why)
	case OpRevoke:
		return fmt.Sprintf("revoked %s: %s", c.Key, c.Why)
	case OpExpire:
		return fmt.Sprintf("expired %s: %s", c.Key, c.Why)
	}
	return string(c.Op) + " " + c.Key
}

func where(d *registry.Delivered) string {
	switch d.Via {
	case registry.ViaFile:
		return d.File
	case registry.ViaComment:
		return fmt.Sprintf("pull request #%d", d.PullRequest)
	}
	return d.Via
}
