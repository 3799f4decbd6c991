package check

import (
	"errors"
	"strings"
	"testing"
)

// claim is an older open pull request's claim whose request file reads as data.
func claim(id string, number int, author, data string) Claim {
	return Claim{ID: id, Number: number, Author: author, Read: func() ([]byte, error) { return []byte(data), nil }}
}

// Only a valid request that names its pull request's author holds its id, and a requester's
// open pull requests hold at most Intake.OpenLimit() ids (3 unless configured): one throwaway
// pull request cannot squat hundreds of ids.
func TestClaims(t *testing.T) {
	add := base.With("requests/bus-feed/request.yaml", request("maria"))
	const taken = "requests/bus-feed/request.yaml:1:1: the id bus-feed is already taken by pull request #12; rename your folder to another id"
	unreadable := Claim{ID: "bus-feed", Number: 12, Author: "rita", Read: func() ([]byte, error) { return nil, errors.New("404") }}
	var squat []Claim
	for i := range 300 {
		squat = append(squat, claim([]string{"a", "b", "c", "d", "bus-feed"}[min(i, 4)]+strings.Repeat("x", i/5), 5, "mallory", "not: a request\n"))
	}
	squat = append(squat, claim("bus-feed", 5, "mallory", request("mallory")))
	tests := []struct {
		name   string
		claims []Claim
		want   []string
	}{
		{"a valid request by its author holds the id", []Claim{claim("bus-feed", 12, "rita", request("rita"))}, []string{taken}},
		{"logins ignore case", []Claim{claim("bus-feed", 12, "Rita", request("rita"))}, []string{taken}},
		{"a file that is not a valid request holds nothing", []Claim{claim("bus-feed", 12, "rita", "kind: api-access\n")}, nil},
		{"a request naming someone else holds nothing", []Claim{claim("bus-feed", 12, "mallory", request("rita"))}, nil},
		{"staff may file for someone else", []Claim{claim("bus-feed", 12, "staff-ann", request("rita"))}, []string{taken}},
		{"a claim that cannot be read holds nothing", []Claim{unreadable}, nil},
		{"the oldest claim is the one named", []Claim{claim("bus-feed", 12, "rita", request("rita")), claim("bus-feed", 13, "dan", request("dan"))}, []string{taken}},
		{"a requester's fourth waiting request holds nothing", []Claim{
			claim("one", 9, "rita", request("rita")), claim("two", 10, "rita", request("rita")),
			claim("three", 11, "rita", request("rita")), claim("bus-feed", 12, "rita", request("rita"))}, nil},
		{"staff are not limited", []Claim{
			claim("one", 9, "staff-ann", request("rita")), claim("two", 10, "staff-ann", request("rita")),
			claim("three", 11, "staff-ann", request("rita")), claim("bus-feed", 12, "staff-ann", request("rita"))},
			[]string{taken}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := run(t, add, "maria", Options{Claims: tt.claims})
			if got := errorsOf(res); strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("errors:\n got %q\nwant %q", got, tt.want)
			}
		})
	}

	// Hundreds of junk files in one pull request cost a few reads, and hold nothing.
	reads := 0
	for i := range squat {
		read := squat[i].Read
		squat[i].Read = func() ([]byte, error) { reads++; return read() }
	}
	res := run(t, add, "maria", Options{Claims: squat})
	if got := errorsOf(res); len(got) != 0 {
		t.Errorf("squatted ids held: %q", got)
	}
	if reads > readsPerAuthor*3 {
		t.Errorf("%d request files read for one requester's claims", reads)
	}
	for _, n := range res.Notes {
		if strings.Contains(n, "could not be read") {
			t.Errorf("note: %s", n)
		}
	}
	res = run(t, add, "maria", Options{Claims: []Claim{unreadable}})
	if !strings.Contains(strings.Join(res.Notes, "\n"), "could not be read, so the ids they add were not counted as taken: #12 (bus-feed)") {
		t.Errorf("notes: %q", res.Notes)
	}
}

// A requester may have only so many new requests waiting: those their older pull requests
// hold, and those this pull request adds.
func TestOpenLimit(t *testing.T) {
	mine := []Claim{claim("one", 9, "maria", request("maria")), claim("two", 10, "maria", request("maria"))}
	const over = "one person may have at most 3 new requests waiting at a time, and you already have 2 in open pull requests (#9, #10); open this one after one of them is decided, or close one"
	res := run(t, base.With("requests/bus-feed/request.yaml", request("maria")), "maria", Options{Claims: mine})
	if got := errorsOf(res); len(got) != 0 {
		t.Errorf("the third request was refused: %q", got)
	}
	two := base.With("requests/bus-feed/request.yaml", request("maria"), "requests/car-feed/request.yaml", request("maria"))
	res = run(t, two, "maria", Options{Claims: mine})
	if got := strings.Join(errorsOf(res), "\n"); got != "requests/car-feed/request.yaml:1:1: "+over {
		t.Errorf("errors: %q", got)
	}
	// Staff file as many as they need.
	if got := errorsOf(run(t, two, "staff-ann", Options{Claims: mine})); len(got) != 0 {
		t.Errorf("staff: %q", got)
	}
	// Four in one pull request, with nothing waiting.
	four := two.With("requests/d-feed/request.yaml", request("maria"), "requests/e-feed/request.yaml", request("maria"))
	want := "requests/e-feed/request.yaml:1:1: one person may have at most 3 new requests waiting at a time, and this pull request adds more; open a pull request for this one after the others are decided"
	if got := strings.Join(errorsOf(run(t, four, "maria", Options{})), "\n"); got != want {
		t.Errorf("errors: %q", got)
	}
	// The limit is configured on the base branch.
	cfg := base.With(".github/docket.yml", config+"intake:\n  max_open_per_requester: 1\n")
	res = runOn(t, cfg, cfg.With("requests/bus-feed/request.yaml", request("maria")), "maria", Options{Claims: mine[:1]})
	if got := strings.Join(errorsOf(res), "\n"); !strings.Contains(got, "at most 1 new request waiting at a time, and you already have 1 in open pull requests (#9)") {
		t.Errorf("errors: %q", got)
	}
}
