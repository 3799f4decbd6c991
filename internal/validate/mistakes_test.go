package validate

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// runMistake makes one edit, old to new, to a valid file of a valid repository and returns the
// findings on that file as line:col: text. file is "request", "dataset" (a request for a new
// dataset) or "decision" (an approval of the api-access request).
func runMistake(t *testing.T, file, old, new string) []string {
	t.Helper()
	const req, dec = "requests/feed/request.yaml", "requests/feed/decision.yaml"
	request, decision, path := apiRequest, approved, req
	switch file {
	case "dataset":
		request, decision = datasetRequest, approved[:strings.Index(approved, "conditions:")]
	case "decision":
		path = dec
	}
	if path == req {
		request = sub(request, old, new)
	} else {
		decision = sub(decision, old, new)
	}
	fsys := files(req, request, dec, decision)
	if path == req {
		fsys = files(req, request) // no decision to disagree with the edited request
	}
	var got []string
	for _, f := range run(t, fsys) {
		if rest, ok := strings.CutPrefix(f, path+":"); ok {
			got = append(got, rest)
		} else {
			t.Errorf("finding on a file that was not edited: %s", f)
		}
	}
	return got
}

type mistake struct {
	name, file string // file: request, dataset (a request for a new dataset) or decision
	old, new   string // the edit that makes the mistake
	want       []string
}

// fixes holds, for a mistake of the corpus, the line its message tells the person to write
// instead (the same edit, done as the hint says).
var fixes = map[string]string{
	"dot as a thousands separator":                     "    requests_per_day: 10000",
	"dot as a thousands separator in a granted limit":  "requests_per_day: 5000,",
	"dots as thousands separators":                     "    requests_per_day: 1000000",
	"whole number with a decimal point":                "    requests_per_day: 2000",
	"thousand in words":                                "    requests_per_day: 2000",
	"M for million":                                    "    requests_per_day: 2000000",
	"full-width digits":                                "    requests_per_day: 2000",
	"letter O for zero":                                "    requests_per_day: 2000",
	"non-breaking space between digits":                "    requests_per_day: 2000",
	"comment line continuing a title":                  "title: \"Ridership on route\n  #35 and 47 for a study\"",
	"comment line continuing a name":                   "  type: nonprofit\n  organization: \"Northeast KC\n    #3 Neighborhood Alliance\"",
	"comment line continuing a description":            "  description: |\n    We chart calls by district\n    #3 and by week.",
	"note after a title":                               "title: Ridership for routes 35 and 47\n# the main ones",
	"block text line less indented":                    "  description: |\n    We chart response times\n    by council district.",
	"block text line one space less indented":          "  description: |\n    We chart response times\n    by council district.",
	"block text line with a colon less indented":       "  description: |\n    We chart response times by district.\n    Note: counts only.",
	"quote left open":                                  "title: \"Daily 311 calls for a dashboard\"",
	"single quote left open":                           "title: 'Daily 311 calls for a dashboard'",
	"apostrophe in single quotes over two lines":       "title: 'Our neighborhood''s 311 calls\n  and the city''s response times'",
	"list item at the left edge":                       "  datasets:\n    - calls-311",
	"bracket left open":                                "  datasets: [calls-311]",
	"brace left open":                                  "  resources: {verdict: met, note: Little work.}",
	"colon inside braces":                              "  resources: {verdict: met, note: \"Note: little work.\"}",
	"apostrophe inside braces":                         "  resources: {verdict: met, note: \"The city's data is public.\"}",
	"bracket inside braces":                            "  resources: {verdict: met, note: \"Public data [see policy].\"}",
	"brace inside braces":                              "  resources: {verdict: met, note: \"Public data (see {link}).\"}",
	"list written with and":                            "  datasets: [calls-311, ems-times]",
	"list written with a slash":                        "  datasets: [calls-311, ems-times]",
	"list in parentheses":                              "  datasets: [calls-311, ems-times]",
	"list in braces":                                   "  datasets: [calls-311, ems-times]",
	"list with round bullets":                          "  datasets: [calls-311, ems-times]",
	"list with an en dash bullet":                      "  datasets: [calls-311]",
	"list items without a space":                       "  datasets: [calls-311, ems-times]",
	"bullets under a description without a block":      "  description: |\n    We chart these reports:\n    - potholes\n    - trash",
	"star bullets under a description without a block": "  description: |\n    We chart these reports:\n    * potholes\n    * trash",
	"a colon in a description over lines":              "  description: |\n    We chart how quickly reports are closed.\n    Goal: faster repairs.",
	"non-breaking spaces for indentation":              "  type: nonprofit",
	"non-breaking space after the colon":               "  use: analytics",
	"full-width colon":                                 "title: Daily 311 calls for a dashboard",
	"markdown code fence":                              "kind: api-access",
	"equals sign for the colon":                        "title: Daily 311 calls for a dashboard",
	"value starting with a dash":                       "title: \"- Daily 311 calls for a dashboard\"",
	"text after the block sign":                        "title: Daily 311 calls for a dashboard",
	"text after the folded block sign":                 "title: Daily 311 calls for a dashboard",
	"question mark at the start":                       "title: Daily 311 calls for a dashboard",
	"backslash in double quotes":                       "title: 'Daily 311 calls in C:\\Users\\data'",
	"line break written as an escape in a title":       "title: 'Daily 311 calls for\\new dashboards'",
	"cyrillic letter in a login":                       "  github: req-rita",
	"cyrillic letter in a title":                       "title: Daily 311 calls for a dashboard",
	"date with en dashes":                              "date: 2026-04-01",
	"date with dots, day first":                        "date: 2026-04-01",
	"date with an ordinal day":                         "date: 2026-04-01",
	"date in full-width digits":                        "date: 2026-04-01",
	"text after a closing single quote":                "title: \"'Route #35' and #47 ridership study\"",
	"text after a closing quote, then a note":          "title: '\"Route #35\" and #47 ridership study' # draft",
}

