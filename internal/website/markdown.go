package website

import (
	"bytes"
	"html/template"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// markdown renders Markdown to HTML. Two are built once per Builder and reused (goldmark is
// safe for concurrent use once configured): one for what requesters and staff write, one for
// the guide pages that ship with docket.
//
// Both keep raw HTML off (goldmark's default; never WithUnsafe) and show it as text rather than
// dropping it, so a requester who writes <script> sees exactly that. For untrusted text a link
// stays a link only when it goes, in every browser, exactly where docket says it goes: an http
// or https address with a plain host, or a mailto address (links.go). Anything else
// (javascript:, data:, relative paths that would point into the site, https:///host, a user
// before the host, a backslash) is shown as text, in links, autolinks and images alike. Images
// become links, so no third-party image is ever loaded. A link whose text does not show where
// it goes gets its host written after it. Headings become bold paragraphs, so a requester's
// "## Decision" cannot pass for the page's own.
type markdown struct {
	md        goldmark.Markdown
	noTables  goldmark.Markdown // for untrusted text whose tables would be too wide
	untrusted bool
}

func newMarkdown(untrusted bool) *markdown {
	build := func(tables bool) goldmark.Markdown {
		opts := []parser.Option{}
		if untrusted {
			opts = append(opts, parser.WithASTTransformers(util.Prioritized(safeLinks{}, 0)))
		}
		exts := []goldmark.Extender{extension.Strikethrough, extension.Linkify}
		renderers := []util.PrioritizedValue{util.Prioritized(rawAsText{}, 0)}
		if untrusted {
			renderers = append(renderers, util.Prioritized(untrustedLinks{}, 0))
		}
		if tables {
			exts = append(exts, extension.Table)
		}
		return goldmark.New(
			goldmark.WithExtensions(exts...),
			goldmark.WithParserOptions(opts...),
			goldmark.WithRendererOptions(renderer.WithNodeRenderers(renderers...)),
		)
	}
	return &markdown{md: build(true), noTables: build(false), untrusted: untrusted}
}

// Bounds on what untrusted Markdown may turn into. A table pads every row to the widest one,
// so a few kilobytes of "|" can make hundreds of megabytes of cells; nested quotes and lists
// grow too. Wider tables are shown as text, and output beyond the budget as the text as written.
const (
	maxTableColumns = 32
	maxHTML         = 1 << 20
)

// HTML renders src. Errors cannot happen when writing to a buffer; if one did, the text is
// shown escaped instead.
func (m *markdown) HTML(src string) template.HTML {
	if strings.TrimSpace(src) == "" {
		return ""
	}
	md := m.md
	if m.untrusted && widestRow(src) > maxTableColumns {
		md = m.noTables
	}
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil || (m.untrusted && buf.Len() > maxHTML) {
		return asWritten(src)
	}
	// Output is goldmark's own escaping with raw HTML shown as text and links filtered.
	return template.HTML(buf.String()) //nolint:gosec // see above
}

// asWritten shows text escaped, line breaks kept.
func asWritten(src string) template.HTML {
	return template.HTML(`<p class="as-written">` + template.HTMLEscapeString(src) + "</p>")
}

// widestRow counts the most "|" on one line: an upper bound on a table's columns.
func widestRow(src string) int {
	most := 0
	for line := range strings.Lines(src) {
		most = max(most, strings.Count(line, "|"))
	}
	return most
}

// safeLinks makes every link in the parsed document of untrusted text go where it says: links,
// autolinks (bare and <...>), reference links and images all become links to a canonical
// address (see webTarget and mailTarget), or plain text when they cannot be one, and a link
// whose text does not show where it goes gets its host written after it.
type safeLinks struct{}

func (safeLinks) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	source := reader.Source()
	var links, images, autos, headings []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.Kind() {
		case ast.KindLink:
			links = append(links, n)
		case ast.KindImage:
			images = append(images, n)
		case ast.KindAutoLink:
			autos = append(autos, n)
		case ast.KindHeading:
			headings = append(headings, n)
		}
		return ast.WalkContinue, nil
	})
	for _, n := range images {
		img := n.(*ast.Image)
		parent := img.Parent()
		if parent == nil {
			continue
		}
		// A link to the image instead of the image: no third-party request on page load.
		tg, ok := linkTarget(decodeDestination(img.Destination))
		if !ok || tg.mail {
			unwrap(img)
			continue
		}
		l := ast.NewLink()
		l.Title = img.Title
		moveChildren(img, l, l, nil)
		if l.ChildCount() == 0 {
			l.AppendChild(l, rawString("image: "+tg.href))
		}
		parent.ReplaceChild(parent, img, l)
		point(l, tg, source)
	}
	for _, n := range links {
		l := n.(*ast.Link)
		if l.Parent() == nil {
			continue
		}
		tg, ok := linkTarget(decodeDestination(l.Destination))
		if !ok {
			unwrap(l)
			continue
		}
		point(l, tg, source)
	}
	for _, n := range autos {
		a := n.(*ast.AutoLink)
		parent := a.Parent()
		if parent == nil {
			continue
		}
		// An autolink's address is taken as written: CommonMark resolves no escapes in it.
		dest, label := string(a.URL(source)), string(a.Label(source))
		if a.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(asciiLower(dest), "mailto:") {
			dest = "mailto:" + dest
		}
		tg, ok := linkTarget(dest)
		if !ok {
			parent.ReplaceChild(parent, a, rawString(label))
			continue
		}
		l := ast.NewLink()
		l.AppendChild(l, rawString(label))
		parent.ReplaceChild(parent, a, l)
		point(l, tg, source)
	}
	for _, n := range headings {
		// A requester's heading must not pass for one of the page's own sections ("Decision"):
		// it becomes a paragraph in bold.
		h := n.(*ast.Heading)
		parent := h.Parent()
		if parent == nil {
			continue
		}
		p := ast.NewParagraph()
		strong := ast.NewEmphasis(2)
		moveChildren(h, strong, strong, nil)
		p.AppendChild(p, strong)
		parent.ReplaceChild(parent, h, p)
	}
}

