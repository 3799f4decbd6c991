package docket

import "testing"

func TestIDsWorkOnWindows(t *testing.T) {
	for _, id := range []string{"bus-feed", "311-dashboard", "con-data", "nul1", "com10", "lpt", "auxiliary", "prn-2026", "a"} {
		if !ValidID(id) {
			t.Errorf("ValidID(%q) = false, want true: %s", id, ExplainID(id))
		}
	}
	windows := "is a name Windows keeps for a device, so the repository could not be checked out on Windows; add a word to it, like "
	tests := []struct{ id, why string }{
		{"nul", windows + "nul-data"},
		{"con", windows + "con-data"},
		{"prn", windows + "prn-data"},
		{"aux", windows + "aux-data"},
		{"com0", windows + "com0-data"},
		{"com1", windows + "com1-data"},
		{"com9", windows + "com9-data"},
		{"lpt0", windows + "lpt0-data"},
		{"lpt1", windows + "lpt1-data"},
		{"lpt9", windows + "lpt9-data"},
		{"com²", windows + "com²-data"},
		{"NUL", windows + "nul-data"},
		{"Con", windows + "con-data"},
		{"nul.", windows + "nul-data"},
		{"aux ", windows + "aux-data"},
		{"nul.txt", windows + "nul-data"},
		{"LPT3.log", windows + "lpt3-data"},
		{"conin$", windows + "conin$-data"},
		{"data.", "ends with a dot or a space, which Windows drops from folder names; use lowercase letters and digits in words joined by single hyphens, like 311-dashboard-feed"},
		{"data ", "ends with a dot or a space, which Windows drops from folder names; use lowercase letters and digits in words joined by single hyphens, like 311-dashboard-feed"},
		{"Bus-Feed", "must use lowercase letters and digits in words joined by single hyphens, like 311-dashboard-feed"},
		{"", "must not be empty"},
	}
	for _, tt := range tests {
		if ValidID(tt.id) {
			t.Errorf("ValidID(%q) = true, want false", tt.id)
		}
		if got := ExplainID(tt.id); got != tt.why {
			t.Errorf("ExplainID(%q) = %q, want %q", tt.id, got, tt.why)
		}
	}
}
