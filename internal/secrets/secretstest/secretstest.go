// Package secretstest makes one valid-looking secret of every format internal/secrets knows, so
// tests can paste each into every place docket echoes text and check that none comes back out.
// They are made at run time, from a fixed seed, so that no secret-shaped string is written in
// the source (where other scanners would rightly flag it).
package secretstest

import (
	"math/rand/v2"
	"strings"

	"github.com/opendata-docket/docket/internal/keys"
)

// Example is one secret of a kind.
type Example struct {
	Kind   string // as secrets.Scan names it
	Secret string
}

const (
	alnum  = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	upper  = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	bech32 = "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L"
)

// Examples returns one secret of each format, the same on every call. A private key is a whole
// PEM block over several lines; OneLine makes it fit a file name.
func Examples() []Example {
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(set string, n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = set[rng.IntN(len(set))]
		}
		return string(b)
	}
	key, err := keys.New("kcod")
	if err != nil {
		panic(err)
	}
	pem := []string{"-----BEGIN OPENSSH PRIVATE KEY-----"}
	for range 4 {
		pem = append(pem, pick(alnum, 64))
	}
	pem = append(pem, "-----END OPENSSH PRIVATE KEY-----")
	return []Example{
		{"API key issued by docket", key},
		{"GitHub token", "ghp_" + pick(alnum, 36)},
		{"GitHub token", "github_pat_" + pick(alnum, 22) + "_" + pick(alnum, 59)},
		{"AWS access key", "AKIA" + pick(upper, 16)},
		{"private key", strings.Join(pem, "\n")},
		{"age secret key", "AGE-SECRET-KEY-1" + pick(bech32, 58)},
		{"Slack token", "xoxb-" + pick("0123456789", 12) + "-" + pick("0123456789", 13) + "-" + pick(alnum, 24)},
		{"Google API key", "AIza" + pick(alnum+"_-", 35)},
		{"Stripe secret key", "sk_live_" + pick(alnum, 24)},
		{"Stripe secret key", "rk_live_" + pick(alnum, 24)},
	}
}

// OneLine puts a secret on one line, joining the lines of a private key with spaces.
func OneLine(secret string) string { return strings.ReplaceAll(secret, "\n", " ") }

// Runs returns every run of n characters of secret (of each of its lines, for a private key):
// a test looks for each in what docket printed, since even part of a secret must not appear.
func Runs(secret string, n int) []string {
	var out []string
	for _, line := range strings.Split(secret, "\n") {
		for i := 0; i+n <= len(line); i++ {
			out = append(out, line[i:i+n])
		}
	}
	return out
}

// Leak returns the first run of n characters of any secret found in text, or "".
func Leak(text string, n int) string {
	for _, ex := range Examples() {
		for _, run := range Runs(ex.Secret, n) {
			if strings.Contains(text, run) {
				return run
			}
		}
	}
	return ""
}
