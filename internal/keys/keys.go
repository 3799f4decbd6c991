// Package keys defines the API keys docket issues: `<prefix>_<30 random base62 characters><6
// base62 characters of the CRC32 of the random part>`, the shape GitHub uses for its tokens, so
// that secret scanners (docket check among them) can find a leaked key and verify its checksum
// offline, without false alarms on random text. Only a key's SHA-256 hash is ever stored.
package keys

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"io"
	"regexp"
	"strconv"
	"strings"
)

const (
	randomLen   = 30
	checksumLen = 6
	alphabet    = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
)

// pattern matches anything shaped like a key; Valid then checks its checksum.
var pattern = regexp.MustCompile(`\b[a-z][a-z0-9]{1,9}_[0-9A-Za-z]{36}\b`)

// prefixPattern is what a key's prefix may be, so that every key New makes is one Find finds.
var prefixPattern = regexp.MustCompile(`^[a-z][a-z0-9]{1,9}$`)

// New returns a new key with the given prefix, from crypto/rand.
func New(prefix string) (string, error) {
	return NewFrom(rand.Reader, prefix)
}

// NewFrom returns a new key with the given prefix whose random part is read from random, which
// must be a cryptographically secure source (crypto/rand.Reader; tests pass one that fails).
func NewFrom(random io.Reader, prefix string) (string, error) {
	if !prefixPattern.MatchString(prefix) {
		return "", fmt.Errorf("key prefix %q: want 2 to 10 lowercase letters and digits, starting with a letter", prefix)
	}
	var b strings.Builder
	b.WriteString(prefix + "_")
	buf := make([]byte, 64)
	for b.Len() < len(prefix)+1+randomLen {
		if _, err := io.ReadFull(random, buf); err != nil {
			return "", fmt.Errorf("reading randomness: %w", err)
		}
		for _, c := range buf {
			// 62*4 = 248: reject the top values so every character is equally likely.
			if c < 248 && b.Len() < len(prefix)+1+randomLen {
				b.WriteByte(alphabet[c%62])
			}
		}
	}
	body := b.String()[len(prefix)+1:]
	return b.String() + checksum(body), nil
}

// checksum is the CRC32 of s in base62, left-padded with zeros to six characters.
func checksum(s string) string {
	n := crc32.ChecksumIEEE([]byte(s))
	out := make([]byte, checksumLen)
	for i := checksumLen - 1; i >= 0; i-- {
		out[i] = alphabet[n%62]
		n /= 62
	}
	return string(out)
}

// Valid reports whether s is a well-formed key whose checksum matches.
func Valid(s string) bool {
	if !pattern.MatchString(s) || pattern.FindString(s) != s {
		return false
	}
	_, body, _ := strings.Cut(s, "_")
	return checksum(body[:randomLen]) == body[randomLen:]
}

// body is the part of a key after its prefix: an underscore, 30 random characters and the
// checksum. A key's own characters are letters and digits, so the underscore before them is
// the key's.
var body = regexp.MustCompile(`_[0-9A-Za-z]{36}`)

// Find returns the byte offsets of every valid key in text, wherever it is: also run together
// with letters, digits or underscores (API_KEY_<key>, <key>X, "x<key>"), since a key is told
// from random text by its checksum, not by what is around it. A span starts at the longest
// prefix the key may have (up to 10 lowercase letters and digits before the underscore,
// starting with a letter); when other letters run into the prefix, the key may start later in
// the span: Candidates lists each key the span may be.
func Find(text string) [][2]int {
	var out [][2]int
	for _, m := range body.FindAllStringIndex(text, -1) {
		b := text[m[0]+1 : m[1]]
		if checksum(b[:randomLen]) != b[randomLen:] {
			continue
		}
		if start, ok := prefixStart(text, m[0]); ok {
			out = append(out, [2]int{start, m[1]})
		}
	}
	return out
}

// prefixStart returns where the longest possible prefix of a key whose underscore is at
// underscore starts: at most 10 lowercase letters and digits, at least 2, the first a letter.
func prefixStart(text string, underscore int) (int, bool) {
	start, ok := underscore, false
	for i := underscore - 1; i >= 0 && underscore-i <= 10 && isPrefixByte(text[i]); i-- {
		if underscore-i >= 2 && 'a' <= text[i] && text[i] <= 'z' {
			start, ok = i, true
		}
	}
	return start, ok
}

func isPrefixByte(c byte) bool { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' }

// Candidates returns every key a span Find returned may be, longest first: the span itself and
// the same key with a shorter prefix, for when other lowercase letters or digits ran into the
// prefix. A leak finder hashes each and compares with the keys it knows.
func Candidates(span string) []string {
	u := strings.IndexByte(span, '_')
	var out []string
	for i := 0; i <= u-2; i++ {
		if c := span[i]; 'a' <= c && c <= 'z' {
			out = append(out, span[i:])
		}
	}
	return out
}

// Hash returns the hex SHA-256 of a key: the only form in which a key is stored or published.
func Hash(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// Matches reports whether key hashes to sum (a hex SHA-256 as Hash returns), comparing in
// constant time so that how long a gateway takes to refuse a key says nothing about which
// stored hash it came close to.
func Matches(key, sum string) bool {
	got := Hash(key)
	return len(sum) == len(got) && subtle.ConstantTimeCompare([]byte(got), []byte(sum)) == 1
}

// ID is the public name of the n-th key (from 1) issued for a request: <request-id>-<n>. It says
// which key is meant in the registry, on the site and in messages; it is not secret and cannot
// be used in place of the key.
func ID(request string, n int) string {
	return request + "-" + strconv.Itoa(n)
}
