package website

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"net/url"
	"strings"
	"testing"
	"time"
)

// atomCheck reads an Atom document strictly and reports every way it breaks RFC 4287's rules
// for a feed and its entries: a feed reader is entitled to drop a feed that breaks them.
func atomCheck(data []byte) []string {
	var problems []string
	bad := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	for {
		if _, err := dec.Token(); err == io.EOF {
			break
		} else if err != nil {
			return []string{"not well-formed XML: " + err.Error()}
		}
	}
	type link struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	}
	type entry struct {
		ID      string  `xml:"id"`
		Title   string  `xml:"title"`
		Updated string  `xml:"updated"`
		Links   []link  `xml:"link"`
		Summary *string `xml:"summary"`
	}
	var f struct {
		XMLName xml.Name
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Author  *struct {
			Name string `xml:"name"`
		} `xml:"author"`
		Links   []link  `xml:"link"`
		Entries []entry `xml:"entry"`
	}
	if err := xml.Unmarshal(data, &f); err != nil {
		return []string{err.Error()}
	}
	if f.XMLName.Space != "http://www.w3.org/2005/Atom" || f.XMLName.Local != "feed" {
		bad("the root is %s, not an Atom feed", f.XMLName)
	}
	iri := func(what, s string) {
		if u, err := url.Parse(s); err != nil || u.Scheme == "" {
			bad("%s %q is not an absolute IRI", what, s)
		}
	}
	date := func(what, s string) {
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			bad("%s %q is not an RFC 3339 date-time", what, s)
		}
	}
	iri("the feed's id", f.ID)
	date("the feed's updated", f.Updated)
	if strings.TrimSpace(f.Title) == "" {
		bad("the feed has no title")
	}
	if f.Author == nil || strings.TrimSpace(f.Author.Name) == "" {
		bad("the feed has no author, so every entry needs one")
	}
	self := false
	for _, l := range f.Links {
		self = self || l.Rel == "self"
		if l.Href == "" {
			bad("a feed link has no href")
		}
	}
	if !self {
		bad("the feed has no rel=self link")
	}
	ids := map[string]bool{}
	last := ""
	for i, e := range f.Entries {
		iri("entry id", e.ID)
		date("entry updated", e.Updated)
		if ids[e.ID] {
			bad("entry id %s is used twice", e.ID)
		}
		ids[e.ID] = true
		if strings.TrimSpace(e.Title) == "" {
			bad("entry %d has no title", i+1)
		}
		if len(e.Links) == 0 && e.Summary == nil {
			bad("entry %d has neither a link nor content", i+1)
		}
		if last != "" && e.Updated > last {
			bad("entry %d is newer than the one before it", i+1)
		}
		last = e.Updated
	}
	return problems
}

// Every feed of the sample site and of the hostile one is valid Atom, each request has its own
// feed with every event of its timeline, and the request's page names it for feed readers.
func TestFeedsAreValidAtom(t *testing.T) {
	for _, dir := range []string{sampleDocket(t), hostileDocket(t)} {
		files := readSite(t, buildSite(t, dir, nil))
		feeds := 0
		for p, data := range files {
			if !strings.HasSuffix(p, ".xml") {
				continue
			}
			feeds++
			for _, pr := range atomCheck(data) {
				t.Errorf("%s: %s", p, pr)
			}
		}
		for p, page := range files {
			id, ok := strings.CutSuffix(strings.TrimPrefix(p, "requests/"), "/index.html")
			if !ok || !strings.HasPrefix(p, "requests/") {
				continue
			}
			if _, ok := files["requests/"+id+"/feed.xml"]; !ok {
				t.Errorf("%s has no feed", p)
			}
			if !bytes.Contains(page, []byte(`<link rel="alternate" type="application/atom+xml" title="Updates to this request" href="feed.xml">`)) {
				t.Errorf("%s does not name its feed", p)
			}
		}
		if feeds < 2 {
			t.Errorf("%d feeds built", feeds)
		}
	}
	files := readSite(t, buildSite(t, sampleDocket(t), nil))
	feed := string(files["requests/ems-response-times-research/feed.xml"])
	for _, want := range []string{"New request: “Incident-level EMS", "Denied: ", "Appealed: "} {
		if !strings.Contains(feed, want) {
			t.Errorf("the request's feed lacks %q:\n%s", want, feed)
		}
	}
}

// The checker itself finds what it is there to find.
func TestAtomCheckFindsFaults(t *testing.T) {
	good := `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:x</id><updated>2026-01-02T03:04:05Z</updated><link rel="self" href="f.xml"/><author><name>a</name></author>` +
		`<entry><title>e</title><id>urn:x:1</id><updated>2026-01-02T03:04:05Z</updated><link href="p"/></entry></feed>`
	if p := atomCheck([]byte(good)); len(p) != 0 {
		t.Fatalf("a valid feed: %v", p)
	}
	for _, c := range []struct{ from, to, want string }{
		{`<id>urn:x</id>`, `<id>x</id>`, "absolute IRI"},
		{`<updated>2026-01-02T03:04:05Z</updated><link`, `<updated>yesterday</updated><link`, "RFC 3339"},
		{`<author><name>a</name></author>`, ``, "no author"},
		{`<link rel="self" href="f.xml"/>`, ``, "rel=self"},
		{`<title>e</title>`, `<title>e &amp</title>`, "well-formed"},
		{`<id>urn:x:1</id>`, `<id>urn:x</id></entry><entry><title>e</title><id>urn:x</id><updated>2026-01-02T03:04:05Z</updated><link href="p"/>`, "used twice"},
	} {
		p := atomCheck([]byte(strings.Replace(good, c.from, c.to, 1)))
		if !strings.Contains(strings.Join(p, "\n"), c.want) {
			t.Errorf("%s → %s: %v, want %q", c.from, c.to, p, c.want)
		}
	}
}
