package keys

import (
	"slices"
	"strings"
	"testing"
)

func TestNewKeysAreValid(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		k, err := New("kcod")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(k, "kcod_") || len(k) != len("kcod_")+36 {
			t.Fatalf("bad shape: %q", k)
		}
		if !Valid(k) {
			t.Fatalf("new key %q is not valid", k)
		}
		if seen[k] {
			t.Fatalf("key repeated: %q", k)
		}
		seen[k] = true
	}
}

func TestValidRejectsTampering(t *testing.T) {
	k, err := New("kcod")
	if err != nil {
		t.Fatal(err)
	}
	b := []byte(k)
	i := len("kcod_") + 3
	if b[i] == 'a' {
		b[i] = 'b'
	} else {
		b[i] = 'a'
	}
	for _, bad := range []string{string(b), k[:len(k)-1], k + "x", "kcod_" + strings.Repeat("a", 36), "KCOD" + k[4:]} {
		if Valid(bad) {
			t.Errorf("Valid(%q) = true", bad)
		}
	}
}

func TestFind(t *testing.T) {
	k, _ := New("kcod")
	text := "config:\n  token: " + k + "\n  other: kcod_" + strings.Repeat("x", 36) + "\n"
	got := Find(text)
	if len(got) != 1 || text[got[0][0]:got[0][1]] != k {
		t.Errorf("Find = %v", got)
	}
}

func TestHash(t *testing.T) {
	if got := Hash("abc"); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("Hash = %s", got)
	}
}

func TestMatches(t *testing.T) {
	k, err := New("kcod")
	if err != nil {
		t.Fatal(err)
	}
	other, _ := New("kcod")
	sum := Hash(k)
	if !Matches(k, sum) {
		t.Error("a key does not match its own hash")
	}
	for _, bad := range []string{Hash(other), sum[:63], "", strings.ToUpper(sum)} {
		if Matches(k, bad) {
			t.Errorf("Matches(key, %q) = true", bad)
		}
	}
}

// NewFrom fails when its randomness fails, rather than making a weaker key.
func TestNewFromFailingRandomness(t *testing.T) {
	if k, err := NewFrom(strings.NewReader("too short"), "kcod"); err == nil || k != "" {
		t.Errorf("NewFrom with 9 bytes of randomness = %q, %v", k, err)
	}
	for _, bad := range []string{"", "k", "KCOD", "1kcod", "kc_od", "abcdefghijk"} {
		if _, err := New(bad); err == nil {
			t.Errorf("New(%q) made a key", bad)
		}
	}
}

func TestID(t *testing.T) {
	if got := ID("bus-feed", 2); got != "bus-feed-2" {
		t.Errorf("ID = %q", got)
	}
}

// A key is found wherever it is: run together with letters, digits and underscores on either
// side, and each candidate the span may be includes the key itself.
func TestFindJoined(t *testing.T) {
	k, err := New("test")
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{k, "API_KEY_" + k, k + "X", k + "_9", "xyz" + k, "9" + k + "9", "\"" + k + "\"", "a\u00e9" + k} {
		m := Find(text)
		if len(m) != 1 {
			t.Errorf("%d keys found in a text of %d bytes (%q around it)", len(m), len(text), strings.ReplaceAll(text, k, "KEY"))
			continue
		}
		if !slices.Contains(Candidates(text[m[0][0]:m[0][1]]), k) {
			t.Errorf("the key is not among the candidates of %q", strings.ReplaceAll(text, k, "KEY"))
		}
	}
	// A changed character breaks the checksum: nothing is found.
	last := "A"
	if k[len(k)-1] == 'A' {
		last = "B"
	}
	bad := k[:len(k)-1] + last
	if len(Find("API_KEY_"+bad)) != 0 {
		t.Error("a key with a wrong checksum was found")
	}
}
