package website

import (
	"bytes"
	"html/template"
	"net/url"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// markdown renders Markdown to HTML. Two are built once per Builder and reused (goldmark is
// safe for concurrent use once configured): one for what requesters and staff write, one for
// the guide pages that ship with docket.
//
// Both keep raw HTML off (goldmark's default; never WithUnsafe) and show it as text rather than
// dropping it, so a requester who writes <script> sees exactly that. For untrusted text only
// http, https and mailto links survive; any other destination (javascript:, data:, relative
// paths that would point into the site) is removed and its text kept, in links, autolinks and
// images alike. Images become links, so no third-party image is ever loaded. A link whose text
// does not show where it goes gets its host written after it. Headings become bold paragraphs,
// so a requester's "## Decision" cannot pass for the page's own.
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
		if tables {
			exts = append(exts, extension.Table)
		}
		return goldmark.New(
			goldmark.WithExtensions(exts...),
			goldmark.WithParserOptions(opts...),
			goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(rawAsText{}, 0))),
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

// allowedURL reports whether a link destination may be kept.
func allowedURL(u []byte) bool {
	l := bytes.ToLower(u)
	for _, p := range []string{"https://", "http://", "mailto:"} {
		if bytes.HasPrefix(l, []byte(p)) && len(l) > len(p) {
			return true
		}
	}
	return false
}

// safeLinks filters link destinations in the parsed document of untrusted text.
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
		if allowedURL(img.Destination) && !bytes.HasPrefix(bytes.ToLower(img.Destination), []byte("mailto:")) {
			// A link to the image instead of the image: no third-party request on page load.
			l := ast.NewLink()
			l.Destination = img.Destination
			l.Title = img.Title
			l.SetAttributeString("rel", []byte("nofollow ugc noopener"))
			moveChildren(img, l, l, nil)
			if l.ChildCount() == 0 {
				l.AppendChild(l, ast.NewString(append([]byte("image: "), img.Destination...)))
			}
			parent.ReplaceChild(parent, img, l)
			continue
		}
		unwrap(img)
	}
	for _, n := range links {
		l := n.(*ast.Link)
		if l.Parent() == nil {
			continue
		}
		if allowedURL(l.Destination) {
			l.SetAttributeString("rel", []byte("nofollow ugc noopener"))
			showHost(l, source)
			continue
		}
		unwrap(l)
	}
	for _, n := range autos {
		a := n.(*ast.AutoLink)
		parent := a.Parent()
		if parent == nil {
			continue
		}
		if a.AutoLinkType == ast.AutoLinkEmail || allowedURL(a.URL(source)) {
			a.SetAttributeString("rel", []byte("nofollow ugc noopener"))
			continue
		}
		s := ast.NewString(append([]byte(nil), a.Label(source)...))
		parent.ReplaceChild(parent, a, s)
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

// showHost writes a link's host after it, unless the link's text already shows it, so that
// [https://www.kcmo.gov/apply](https://evil.example) cannot hide where it goes.
func showHost(l *ast.Link, source []byte) {
	dest := string(l.Destination)
	if strings.HasPrefix(strings.ToLower(dest), "mailto:") {
		return
	}
	u, err := url.Parse(dest)
	if err != nil || u.Host == "" {
		return
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	label := strings.ToLower(string(l.Text(source))) //nolint:staticcheck // the label's plain text
	if labelHost(label) == host {
		return
	}
	l.Parent().InsertAfter(l.Parent(), l, ast.NewString([]byte(" ("+u.Hostname()+")")))
}

// labelHost is the host a link's text seems to name, if it is written as an address.
func labelHost(label string) string {
	label = strings.TrimSpace(label)
	if !strings.Contains(label, "://") {
		label = "https://" + label
	}
	u, err := url.Parse(label)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(u.Hostname(), "www.")
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
