package validate

import (
	"testing"
	"testing/fstest"

	"github.com/opendata-docket/docket/internal/docket"
)

func TestCodeOwnersTeam(t *testing.T) {
	cfg := &docket.Config{Staff: docket.Staff{Logins: []string{"amy"}, Team: "city/open-data"}}
	ok := fstest.MapFS{"CODEOWNERS": {Data: []byte("* @city/open-data\n")}}
	if got := CodeOwners(ok, cfg); len(got) != 0 {
		t.Errorf("the staff team owns everything, yet: %v", got)
	}
	// .github/CODEOWNERS comes first, as on GitHub: the root file is not read.
	first := fstest.MapFS{"CODEOWNERS": {Data: []byte("* @city/open-data\n")}, ".github/CODEOWNERS": {Data: []byte("* @someone\n")}}
	got := CodeOwners(first, cfg)
	if len(got) != 4 || got[0].Path != ".github/CODEOWNERS" || got[0].Line != 1 || got[0].Severity != docket.Warning {
		t.Errorf("CodeOwners = %v, want 4 warnings on .github/CODEOWNERS:1", got)
	}
	if got := CodeOwners(fstest.MapFS{}, cfg); len(got) != 0 {
		t.Errorf("without CODEOWNERS: %v", got)
	}
}