// rawString is text shown exactly as given (escaped, no entity or backslash read in it).
func rawString(s string) *ast.String {
	n := ast.NewString([]byte(s))
	n.SetRaw(true)
	return n
}

// decodeDestination reads a link destination as CommonMark does (backslash escapes and
// entity references), which is what goldmark would put in the href.
func decodeDestination(b []byte) string {
	return string(util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(b))))
}

// point sets a link to its canonical address and writes the host it goes to after it, unless
// the link's text shows that host already, so that [https://www.kcmo.gov/apply](https://evil.example)
// cannot hide where it goes.
func point(l *ast.Link, tg target, source []byte) {
	l.Destination = []byte(tg.href)
	l.SetAttributeString("rel", []byte("nofollow ugc noopener"))
	if shownHost(plainText(l, source), tg.mail) == tg.host {
		return
	}
	l.Parent().InsertAfter(l.Parent(), l, &hostHint{host: tg.host})
}

// shownHost is the host a link's text names, as a reader sees it: the text up to the first
// / ? or #, without a scheme in front, in lowercase (ASCII letters only: a Kelvin sign is not a
// K). It is compared with the host the link goes to; anything else in the text (a port, a user,
// a trailing dot, a look-alike letter) makes them differ, and the host is then shown.
func shownHost(label string, mail bool) string {
	label = strings.Trim(label, " \t\n")
	l := asciiLower(label)
	prefixes := []string{"https://", "http://"}
	if mail {
		prefixes = []string{"mailto:"}
	}
	for _, p := range prefixes {
		if strings.HasPrefix(l, p) {
			l = l[len(p):]
			break
		}
	}
	if i := strings.IndexAny(l, "/?#"); i >= 0 && !mail {
		l = l[:i]
	}
	return l
}

