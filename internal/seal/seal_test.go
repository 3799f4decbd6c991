package seal

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/pem"
	"errors"
	"strings"
	"testing"

	"filippo.io/age"
	"golang.org/x/crypto/ssh"
)

const secret = "a secret made up for this test"

func TestSealToAgeRecipient(t *testing.T) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	r, err := AgeRecipient(id.Recipient().String())
	if err != nil {
		t.Fatal(err)
	}
	if r.Type != "age" || r.Fingerprint != id.Recipient().String() {
		t.Errorf("recipient = %+v", r)
	}
	armored, err := Seal([]byte(secret), []Recipient{r})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(armored, "-----BEGIN AGE ENCRYPTED FILE-----\n") || strings.Contains(armored, secret) {
		t.Fatalf("not an armored age file:\n%s", armored)
	}
	got, err := Open(armored, []byte(id.String()+"\n"))
	if err != nil || string(got) != secret {
		t.Fatalf("Open = %q, %v", got, err)
	}
	other, _ := age.GenerateX25519Identity()
	if _, err := Open(armored, []byte(other.String())); err == nil {
		t.Error("another identity opened the key")
	}
}

func TestAgeRecipientRejects(t *testing.T) {
	for _, bad := range []string{"", "age1", "ssh-ed25519 AAAA", "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8q"} {
		if _, err := AgeRecipient(bad); err == nil {
			t.Errorf("AgeRecipient(%q) accepted", bad)
		}
	}
}

func TestSealNeedsARecipient(t *testing.T) {
	if _, err := Seal([]byte(secret), nil); !errors.Is(err, ErrNoRecipient) {
		t.Errorf("Seal to nobody: %v", err)
	}
}

// GitHub lists SSH keys of every type; ed25519 and RSA keys are recipients, the others are
// named so the requester knows which key was not used.
func TestSSHRecipients(t *testing.T) {
	edPub, edPriv, _ := ed25519.GenerateKey(rand.Reader)
	rsaPriv, _ := rsa.GenerateKey(rand.Reader, 2048)
	ecPriv, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	line := func(k any) string {
		pk, err := ssh.NewPublicKey(k)
		if err != nil {
			t.Fatal(err)
		}
		return string(ssh.MarshalAuthorizedKey(pk))
	}
	rs, skipped := SSHRecipients([]string{line(edPub), line(&rsaPriv.PublicKey), line(&ecPriv.PublicKey), "not a key"})
	if len(rs) != 2 || rs[0].Type != "ssh-ed25519" || rs[1].Type != "ssh-rsa" || !strings.HasPrefix(rs[0].Fingerprint, "SHA256:") {
		t.Fatalf("recipients = %v", rs)
	}
	if len(skipped) != 2 || !strings.HasPrefix(skipped[0], "ecdsa-sha2-nistp256 SHA256:") || skipped[1] != "a key GitHub listed that could not be read" {
		t.Errorf("skipped = %q", skipped)
	}
	armored, err := Seal([]byte(secret), rs)
	if err != nil {
		t.Fatal(err)
	}
	for name, priv := range map[string]any{"ed25519": edPriv, "rsa": rsaPriv} {
		block, err := ssh.MarshalPrivateKey(priv, "")
		if err != nil {
			t.Fatal(err)
		}
		got, err := Open(armored, pem.EncodeToMemory(block))
		if err != nil || string(got) != secret {
			t.Errorf("%s: Open = %q, %v", name, got, err)
		}
	}
}
