package gate

import (
	"net/url"
	"path"
	"strings"
	"unicode/utf8"
)

// canonicalPath returns the path of a call as nginx routes it ($uri, not $request_uri):
// percent-escapes decoded, runs of slashes merged, "." and ".." segments resolved, a trailing
// slash kept. The gate judges a call's scope on this path, and (through X-Docket-Upstream-Uri)
// the API behind nginx is sent this path, so that what nginx routes on, what the gate scopes on
// and what the API serves are one path: /resource/a/../b is dataset b's, and %62 is b.
//
// ok is false for a path the gate will not judge, because a server behind it may read it as
// another path: not starting with /, a bad escape, a control character, a ';' (Tomcat reads
// "/a/..;/b" as "/b"), a backslash (IIS reads "\" as "/"), an escaped '%' (a server that
// decodes twice reads %252e%252e as "..") or bytes that are not UTF-8 (%c0%ae is an old
// server's ".").
// Allocates only when the path is not already canonical.
func canonicalPath(p string) (string, bool) {
	if !strings.HasPrefix(p, "/") {
		return "", false
	}
	d, err := url.PathUnescape(p)
	if err != nil {
		return "", false
	}
	for i := 0; i < len(d); i++ {
		if c := d[i]; c < 0x20 || c == 0x7f || c == ';' || c == '\\' || c == '%' {
			return "", false
		}
	}
	if !utf8.ValidString(d) {
		return "", false
	}
	c := path.Clean(d)
	if c != "/" && strings.HasSuffix(d, "/") {
		c += "/"
	}
	return c, true
}

// upstreamURI is the URI the API behind the gate is sent for a call the gate allowed: the
// canonical path it judged (escaped) and the original query without the parameters a key is
// read from (names), bytes outside printable ASCII escaped. It returns uri itself, allocating
// nothing, when that is already so.
func upstreamURI(uri, canonical string, names []string) string {
	p, q, hasQuery := strings.Cut(uri, "?")
	keep := p == canonical && printable(p)
	if hasQuery {
		if !printable(q) || strings.IndexByte(q, '#') >= 0 {
			keep = false
		}
		for part := range strings.SplitSeq(q, "&") {
			k, _, _ := strings.Cut(part, "=")
			for _, n := range names {
				if paramIs(k, n) {
					keep = false
				}
			}
		}
	}
	if keep {
		return uri
	}
	var b strings.Builder
	b.WriteString((&url.URL{Path: canonical}).EscapedPath())
	if !hasQuery {
		return b.String()
	}
	sep := byte('?')
	for part := range strings.SplitSeq(q, "&") {
		k, _, _ := strings.Cut(part, "=")
		drop := part == ""
		for _, n := range names {
			if paramIs(k, n) {
				drop = true
			}
		}
		if drop {
			continue
		}
		b.WriteByte(sep)
		sep = '&'
		for i := 0; i < len(part); i++ {
			if c := part[i]; c <= ' ' || c >= 0x7f || c == '#' || c == '"' {
				b.WriteByte('%')
				b.WriteByte("0123456789ABCDEF"[c>>4])
				b.WriteByte("0123456789ABCDEF"[c&15])
			} else {
				b.WriteByte(c)
			}
		}
	}
	return b.String()
}

// printable reports whether s is all printable ASCII but '"' (which an upstream may choke on
// in a request line), so that it can go in a header and a request line as it is.
func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || c == '"' {
			return false
		}
	}
	return true
}
