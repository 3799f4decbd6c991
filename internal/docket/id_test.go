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
		{"com²", windows + "com2-data"},
		{"NUL", windows + "nul-data"},
		{"Con", windows + "con-data"},
		{"nul.", windows + "nul-data"},
		{"aux ", windows + "aux-data"},
		{"nul.txt", windows + "nul-data"},
		{"LPT3.log", windows + "lpt3-data"},
		{"conin$", windows + "conin-data"},
		{"data.", "ends with a dot or a space, which Windows drops from folder names; use lowercase letters and digits in words joined by single hyphens, like data"},
		{"data ", "ends with a dot or a space, which Windows drops from folder names; use lowercase letters and digits in words joined by single hyphens, like data"},
		{"Bus-Feed", "must use lowercase letters and digits in words joined by single hyphens; write bus-feed"},
		{"my_request", "must use lowercase letters and digits in words joined by single hyphens; write my-request"},
		{"my request", "must use lowercase letters and digits in words joined by single hyphens; write my-request"},
		{"my\u2013request", "has an en dash (–) (U+2013), which looks like a hyphen but is not one; type the hyphen on the keyboard (-): my-request"},
		{"my\u2010request", "has a Unicode hyphen (U+2010), which looks like a hyphen but is not one; type the hyphen on the keyboard (-): my-request"},
		{"my\u2014request", "has an em dash (—) (U+2014), which looks like a hyphen but is not one; type the hyphen on the keyboard (-): my-request"},
		{"my-rеquest", "has the Cyrillic letter е (U+0435), which looks like a Latin one; retype it: my-request"},
		{"$$$", "must use lowercase letters and digits in words joined by single hyphens, like 311-dashboard-feed"},
		{"", "must not be empty"},
	}
	for _, tt := range tests {
		// The id suggested is one: following the advice works.
		if fix := SuggestID(tt.id); fix != "" && !ValidID(fix) {
			t.Errorf("SuggestID(%q) = %q, which is not a valid id", tt.id, fix)
		}
		if ValidID(tt.id) {
			t.Errorf("ValidID(%q) = true, want false", tt.id)
		}
		if got := ExplainID(tt.id); got != tt.why {
			t.Errorf("ExplainID(%q) = %q, want %q", tt.id, got, tt.why)
		}
	}
}
