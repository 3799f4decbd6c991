package website

import (
	"bufio"
	"cmp"
	"encoding/xml"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/history"
)

// The Atom feeds: one of new requests and decisions for the whole docket (feed.xml), and one
// per request of every event in its timeline (requests/<id>/feed.xml), so anyone can follow one
// request in a feed reader. Times come from commits (or the dates in the files), so the feeds
// are as deterministic as the rest of the site.

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomAuthor  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	Title   string   `xml:"title"`
	ID      string   `xml:"id"`
	Updated string   `xml:"updated"`
	Link    atomLink `xml:"link"`
	Summary string   `xml:"summary"`
}

// feedItem is one change worth announcing.
type feedItem struct {
	e       *Entry
	when    time.Time
	anchor  string
	title   string
	summary string
}

const maxFeedEntries = 100

func (s *builtSite) feed() job {
	return job{path: "feed.xml", render: func(buf *bufio.Writer) error {
		var items []feedItem
		for _, e := range s.entries {
			if e.Record == nil {
				continue
			}
			items = append(items, s.items(e, true)...)
		}
		return s.writeFeed(buf, "feed.xml", s.info.Name+": new requests and decisions", "", items)
	}}
}

// requestFeed is the feed of one request: every event of its timeline, newest first.
func (s *builtSite) requestFeed(e *Entry) job {
	p := "requests/" + e.ID + "/feed.xml"
	return job{path: p, render: func(buf *bufio.Writer) error {
		return s.writeFeed(buf, p, s.info.Name+": "+quoted(e.Title), "requests/"+e.ID+"/index.html", s.items(e, false))
	}}
}

// items lists a request's changes; with onlyNews, what the public follows: its submission,
// its decisions, an appeal and enforcement actions, not edits of its files.
func (s *builtSite) items(e *Entry, onlyNews bool) []feedItem {
	var out []feedItem
	if len(e.Events) > 0 {
		for i, ev := range e.Events {
			news := ev.Change != history.Edited && ev.Change != history.Removed
			if onlyNews && !news || ev.Time.IsZero() {
				continue // a commit whose time is not known is in the timeline, not the feed
			}
			title := changeLabel(ev) + ": " + quoted(e.Title)
			if ev.Change == history.Submitted {
				title = "New request: " + quoted(e.Title)
			}
			out = append(out, feedItem{e: e, when: ev.Time, anchor: "change-" + strconv.Itoa(i+1), title: title, summary: summaryOf(e, ev.Change)})
		}
		return out
	}
	// Without a timeline, the decision's own date is all there is.
	if d := e.Record.Decision; d != nil {
		out = append(out, feedItem{e: e, when: d.Date.Time(), anchor: "decision", title: statusLabel(docket.Status(d.Outcome)) + ": " + quoted(e.Title), summary: summaryOf(e, history.Change(d.Outcome))})
	}
	return out
}

// quoted marks a request's title as the requester's words: the feed's author is the program,
// and a title like "The city approves all requests" must not read as its headline.
func quoted(title string) string { return "“" + title + "”" }

func summaryOf(e *Entry, c history.Change) string {
	who := e.Who
	if e.Requester.Name != "" && e.Requester.Organization == "" {
		who = e.Requester.Name
	}
	s := kindLabel(e.Kind) + " request from " + who + "."
	if c != history.Submitted && c != history.Edited && c != history.Removed {
		s = changeLabel(history.Event{Change: c}) + ". " + s
	}
	if c.IsDecision() && e.Record != nil && e.Record.Decision != nil && history.Change(e.Record.Decision.Outcome) == c {
		if r := e.Record.Decision.ReasonCode; r != "" && c == history.Denied {
			s += " Main reason: " + reasonLabel(r) + "."
		}
	}
	return s
}

func (s *builtSite) writeFeed(buf *bufio.Writer, p, title, page string, items []feedItem) error {
	slices.SortStableFunc(items, func(a, b feedItem) int {
		return cmp.Or(b.when.Compare(a.when), cmp.Compare(a.e.ID, b.e.ID), cmp.Compare(a.anchor, b.anchor))
	})
	if len(items) > maxFeedEntries {
		items = items[:maxFeedEntries]
	}
	base := s.info.BaseURL
	f := atomFeed{Title: title, Author: atomAuthor{Name: s.info.Name}}
	f.ID = absolute(base, p)
	if f.ID == "" {
		f.ID = "urn:docket:" + p
	}
	// Relative links resolve against the feed's own address when there is no base URL.
	f.Links = []atomLink{{Rel: "self", Href: linkOr(base, p, path0(p))}, {Rel: "alternate", Href: linkOr(base, page, rel(p, page))}}
	updated := time.Unix(0, 0).UTC()
	if len(items) > 0 {
		updated = items[0].when
	} else if !s.info.AsOf.IsZero() {
		updated = s.info.AsOf.Time()
	}
	f.Updated = updated.UTC().Format(time.RFC3339)
	for _, it := range items {
		pagePath := "requests/" + it.e.ID + "/"
		id := absolute(base, pagePath) + "#" + it.anchor
		if base == "" {
			id = "urn:docket:" + it.e.ID + ":" + it.anchor
		}
		f.Entries = append(f.Entries, atomEntry{
			Title: it.title, ID: id, Updated: it.when.UTC().Format(time.RFC3339),
			Link:    atomLink{Href: linkOr(base, pagePath+"index.html", rel(p, pagePath+"index.html"))},
			Summary: it.summary,
		})
	}
	buf.WriteString(xml.Header)
	// Hidden behind a plain io.Writer: handed the file's own *bufio.Writer, the encoder would
	// use it as its buffer and flush it to the file at the end of Encode, a second write.
	enc := xml.NewEncoder(struct{ io.Writer }{buf})
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		return err
	}
	buf.WriteString("\n")
	return nil
}

func linkOr(base, p, relative string) string {
	if a := absolute(base, p); a != "" {
		return a
	}
	return relative
}

// rel is the relative link from the file at "from" to the path "to", both from the root.
func rel(from, to string) string {
	r := root(from) + to
	if r == "" {
		return "./"
	}
	return r
}

func path0(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '/' {
			return p[i+1:]
		}
	}
	return p
}
