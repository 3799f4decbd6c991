package website

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"
	texttemplate "text/template"

	"github.com/opendata-docket/docket/site"
)

// guide is one page written in Markdown in site/content: "NN-slug.md", whose first line is
// "# Title". The files may use the program's configuration ({{.Name}}, {{.Targets.DecisionDays}},
// ...) through text/template before they are rendered: they ship with docket and are trusted,
// and the Markdown converter still shows any raw HTML as text.
type guide struct {
	Slug, Title string
	tmpl        *texttemplate.Template
}

func loadGuides() ([]*guide, error) {
	names, err := fs.Glob(site.FS, "content/*.md")
	if err != nil {
		return nil, err
	}
	var out []*guide
	for _, n := range names { // fs.Glob sorts, so the NN- prefixes order the guides
		b, err := fs.ReadFile(site.FS, n)
		if err != nil {
			return nil, err
		}
		title, body, ok := strings.Cut(string(b), "\n")
		if !ok || !strings.HasPrefix(title, "# ") {
			return nil, fmt.Errorf("%s: the first line must be \"# Title\"", n)
		}
		slug := strings.TrimSuffix(path.Base(n), ".md")
		if i := strings.IndexByte(slug, '-'); i > 0 && strings.Trim(slug[:i], "0123456789") == "" {
			slug = slug[i+1:]
		}
		t, err := texttemplate.New(n).Option("missingkey=error").Parse(body)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		out = append(out, &guide{Slug: slug, Title: strings.TrimSpace(title[2:]), tmpl: t})
	}
	return out, nil
}

func (g *guide) render(md *markdown, info *siteInfo) template.HTML {
	var buf bytes.Buffer
	if err := g.tmpl.Execute(&buf, info); err != nil {
		return template.HTML("<p>" + template.HTMLEscapeString(err.Error()) + "</p>")
	}
	return md.HTML(buf.String())
}
