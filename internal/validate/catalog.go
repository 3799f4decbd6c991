package validate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/suggest"
)

// CatalogProblem says what is wrong with id where a catalog id with API access belongs, in the
// words validation uses, or "" when it is fine: not in the catalog (with "did you mean" for a
// mistyped id or a dataset's name written where its id belongs), or not offered through the
// API. docket new and docket intake ask it of each answer as it is given.
func CatalogProblem(cfg *docket.Config, id string) string {
	e, ok := cfg.Dataset(id)
	if !ok {
		ids := make([]string, len(cfg.Catalog))
		named := make([]string, len(cfg.Catalog))
		for i, e := range cfg.Catalog {
			ids[i], named[i] = e.ID, e.Name+" "+e.ID
		}
		msg := fmt.Sprintf("%s is not in the catalog", id)
		if !docket.ValidID(id) && id == strings.TrimSpace(id) {
			msg = fmt.Sprintf("%s is not a catalog id", id)
		}
		// A mistyped id, or the dataset's name copied from the portal where its id belongs.
		guess := slices.Index(ids, suggest.Closest(id, ids))
		if guess < 0 {
			guess = suggest.Named(id, named)
		}
		if guess >= 0 {
			g := cfg.Catalog[guess]
			msg += fmt.Sprintf("; did you mean %s (%s)?", g.ID, g.Name)
		} else {
			msg += "; use an id from the catalog page, or ask for the dataset to be published with kind: dataset"
		}
		return msg
	}
	if !e.API {
		return fmt.Sprintf("%s (%s) is not offered through the API; download it from the portal instead", id, e.Name)
	}
	return ""
}
