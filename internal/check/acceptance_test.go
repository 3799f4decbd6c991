package check

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

func acceptance(by, terms string, extra ...string) string {
	return "accepted_by: " + by + "\ndate: 2026-11-21\nterms_version: \"" + terms + "\"\n" + strings.Join(extra, "")
}

const acc = "requests/granted/acceptance.yaml"

// Only the requester accepts the terms, once, for the terms the decision names; afterwards they
// may only ask for new keys, at the end.
func TestAcceptancePolicy(t *testing.T) {
	accepted := base.With(acc, acceptance("rita", "2026-01"))
	leaked := "new_keys:\n  - {date: 2026-11-25, reason: leaked}\n"
	tests := []struct {
		name  string
		actor string
		base  bool // start from a base where rita has accepted already
		head  string
		want  []string
	}{
		{"the requester accepts", "rita", false, acceptance("rita", "2026-01"), nil},
		{"staff cannot accept for the requester", "staff-ann", false, acceptance("rita", "2026-01"),
			[]string{acc + ":1:1: only the requester may accept the terms of a key; staff cannot accept them on their behalf"}},
		{"someone else cannot", "dan", false, acceptance("rita", "2026-01"),
			[]string{acc + ":1:1: this request belongs to @rita; only they or staff may change its files. To ask for something yourself, open a new request in a folder of your own"}},
		{"other terms", "rita", false, acceptance("rita", "2025-07"),
			[]string{acc + `:3:16: terms_version: the decision names terms 2026-01; accept exactly those (write terms_version: "2026-01")`}},
		{"not yet approved", "rita", false, "", nil}, // see below
		{"a new key asked for", "rita", true, acceptance("rita", "2026-01", leaked), nil},
		{"acceptance rewritten", "rita", true, strings.Replace(acceptance("rita", "2026-01"), "2026-11-21", "2026-11-22", 1),
			[]string{acc + `:3:16: terms_version: the terms 2026-01 were accepted on 2026-11-21 and that is part of the record; to ask for a new key, add an entry to new_keys`}},
	}
	for _, tc := range tests {
		if tc.head == "" {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			b := base
			if tc.base {
				b = accepted
			}
			res := runOn(t, b, b.With(acc, tc.head), tc.actor, Options{})
			if got := errorsOf(res); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("errors:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
	t.Run("not yet approved", func(t *testing.T) {
		res := run(t, base.With("requests/open/acceptance.yaml", acceptance("rita", "2026-01")), "rita", Options{})
		want := []string{"requests/open/acceptance.yaml:1:1: terms are accepted after an approval, and this request has no decision yet"}
		if got := errorsOf(res); !reflect.DeepEqual(got, want) {
			t.Errorf("errors:\n got %q\nwant %q", got, want)
		}
	})
	t.Run("a denied request", func(t *testing.T) {
		res := run(t, base.With("requests/refused/acceptance.yaml", acceptance("dan", "2026-01")), "dan", Options{})
		want := []string{"requests/refused/acceptance.yaml:1:1: terms can be accepted once staff approve the request, and it is denied"}
		if got := errorsOf(res); !reflect.DeepEqual(got, want) {
			t.Errorf("errors:\n got %q\nwant %q", got, want)
		}
	})
	t.Run("a request for a new key already merged cannot be removed", func(t *testing.T) {
		b := base.With(acc, acceptance("rita", "2026-01", leaked))
		res := runOn(t, b, b.With(acc, acceptance("rita", "2026-01")), "rita", Options{})
		want := []string{acc + ":1:1: new_keys: changes or removes a request for a new key already merged; add a new one at the end instead"}
		if got := errorsOf(res); !reflect.DeepEqual(got, want) {
			t.Errorf("errors:\n got %q\nwant %q", got, want)
		}
	})
	t.Run("what merging does", func(t *testing.T) {
		res := run(t, base.With(acc, acceptance("rita", "2026-01")), "rita", Options{})
		want := `Merging records that @rita accepts the terms 2026-01 for "Daily 311 calls for a dashboard" (granted); the API key is then issued, encrypted so that only @rita can read it.`
		if len(res.Effects) != 1 || res.Effects[0] != want {
			t.Errorf("effects = %q", res.Effects)
		}
		res = runOn(t, accepted, accepted.With(acc, acceptance("rita", "2026-01", leaked)), "rita", Options{})
		want = `Merging asks for a new key for "Daily 311 calls for a dashboard" (granted) (leaked): it is issued and delivered like the first, and the key @rita holds is revoked at once.`
		if len(res.Effects) != 1 || res.Effects[0] != want {
			t.Errorf("effects = %q", res.Effects)
		}
	})
}

// The gate says before an approval is merged that its key could not be delivered.
func TestUndeliverableKeyIsSaid(t *testing.T) {
	edPub, _, _ := ed25519.GenerateKey(rand.Reader)
	ecPriv, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	line := func(k any) string {
		pk, err := ssh.NewPublicKey(k)
		if err != nil {
			t.Fatal(err)
		}
		return string(ssh.MarshalAuthorizedKey(pk))
	}
	head := base.With("requests/open/decision.yaml", approved("2026-11-20"))
	for _, tc := range []struct {
		name string
		keys []string
		want string
	}{
		{"an ed25519 key", []string{line(edPub), line(&ecPriv.PublicKey)}, ""},
		{"only an ECDSA key", []string{line(&ecPriv.PublicKey)}, "requests/open/decision.yaml:1:10: warning: outcome: @rita has no ed25519 or RSA SSH key on GitHub and the request names no delivery.age_recipient, so the key cannot be delivered; ask them to add an SSH key to their GitHub account or an age public key to the request (keys of other types cannot be used: ecdsa-sha2-nistp256 SHA256:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := run(t, head, "staff-ann", Options{SSHKeys: func(login string) ([]string, error) {
				if login != "rita" {
					t.Errorf("asked for the keys of %s", login)
				}
				return tc.keys, nil
			}})
			var warnings []string
			for _, f := range res.Findings {
				warnings = append(warnings, f.String())
			}
			switch {
			case tc.want == "" && len(warnings) > 0:
				t.Errorf("findings: %q", warnings)
			case tc.want != "" && (len(warnings) != 1 || !strings.HasPrefix(warnings[0], tc.want)):
				t.Errorf("findings: %q\nwant one starting %q", warnings, tc.want)
			}
			if !res.OK() {
				t.Error("a warning blocks merging")
			}
		})
	}
}
