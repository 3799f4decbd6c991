package ledger

import (
	"strings"
	"testing"
	"time"
)

const sha1 = "9f2b5c0e3d0c4e7a1b6f8d2c5a9e3b7d1f4c8a2e"
const sha2 = "0000000000000000000000000000000000000abc"

func sample() *Ledger {
	l := New("city/open-data")
	l.RecordedThrough = sha2
	l.Add("bike-counts", PullRequest{Number: 7, Author: "nlee", OpenedAt: time.Date(2026, 11, 27, 9, 0, 0, 5, time.FixedZone("CST", -6*3600)), MergedAt: time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC), MergedBy: "staff-one"}, sha1)
	l.Add("bike-counts", PullRequest{Number: 7}, sha2) // the same pull request, a second commit
	l.Add("bike-counts", PullRequest{Number: 3, Author: "nlee", OpenedAt: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), MergedAt: time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)}, sha2)
	return l
}

func TestRoundTrip(t *testing.T) {
	l := sample()
	data, err := l.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"opened_at": "2026-11-27T15:00:00Z"`) {
		t.Errorf("times are not written in UTC to the second:\n%s", data)
	}
	got, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	prs := got.Requests["bike-counts"]
	if len(prs) != 2 || prs[0].Number != 3 || prs[1].Number != 7 || len(prs[1].Commits) != 2 {
		t.Fatalf("pull requests not ordered by opening or commits not merged: %+v", prs)
	}
	if pr := got.ByCommit("bike-counts", sha1); pr == nil || pr.Number != 7 || pr.MergedBy != "staff-one" {
		t.Errorf("ByCommit = %+v", pr)
	}
	if got.ByCommit("other", sha1) != nil || (*Ledger)(nil).ByCommit("x", sha1) != nil {
		t.Error("ByCommit found a pull request that is not there")
	}
	again, _ := got.Encode()
	if string(again) != string(data) {
		t.Errorf("encoding is not stable:\n%s\n---\n%s", data, again)
	}
}

func TestDecodeIsStrict(t *testing.T) {
	good, err := sample().Encode()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, from, to, want string }{
		{"other version", `"version": 1`, `"version": 2`, "version"},
		{"unknown field", `"version": 1`, `"version": 1, "extra": true`, "extra"},
		{"no requests", `"requests": {`, `"requestz": {`, "requests"},
		{"null list", `"requests": {`, `"requests": {"x-y": null,`, "x-y"},
		{"bad time", `"2026-11-27T15:00:00Z"`, `"2026-11-27 15:00"`, "opened_at"},
		{"local time", `"2026-11-27T15:00:00Z"`, `"2026-11-27T09:00:00-06:00"`, "opened_at"},
		{"bad id", `"bike-counts"`, `"Bike Counts"`, "Bike Counts"},
		{"short hash", `"` + sha1 + `"`, `"9f2b5c"`, "commits"},
		{"merged before opened", `"merged_at": "2026-11-29T10:00:00Z"`, `"merged_at": "2026-11-01T10:00:00Z"`, "before it was opened"},
		{"twice", `"number": 3`, `"number": 7`, "recorded twice"},
		{"text after", "}\n", "}\n{}", "after"},
	} {
		bad := strings.Replace(string(good), c.from, c.to, 1)
		if c.name == "text after" {
			bad = string(good) + "{}"
		}
		if bad == string(good) {
			t.Fatalf("%s: the replacement did not apply", c.name)
		}
		_, err := Decode([]byte(bad))
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), FileName) {
			t.Errorf("%s: Decode = %v; want an error naming %s and %q", c.name, err, FileName, c.want)
		}
	}
}

func TestEncodeRefusesWhatDecodeWouldRefuse(t *testing.T) {
	l := New("city/open-data")
	l.Add("a-b", PullRequest{Number: 0, Author: "x", OpenedAt: time.Now(), MergedAt: time.Now()}, sha1)
	if _, err := l.Encode(); err == nil {
		t.Error("a pull request numbered 0 was written")
	}
}
