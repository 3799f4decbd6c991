package website

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"
	texttemplate "text/template"
)

// guide is one page written in Markdown in site/content: "NN-slug.md", whose first line is
// "# Title". The files may use the program's configuration ({{.Name}}, {{.Targets.DecisionDays}},
// ...) through text/template before they are rendered. They are docket's own defaults, or the
// data repository's site/content/*.md, which only staff change (CODEOWNERS gives them /site/);
// either way the Markdown converter shows any raw HTML as text.
type guide struct {
	Slug, Title string
	tmpl        *texttemplate.Template
}

// ContentDir is where a data repository keeps its own guide pages; when it holds any *.md,
// they replace docket's defaults.
const ContentDir = "site/content"

// CustomCSS is an optional style sheet in a data repository, published as assets/custom.css
// and linked after docket's own, so its rules win.
const CustomCSS = "site/static/custom.css"

// loadGuides reads the guide pages dir/*.md in fsys.
func loadGuides(fsys fs.FS, dir string) ([]*guide, error) {
	names, err := fs.Glob(fsys, dir+"/*.md")
	if err != nil {
		return nil, err
	}
	var out []*guide
	for _, n := range names { // fs.Glob sorts, so the NN- prefixes order the guides
		if err := regular(fsys, n); err != nil {
			return nil, err
		}
		b, err := fs.ReadFile(fsys, n)
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

// regular refuses a file of the repository that is not a plain file: a link could lead the
// build to publish a file from outside the repository.
func regular(fsys fs.FS, name string) error {
	st, err := fs.Lstat(fsys, name)
	if err != nil {
		return fmt.Errorf("reading %s: %w", name, err)
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%s: must be a plain file, not a link or a folder", name)
	}
	return nil
}