// plainText is the text of a node's children as it will read on the page; a soft line break
// counts as one, so a label split over two lines never matches a host.
func plainText(n ast.Node, source []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering || c == n {
			return ast.WalkContinue, nil
		}
		switch x := c.(type) {
		case *ast.Text:
			b.Write(x.Segment.Value(source))
			if x.SoftLineBreak() || x.HardLineBreak() {
				b.WriteByte('\n')
			}
		case *ast.String:
			b.Write(x.Value)
		case *ast.RawHTML:
			for i := 0; i < x.Segments.Len(); i++ {
				s := x.Segments.At(i)
				b.Write(s.Value(source))
			}
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}, s)
}

// kindHostHint is the host written after a link that does not show it.
var kindHostHint = ast.NewNodeKind("HostHint")

type hostHint struct {
	ast.BaseInline
	host string // canonical ASCII: letters, digits, hyphens, dots, a port; or an email address
}

func (n *hostHint) Kind() ast.NodeKind { return kindHostHint }

func (n *hostHint) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"host": n.host}, nil)
}

// untrustedLinks renders links of untrusted text with exactly the address safeLinks chose
// (goldmark's own renderer would decode it once more), and the host after them. The host is
// isolated from the text around it, so no direction control in a label can turn it around.
type untrustedLinks struct{}

func (untrustedLinks) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindLink, renderLink)
	reg.Register(kindHostHint, renderHostHint)
}

func renderLink(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Link)
	// Only an address safeLinks made canonical is ever written as a link; should another link
	// reach here, its text is shown alone.
	if tg, ok := linkTarget(string(n.Destination)); !ok || tg.href != string(n.Destination) {
		return ast.WalkContinue, nil
	}
	if !entering {
		_, _ = w.WriteString("</a>")
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString(`<a href="`)
	_, _ = w.Write(util.EscapeHTML(n.Destination))
	_ = w.WriteByte('"')
	if n.Title != nil {
		_, _ = w.WriteString(` title="`)
		html.DefaultWriter.Write(w, n.Title)
		_ = w.WriteByte('"')
	}
	if n.Attributes() != nil {
		html.RenderAttributes(w, n, html.LinkAttributeFilter)
	}
	_ = w.WriteByte('>')
	return ast.WalkContinue, nil
}

func renderHostHint(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString(` <bdi class="link-host" dir="ltr">(`)
		_, _ = w.Write(util.EscapeHTML([]byte(node.(*hostHint).host)))
		_, _ = w.WriteString(`)</bdi>`)
	}
	return ast.WalkSkipChildren, nil
}

// unwrap replaces a node by its children.
func unwrap(n ast.Node) {
	parent := n.Parent()
	moveChildren(n, parent, parent, n)
	parent.RemoveChild(parent, n)
}

// moveChildren moves from's children into to, before the node before (nil: at the end).
func moveChildren(from, to, self ast.Node, before ast.Node) {
	for c := from.FirstChild(); c != nil; {
		next := c.NextSibling()
		from.RemoveChild(from, c)
		to.InsertBefore(self, before, c)
		c = next
	}
}

// rawAsText renders raw HTML, inline and in blocks, as escaped text.
type rawAsText struct{}

func (rawAsText) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindRawHTML, renderRawInline)
	reg.Register(ast.KindHTMLBlock, renderRawBlock)
}

func renderRawInline(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*ast.RawHTML)
	for i := 0; i < n.Segments.Len(); i++ {
		s := n.Segments.At(i)
		_, _ = w.Write(util.EscapeHTML(s.Value(source)))
	}
	return ast.WalkSkipChildren, nil
}

func renderRawBlock(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.HTMLBlock)
	_, _ = w.WriteString("<p>")
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		s := lines.At(i)
		_, _ = w.Write(util.EscapeHTML(s.Value(source)))
	}
	if n.HasClosure() {
		_, _ = w.Write(util.EscapeHTML(n.ClosureLine.Value(source)))
	}
	_, _ = w.WriteString("</p>\n")
	return ast.WalkContinue, nil
}
