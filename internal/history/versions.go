package history

import (
	"encoding/json"
	"github.com/opendata-docket/docket/internal/gitrepo"
	"time"

	"github.com/opendata-docket/docket/internal/docket"
	"go.yaml.in/yaml/v3"
)

// A decision.yaml is overwritten at every step of a review (acknowledged, needs-info, denied,
// the decision on appeal) and an appeal.yaml may be corrected, so the only place an earlier
// decision survives is the commit that made it. The walk keeps the version each commit wrote,
// read leniently: it was valid when it was merged, but the schema may have changed since, and
// history holds files no validator ever saw. A version that does not read is left out (the
// event still says what changed).

// keepVersions attaches to the events a commit made for one file the version of that file it
// wrote, for decision.yaml and appeal.yaml.
func (w *walker) keepVersions(fc fileChange, evs []Event) {
	if fc.now.IsZero() || len(evs) == 0 {
		return
	}
	switch fc.name {
	case docket.DecisionFile:
		var d docket.Decision
		if j, ok := w.lenient(fc.now, &d); ok && d.Outcome != "" {
			for i := range evs {
				evs[i].Decision = &d
			}
			w.versions[&d] = j
		}
	case docket.AppealFile:
		var a docket.Appeal
		if j, ok := w.lenient(fc.now, &a); ok && !a.Date.IsZero() {
			for i := range evs {
				evs[i].Appeal = &a
			}
			w.versions[&a] = j
		}
	}
}

// lenient reads a YAML blob into a domain type through the JSON names of its fields, as the
// schema-checked loader would, without the schema. It reports whether the blob read, and gives
// the JSON it was decoded from (what the cache keeps: decoding it again gives the same value).
func (w *walker) lenient(h gitrepo.Hash, v any) (j []byte, ok bool) {
	b, err := w.blob(h)
	if err != nil {
		return nil, false
	}
	defer func() {
		// The YAML library is not promised to be panic-free on hostile input.
		if recover() != nil {
			j, ok = nil, false
		}
	}()
	var doc any
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, false
	}
	j, err = json.Marshal(jsonable(doc))
	if err != nil {
		return nil, false
	}
	return j, json.Unmarshal(j, v) == nil
}

// jsonable turns what the YAML library decodes into values encoding/json can write: mappings
// with string keys, and days (which YAML may read as timestamps) as YYYY-MM-DD.
func jsonable(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = jsonable(e)
		}
		return x
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			s, ok := k.(string)
			if !ok {
				continue
			}
			m[s] = jsonable(e)
		}
		return m
	case []any:
		for i, e := range x {
			x[i] = jsonable(e)
		}
		return x
	case time.Time:
		return x.UTC().Format(time.DateOnly)
	}
	return v
}

// blob reads a file of at most maxBlob bytes, keeping the last one read: a decision's version
// is read to classify the change and again to keep it.
func (w *walker) blob(h gitrepo.Hash) ([]byte, error) {
	if h == w.lastBlob && w.lastData != nil {
		return w.lastData, nil
	}
	b, err := w.raw(gitrepo.BlobObject, h, maxBlob)
	if err != nil {
		return nil, err
	}
	w.lastBlob, w.lastData = h, b
	return b, nil
}
