// Package seal encrypts an issued API key so that only its requester can read it, with age
// (filippo.io/age): to the age public key the request names (delivery.age_recipient), or else to
// the requester's public SSH keys on GitHub (ed25519 and RSA, through filippo.io/age/agessh).
// The result is ASCII-armored, so it can be posted in a pull-request comment or written to a
// file, and it is public: what is sealed here is safe to publish. This is the one package that
// imports age for encryption; the plaintext key is handed in and never kept.
package seal

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"filippo.io/age"
	"filippo.io/age/agessh"
	"filippo.io/age/armor"
	"golang.org/x/crypto/ssh"
)

// Recipient is a public key a key can be sealed to.
type Recipient struct {
	// Type is "age" for an age X25519 public key, or the SSH key type (ssh-ed25519, ssh-rsa).
	Type string
	// Fingerprint names the key publicly: an age public key is its own name; an SSH key is
	// named by its SHA256 fingerprint, as ssh-keygen -l prints it.
	Fingerprint string
	r           age.Recipient
}

// String is the type and fingerprint, for messages.
func (r Recipient) String() string { return r.Type + " " + r.Fingerprint }

// AgeRecipient parses an age public key (age1…).
func AgeRecipient(s string) (Recipient, error) {
	r, err := age.ParseX25519Recipient(strings.TrimSpace(s))
	if err != nil {
		return Recipient{}, fmt.Errorf("%q is not an age public key", s)
	}
	return Recipient{Type: "age", Fingerprint: r.String(), r: r}, nil
}

// SSHRecipients parses public SSH keys in authorized_keys form, as GitHub lists a user's keys.
// Keys age cannot encrypt to (ECDSA, security keys, DSA) are not recipients: each is named in
// skipped by its type and fingerprint, so the requester can be told which key to add.
func SSHRecipients(authorized []string) (rs []Recipient, skipped []string) {
	for _, line := range authorized {
		pk, _, _, _, err := ssh.ParseAuthorizedKey([]byte(line))
		if err != nil {
			skipped = append(skipped, "a key GitHub listed that could not be read")
			continue
		}
		fp := ssh.FingerprintSHA256(pk)
		switch pk.Type() {
		case ssh.KeyAlgoED25519, ssh.KeyAlgoRSA:
		default:
			skipped = append(skipped, pk.Type()+" "+fp)
			continue
		}
		r, err := agessh.ParseRecipient(strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pk))))
		if err != nil {
			skipped = append(skipped, pk.Type()+" "+fp)
			continue
		}
		rs = append(rs, Recipient{Type: pk.Type(), Fingerprint: fp, r: r})
	}
	return rs, skipped
}

// ErrNoRecipient is returned when there is nobody to seal to.
var ErrNoRecipient = errors.New("no recipient to encrypt to")

// Seal encrypts secret to every recipient (any one of them can decrypt it) and returns the
// armored ciphertext.
func Seal(secret []byte, rs []Recipient) (string, error) {
	if len(rs) == 0 {
		return "", ErrNoRecipient
	}
	ars := make([]age.Recipient, len(rs))
	for i, r := range rs {
		if r.r == nil {
			return "", fmt.Errorf("recipient %s was not parsed", r)
		}
		ars[i] = r.r
	}
	var buf bytes.Buffer
	aw := armor.NewWriter(&buf)
	w, err := age.Encrypt(aw, ars...)
	if err != nil {
		return "", fmt.Errorf("encrypting: %w", err)
	}
	if _, err := w.Write(secret); err != nil {
		return "", fmt.Errorf("encrypting: %w", err)
	}
	if err := w.Close(); err != nil {
		return "", fmt.Errorf("encrypting: %w", err)
	}
	if err := aw.Close(); err != nil {
		return "", fmt.Errorf("encrypting: %w", err)
	}
	return buf.String(), nil
}

// Open decrypts an armored ciphertext with an identity: an age identity file (AGE-SECRET-KEY-1…
// lines, as age-keygen writes) or an unencrypted SSH private key in PEM form. It is what a
// requester does with age -d -i; docket uses it only in tests and for docket key decrypt.
func Open(armored string, identity []byte) ([]byte, error) {
	var ids []age.Identity
	if bytes.Contains(identity, []byte("PRIVATE KEY-----")) {
		id, err := agessh.ParseIdentity(identity)
		if err != nil {
			return nil, fmt.Errorf("reading the SSH private key: %w", err)
		}
		ids = append(ids, id)
	} else {
		parsed, err := age.ParseIdentities(bytes.NewReader(identity))
		if err != nil {
			return nil, fmt.Errorf("reading the age identity: %w", err)
		}
		ids = parsed
	}
	r, err := age.Decrypt(armor.NewReader(strings.NewReader(armored)), ids...)
	if err != nil {
		return nil, fmt.Errorf("decrypting: %w", err)
	}
	return io.ReadAll(io.LimitReader(r, 1<<16))
}
