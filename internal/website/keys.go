package website

import (
	"bufio"
	"fmt"
	"sync"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/registry"
)

// keyView is what a request page shows of one key: never the key, nor its hash (keys.json has
// the hash, for gateways).
type keyView struct {
	ID          string
	Status      string // as the registry says: pending, active, suspended, revoked, expired
	StatusLabel string
	Reason      string
	Scopes      []string
	Limits      docket.Limits
	NotAfter    docket.Date
	Created     docket.Date
	Delivered   docket.Date // zero while pending
	DeliveredOn string      // where, in words: "in a comment on GitHub (#12)", "by staff"
}

// keyInfo is a request page's key section: who accepted which terms, and the keys.
type keyInfo struct {
	Acceptance *docket.Acceptance
	Keys       []keyView
	// Published is true when the build had the key registry; without it, the page says nothing
	// of keys rather than suggesting there are none.
	Published bool
}

// keyIndex groups the registry's keys by request, once per build.
type keyIndex struct {
	once sync.Once
	by   map[string][]*registry.Key
}

func (s *builtSite) keysOf(id string) []*registry.Key {
	if s.in.Keys == nil {
		return nil
	}
	s.keys.once.Do(func() { s.keys.by = s.in.Keys.ByRequest() })
	return s.keys.by[id]
}

var keyStatusLabels = map[registry.Status]string{
	registry.StatusPending:   "Issued, not yet delivered",
	registry.StatusActive:    "Active",
	registry.StatusSuspended: "Suspended",
	registry.StatusRevoked:   "Revoked",
	registry.StatusExpired:   "Expired",
}

// keyInfo returns what a request page shows about keys.
func (s *builtSite) keyInfo(e *Entry) keyInfo {
	out := keyInfo{Published: s.in.Keys != nil}
	if e.Record != nil {
		out.Acceptance = e.Record.Acceptance
	}
	for _, k := range s.keysOf(e.ID) {
		v := keyView{ID: k.ID, Status: string(k.Status), StatusLabel: keyStatusLabels[k.Status], Reason: k.Reason,
			Scopes: k.Scopes, Limits: k.Limits, NotAfter: k.NotAfter, Created: k.Created}
		if d := k.Delivery.Delivered; d != nil {
			v.Delivered = d.Date
			switch d.Via {
			case registry.ViaComment:
				v.DeliveredOn = fmt.Sprintf("in a comment on GitHub (#%d)", d.PullRequest)
			default:
				v.DeliveredOn = "by staff"
			}
		}
		out.Keys = append(out.Keys, v)
	}
	return out
}

// keyExports publishes the key registry, keys.json, for gateways: hashes, scopes, limits,
// status and expiry, and the ciphertexts only their requesters can open; no key.
func (s *builtSite) keyExports() []job {
	if s.in.Keys == nil {
		return nil
	}
	return []job{{path: registry.FileName, render: func(buf *bufio.Writer) error {
		data, err := s.in.Keys.Encode() // refuses any text holding a key
		if err != nil {
			return err
		}
		buf.Write(data)
		return nil
	}}}
}
