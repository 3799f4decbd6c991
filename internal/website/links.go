package website

import (
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// A link in what a requester writes goes where the page says it goes, or it is not a link.
//
// Browsers do not read addresses the way Go's net/url does: they strip tabs and line breaks
// anywhere, read a backslash as a slash, take https:///evil.example and https:evil.example
// as https://evil.example, drop a user name before the host (https://good.example@evil.example
// goes to evil.example), decode percent-escapes and map Unicode in host names (IDNA), and
// read hosts like 0x7f.1 as IPv4 addresses. Rather than guess at each rule, docket accepts
// only addresses that every reader agrees on, and rewrites them to one canonical form before
// they reach the page: the host docket shows is then the host the browser goes to.

// target is where a link goes.
type target struct {
	href string // the canonical address the page links to
	host string // what the link goes to, as shown: host[:port] of a web address, or an email address
	mail bool
}

// idnaProfile maps host names as browsers do (UTS #46, non-transitional, with the STD3 rules
// that keep hosts to letters, digits and hyphens).
var idnaProfile = idna.Lookup

// linkTarget checks a link's address as the browser will read it (entity references and
// backslash escapes already resolved) and returns its canonical form. It accepts:
//
//   - http:// or https:// (any case) followed by a host of letters, digits, hyphens and dots,
//     or Unicode that IDNA turns into such a host, no empty label, not ending in a number
//     unless it is a plain IPv4 address, an optional port, then nothing or / ? #;
//   - mailto: and one plain address, local@host, with no headers.
//
// No user name, no percent-escape in the host, no IPv6 literal, no backslash, no space, no
// control or invisible character anywhere. Anything else is not a link.
func linkTarget(dest string) (target, bool) {
	if !utf8.ValidString(dest) {
		return target{}, false
	}
	for _, r := range dest {
		if r == '\\' || r <= ' ' || r == 0x7f || unicode.IsSpace(r) || unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp, unicode.Zs) {
			return target{}, false
		}
	}
	lower := asciiLower(dest)
	if strings.HasPrefix(lower, "mailto:") {
		return mailTarget(dest[len("mailto:"):])
	}
	var scheme string
	switch {
	case strings.HasPrefix(lower, "https://"):
		scheme = "https"
	case strings.HasPrefix(lower, "http://"):
		scheme = "http"
	default:
		return target{}, false
	}
	rest := dest[len(scheme)+len("://"):]
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	authority, tail := rest[:end], rest[end:]
	hostPart, port := authority, ""
	if i := strings.LastIndexByte(authority, ':'); i >= 0 {
		hostPart, port = authority[:i], authority[i+1:]
	}
	host, ok := plainHost(hostPart)
	if !ok {
		return target{}, false
	}
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || len(port) > 5 || n < 0 || n > 65535 || strings.Trim(port, "0123456789") != "" {
			return target{}, false
		}
		port = strconv.Itoa(n)
		if scheme == "https" && n == 443 || scheme == "http" && n == 80 {
			port = ""
		}
	}
	if port != "" {
		host += ":" + port
	}
	href := scheme + "://" + host + escapeTail(tail)
	// net/url must read the same host, and no user.
	u, err := url.Parse(href)
	if err != nil || u.Scheme != scheme || u.Host != host || u.User != nil || u.Opaque != "" {
		return target{}, false
	}
	return target{href: href, host: host}, true
}

// mailTarget checks the address after mailto: as one plain local@host.
func mailTarget(addr string) (target, bool) {
	local, domain, ok := strings.Cut(addr, "@")
	if !ok || local == "" || len(local) > 64 {
		return target{}, false
	}
	for _, r := range local {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(".-_+", r)) {
			return target{}, false
		}
	}
	host, ok := plainHost(domain)
	if !ok {
		return target{}, false
	}
	a := local + "@" + host
	return target{href: "mailto:" + a, host: asciiLower(a), mail: true}, true
}

// plainHost turns a host as written into the ASCII host a browser resolves, or refuses it.
func plainHost(h string) (string, bool) {
	if h == "" {
		return "", false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if c < utf8.RuneSelf && !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return "", false // a user, a percent-escape, an IPv6 literal, a port in the wrong place
		}
	}
	ascii, err := idnaProfile.ToASCII(h)
	if err != nil || len(ascii) > 253 {
		return "", false
	}
	labels := strings.Split(ascii, ".")
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return "", false // an empty label, a trailing dot included
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return "", false
			}
		}
		if strings.HasPrefix(l, "xn--") {
			// Punycode must be what IDNA itself would write for the name it stands for.
			u, err := idnaProfile.ToUnicode(l)
			if err != nil {
				return "", false
			}
			if back, err := idnaProfile.ToASCII(u); err != nil || back != l {
				return "", false
			}
		}
	}
	// A host that ends in a number is an IPv4 address to a browser, in forms Go does not read
	// (0x7f.1, 2130706433, 127.1); only the plain dotted form is accepted.
	if last := labels[len(labels)-1]; isNumber(last) {
		if len(labels) != 4 {
			return "", false
		}
		for _, l := range labels {
			n, err := strconv.Atoi(l)
			if err != nil || n > 255 || strconv.Itoa(n) != l {
				return "", false
			}
		}
	}
	return ascii, true
}

// isNumber reports whether a label is a number to the WHATWG URL parser: decimal digits, or
// 0x and hexadecimal digits.
func isNumber(l string) bool {
	if strings.HasPrefix(l, "0x") {
		l = l[2:]
		return strings.Trim(l, "0123456789abcdef") == ""
	}
	return l != "" && strings.Trim(l, "0123456789") == ""
}

// escapeTail writes the part after the host in ASCII: non-ASCII characters and the ones HTML
// and URLs treat specially are percent-escaped; the rest is kept as written.
func escapeTail(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || strings.IndexByte("\"<>`{}|^'", c) >= 0 {
			b.WriteString("%" + strings.ToUpper(strconv.FormatUint(uint64(c)|0x100, 16)[1:]))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
