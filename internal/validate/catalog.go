package validate

import (
	"fmt"
	"regexp"
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
		// Two ids in one item, `[a and b]`: each is an item of its own.
		if parts := splitIDs(id); len(parts) > 1 && !slices.ContainsFunc(parts, func(p string) bool { _, ok := cfg.Dataset(p); return !ok }) {
			return fmt.Sprintf("%s names %d datasets in one item; list each on its own: [%s]", id, len(parts), strings.Join(parts, ", "))
		}
		// An id typed with a dash that only looks like a hyphen, or in capitals.
		if fixed := docket.SuggestID(id); fixed != "" && fixed != id && !strings.Contains(id, " ") {
			if _, ok := cfg.Dataset(fixed); ok {
				why := "catalog ids are lowercase, in words joined by hyphens"
				if r, name, ok := docket.LookAlikeDash(id); ok {
					why = fmt.Sprintf("it has %s (U+%04X), which looks like a hyphen but is not one", name, r)
				} else if r, alphabet, _, ok := docket.LookAlike(id); ok {
					why = fmt.Sprintf("it has the %s letter %c (U+%04X), which looks like a Latin one", alphabet, r, r)
				}
				return fmt.Sprintf("%s is not a catalog id: %s; write %s", id, why, fixed)
			}
		}
		// The dataset's address on the portal, or the code at its end, copied where its id belongs.
		if at := portalEntry(cfg, id); at >= 0 {
			g := cfg.Catalog[at]
			return fmt.Sprintf("%s is not a catalog id but the portal's address for %s; write its catalog id, %s", id, g.Name, g.ID)
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

// portalEntry finds the catalog entry whose portal address id is, with or without its scheme,
// or whose address ends in id, a portal's code for it (d4px-6rwg). It returns -1 for none.
func portalEntry(cfg *docket.Config, id string) int {
	want := bareURL(id)
	if want == "" {
		return -1
	}
	for i, e := range cfg.Catalog {
		u := bareURL(e.URL)
		if u == "" {
			continue
		}
		if u == want {
			return i
		}
		code := u[strings.LastIndexByte(u, '/')+1:]
		if len(code) >= 4 && strings.ContainsAny(code, "0123456789") && strings.ContainsAny(code, "abcdefghijklmnopqrstuvwxyz") &&
			(want == code || strings.HasSuffix(want, "/"+code)) {
			return i
		}
	}
	return -1
}

// bareURL is an address without its scheme, www., query, fragment or final slash, lowercase.
func bareURL(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s, _, _ = strings.Cut(s, "#")
	s, _, _ = strings.Cut(s, "?")
	for _, p := range []string{"https://", "http://", "www."} {
		s = strings.TrimPrefix(s, p)
	}
	return strings.TrimRight(s, "/")
}

// splitIDs splits an item at the words people join two names with: and, &, /, +.
func splitIDs(id string) []string {
	var out []string
	for _, p := range regexp.MustCompile(`\s+(?:and|&|/|\+)\s+`).Split(id, -1) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
