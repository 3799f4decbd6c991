package website

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/opendata-docket/docket/internal/testtool"
)

// Browser tests: the built site in a real headless Chromium. They need /usr/bin/chromium
// (Debian's chromium package) or DOCKET_CHROMIUM, and for the accessibility check axe-core
// from `npm ci` in site/test. Without them the tests skip, unless DOCKET_REQUIRE_TOOLS=1, as
// in CI, where a skip is a failure. Screenshots go to DOCKET_SCREENSHOTS when it is set.

// requireTool skips the test saying what is missing, or fails it under DOCKET_REQUIRE_TOOLS=1.
func requireTool(t *testing.T, msg string) {
	t.Helper()
	testtool.Missing(t, msg)
}

func chromiumBinary(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("DOCKET_CHROMIUM"); p != "" {
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	requireTool(t, "Chromium is not installed (apt-get install chromium, or set DOCKET_CHROMIUM)")
	return ""
}

// tab is one page of the browser, attached in flat mode.
type tab struct {
	t       *testing.T
	c       *chromium
	session string
}

func (c *chromium) newTab(t *testing.T) *tab {
	t.Helper()
	var target struct{ TargetID string }
	if err := c.call("", "Target.createTarget", map[string]any{"url": "about:blank"}, &target); err != nil {
		t.Fatal(err)
	}
	var att struct{ SessionID string }
	if err := c.call("", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &att); err != nil {
		t.Fatal(err)
	}
	tb := &tab{t: t, c: c, session: att.SessionID}
	for _, m := range []string{"Page.enable", "Runtime.enable", "Log.enable"} {
		tb.call(m, nil, nil)
	}
	return tb
}

func (tb *tab) call(method string, params, result any) {
	tb.t.Helper()
	if err := tb.c.call(tb.session, method, params, result); err != nil {
		tb.t.Fatal(err)
	}
}

// problems reads the events received so far and returns console errors, uncaught exceptions
// and dialogs (which it dismisses). With waitLoad it first waits for the page's load event.
func (tb *tab) problems(waitLoad bool) []string {
	tb.t.Helper()
	var out []string
	guard := time.After(90 * time.Second) // against a hang, not a measure of speed
	for {
		var m cdpMessage
		if waitLoad {
			select {
			case m = <-tb.c.events:
			case <-guard:
				tb.t.Fatal("the page did not finish loading")
			}
		} else {
			select {
			case m = <-tb.c.events:
			default:
				return out
			}
		}
		if m.SessionID != tb.session {
			continue
		}
		switch m.Method {
		case "Page.loadEventFired":
			waitLoad = false
		case "Runtime.consoleAPICalled":
			var p struct {
				Type string
				Args []struct {
					Value       any
					Description string
				}
			}
			_ = json.Unmarshal(m.Params, &p)
			if p.Type == "error" || p.Type == "assert" || p.Type == "warning" {
				out = append(out, fmt.Sprintf("console.%s: %v", p.Type, p.Args))
			}
		case "Runtime.exceptionThrown":
			out = append(out, "exception: "+string(m.Params))
		case "Log.entryAdded":
			var p struct {
				Entry struct{ Level, Source, Text, URL string }
			}
			_ = json.Unmarshal(m.Params, &p)
			if p.Entry.Level == "error" || p.Entry.Level == "warning" {
				out = append(out, fmt.Sprintf("%s %s: %s %s", p.Entry.Level, p.Entry.Source, p.Entry.Text, p.Entry.URL))
			}
		case "Page.javascriptDialogOpening":
			out = append(out, "dialog: "+string(m.Params))
			go func() { _ = tb.c.call(tb.session, "Page.handleJavaScriptDialog", map[string]any{"accept": false}, nil) }()
		}
	}
}

// open loads a file of the site and returns the problems seen while it loaded.
func (tb *tab) open(file string) []string {
	tb.t.Helper()
	return tb.openURL("file://" + filepath.ToSlash(file))
}

// openURL loads an address and returns the problems the page reported while loading.
func (tb *tab) openURL(u string) []string {
	tb.t.Helper()
	tb.problems(false) // forget what came before
	tb.call("Page.navigate", map[string]any{"url": u}, nil)
	out := tb.problems(true)
	tb.eval("1") // a round trip, so events sent right after the load are in
	return append(out, tb.problems(false)...)
}

// eval evaluates a JavaScript expression in the page and decodes its JSON-able value into v.
func (tb *tab) eval(expr string, v ...any) {
	tb.t.Helper()
	var res struct {
		Result struct {
			Value json.RawMessage
		}
		ExceptionDetails *struct {
			Text      string
			Exception struct{ Description string }
		}
	}
	tb.call("Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true, "awaitPromise": true}, &res)
	if res.ExceptionDetails != nil {
		tb.t.Fatalf("evaluating %.80q: %s %s", expr, res.ExceptionDetails.Text, res.ExceptionDetails.Exception.Description)
	}
	if len(v) > 0 {
		if err := json.Unmarshal(res.Result.Value, v[0]); err != nil {
			tb.t.Fatalf("evaluating %.80q: %v (%s)", expr, err, res.Result.Value)
		}
	}
}

// waitFor evaluates a boolean expression until it is true.
func (tb *tab) waitFor(expr string) {
	tb.t.Helper()
	var ok bool
	tb.eval(`new Promise(function (resolve) {
		var tries = 0;
		(function check() {
			if (`+expr+`) { resolve(true); return; }
			if (++tries > 600) { resolve(false); return; }
			setTimeout(check, 50);
		})();
	})`, &ok)
	if !ok {
		var state string
		tb.eval(`document.getElementById('count') ? document.getElementById('count').textContent + ' ' + location.href : location.href`, &state)
		tb.t.Fatalf("never true: %s (count: %s)", expr, state)
	}
}

func (tb *tab) screenshot(name string, width, height int, mobile bool) {
	tb.t.Helper()
	tb.call("Emulation.setDeviceMetricsOverride", map[string]any{"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}, nil)
	defer tb.call("Emulation.clearDeviceMetricsOverride", nil, nil)
	var shot struct{ Data string }
	tb.call("Page.captureScreenshot", map[string]any{"format": "png"}, &shot)
	b, err := base64.StdEncoding.DecodeString(shot.Data)
	if err != nil || len(b) < 1000 {
		tb.t.Fatalf("screenshot %s: %d bytes, %v", name, len(b), err)
	}
	dir := os.Getenv("DOCKET_SCREENSHOTS")
	if dir == "" {
		dir = tb.t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
		tb.t.Fatal(err)
	}
}

// htmlPages lists the site's pages that are opened from the file system: all but the 404 page,
// whose links start from the site's base path and which is tried on a static server instead.
func htmlPages(t *testing.T, out string) []string {
	var pages []string
	for p := range readSite(t, out) {
		if strings.HasSuffix(p, ".html") && p != NotFoundPage {
			pages = append(pages, p)
		}
	}
	sort.Strings(pages)
	return pages
}

// TestBrowserHostile opens every page built from hostile requests and checks that none of
// the payloads ran: they all set window.pwned or open a dialog.
func TestBrowserHostile(t *testing.T) {
	bin := chromiumBinary(t)
	out := buildSite(t, hostileDocket(t), nil)
	tb := startChromium(t, bin).newTab(t)
	for _, p := range htmlPages(t, out) {
		problems := tb.open(filepath.Join(out, p))
		for _, pr := range problems {
			t.Errorf("%s: %s", p, pr)
		}
		var state struct {
			Pwned   bool
			Scripts int
			Title   string
		}
		tb.eval(`({pwned: typeof window.pwned !== 'undefined', scripts: document.scripts.length, title: document.title})`, &state)
		if state.Pwned {
			t.Errorf("%s: a hostile script ran", p)
		}
		if state.Scripts > 1 {
			t.Errorf("%s: %d script elements", p, state.Scripts)
		}
	}
	// The site's own script does run under the policy, from the file system.
	tb.open(filepath.Join(out, "index.html"))
	var hidden bool
	tb.eval(`document.getElementById('filters').hidden`, &hidden)
	if hidden {
		t.Error("the filter script did not run under the Content-Security-Policy")
	}
}

// TestBrowserSite opens every page of the sample site: no console errors, filters and search
// work, keyboard users can skip to the content, screenshots at phone and desktop widths, and
// axe-core finds no serious or critical accessibility violations.
func TestBrowserSite(t *testing.T) {
	bin := chromiumBinary(t)
	out := buildSite(t, sampleDocket(t), nil)
	tb := startChromium(t, bin).newTab(t)
	pages := htmlPages(t, out)
	for _, p := range pages {
		for _, pr := range tb.open(filepath.Join(out, p)) {
			t.Errorf("%s: %s", p, pr)
		}
	}

	t.Run("filters", func(t *testing.T) {
		tb.t = t
		tb.open(filepath.Join(out, "index.html"))
		visible := `Array.prototype.filter.call(document.querySelectorAll('#requests tbody tr'), function (r) { return !r.hidden; })`
		var total int
		tb.eval(`document.querySelectorAll('#requests tbody tr').length`, &total)
		tb.eval(`(function () { var q = document.getElementById('q'); q.value = 'Streetcar WEATHER'; q.dispatchEvent(new Event('input')); return true; })()`)
		tb.waitFor(`document.getElementById('count').textContent === 'Showing 1 of ` + fmt.Sprint(total) + ` requests.'`)
		var ids []string
		tb.eval(visible+`.map(function (r) { return r.querySelector('.id').textContent; })`, &ids)
		if len(ids) != 1 || ids[0] != "streetcar-ridership-weather-study" {
			t.Errorf("search for Streetcar WEATHER shows %v", ids)
		}
		tb.eval(`(function () { var q = document.getElementById('q'); q.value = ''; q.dispatchEvent(new Event('input'));
			var s = document.getElementById('f-status'); s.value = 'approved'; s.dispatchEvent(new Event('change')); return true; })()`)
		tb.waitFor(`location.hash === '#status=approved'`)
		var statuses []string
		tb.eval(visible+`.map(function (r) { return r.getAttribute('data-status'); })`, &statuses)
		if len(statuses) == 0 || len(statuses) == total {
			t.Errorf("filtering by approved shows %d of %d rows", len(statuses), total)
		}
		for _, s := range statuses {
			if s != "approved" {
				t.Errorf("filtering by approved shows a %s request", s)
			}
		}
		// The state is in the address: opening it again gives the same rows.
		tb.call("Page.reload", nil, nil)
		tb.problems(true)
		tb.waitFor(`document.getElementById('f-status').value === 'approved' && ` + visible + `.length === ` + fmt.Sprint(len(statuses)))
		// The first Tab reaches the skip link.
		tb.call("Input.dispatchKeyEvent", map[string]any{"type": "keyDown", "key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9}, nil)
		tb.call("Input.dispatchKeyEvent", map[string]any{"type": "keyUp", "key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9}, nil)
		var focused string
		tb.eval(`document.activeElement.className`, &focused)
		if focused != "skip" {
			t.Errorf("the first Tab focuses %q, not the skip link", focused)
		}

		// On the page of one status, the status control says that status; choosing another
		// goes to that status's page, keeping the search.
		tb.open(filepath.Join(out, "status", "approved", "index.html"))
		var chosen string
		tb.eval(`document.getElementById('f-status').value`, &chosen)
		if chosen != "approved" {
			t.Errorf("on the approved page the status control says %q", chosen)
		}
		tb.eval(`(function () { var q = document.getElementById('q'); q.value = 'data'; q.dispatchEvent(new Event('input'));
			var s = document.getElementById('f-status'); s.value = 'denied'; setTimeout(function () { s.dispatchEvent(new Event('change')); }, 10); return true; })()`)
		tb.problems(true) // the new page loads
		tb.waitFor(`location.pathname.endsWith('/status/denied/index.html') && document.readyState === 'complete' && document.getElementById('f-status').value === 'denied' && document.getElementById('q').value === 'data'`)
	})

	t.Run("screenshots", func(t *testing.T) {
		tb.t = t
		for _, s := range []struct{ page, name string }{
			{"index.html", "index"},
			{"requests/fire-station-coverage-analysis/index.html", "request"},
			{"stats/index.html", "stats"},
		} {
			tb.open(filepath.Join(out, s.page))
			tb.screenshot(s.name+"-phone.png", 390, 844, true)
			tb.screenshot(s.name+"-desktop.png", 1280, 900, false)
		}
	})

	// At a phone's width and a desktop's, no page is wider than the window (wide tables scroll
	// inside their own region), and no text, chart labels included, is drawn under 12 px.
	t.Run("layout", func(t *testing.T) {
		tb.t = t
		for _, w := range []struct {
			width, height int
			mobile        bool
		}{{390, 844, true}, {1366, 900, false}} {
			tb.call("Emulation.setDeviceMetricsOverride", map[string]any{"width": w.width, "height": w.height, "deviceScaleFactor": 1, "mobile": w.mobile}, nil)
			for _, p := range pages {
				tb.open(filepath.Join(out, p))
				var got struct {
					Overflow int
					Wide     []string
					Small    []string
				}
				tb.eval(layoutProbe, &got)
				if got.Overflow > 0 {
					t.Errorf("%s at %d px: the page is %d px wider than the window; widest: %v", p, w.width, got.Overflow, got.Wide)
				}
				for _, s := range got.Small {
					t.Errorf("%s at %d px: %s", p, w.width, s)
				}
			}
		}
		tb.call("Emulation.clearDeviceMetricsOverride", nil, nil)
	})

	// The 404 page, served as GitHub Pages serves it for any missing address under the site's
	// base path, loads its style sheet and links to the site at every depth.
	t.Run("not found", func(t *testing.T) {
		tb.t = t
		base := "/docket/" // the sample configuration's base_url path
		notFound, err := os.ReadFile(filepath.Join(out, NotFoundPage))
		if err != nil {
			t.Fatal(err)
		}
		files := http.FileServer(http.Dir(out))
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if rest, ok := strings.CutPrefix(r.URL.Path, base); ok {
				if st, err := os.Stat(filepath.Join(out, filepath.FromSlash(rest))); err == nil && !st.IsDir() {
					r.URL.Path = "/" + rest
					files.ServeHTTP(w, r)
					return
				}
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			w.Write(notFound)
		}))
		defer srv.Close()
		for _, p := range []string{base + "missing", base + "requests/gone/", base + "a/b/c/d.html", "/elsewhere/x/y/"} {
			for _, pr := range tb.openURL(srv.URL + p) {
				// The page itself answers 404, as it should; so does the favicon the browser asks for.
				if !strings.Contains(pr, "404 (Not Found)") || !(strings.HasSuffix(pr, p) || strings.HasSuffix(pr, "/favicon.ico")) {
					t.Errorf("%s: %s", p, pr)
				}
			}
			var got struct {
				Heading, Header, Home string
			}
			tb.eval(`({heading: document.querySelector('h1').textContent,
				header: getComputedStyle(document.querySelector('.site-header')).backgroundColor,
				home: document.querySelector('main a[href$="index.html"]').href})`, &got)
			if got.Heading != "Page not found" || got.Header != "rgb(18, 53, 91)" || got.Home != srv.URL+base+"index.html" {
				t.Errorf("%s: heading %q, header colour %q (is the style sheet loaded?), link home %q", p, got.Heading, got.Header, got.Home)
			}
		}
	})

	t.Run("axe", func(t *testing.T) {
		tb.t = t
		axe, err := os.ReadFile(filepath.Join("..", "..", "site", "test", "node_modules", "axe-core", "axe.min.js"))
		if err != nil {
			requireTool(t, "axe-core is not installed (run npm ci in site/test)")
		}
		for _, w := range []struct {
			width, height int
			mobile        bool
		}{{390, 844, true}, {1366, 900, false}} {
			tb.call("Emulation.setDeviceMetricsOverride", map[string]any{"width": w.width, "height": w.height, "deviceScaleFactor": 1, "mobile": w.mobile}, nil)
			for _, p := range pages {
				tb.open(filepath.Join(out, p))
				for _, v := range tb.axe(axe) {
					if v.Impact == "serious" || v.Impact == "critical" {
						t.Errorf("%s at %d px: %s (%s): %s at %v", p, w.width, v.ID, v.Impact, v.Help, v.Nodes)
					} else {
						t.Logf("%s at %d px: %s (%s): %s at %v", p, w.width, v.ID, v.Impact, v.Help, v.Nodes)
					}
				}
			}
		}
		tb.call("Emulation.clearDeviceMetricsOverride", nil, nil)
	})
}

// TestBrowserLinkHosts opens every page built from hostile requests in Chromium and, for every
// link in written text (what requesters and staff write), compares the host Chromium resolves,
// new URL(a.href).host (the address, for mailto), with the host docket shows next to it: the
// one written after the link, or else the host its text names. The links fixture holds every
// form of address that Go and browsers read differently; those must not be links at all.
func TestBrowserLinkHosts(t *testing.T) {
	bin := chromiumBinary(t)
	out := buildSite(t, hostileDocket(t), nil)
	tb := startChromium(t, bin).newTab(t)
	const collect = `(function () {
		var out = [];
		document.querySelectorAll('.prose a').forEach(function (a) {
			var r = {href: a.getAttribute('href'), text: a.textContent};
			var u;
			try { u = new URL(a.href); } catch (e) { r.error = String(e); out.push(r); return; }
			var mail = u.protocol === 'mailto:';
			r.protocol = u.protocol;
			r.user = u.username + u.password;
			r.resolved = mail ? u.pathname.replace(/[A-Z]/g, function (c) { return c.toLowerCase(); }) : u.host;
			var h = a.nextElementSibling, between = a.nextSibling;
			if (h && h.classList.contains('link-host') && between && between.nodeType === 3 && between.textContent === ' ' && between.nextSibling === h) {
				r.shown = h.textContent.replace(/^\(/, '').replace(/\)$/, '');
			} else {
				var t = a.textContent.replace(/^[ \t\n]+|[ \t\n]+$/g, '').replace(/[A-Z]/g, function (c) { return c.toLowerCase(); });
				var m = (mail ? /^mailto:/ : /^https?:\/\//).exec(t);
				if (m) { t = t.slice(m[0].length); }
				r.shown = mail ? t : t.split(/[\/?#]/)[0];
			}
			out.push(r);
		});
		var refused = 0;
		document.querySelectorAll('h4').forEach(function (h) {
			if (h.textContent === 'How the data will be used') {
				refused = h.nextElementSibling.querySelectorAll('a').length;
			}
		});
		return {links: out, refused: refused};
	})()`
	total := 0
	for _, p := range htmlPages(t, out) {
		if !strings.HasPrefix(p, "requests/") {
			continue
		}
		for _, pr := range tb.open(filepath.Join(out, p)) {
			t.Errorf("%s: %s", p, pr)
		}
		var got struct {
			Links []struct {
				Href, Text, Error, Protocol, User, Resolved, Shown string
			}
			Refused int
		}
		tb.eval(collect, &got)
		for _, l := range got.Links {
			switch {
			case l.Error != "":
				t.Errorf("%s: Chromium cannot read the link %q (%q): %s", p, l.Href, l.Text, l.Error)
			case l.Protocol != "https:" && l.Protocol != "http:" && l.Protocol != "mailto:":
				t.Errorf("%s: a %s link %q", p, l.Protocol, l.Href)
			case l.User != "":
				t.Errorf("%s: the link %q carries a user name", p, l.Href)
			case l.Resolved == "" || l.Resolved != l.Shown:
				t.Errorf("%s: the link %q (%q) goes to %q in Chromium but shows %q", p, l.Href, l.Text, l.Resolved, l.Shown)
			}
		}
		if p == "requests/xss-links/index.html" {
			if got.Refused != 0 {
				t.Errorf("%s: %d addresses that Go and browsers read differently are links", p, got.Refused)
			}
			if len(got.Links) < 25 {
				t.Errorf("%s: only %d links; the fixture has more", p, len(got.Links))
			}
		}
		total += len(got.Links)
	}
	if total < 30 {
		t.Errorf("only %d links in written text on the hostile site", total)
	}
}

// layoutProbe measures the open page: how far it overflows the window sideways, which
// elements stick out past the right edge, and which text is drawn smaller than 12 px on the
// screen (for SVG text, its font size scaled as the chart is).
const layoutProbe = `(function () {
	var doc = document.documentElement, vw = doc.clientWidth;
	var wide = [], small = [];
	function name(e) {
		return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '');
	}
	document.querySelectorAll('body *').forEach(function (e) {
		var r = e.getBoundingClientRect();
		if (r.width === 0 && r.height === 0) { return; }
		if (r.right > vw + 1) {
			// Only the outermost sticking-out element inside a region that does not scroll.
			for (var a = e.parentElement; a; a = a.parentElement) {
				var ox = getComputedStyle(a).overflowX;
				if (ox === 'auto' || ox === 'scroll' || ox === 'hidden') { return; }
			}
			if (wide.length < 5 && !(e.parentElement && e.parentElement.getBoundingClientRect().right > vw + 1)) { wide.push(name(e) + ' right=' + Math.round(r.right)); }
		}
	});
	document.querySelectorAll('body *').forEach(function (e) {
		var own = Array.prototype.some.call(e.childNodes, function (n) { return n.nodeType === 3 && n.textContent.trim() !== ''; });
		if (!own) { return; }
		var st = getComputedStyle(e);
		if (st.display === 'none' || st.visibility === 'hidden' || e.closest('.visually-hidden')) { return; }
		var size = parseFloat(st.fontSize);
		var svg = e.closest('svg');
		if (svg && svg.viewBox && svg.viewBox.baseVal && svg.viewBox.baseVal.width) {
			size = size * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
		}
		if (size < 11.95 && small.length < 5) { small.push('text drawn under 12 px: ' + name(e) + ' "' + e.textContent.trim().slice(0, 30) + '" ' + size.toFixed(1) + 'px'); }
	});
	// A field name or id in a table is never broken inside a word (only where a <wbr> allows).
	document.querySelectorAll('td code, th code').forEach(function (e) {
		if (e.querySelector('wbr') || /[\s-]/.test(e.textContent) || small.length >= 5) { return; }
		if (e.getClientRects().length > 1) { small.push(name(e) + ' "' + e.textContent.slice(0, 30) + '" is broken inside a word'); }
	});
	return {overflow: Math.max(0, doc.scrollWidth - vw), wide: wide, small: small};
})()`

// TestBrowserSupport builds the sample site with a ledger that counts support: the index can
// be ordered by support, and the pages with the new controls pass axe at both widths.
func TestBrowserSupport(t *testing.T) {
	bin := chromiumBinary(t)
	dir := sampleDocket(t)
	var ids []string
	for _, f := range validDocket(t, dir).Folders {
		ids = append(ids, f.ID)
	}
	l := supportLedger(ids, map[string]int{"streetcar-ridership-weather-study": 3, "dangerous-buildings-volunteer-map": 12, "sidewalk-repair-requests-dataset": 3})
	out := buildSite(t, dir, &Input{Ledger: l, Source: "https://github.com/opendata-docket/docket"})
	tb := startChromium(t, bin).newTab(t)
	for _, pr := range tb.open(filepath.Join(out, "index.html")) {
		t.Error(pr)
	}
	first := `document.querySelector('#requests tbody tr:not([hidden]) .id').textContent`
	var before string
	tb.eval(first, &before)
	tb.eval(`(function () { var s = document.getElementById('sort'); s.value = 'support'; s.dispatchEvent(new Event('change')); return true; })()`)
	tb.waitFor(`location.hash === '#sort=support'`)
	var order []string
	tb.eval(`Array.prototype.map.call(document.querySelectorAll('#requests tbody tr'), function (r) { return r.querySelector('.id').textContent; }).slice(0, 3)`, &order)
	// Most first; the two with 3 keep the site's order (newest first) between them.
	if strings.Join(order, " ") != "dangerous-buildings-volunteer-map streetcar-ridership-weather-study sidewalk-repair-requests-dataset" &&
		strings.Join(order, " ") != "dangerous-buildings-volunteer-map sidewalk-repair-requests-dataset streetcar-ridership-weather-study" {
		t.Errorf("ordered by support: %v", order)
	}
	tb.eval(`(function () { var s = document.getElementById('sort'); s.value = ''; s.dispatchEvent(new Event('change')); return true; })()`)
	tb.waitFor(first + ` === '` + before + `'`)

	axe, err := os.ReadFile(filepath.Join("..", "..", "site", "test", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		requireTool(t, "axe-core is not installed (run npm ci in site/test)")
	}
	for _, width := range []int{390, 1366} {
		tb.call("Emulation.setDeviceMetricsOverride", map[string]any{"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 500}, nil)
		for _, p := range []string{"index.html", "stats/index.html", "requests/dangerous-buildings-volunteer-map/index.html"} {
			tb.open(filepath.Join(out, p))
			for _, v := range tb.axe(axe) {
				if v.Impact == "serious" || v.Impact == "critical" {
					t.Errorf("%s at %d px: %s (%s): %s", p, width, v.ID, v.Impact, v.Help)
				}
			}
			var got struct{ Overflow int }
			tb.eval(layoutProbe, &got)
			if got.Overflow > 0 {
				t.Errorf("%s at %d px: %d px wider than the window", p, width, got.Overflow)
			}
		}
	}
	tb.call("Emulation.clearDeviceMetricsOverride", nil, nil)
}

// axeViolation is one rule axe-core found broken on a page.
type axeViolation struct {
	ID, Impact, Help string
	Nodes            []string // the first three elements, as CSS selectors
}

// axe runs axe-core (its script's text) on the open page against WCAG 2.1 A and AA and axe's
// best practices, and returns what it found.
func (tb *tab) axe(script []byte) []axeViolation {
	tb.t.Helper()
	tb.eval(string(script) + ";true")
	var violations []axeViolation
	tb.eval(`axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}}).then(function (r) {
		return r.violations.map(function (v) { return {id: v.id, impact: v.impact || '', help: v.help,
			nodes: v.nodes.slice(0, 3).map(function (n) { return n.target.join(' '); })}; });
	})`, &violations)
	return violations
}
