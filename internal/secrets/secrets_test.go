package secrets

import (
	"reflect"
	"strings"
	"testing"

	"github.com/opendata-docket/docket/internal/keys"
)

func TestScan(t *testing.T) {
	key, err := keys.New("kcod")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join([]string{
		"title: fine",
		"token: " + key,
		"gh: ghp_" + strings.Repeat("A1b2", 9),
		"aws: AKIA" + strings.Repeat("Z", 16),
		"-----BEGIN OPENSSH PRIVATE KEY-----",
		"age: AGE-SECRET-KEY-1" + strings.Repeat("Q", 58),
		"not a key: kcod_" + strings.Repeat("a", 36),
		"not a token: ghp_short",
	}, "\n")
	want := []Match{
		{2, 8, "API key issued by docket"},
		{3, 5, "GitHub token"},
		{4, 6, "AWS access key"},
		{5, 1, "private key"},
		{6, 6, "age secret key"},
	}
	if got := Scan(text); !reflect.DeepEqual(got, want) {
		t.Errorf("Scan:\n got %+v\nwant %+v", got, want)
	}
	if got := Scan("plain text with kcod_ and AKIA and ghp_ but no secrets"); len(got) != 0 {
		t.Errorf("false positives: %+v", got)
	}
}

func TestRedact(t *testing.T) {
	key, _ := keys.New("kcod")
	gh := "ghp_" + strings.Repeat("A1b2", 9)
	in := `not "` + key + `"; also ` + gh + ` and kcod_` + strings.Repeat("a", 36)
	want := `not "[redacted]"; also [redacted] and kcod_` + strings.Repeat("a", 36)
	if got := Redact(in); got != want {
		t.Errorf("Redact:\n got %q\nwant %q", got, want)
	}
	if got := Redact("nothing here"); got != "nothing here" {
		t.Errorf("Redact changed clean text: %q", got)
	}
}
