package gate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/registry"
)

// maxRegistry bounds a registry read, from a file or over HTTP: 10,000 keys take about 15 MB,
// and reading and validating a registry takes several times its size in memory.
const maxRegistry = 64 << 20

// errUnchanged is a source's answer when the registry has not changed since the last read.
var errUnchanged = errors.New("unchanged")

// registrySource reads keys.json from wherever it is kept.
type registrySource interface {
	// read returns the registry's bytes, or errUnchanged.
	read(ctx context.Context) ([]byte, error)
	String() string
}

// fileSource reads a file, again only when its modification time or size changed.
type fileSource struct {
	path string
	last os.FileInfo // of the last read; a file renamed into place is another file
}

func (f *fileSource) String() string { return f.path }

func (f *fileSource) read(context.Context) ([]byte, error) {
	st, err := os.Stat(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errors.New("the file does not exist")
	}
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		// /dev/zero never ends and a named pipe blocks the reload forever.
		return nil, errors.New("not a regular file")
	}
	if f.last != nil && os.SameFile(f.last, st) && st.ModTime().Equal(f.last.ModTime()) && st.Size() == f.last.Size() {
		return nil, errUnchanged
	}
	file, err := os.Open(f.path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	data, err := readBounded(file)
	if err != nil {
		return nil, err
	}
	f.last = st
	return data, nil
}

// readBounded reads r to its end, refusing more than maxRegistry bytes.
func readBounded(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxRegistry+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxRegistry {
		return nil, fmt.Errorf("larger than %d MB: no registry is that large", maxRegistry>>20)
	}
	return data, nil
}

// httpSource reads a URL (the published site's keys.json), with If-None-Match and
// If-Modified-Since so an unchanged registry costs a 304.
type httpSource struct {
	url          string
	client       *http.Client
	etag, lastMo string
}

// String is the address without a password it may hold, for logs and errors.
func (h *httpSource) String() string {
	if u, err := url.Parse(h.url); err == nil {
		return u.Redacted()
	}
	return h.url
}

func (h *httpSource) read(ctx context.Context) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, h.url, nil)
	if err != nil {
		return nil, err
	}
	if h.etag != "" {
		req.Header.Set("If-None-Match", h.etag)
	}
	if h.lastMo != "" {
		req.Header.Set("If-Modified-Since", h.lastMo)
	}
	resp, err := h.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusNotModified:
		return nil, errUnchanged
	case http.StatusOK:
	default:
		return nil, fmt.Errorf("the server answered %s", resp.Status)
	}
	data, err := readBounded(resp.Body)
	if err != nil {
		return nil, err
	}
	h.etag, h.lastMo = resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	return data, nil
}

// Reloader keeps a gate's index current with a registry file or URL.
type Reloader struct {
	src     registrySource
	gate    *Gate
	catalog []docket.CatalogEntry
	loc     *time.Location
	now     func() time.Time
	log     *slog.Logger
	metrics *Metrics
}

// NewReloader returns a reloader of the registry at from (a file path, or an https:// or
// http:// URL) into g's index, with the catalog's api_paths and days in loc. client is used for
// URLs (nil: a client with a 30 s timeout).
func NewReloader(from string, g *Gate, catalog []docket.CatalogEntry, loc *time.Location, client *http.Client, log *slog.Logger, m *Metrics) *Reloader {
	var src registrySource
	if strings.HasPrefix(from, "https://") || strings.HasPrefix(from, "http://") {
		if client == nil {
			client = &http.Client{Timeout: 30 * time.Second}
		}
		// The registry decides which keys work: one fetched over https must not be taken
		// from a plain http address it redirects to, where anyone on the path can write it.
		c := *client
		c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
			if len(via) >= 10 {
				return errors.New("stopped after 10 redirects")
			}
			if via[0].URL.Scheme == "https" && req.URL.Scheme != "https" {
				return fmt.Errorf("refusing the redirect to %s: not https", req.URL.Redacted())
			}
			return nil
		}
		src = &httpSource{url: from, client: &c}
	} else {
		src = &fileSource{path: from}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if strings.HasPrefix(from, "http://") {
		log.Warn("the registry is read over plain http: anyone on the way can change which keys work; use https", "from", src.String())
	}
	return &Reloader{src: src, gate: g, catalog: catalog, loc: loc, now: g.now, log: log, metrics: m}
}

// Load reads the registry once and, if it changed and is valid (schema/keys.schema.json and
// registry.Check, through registry.Decode), swaps it in. A registry that cannot be read or is
// not valid leaves the one in use in place; the error says why, naming the source.
func (r *Reloader) Load(ctx context.Context) error {
	data, err := r.src.read(ctx)
	if errors.Is(err, errUnchanged) {
		return nil
	}
	if err == nil {
		var reg *registry.Registry
		if reg, err = registry.Decode(data); err == nil {
			var ix *Index
			if ix, err = NewIndex(reg, r.catalog, r.loc); err == nil {
				ix.loaded = r.now()
				r.gate.SetIndex(ix)
				if r.metrics != nil {
					r.metrics.Loaded(ix.loaded, ix.Size())
				}
				r.log.Info("registry loaded", "from", r.src.String(), "keys", ix.Size())
			}
		}
	}
	if err != nil {
		err = fmt.Errorf("registry %s: %w", r.src, err)
		if r.metrics != nil {
			r.metrics.ReloadFailed()
		}
		kept := "no registry yet: every call is answered 503"
		if r.gate.Index() != nil {
			kept = "keeping the last good registry"
		}
		r.log.Error("registry not loaded", "error", err.Error(), "kept", kept)
	}
	return err
}

// Run loads the registry every interval until ctx ends.
func (r *Reloader) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			_ = r.Load(ctx)
		}
	}
}
