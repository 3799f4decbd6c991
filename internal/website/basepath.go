package website

import (
	"net/url"
	"strings"
)

// NotFoundPage is the page a static server sends for an address the site does not have.
const NotFoundPage = "404.html"

// BasePath returns the path the site is served under, from the configured base URL
// (https://example.org/docket/ gives "/docket/"), always starting and ending with a slash. It is
// "/" when the base URL is empty or not an absolute http(s) address.
func BasePath(baseURL string) string {
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "/"
	}
	p := u.EscapedPath()
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}