// TestMistakes is the corpus of the mistakes people make writing docket's YAML by hand, each
// with the exact message docket gives: the number forms YAML reads differently from people,
// text cut short by " #", days that do not exist, invisible characters, names that mix
// alphabets, and the slips of indentation, quoting, lists and braces that the YAML library
// reports as something else. It is the regression suite for messages: a change to one shows
// here, and a mistake docket learns to explain is added here. Each edit is made to a valid
// file; the findings listed are all there are on it.
func TestMistakes(t *testing.T) {
	tests := []mistake{
		{"number with a leading zero", "request", "    requests_per_day: 2000", "    requests_per_day: 010000",
			[]string{"9:23: api_access.traffic.requests_per_day: write 10000 without the leading zero; YAML reads 010000 as 4096"}},
		{"granted limit with a leading zero", "decision", "requests_per_day: 5000,", "requests_per_day: 0500000,",
			[]string{"12:30: conditions.limits.requests_per_day: write 500000 without the leading zero; YAML reads 0500000 as 163840"}},
		{"negative number with a leading zero", "request", "    peak_requests_per_second: 2", "    peak_requests_per_second: -02",
			[]string{"10:31: api_access.traffic.peak_requests_per_second: write -2 without the leading zero"}},
		{"octal number", "request", "    requests_per_day: 2000", "    requests_per_day: 0o3720",
			[]string{"9:23: api_access.traffic.requests_per_day: write 2000 in plain digits; 0o3720 is an octal number"}},
		{"hexadecimal number", "request", "    requests_per_day: 2000", "    requests_per_day: 0x7D0",
			[]string{"9:23: api_access.traffic.requests_per_day: write 2000 in plain digits; 0x7D0 is a hexadecimal number"}},
		{"binary number", "request", "    peak_requests_per_second: 2", "    peak_requests_per_second: 0b10",
			[]string{"10:31: api_access.traffic.peak_requests_per_second: write 2 in plain digits; 0b10 is a binary number"}},
		{"plus sign", "request", "    requests_per_day: 2000", "    requests_per_day: +2000",
			[]string{"9:23: api_access.traffic.requests_per_day: write 2000 without the plus sign"}},
		{"exponent", "request", "    requests_per_day: 2000", "    requests_per_day: 2e3",
			[]string{"9:23: api_access.traffic.requests_per_day: write 2000 in plain digits, without an exponent (e)"}},
		{"infinity", "decision", "requests_per_second: 2}", "requests_per_second: .inf}",
			[]string{"12:57: conditions.limits.requests_per_second: write the number in digits, like 10000; YAML reads .inf as infinity"}},
		{"not a number", "request", "    peak_requests_per_second: 2", "    peak_requests_per_second: .nan",
			[]string{"10:31: api_access.traffic.peak_requests_per_second: write the number in digits, like 10000; YAML reads .nan as \"not a number\""}},
		{"underscores between digits", "request", "    requests_per_day: 2000", "    requests_per_day: 2_000",
			[]string{"9:23: api_access.traffic.requests_per_day: write 2000 without the underscores"}},
		{"commas between digits", "request", "    requests_per_day: 2000", "    requests_per_day: 2,000",
			[]string{"9:23: api_access.traffic.requests_per_day: write 2000 without the commas"}},
		{"spaces between digits", "request", "    requests_per_day: 2000", "    requests_per_day: 20 000",
			[]string{"9:23: api_access.traffic.requests_per_day: write 20000 without the spaces"}},
		{"words after the number", "request", "    requests_per_day: 2000", "    requests_per_day: 2000 calls a day",
			[]string{"9:23: api_access.traffic.requests_per_day: write only the number, 2000"}},
		{"k for thousand", "request", "    requests_per_day: 2000", "    requests_per_day: 2k",
			[]string{"9:23: api_access.traffic.requests_per_day: write 2000 in digits"}},
		{"quoted number with commas", "request", "    requests_per_day: 2000", "    requests_per_day: \"2,000\"",
			[]string{"9:23: api_access.traffic.requests_per_day: must be a whole number, not \"2,000\"; write 2000 without the commas, and without quotes"}},
		{"dot as a thousands separator", "request", "    requests_per_day: 2000", "    requests_per_day: 10.000",
			[]string{"9:23: api_access.traffic.requests_per_day: write 10000 without the dot; YAML reads 10.000 as 10"}},
		{"dot as a thousands separator in a granted limit", "decision", "requests_per_day: 5000,", "requests_per_day: 5.000,",
			[]string{"12:30: conditions.limits.requests_per_day: write 5000 without the dot; YAML reads 5.000 as 5"}},
		{"dots as thousands separators", "request", "    requests_per_day: 2000", "    requests_per_day: 1.000.000",
			[]string{"9:23: api_access.traffic.requests_per_day: write 1000000 without the dots"}},
		{"whole number with a decimal point", "request", "    requests_per_day: 2000", "    requests_per_day: 2000.",
			[]string{"9:23: api_access.traffic.requests_per_day: write 2000, without the decimal point"}},
		{"whole number with a zero decimal", "request", "    requests_per_day: 2000", "    requests_per_day: 2000.0",
			[]string{"9:23: api_access.traffic.requests_per_day: write 2000, without the decimal point"}},
		{"thousand in words", "request", "    requests_per_day: 2000", "    requests_per_day: 2 thousand",
			[]string{"9:23: api_access.traffic.requests_per_day: write 2000 in digits"}},
		{"M for million", "request", "    requests_per_day: 2000", "    requests_per_day: 2M",
			[]string{"9:23: api_access.traffic.requests_per_day: write 2000000 in digits"}},
		{"commas and words after the number", "request", "    requests_per_day: 2000", "    requests_per_day: 2,000 calls",
			[]string{"9:23: api_access.traffic.requests_per_day: write only the number, 2000"}},
		{"full-width digits", "request", "    requests_per_day: 2000", "    requests_per_day: ２０００",
			[]string{"9:23: api_access.traffic.requests_per_day: write 2000 in ordinary digits; ２０００ is typed in full-width digits"}},
		{"letter O for zero", "request", "    requests_per_day: 2000", "    requests_per_day: 20OO",
			[]string{"9:23: api_access.traffic.requests_per_day: write 2000 in digits; 20OO has the letter O in it, not the digit"}},
		{"non-breaking space between digits", "request", "    requests_per_day: 2000", "    requests_per_day: 2\u00a0000",
			[]string{"9:23: api_access.traffic.requests_per_day: write 2000 without the spaces"}},
		{"two zeros", "request", "    requests_per_day: 2000", "    requests_per_day: 00",
			[]string{"9:23: api_access.traffic.requests_per_day: must be at least 1, not 00 (which is 0)"}},
		{"number too large for YAML", "request", "    requests_per_day: 2000", "    requests_per_day: 99999999999999999999999",
			[]string{"9:23: api_access.traffic.requests_per_day: must be at most 100000000, not 99999999999999999999999"}},
		{"comma inside braces splits a number", "decision", "requests_per_day: 5000,", "requests_per_day: 5,000,",
			[]string{"12:30: conditions.limits.requests_per_day: the comma in 5,000 ends the value inside {braces}; write 5000 without the comma"}},
		{"comment cuts a title", "request", "title: Daily 311 calls for a dashboard", "title: Ridership on route #35 and #47",
			[]string{"2:27: title: \"#35 and #47\" is read as a comment and dropped, so the title is \"Ridership on route\"; put the whole title in quotes"}},
		{"comment cuts a description", "request", "  description: We chart response times by council district.", "  description: We chart calls by district #and by week.",
			[]string{"14:43: purpose.description: \"#and by week.\" is read as a comment and dropped, so the description is \"We chart calls by district\"; put the whole description in quotes"}},
		{"comment empties a name", "request", "  type: nonprofit", "  type: nonprofit\n  organization: #KCTransit Riders",
			[]string{"6:17: requester.organization: \"#KCTransit Riders\" is read as a comment and dropped, so the organization is empty; put the whole organization in quotes"}},
		{"comment cuts a sample cell", "dataset", "block: 3100 block of Prospect Ave}", "block: 3100 block of Prospect Ave}\n    - request_date: \"2026-03-03\"\n      block: Apt #4, 12 Main St",
			[]string{"16:18: dataset.sample_rows[2].block: \"#4, 12 Main St\" is read as a comment and dropped, so the value is \"Apt\"; put the whole value in quotes"}},
		{"comment inside braces", "decision", "  resources: {verdict: met, note: Little work.}", "  resources: {verdict: met, note: Ticket #41 covers it.}",
			[]string{"8:42: \" #\" starts a comment, even inside {braces}, and the comment takes the rest of the line with it; put the note in quotes: note: \"Ticket #41 covers it.\""}},
		{"comment line continuing a title", "request", "title: Daily 311 calls for a dashboard", "title: Ridership on route\n  #35 and 47 for a study",
			[]string{"3:3: title: \"#35 and 47 for a study\" is read as a comment and dropped, so the title is \"Ridership on route\"; put the whole title in quotes"}},
		{"comment line continuing a name", "request", "  type: nonprofit", "  type: nonprofit\n  organization: Northeast KC\n    #3 Neighborhood Alliance",
			[]string{"7:5: requester.organization: \"#3 Neighborhood Alliance\" is read as a comment and dropped, so the organization is \"Northeast KC\"; put the whole organization in quotes"}},
		{"comment line continuing a description", "request", "  description: We chart response times by council district.", "  description: We chart calls by district\n    #3 and by week.",
			[]string{"15:5: purpose.description: \"#3 and by week.\" is read as a comment and dropped, so the description is \"We chart calls by district\"; put the whole description in quotes or use |"}},
		{"note after a title", "request", "title: Daily 311 calls for a dashboard", "title: Ridership for routes 35 and 47 # the main ones",
			[]string{"2:39: title: \"# the main ones\" is read as a comment and dropped, so the title is \"Ridership for routes 35 and 47\"; put the whole title in quotes, or move the note to its own line"}},
		{"comments that are fine", "request", "  use: analytics", "  use: analytics  # charts\n  # a comment on its own line",
			nil},
		{"date that does not exist", "decision", "date: 2026-04-01", "date: 2026-02-30",
			[]string{"3:7: date: there is no 2026-02-30: February 2026 has 28 days"}},
		{"february 29 in a common year", "decision", "date: 2026-04-01", "date: 2025-02-29",
			[]string{"3:7: date: there is no 2025-02-29: February 2025 has 28 days (2025 is not a leap year)"}},
		{"april 31", "decision", "expires: 2027-03-31", "expires: 2026-04-31",
			[]string{"13:12: conditions.expires: there is no 2026-04-31: April 2026 has 30 days"}},
		{"month 13", "decision", "expires: 2027-03-31", "expires: 2026-13-01",
			[]string{"13:12: conditions.expires: there is no 2026-13-01: a year has 12 months, written 01 to 12"}},
		{"day 0", "decision", "date: 2026-04-01", "date: 2026-04-00",
			[]string{"3:7: date: there is no 2026-04-00: days are counted from 01"}},
		{"date without dashes", "decision", "date: 2026-04-01", "date: 20260401",
			[]string{"3:7: date: must be a date written YYYY-MM-DD: write 2026-04-01"}},
		{"date without dashes in quotes", "decision", "date: 2026-04-01", "date: \"20260401\"",
			[]string{"3:7: date: must be a date written YYYY-MM-DD: write 2026-04-01"}},
		{"date without leading zeros", "decision", "date: 2026-04-01", "date: 2026-4-1",
			[]string{"3:7: date: must be a date written YYYY-MM-DD: write 2026-04-01"}},
		{"date with slashes", "decision", "date: 2026-04-01", "date: 2026/04/01",
			[]string{"3:7: date: must be a date written YYYY-MM-DD: write 2026-04-01"}},
		{"date with a time", "decision", "date: 2026-04-01", "date: 2026-04-01T09:30:00",
			[]string{"3:7: date: must be a date written YYYY-MM-DD, without a time: write 2026-04-01"}},
		{"date in words", "decision", "date: 2026-04-01", "date: April 1, 2026",
			[]string{"3:7: date: must be a date written YYYY-MM-DD: write 2026-04-01"}},
		{"date day first", "decision", "expires: 2027-03-31", "expires: 31/03/2027",
			[]string{"13:12: conditions.expires: must be a date written YYYY-MM-DD: write 2027-03-31"}},
		{"date with en dashes", "decision", "date: 2026-04-01", "date: 2026–04–01",
			[]string{"3:7: date: must be a date written YYYY-MM-DD with hyphens (-), not dashes that look like them: write 2026-04-01"}},
		{"date with dots, day first", "decision", "date: 2026-04-01", "date: 01.04.2026",
			[]string{"3:7: date: must be a date written YYYY-MM-DD: write 2026-04-01"}},
		{"date with an ordinal day", "decision", "date: 2026-04-01", "date: 2026-04-1st",
			[]string{"3:7: date: must be a date written YYYY-MM-DD: write 2026-04-01"}},
		{"date without its day", "decision", "date: 2026-04-01", "date: 2026-04",
			[]string{"3:7: date: must be a whole date written YYYY-MM-DD, with the day too, like 2026-04-01"}},
		{"date that reads two ways", "decision", "date: 2026-04-01", "date: 04/01/2026",
			[]string{"3:7: date: must be a date written YYYY-MM-DD; 04/01/2026 can be read two ways: write 2026-04-01 for April 1, or 2026-01-04 for January 4"}},
		{"date in full-width digits", "decision", "date: 2026-04-01", "date: ２０２６-04-01",
			[]string{"3:7: date: must be a date written YYYY-MM-DD in ordinary digits, not full-width ones: write 2026-04-01"}},
		{"date that could be either way", "decision", "date: 2026-04-01", "date: 4/1/2026",
			[]string{"3:7: date: must be a date written YYYY-MM-DD; 4/1/2026 can be read two ways: write 2026-04-01 for April 1, or 2026-01-04 for January 4"}},
		{"sample date that does not exist", "dataset", "{request_date: \"2026-03-02\"", "{request_date: \"2026-02-29\"",
			[]string{"14:22: dataset.sample_rows[1].request_date: column request_date is of type date; there is no 2026-02-29: February 2026 has 28 days (2026 is not a leap year)"}},
		{"title of zero-width spaces", "request", "title: Daily 311 calls for a dashboard", "title: \u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b",
			[]string{"2:8: title: has no visible characters, only 8 invisible zero-width spaces (U+200B); write it in words"}},
		{"title of spaces", "request", "title: Daily 311 calls for a dashboard", "title: \"          \"",
			[]string{"2:8: title: has no visible characters, only spaces; write it in words"}},
		{"soft hyphen in a name", "request", "  type: nonprofit", "  type: nonprofit\n  name: Rita\u00adJones",
			[]string{"6:9: requester.name: contains the invisible soft hyphen U+00AD after \"Rita\"; remove it"}},
		{"word joiner in a title", "request", "title: Daily 311 calls for a dashboard", "title: \"Daily 311 calls\u2060 for a dashboard\"",
			[]string{"2:8: title: contains the invisible word joiner U+2060 after \"Daily 311 calls\"; remove it"}},
		{"right-to-left mark in an organization", "request", "  type: nonprofit", "  type: nonprofit\n  organization: \"Westside\u200f Neighbors\"",
			[]string{"6:17: requester.organization: contains the invisible right-to-left mark U+200F after \"Westside\"; remove it"}},
		{"tag characters in an organization", "request", "  type: nonprofit", "  type: nonprofit\n  organization: \"Westside\U000e0041 Neighbors\"",
			[]string{"6:17: requester.organization: contains the invisible tag character U+E0041 after \"Westside\"; remove it"}},
		{"hangul filler as a name", "request", "  type: nonprofit", "  type: nonprofit\n  name: \"ㅤ\"",
			[]string{"6:9: requester.name: has no visible characters, only an invisible Hangul filler (U+3164); write it in words"}},
		{"description of zero-width spaces", "request", "  description: We chart response times by council district.", "  description: \"\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\"",
			[]string{"14:16: purpose.description: has no visible characters, only 20 invisible zero-width spaces (U+200B); write it in words"}},
		{"cyrillic letter in a latin word", "request", "  type: nonprofit", "  type: nonprofit\n  organization: Kansas Сity Police",
			[]string{"6:17: requester.organization: the word \"Сity\" mixes alphabets: С (U+0421) is a Cyrillic letter among Latin ones; retype the word in one alphabet"}},
		{"greek letter in a latin name", "request", "  type: nonprofit", "  type: nonprofit\n  name: Jοrdan Ellis",
			[]string{"6:9: requester.name: the word \"Jοrdan\" mixes alphabets: ο (U+03BF) is a Greek letter among Latin ones; retype the word in one alphabet"}},
		{"cyrillic letter in a login", "request", "  github: req-rita", "  github: req-ritа",
			[]string{"4:11: requester.github: must be a GitHub login (letters, digits and single hyphens, at most 39 characters), not \"req-ritа\"; а (U+0430) is a Cyrillic letter that looks like a Latin one; retype it: req-rita"}},
		{"cyrillic letter in a title", "request", "title: Daily 311 calls for a dashboard", "title: Daily 311 calls for a dashbоard",
			[]string{"2:8: title: the word \"dashbоard\" mixes alphabets: о (U+043E) is a Cyrillic letter among Latin ones; retype the word in one alphabet"}},
		{"emoji and persian are fine", "request", "  type: nonprofit", "  type: nonprofit\n  name: می\u200cخواهم Delgado ❤️",
			nil},
		{"block text not indented", "request", "  description: We chart response times by council district.", "  description: |\n  We chart response times\n  by council district.",
			[]string{"15:1: purpose.description: the text under \"description: |\" must be indented further than description; add two spaces before each line of it"}},
		{"block text line less indented", "request", "  description: We chart response times by council district.", "  description: |\n    We chart response times\n  by council district.",
			[]string{"16:1: purpose.description: this line is less indented than the text above it, so it is no longer part of description; indent it like the lines above (four spaces)"}},
		{"block text line one space less indented", "request", "  description: We chart response times by council district.", "  description: |\n    We chart response times\n   by council district.",
			[]string{"16:1: purpose.description: this line is less indented than the text above it, so it is no longer part of description; indent it like the lines above (four spaces)"}},
		{"block text line with a colon less indented", "request", "  description: We chart response times by council district.", "  description: |\n    We chart response times by district.\n  Note: counts only.",
			[]string{"16:3: purpose.Note: this line is less indented than the text above it, so it is no longer part of description; indent it like the lines above (four spaces)"}},
		{"bullets under a description without a block", "request", "  description: We chart response times by council district.", "  description:\n    We chart these reports:\n    - potholes\n    - trash",
			[]string{"15:5: purpose.description: must be text, not a set of fields; for text over several lines, with a \":\" or bullets, write description: | and indent the text under it"}},
		{"star bullets under a description without a block", "request", "  description: We chart response times by council district.", "  description:\n    We chart these reports:\n    * potholes\n    * trash",
			[]string{"14:15: purpose.description: the lines under description are text with a \":\" or bullets, which YAML reads as fields or a list; write description: | and indent the text under it"}},
		{"a colon in a description over lines", "request", "  description: We chart response times by council district.", "  description:\n    We chart how quickly reports are closed.\n    Goal: faster repairs.",
			[]string{"14:15: purpose.description: the lines under description are text with a \":\" or bullets, which YAML reads as fields or a list; write description: | and indent the text under it"}},
		{"block text at column 1", "decision", "reasons: The data is public and the traffic is small.", "reasons: >\nThe data is public\nand the traffic is small.",
			[]string{"5:1: reasons: the text under \"reasons: >\" must be indented further than reasons; add two spaces before each line of it"}},
		{"apostrophe in single quotes", "request", "  considerations: Only counts by ZIP code are published.", "  considerations: 'We don't collect names.'",
			[]string{"17:26: privacy.considerations: the apostrophe in \"don't\" ends the text in 'single quotes'; write it twice (don''t), or put all the considerations in \"double quotes\""}},
		{"quote marks in double quotes", "request", "title: Daily 311 calls for a dashboard", "title: \"The \"daily\" 311 calls\"",
			[]string{"2:13: title: the quote mark before \"daily\" ends the text in \"double quotes\"; write it as \\\" or put the whole title in 'single quotes'"}},
		{"curly quotes around a colon", "request", "title: Daily 311 calls for a dashboard", "title: “Data: 311 calls for a dashboard”",
			[]string{"2:8: title: the title is in curly quotes “…”, which YAML does not read as quotes; type straight quotes instead: \"Data: 311 calls for a dashboard\""}},
		{"curly quotes around a choice", "request", "  use: analytics", "  use: “analytics”",
			[]string{"13:8: purpose.use: must be one of analytics, integration, research, publication, other, not \"“analytics”\"; remove the quotes around it: analytics"}},
		{"colon in a plain value", "request", "title: Daily 311 calls for a dashboard", "title: Data: 311 calls for a dashboard",
			[]string{"2:12: title: a \":\" followed by a space starts a new field; put the whole title in quotes: \"Data: 311 calls for a dashboard\""}},
		{"no space after the colon", "request", "title: Daily 311 calls for a dashboard", "title:Daily 311 calls for a dashboard",
			[]string{"2:6: put a space after the colon: title: Daily 311 calls for a dashboard"}},
		{"no space after the colon in braces", "decision", "  legal: {verdict: met, note: Standard terms.}", "  legal: {verdict:met, note: Standard terms.}",
			[]string{"9:11: evaluation.legal.verdict:met: put a space after the colon: verdict: met"}},
		{"value starting with a bracket", "request", "title: Daily 311 calls for a dashboard", "title: [Draft] Daily 311 calls",
			[]string{"2:8: title: a value starting with \"[\" is read as a list; put the whole title in quotes: \"[Draft] Daily 311 calls\""}},
		{"text after the closing quote", "request", "title: Daily 311 calls for a dashboard", "title: \"Daily\" 311 calls for a dashboard",
			[]string{"2:15: title: text follows the closing quote; to keep the quotes, put the whole title in single quotes: '\"Daily\" 311 calls for a dashboard'"}},
		{"text after a closing single quote", "request", "title: Daily 311 calls for a dashboard", "title: 'Route #35' and #47 ridership study",
			[]string{"2:19: title: text follows the closing quote; to keep the quotes, put the whole title in double quotes: \"'Route #35' and #47 ridership study\""}},
		{"text after a closing quote, then a note", "request", "title: Daily 311 calls for a dashboard", "title: \"Route #35\" and #47 ridership study # draft",
			[]string{"2:19: title: text follows the closing quote; to keep the quotes, put the whole title in single quotes: '\"Route #35\" and #47 ridership study'"}},
		{"markdown emphasis at the start", "decision", "reasons: The data is public and the traffic is small.", "reasons: *Public* data, and the traffic is small.",
			[]string{"4:10: reasons: a value starting with \"*\" is an alias to YAML, and aliases are not allowed; if it is text, put it in quotes: \"*Public* data, and the traffic is small.\""}},
		{"at sign before a login", "request", "  github: req-rita", "  github: @req-rita",
			[]string{"4:11: requester.github: a value starting with \"@\" must be put in quotes; for a GitHub login, leave out the @: req-rita"}},
		{"quoted at sign before a login", "request", "  github: req-rita", "  github: \"@req-rita\"",
			[]string{"4:11: requester.github: must be a GitHub login (letters, digits and single hyphens, at most 39 characters), not \"@req-rita\"; write the login without the @: req-rita"}},
		{"profile address for a login", "request", "  github: req-rita", "  github: https://github.com/req-rita",
			[]string{"4:11: requester.github: must be a GitHub login (letters, digits and single hyphens, at most 39 characters), not \"https://github.com/req-rita\"; write only the login, not the address of the profile: req-rita"}},
		{"markdown bullets for a list", "request", "  datasets: [calls-311]", "  datasets:\n  * calls-311",
			[]string{"8:3: start each list item with \"- \" (a dash and a space), not \"* \""}},
		{"non-breaking spaces for indentation", "request", "  type: nonprofit", "\u00a0\u00a0type: nonprofit",
			[]string{"5:1: this line uses non-breaking spaces (often pasted from a web page or Word); retype them as ordinary spaces"}},
		{"non-breaking space after the colon", "request", "  use: analytics", "  use:\u00a0analytics",
			[]string{"13:7: this line uses non-breaking spaces (often pasted from a web page or Word); retype them as ordinary spaces"}},
		{"full-width colon", "request", "title: Daily 311 calls for a dashboard", "title： Daily 311 calls for a dashboard",
			[]string{"2:6: the colon after title is a full-width colon (：), which YAML does not read as one; type an ordinary colon: title: Daily 311 calls for a dashboard"}},
		{"markdown code fence", "request", "kind: api-access", "```yaml\nkind: api-access",
			[]string{"1:1: remove the ``` lines: they mark a code block in Markdown, and are not part of the YAML"}},
		{"tab for indentation", "request", "  type: nonprofit", "\ttype: nonprofit",
			[]string{"5:1: YAML syntax error near here: tabs cannot be used for indentation; indent with spaces"}},
		{"one space too many", "request", "  type: nonprofit", "   type: nonprofit",
			[]string{"5:1: type is indented by three spaces, but github above it is indented by two spaces; line up the fields that belong together"}},
		{"one space too few", "request", "  type: nonprofit", " type: nonprofit",
			[]string{"5:1: type is indented by one space, but github above it is indented by two spaces; line up the fields that belong together"}},
		{"fields at column 1 under their parent", "request", "requester:\n  github: req-rita\n  type: nonprofit", "requester:\ngithub: req-rita\ntype: nonprofit",
			[]string{"3:11: requester: has no fields under it: github and type below it are not indented under it; indent them by two spaces",
				"4:1: github: is a field of requester, not of the top level; indent it under requester by two spaces",
				"5:1: type: is a field of requester, not of the top level; indent it under requester by two spaces"}},
		{"field indented under the wrong parent", "request", "  personal_data: false\n  considerations: Only counts by ZIP code are published.\ndata_sharing_agreement: true", "  personal_data: false\n  considerations: Only counts by ZIP code are published.\n  data_sharing_agreement: true",
			[]string{"18:3: privacy.data_sharing_agreement: is a field of the top level, not of privacy; indent it less, lined up with privacy"}},
		{"field under another parent", "request", "  type: nonprofit\napi_access:\n  datasets: [calls-311]\n  traffic:\n    requests_per_day: 2000\n    peak_requests_per_second: 2\n  integration: A nightly job pulls new calls into our database.\npurpose:\n  use: analytics\n  description: We chart response times by council district.\nprivacy:\n  personal_data: false\n", "  type: nonprofit\n  personal_data: false\napi_access:\n  datasets: [calls-311]\n  traffic:\n    requests_per_day: 2000\n    peak_requests_per_second: 2\n  integration: A nightly job pulls new calls into our database.\npurpose:\n  use: analytics\n  description: We chart response times by council district.\nprivacy:\n",
			[]string{"6:3: requester.personal_data: is a field of privacy, not of requester; move it under privacy"}},
		{"nested field at the top level", "request", "  integration: A nightly job pulls new calls into our database.\npurpose:\n  use: analytics\n  description: We chart response times by council district.\nprivacy:\n  personal_data: false\n  considerations: Only counts by ZIP code are published.\ndata_sharing_agreement: true", "purpose:\n  use: analytics\n  description: We chart response times by council district.\nprivacy:\n  personal_data: false\n  considerations: Only counts by ZIP code are published.\ndata_sharing_agreement: true\nintegration: A nightly job pulls new calls into our database.",
			[]string{"18:1: integration: is a field of api_access, not of the top level; move it under api_access"}},
		{"list written with commas", "request", "  datasets: [calls-311]", "  datasets: calls-311, ems-times",
			[]string{"7:13: api_access.datasets: must be a list, not \"calls-311, ems-times\"; write datasets: [calls-311, ems-times]"}},
		{"list written with and", "request", "  datasets: [calls-311]", "  datasets: calls-311 and ems-times",
			[]string{"7:13: api_access.datasets: must be a list, not \"calls-311 and ems-times\"; write datasets: [calls-311, ems-times]"}},
		{"list written with a slash", "request", "  datasets: [calls-311]", "  datasets: calls-311 / ems-times",
			[]string{"7:13: api_access.datasets: must be a list, not \"calls-311 / ems-times\"; write datasets: [calls-311, ems-times]"}},
		{"list in parentheses", "request", "  datasets: [calls-311]", "  datasets: (calls-311, ems-times)",
			[]string{"7:13: api_access.datasets: must be a list, not \"(calls-311, ems-times)\"; write datasets: [calls-311, ems-times]"}},
		{"list in braces", "request", "  datasets: [calls-311]", "  datasets: {calls-311, ems-times}",
			[]string{"7:13: api_access.datasets: must be a list, not a set of fields; write it in [brackets], not {braces}: datasets: [calls-311, ems-times]"}},
		{"list with round bullets", "request", "  datasets: [calls-311]", "  datasets:\n    • calls-311\n    • ems-times",
			[]string{"8:5: api_access.datasets: must be a list, not \"• calls-311 • ems-times\"; write datasets: [calls-311, ems-times]"}},
		{"list with an en dash bullet", "request", "  datasets: [calls-311]", "  datasets:\n    – calls-311",
			[]string{"8:5: api_access.datasets: must be a list, not \"– calls-311\"; write datasets: [calls-311]"}},
		{"list items without a space", "request", "  datasets: [calls-311]", "  datasets:\n    -calls-311\n    -ems-times",
			[]string{"8:5: api_access.datasets: must be a list, not \"-calls-311 -ems-times\"; write datasets: [calls-311, ems-times]"}},
		{"list item without a space", "request", "  datasets: [calls-311]", "  datasets:\n    -calls-311",
			[]string{"8:5: api_access.datasets: must be a list, not \"-calls-311\"; put a space after the dash: - calls-311"}},
		{"comma inside braces splits a note", "decision", "  feasibility: {verdict: met, note: Served by the portal.}", "  feasibility: {verdict: met, note: Public data, no names}",
			[]string{"7:37: evaluation.feasibility.note: the comma after \"Public data\" ends the note inside {braces}, so \"no names\" was read as another field; put the whole note in quotes: note: \"Public data, no names\""}},
		{"catalog name for its id", "request", "  datasets: [calls-311]", "  datasets: [311 Calls]",
			[]string{"7:14: api_access.datasets[1]: 311 Calls is not a catalog id; did you mean calls-311 (311 Calls)?"}},
		{"catalog name for a granted scope", "decision", "scopes: [calls-311]", "scopes: [311 Calls]",
			[]string{"11:12: conditions.scopes[1]: 311 Calls is not a catalog id; did you mean calls-311 (311 Calls)?"}},
		{"misspelled catalog id", "request", "  datasets: [calls-311]", "  datasets: [calls-31]",
			[]string{"7:14: api_access.datasets[1]: calls-31 is not in the catalog; did you mean calls-311 (311 Calls)?"}},
		{"yes for true", "request", "data_sharing_agreement: true", "data_sharing_agreement: yes",
			[]string{"18:25: data_sharing_agreement: must be true or false, not \"yes\"; write true"}},
		{"no for false", "request", "  personal_data: false", "  personal_data: \"no\"",
			[]string{"16:18: privacy.personal_data: must be true or false, not \"no\"; write false"}},
		{"misspelled field name", "request", "  type: nonprofit", "  type: nonprofit\n  organisation: Westside",
			[]string{"6:3: requester.organisation: unknown field; did you mean organization?"}},
		{"capitalised choice", "request", "  use: analytics", "  use: Analytics",
			[]string{"13:8: purpose.use: must be one of analytics, integration, research, publication, other, not \"Analytics\"; did you mean analytics?"}},
		{"quote left open", "request", "title: Daily 311 calls for a dashboard", "title: \"Daily 311 calls for a dashboard",
			[]string{"2:8: title: the quote that starts the title is never closed; end it with \" too: title: \"Daily 311 calls for a dashboard\""}},
		{"single quote left open", "request", "title: Daily 311 calls for a dashboard", "title: 'Daily 311 calls for a dashboard",
			[]string{"2:8: title: the quote that starts the title is never closed; end it with ' too: title: 'Daily 311 calls for a dashboard'"}},
		{"apostrophe in single quotes over two lines", "request", "title: Daily 311 calls for a dashboard", "title: 'Our neighborhood's 311 calls\n  and the city's response times'",
			[]string{"2:25: title: the apostrophe in \"neighborhood's\" ends the text in 'single quotes'; write it twice (neighborhood''s), or put the whole title in \"double quotes\""}},
		{"list item at the left edge", "request", "  datasets: [calls-311]", "  datasets:\n- calls-311",
			[]string{"8:1: api_access.datasets: indent the - under datasets: add four spaces before each \"- \" of its list"}},
		{"bracket left open", "request", "  datasets: [calls-311]", "  datasets: [calls-311",
			[]string{"7:13: api_access.datasets: the list in [brackets] is never closed; end it with ]: datasets: [calls-311]"}},
		{"brace left open", "decision", "  resources: {verdict: met, note: Little work.}", "  resources: {verdict: met, note: Little work.",
			[]string{"8:14: evaluation.resources: the set of fields in {braces} is never closed; end it with }: resources: {verdict: met, note: Little work.}"}},
		{"colon inside braces", "decision", "  resources: {verdict: met, note: Little work.}", "  resources: {verdict: met, note: Note: little work.}",
			[]string{"8:35: evaluation.resources.note: inside {braces}, a \":\" in a value cannot be read as text; put the note in quotes: note: \"Note: little work.\""}},
		{"apostrophe inside braces", "decision", "  resources: {verdict: met, note: Little work.}", "  resources: {verdict: met, note: 'The city's data is public.'}",
			[]string{"8:35: evaluation.resources.note: inside {braces}, an apostrophe inside 'single quotes' cannot be read as text; put the note in \"double quotes\": note: \"The city's data is public.\""}},
		{"bracket inside braces", "decision", "  resources: {verdict: met, note: Little work.}", "  resources: {verdict: met, note: Public data [see policy].}",
			[]string{"8:35: evaluation.resources.note: inside {braces}, a [bracket] in a value cannot be read as text; put the note in quotes: note: \"Public data [see policy].\""}},
		{"brace inside braces", "decision", "  resources: {verdict: met, note: Little work.}", "  resources: {verdict: met, note: Public data (see {link}).}",
			[]string{"8:35: evaluation.resources.note: inside {braces}, a {brace} in a value cannot be read as text; put the note in quotes: note: \"Public data (see {link}).\""}},
		{"field written twice", "request", "data_sharing_agreement: true", "data_sharing_agreement: true\ntitle: Another title for it",
			[]string{"19:1: title: appears twice in the same place (first on line 2); keep one"}},
		{"field name without a colon", "request", "  type: nonprofit", "  type nonprofit",
			[]string{"5:7: put a colon after the field name: type: nonprofit"}},
		{"equals sign for the colon", "request", "title: Daily 311 calls for a dashboard", "title = Daily 311 calls for a dashboard",
			[]string{"2:7: write a colon after the field name, not =: title: Daily 311 calls for a dashboard"}},
		{"value starting with a dash", "request", "title: Daily 311 calls for a dashboard", "title: - Daily 311 calls for a dashboard",
			[]string{"2:8: title: a value starting with \"- \" is read as a list; put the whole title in quotes: \"- Daily 311 calls for a dashboard\", or leave out the \"- \""}},
		{"text after the block sign", "request", "title: Daily 311 calls for a dashboard", "title: | Daily 311 calls for a dashboard",
			[]string{"2:8: title: a \"|\" at the start of a value starts a block, whose text goes on the lines below it; leave out the \"|\": title: Daily 311 calls for a dashboard"}},
		{"text after the folded block sign", "request", "title: Daily 311 calls for a dashboard", "title: > Daily 311 calls for a dashboard",
			[]string{"2:8: title: a \">\" at the start of a value starts a block, whose text goes on the lines below it; leave out the \">\": title: Daily 311 calls for a dashboard"}},
		{"question mark at the start", "request", "title: Daily 311 calls for a dashboard", "title: ? Daily 311 calls for a dashboard",
			[]string{"2:8: title: a \"?\" at the start of a value is a question to YAML (a complex key), not text; leave out the \"?\": title: Daily 311 calls for a dashboard"}},
		{"backslash in double quotes", "request", "title: Daily 311 calls for a dashboard", "title: \"Daily 311 calls in C:\\Users\\data\"",
			[]string{"2:30: title: a backslash in \"double quotes\" starts an escape, like \\n for a line break; put the whole title in 'single quotes' to keep the backslashes: title: 'Daily 311 calls in C:\\Users\\data'"}},
		{"line break written as an escape in a title", "request", "title: Daily 311 calls for a dashboard", "title: \"Daily 311 calls for\\new dashboards\"",
			[]string{"2:8: title: contains a line break, written as \\n in \"double quotes\", where a backslash starts an escape; write it on one line, or in 'single quotes' to keep the backslash"}},
		{"field name in capitals", "request", "title: Daily 311 calls for a dashboard", "Title: Daily 311 calls for a dashboard",
			[]string{"2:1: Title: unknown field; did you mean title?"}},
		{"value on the next line not indented", "request", "title: Daily 311 calls for a dashboard", "title:\nDaily 311 calls for a dashboard",
			[]string{"3:1: title: this line looks like the value of title; write it on the same line, title: Daily 311 calls for a dashboard, or indent it by two spaces"}},
		{"number where text belongs", "request", "title: Daily 311 calls for a dashboard", "title: 2026",
			[]string{"2:8: title: must be text, not 2026; put it in quotes"}},
		{"second document", "request", "data_sharing_agreement: true", "data_sharing_agreement: true\n---\ntitle: x",
			[]string{"19:1: only one YAML document is allowed; remove the \"---\" line and everything after it, or move it to its own file"}},
	}
	if len(tests) < 30 {
		t.Errorf("only %d mistakes in the corpus", len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runMistake(t, tt.file, tt.old, tt.new)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("findings:\n got %q\nwant %q", got, tt.want)
			}
			// A hint whose fix does not work when followed is a bug: the line the message
			// suggests, written in place of the mistake, leaves nothing to report.
			if fix, ok := fixes[tt.name]; ok {
				for _, f := range runMistake(t, tt.file, tt.old, fix) {
					if !strings.Contains(f, ": warning: ") { // a warning does not stop a request
						t.Errorf("following the hint (%q) still gives %q", fix, f)
					}
				}
			}
		})
	}
	for name := range fixes {
		if !slices.ContainsFunc(tests, func(tt mistake) bool { return tt.name == name }) {
			t.Errorf("fix for %q, which is not in the corpus", name)
		}
	}
}
