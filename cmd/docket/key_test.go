package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"
	"github.com/opendata-docket/docket/internal/keys"
	"github.com/opendata-docket/docket/internal/seal"
	"golang.org/x/crypto/ssh"
)

// docket key decrypt reads what the requester copies from the comment, with their SSH key or
// age identity, and prints the key. The test never prints it.
func TestKeyDecrypt(t *testing.T) {
	dir := t.TempDir()
	secret, _ := keys.New("test")
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	pk, _ := ssh.NewPublicKey(pub)
	rs, _ := seal.SSHRecipients([]string{string(ssh.MarshalAuthorizedKey(pk))})
	ageID, _ := age.GenerateX25519Identity()
	ar, _ := seal.AgeRecipient(ageID.Recipient().String())
	ct, err := seal.Seal([]byte(secret), append(rs, ar))
	if err != nil {
		t.Fatal(err)
	}
	block, _ := ssh.MarshalPrivateKey(priv, "")
	sshKey := filepath.Join(dir, "id_ed25519")
	os.WriteFile(sshKey, pem.EncodeToMemory(block), 0o600)
	ageKey := filepath.Join(dir, "key.txt")
	os.WriteFile(ageKey, []byte(ageID.String()+"\n"), 0o600)
	// As copied from the comment: the fence and the text around the block come along.
	pasted := filepath.Join(dir, "pasted.txt")
	os.WriteFile(pasted, []byte("Save the block below\n\n```\n"+ct+"```\n"), 0o644)

	for _, id := range []string{sshKey, ageKey} {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), []string{"key", "decrypt", "-i", id, pasted}, &stdout, &stderr)
		if code != 0 || strings.TrimSpace(stdout.String()) != secret {
			t.Errorf("-i %s: exit %d, %s (the key %s printed)", filepath.Base(id), code, stderr.String(), map[bool]string{true: "was", false: "was not"}[strings.Contains(stdout.String(), secret)])
		}
	}
	other, _ := age.GenerateX25519Identity()
	otherKey := filepath.Join(dir, "other.txt")
	os.WriteFile(otherKey, []byte(other.String()+"\n"), 0o600)
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"key", "decrypt", pasted, "-i", otherKey}, &stdout, &stderr); code != 1 || stdout.Len() != 0 ||
		!strings.Contains(stderr.String(), "could not decrypt it") {
		t.Errorf("another identity: exit %d, stderr %q", code, stderr.String())
	}
	if code := run(context.Background(), []string{"key"}, &stdout, &stderr); code != 2 {
		t.Errorf("docket key alone: exit %d", code)
	}
}
