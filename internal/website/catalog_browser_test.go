package website

import (
	"path/filepath"
	"testing"
)

// On a 390 px phone the catalog fits the screen: no sideways scrolling, and every dataset's id
// is shown whole inside the page, since a requester must copy it.
func TestBrowserCatalogFitsPhone(t *testing.T) {
	bin := chromiumBinary(t)
	out := buildSite(t, sampleDocket(t), nil)
	tb := startChromium(t, bin).newTab(t)
	tb.call("Emulation.setDeviceMetricsOverride", map[string]any{"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": true}, nil)
	defer tb.call("Emulation.clearDeviceMetricsOverride", nil, nil)
	if problems := tb.open(filepath.Join(out, "catalog", "index.html")); len(problems) > 0 {
		t.Errorf("catalog: %v", problems)
	}
	var r struct {
		Page, Screen int
		Cut          []string
		IDs          int
	}
	tb.eval(`(function () {
		var w = document.documentElement.clientWidth, cut = [];
		var codes = document.querySelectorAll('.catalog td code');
		Array.prototype.forEach.call(codes, function (c) {
			var b = c.getBoundingClientRect();
			var box = c.closest('.table-wrap') || document.body;
			if (b.right > w + 0.5 || b.left < -0.5 || c.scrollWidth > c.clientWidth + 1 || box.scrollWidth > box.clientWidth + 1) {
				cut.push(c.textContent);
			}
		});
		return {Page: document.documentElement.scrollWidth, Screen: w, Cut: cut, IDs: codes.length};
	})()`, &r)
	if r.IDs == 0 {
		t.Fatal("no catalog ids on the page")
	}
	if r.Page > r.Screen {
		t.Errorf("the catalog page is %d px wide on a %d px screen: it scrolls sideways", r.Page, r.Screen)
	}
	if len(r.Cut) > 0 {
		t.Errorf("ids cut or scrolled at 390 px: %v", r.Cut)
	}
}
