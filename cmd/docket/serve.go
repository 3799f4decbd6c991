package main

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/opendata-docket/docket/internal/website"
)

const serveUsage = `Usage: docket serve [--repo DIR] [--addr 127.0.0.1:8080] [--as-of YYYY-MM-DD]

Builds the site like docket build, into a temporary folder, and serves it on a local address
for previewing. The repository is checked for changes every second; after a change the site is
rebuilt and served once the new build is complete. A build with errors prints them and keeps
serving the last good site. Ctrl-C stops the server and removes the temporary folders.

The site is served under the path of program.base_url, as it is published (for
https://example.github.io/docket/ that is /docket/), and an address the site does not have gets
the site's own 404 page with status 404, as GitHub Pages answers it.

Flags:
    --repo DIR          the repository to build (default: the one the current folder is in)
    --addr ADDRESS      where to listen (default: 127.0.0.1:8080; use port 0 for any free port)
` + asOfHelp + `
`

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("serve")
	dir := fs.String("repo", repoRoot(), "")
	addr := fs.String("addr", "127.0.0.1:8080", "")
	clk := addClock(fs)
	if code, ok := parseFlags(fs, serveUsage, args, stdout, stderr); !ok {
		return code
	}
	if _, err := clk.today(); err != nil {
		errorf(stderr, "%s", err)
		return 2
	}
	b, err := website.New()
	if err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	bo := &builder{site: b, dir: *dir, clock: clk, stdout: stdout, stderr: stderr, env: os.Getenv, stateBranch: "docket-state"}
	tmp, err := os.MkdirTemp("", "docket-serve-")
	if err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	defer os.RemoveAll(tmp)

	var current atomic.Pointer[servedSite]
	n := 0
	rebuild := func() {
		n++
		out := filepath.Join(tmp, fmt.Sprintf("site-%d", n))
		if bo.build(ctx, out) != 0 {
			os.RemoveAll(out)
			return
		}
		if old := current.Swap(&servedSite{dir: out, base: bo.basePath}); old != nil {
			// Requests already being served from the old folder may fail; a reload fixes them.
			os.RemoveAll(old.dir)
		}
	}
	last := fingerprint(*dir)
	rebuild()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		errorf(stderr, "listening on %s: %s", *addr, err)
		return 1
	}
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !localHost(r.Host) {
				// A web page could otherwise point a name of its own at 127.0.0.1 (DNS
				// rebinding) and read the preview, drafts included.
				http.Error(w, "docket serve answers only to localhost", http.StatusForbidden)
				return
			}
			p := current.Load()
			if p == nil {
				http.Error(w, "the site has not been built yet: see the errors where docket serve runs", http.StatusServiceUnavailable)
				return
			}
			w.Header().Set("Cache-Control", "no-store")
			p.ServeHTTP(w, r)
		}),
		ReadHeaderTimeout: 10 * time.Second,
	}
	base := "/"
	if p := current.Load(); p != nil {
		base = p.base
	}
	sayf(stderr, "serving http://%s%s (rebuilt when files change; Ctrl-C stops)", ln.Addr(), base)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()

	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = srv.Shutdown(shut)
			return 0
		case err := <-done:
			if !errors.Is(err, http.ErrServerClosed) {
				errorf(stderr, "serving: %s", err)
				return 1
			}
			return 0
		case <-tick.C:
			if fp := fingerprint(*dir); fp != last {
				last = fp
				sayf(stderr, "files changed; rebuilding")
				rebuild()
			}
		}
	}
}

// fingerprint summarises the names, sizes and modification times of the files a build reads,
// and the git files that move when a commit is made, so a change is noticed by polling.
func fingerprint(dir string) uint64 {
	h := fnv.New64a()
	add := func(p string) {
		if st, err := os.Stat(p); err == nil {
			fmt.Fprintf(h, "%s %d %d\n", p, st.Size(), st.ModTime().UnixNano())
		}
	}
	for _, p := range []string{".github/docket.yml", ".git/HEAD", ".git/logs/HEAD", ".git/packed-refs"} {
		add(filepath.Join(dir, p))
	}
	// The repository's own guide pages and style sheet addition are part of the site too.
	for _, sub := range []string{"requests", filepath.FromSlash(website.ContentDir), filepath.Dir(filepath.FromSlash(website.CustomCSS))} {
		_ = filepath.WalkDir(filepath.Join(dir, sub), func(p string, d fs.DirEntry, err error) error {
			if err == nil {
				add(p)
			}
			return nil
		})
	}
	return h.Sum64()
}

// localHost reports whether a request's Host names this machine's loopback interface.
func localHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// servedSite is one finished build and the path it is served under: the configured base URL's
// path, as the published site is, so links that must be absolute (those of the 404 page) work
// in the preview too.
type servedSite struct {
	dir  string
	base string // starts and ends with "/"
}

// ServeHTTP serves the site's files under s.base, "/" redirects there, and any address the site
// does not have gets the site's own 404 page with status 404, as GitHub Pages sends it.
func (s *servedSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/" && s.base != "/" {
		http.Redirect(w, r, s.base, http.StatusFound)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, s.base)
	if ok {
		fsys := noListing{http.Dir(s.dir)}
		name := path.Clean("/" + rest)
		if f, err := fsys.Open(name); err == nil {
			f.Close()
			r2 := new(http.Request)
			*r2 = *r
			u := *r.URL
			u.Path = "/" + rest
			u.RawPath = ""
			r2.URL = &u
			http.FileServer(fsys).ServeHTTP(w, r2)
			return
		}
	}
	body, err := os.ReadFile(filepath.Join(s.dir, website.NotFoundPage))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	w.Write(body)
}

// noListing serves files and folders' index.html, but never a listing of a folder.
type noListing struct{ fs http.FileSystem }

func (n noListing) Open(name string) (http.File, error) {
	f, err := n.fs.Open(name)
	if err != nil {
		return nil, err
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		idx, err := n.fs.Open(strings.TrimSuffix(name, "/") + "/index.html")
		if err != nil {
			f.Close()
			return nil, fs.ErrNotExist
		}
		idx.Close()
	}
	return f, nil
}
