package website

import (
	"bufio"

	"github.com/opendata-docket/docket/internal/ledger"
)

// ledgerExports publishes the ledger the site was built from, ledger.json: for every request,
// the pull requests that changed it, who opened and merged them and when. Anyone can check the
// site's days against it, and it against GitHub.
func (s *builtSite) ledgerExports() []job {
	if s.in.Ledger == nil {
		return nil
	}
	return []job{{path: ledger.FileName, render: func(buf *bufio.Writer) error {
		data, err := s.in.Ledger.Encode()
		if err != nil {
			return err
		}
		buf.Write(data)
		return nil
	}}}
}
