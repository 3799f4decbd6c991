package provision

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/keys"
	"github.com/opendata-docket/docket/internal/registry"
)

// Commenter is the part of GitHub a comment delivery needs (gh.Client has it).
type Commenter interface {
	// FindComment returns the address of a bot's comment on number that contains marker.
	FindComment(ctx context.Context, number int, marker string) (string, bool, error)
	// PostComment comments on number and returns the comment's address.
	PostComment(ctx context.Context, number int, body string) (string, error)
}

// CommentDelivery posts each key's ciphertext as a comment on the pull request that merged its
// request's decision, with the exact steps to read it. Each comment carries a hidden marker
// naming the key and its hash, so a run that posted it and then failed to record it finds it
// and records it instead of posting again.
type CommentDelivery struct {
	GitHub Commenter
	// PullRequest returns the pull request that merged the record's decision.
	PullRequest func(ctx context.Context, rec *docket.Record) (int, error)
	Today       docket.Date
	// Replaced says why the key a new one replaces ended, by key id (for the requester's note).
	Registry *registry.Registry
}

// Marker is the hidden marker of a key's delivery comment.
func Marker(k *registry.Key) string {
	return fmt.Sprintf("<!-- docket:key %s sha256:%s -->", k.ID, k.SHA256)
}

// Deliver posts the comment, or finds it posted.
func (d *CommentDelivery) Deliver(ctx context.Context, k *registry.Key, rec *docket.Record) (*registry.Delivered, bool, error) {
	if rec == nil {
		return nil, false, errors.New("no request to deliver to")
	}
	n, err := d.PullRequest(ctx, rec)
	if err != nil {
		return nil, false, err
	}
	out := &registry.Delivered{Date: d.Today, Via: registry.ViaComment, PullRequest: n}
	url, found, err := d.GitHub.FindComment(ctx, n, Marker(k))
	if err != nil {
		return nil, false, err
	}
	if found {
		out.URL = url
		return out, true, nil
	}
	body := DeliveryComment(k, rec, d.replaced(k))
	if len(keys.Find(body)) > 0 {
		return nil, false, errors.New("the comment would contain a key; nothing was posted") // cannot happen: belt and braces
	}
	if out.URL, err = d.GitHub.PostComment(ctx, n, body); err != nil {
		return nil, false, err
	}
	return out, false, nil
}

func (d *CommentDelivery) replaced(k *registry.Key) *registry.Key {
	if k.Replaces == "" || d.Registry == nil {
		return nil
	}
	return d.Registry.Key(k.Replaces)
}

// DeliveryComment is the comment that hands a key to its requester: what the key allows, whom
// it is encrypted to, how to read it, and the ciphertext. It holds no key.
func DeliveryComment(k *registry.Key, rec *docket.Record, old *registry.Key) string {
	var b strings.Builder
	who := "@" + rec.Request.Requester.GitHub
	fmt.Fprintf(&b, "%s\n### Your API key %s\n\n", Marker(k), k.ID)
	fmt.Fprintf(&b, "%s, here is the API key for this request: %s.\n\n", who, terms(k.Scopes, k.Limits, k.NotAfter))
	if old != nil {
		fmt.Fprintf(&b, "It replaces %s, which no longer works (%s).\n\n", old.ID, old.Reason)
	}
	var ssh, age []string
	for _, r := range k.Delivery.Recipients {
		if r.Type == "age" {
			age = append(age, "`"+r.Fingerprint+"`")
		} else {
			ssh = append(ssh, fmt.Sprintf("`%s` (%s)", r.Fingerprint, r.Type))
		}
	}
	b.WriteString("It is encrypted with [age](https://age-encryption.org) so that only you can read it, ")
	if len(age) > 0 {
		fmt.Fprintf(&b, "to the age key in your request, %s. Save the block below as `%s.age`, then run\n\n", strings.Join(age, ", "), k.ID)
		fmt.Fprintf(&b, "```sh\nage -d -i key.txt %s.age\n```\n\n", k.ID)
		b.WriteString("with `key.txt` the identity file `age-keygen` wrote for you (or, from a clone of this repository, `go run ./cmd/docket key decrypt -i key.txt " + k.ID + ".age`).")
	} else {
		fmt.Fprintf(&b, "to the SSH keys of your GitHub account: %s. Save the block below as `%s.age`, then run\n\n", strings.Join(ssh, ", "), k.ID)
		fmt.Fprintf(&b, "```sh\nage -d -i ~/.ssh/id_ed25519 %s.age\n```\n\n", k.ID)
		b.WriteString("with the private key of one of them (`~/.ssh/id_rsa` for an RSA key), or, from a clone of this repository, `go run ./cmd/docket key decrypt " + k.ID + ".age`.")
	}
	fmt.Fprintf(&b, " Keep the key secret: do not commit it or paste it anywhere public. docket revokes any key it finds in a pull request or a commit, and only the key's SHA-256 hash is ever published. If you lose it, or it leaks, ask for a new one by adding an entry to `new_keys` in `requests/%s/%s`.\n\n", rec.ID, docket.AcceptanceFile)
	fmt.Fprintf(&b, "```\n%s```\n", k.Delivery.Ciphertext)
	return b.String()
}
