package main

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/draft"
)

// schemaBase is where the files docket writes into the repository in dir point editors for
// their schemas: "" (the repository's own schema/ folder, two folders up) in docket's own
// repository, which holds the schemas this docket checks with; else the schemas the program's
// site publishes, which are those of the docket release that built it; else, without a site
// address, the schemas in docket's repository at this docket's release.
func schemaBase(dir string, cfg *docket.Config) string {
	if _, err := os.Stat(filepath.Join(dir, "schema", "request.schema.json")); err == nil {
		return ""
	}
	if cfg != nil && cfg.Program.BaseURL != "" {
		return strings.TrimSuffix(cfg.Program.BaseURL, "/") + "/schema/"
	}
	if v := releaseVersion(); v != "" {
		return "https://raw.githubusercontent.com/opendata-docket/docket/" + v + "/schema/"
	}
	return ""
}

// hinted is text with its schema comment pointing where schemaBase says.
func (w *workspace) hinted(text []byte) []byte {
	return draft.WithSchemaBase(text, schemaBase(w.dir, w.cfg))
}
