package docket

import "testing"

func TestStatus(t *testing.T) {
	today := MustDate("2026-11-27")
	api := &Request{Kind: KindAPIAccess}
	dataset := &Request{Kind: KindDataset}
	approved := &Decision{Outcome: OutcomeApproved, Date: MustDate("2026-04-01"), Conditions: &Conditions{Expires: MustDate("2027-03-31")}}
	expired := &Decision{Outcome: OutcomeApproved, Date: MustDate("2025-04-01"), Conditions: &Conditions{Expires: MustDate("2026-03-31")}}
	denied := &Decision{Outcome: OutcomeDenied}
	deniedOnAppeal := &Decision{Outcome: OutcomeDenied, Review: ReviewAppeal}
	suspended := &Enforcement{Actions: []EnforcementAction{
		{Action: ActionWarning, Date: MustDate("2026-10-01")},
		{Action: ActionSuspension, Date: MustDate("2026-11-01"), Until: MustDate("2026-12-31")},
	}}
	tests := []struct {
		name string
		rec  Record
		want Status
	}{
		{"no decision", Record{Request: api}, StatusSubmitted},
		{"acknowledged", Record{Request: api, Decision: &Decision{Outcome: OutcomeAcknowledged}}, StatusAcknowledged},
		{"needs info", Record{Request: api, Decision: &Decision{Outcome: OutcomeNeedsInfo}}, StatusNeedsInfo},
		{"withdrawn", Record{Request: api, Decision: &Decision{Outcome: OutcomeWithdrawn}}, StatusWithdrawn},
		{"approved", Record{Request: api, Decision: approved}, StatusApproved},
		{"approved dataset", Record{Request: dataset, Decision: &Decision{Outcome: OutcomeApproved}}, StatusApproved},
		{"denied", Record{Request: api, Decision: denied}, StatusDenied},
		{"appealed", Record{Request: api, Decision: denied, Appeal: &Appeal{}}, StatusAppealed},
		{"denied on appeal is final", Record{Request: api, Decision: deniedOnAppeal, Appeal: &Appeal{}}, StatusDenied},
		{"expired", Record{Request: api, Decision: expired}, StatusExpired},
		{"expires today is still approved", Record{Request: api, Decision: &Decision{Outcome: OutcomeApproved, Conditions: &Conditions{Expires: today}}}, StatusApproved},
		{"suspended", Record{Request: api, Decision: approved, Enforcement: suspended}, StatusSuspended},
		{"revoked", Record{Request: api, Decision: approved, Enforcement: &Enforcement{Actions: []EnforcementAction{{Action: ActionRevocation, Date: MustDate("2026-05-01")}}}}, StatusRevoked},
		{"revocation in the future does not count yet", Record{Request: api, Decision: approved, Enforcement: &Enforcement{Actions: []EnforcementAction{{Action: ActionRevocation, Date: MustDate("2026-12-01")}}}}, StatusApproved},
	}
	for _, tt := range tests {
		if got := tt.rec.Status(today); got != tt.want {
			t.Errorf("%s: Status = %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestKeyState(t *testing.T) {
	e := &Enforcement{Actions: []EnforcementAction{
		{Action: ActionSuspension, Date: MustDate("2026-06-01"), Until: MustDate("2026-06-30")},
		{Action: ActionSuspension, Date: MustDate("2026-08-01"), Until: MustDate("2026-08-31")},
		{Action: ActionReinstatement, Date: MustDate("2026-08-10")},
		{Action: ActionRevocation, Date: MustDate("2026-10-01")},
	}}
	for day, want := range map[string]KeyState{
		"2026-05-31": KeyActive,
		"2026-06-01": KeySuspended,
		"2026-06-30": KeySuspended, // through the until day
		"2026-07-01": KeyActive,
		"2026-08-05": KeySuspended,
		"2026-08-10": KeyActive, // reinstated early
		"2026-10-01": KeyRevoked,
		"2027-01-01": KeyRevoked,
	} {
		if got := e.KeyState(MustDate(day)); got != want {
			t.Errorf("KeyState(%s) = %d, want %d", day, got, want)
		}
	}
	var none *Enforcement
	if none.KeyState(MustDate("2026-01-01")) != KeyActive {
		t.Error("a nil history must leave the key active")
	}
}

func TestDate(t *testing.T) {
	d, err := ParseDate("2026-02-28")
	if err != nil {
		t.Fatal(err)
	}
	if got := d.AddDays(1).String(); got != "2026-03-01" {
		t.Errorf("AddDays = %s", got)
	}
	if got := d.DaysUntil(MustDate("2027-02-28")); got != 365 {
		t.Errorf("DaysUntil = %d", got)
	}
	for _, bad := range []string{"2026-02-30", "26-02-01", "2026-2-1", "", "2026-02-28T00:00:00Z"} {
		if _, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) accepted", bad)
		}
	}
	var z Date
	if z.String() != "" || !z.IsZero() {
		t.Error("zero date")
	}
	b, _ := d.MarshalJSON()
	var back Date
	if err := back.UnmarshalJSON(b); err != nil || !back.Equal(d) {
		t.Errorf("JSON round trip: %s -> %v, %v", b, back, err)
	}
}

func TestValidID(t *testing.T) {
	for id, want := range map[string]bool{
		"bus-feed": true, "311": true, "a": true, "a-1-b": true,
		"": false, "Bus": false, "bus--feed": false, "-bus": false, "bus-": false, "bus_feed": false, "bus feed": false,
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa":  true,
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa": false,
	} {
		if got := ValidID(id); got != want {
			t.Errorf("ValidID(%q) = %v, want %v", id, got, want)
		}
	}
}

// "Open" and "undecided" are defined once, here: open includes an appeal waiting for staff;
// undecided (what a requester may withdraw) does not.
func TestOpenAndUndecided(t *testing.T) {
	open := map[Status]bool{StatusSubmitted: true, StatusAcknowledged: true, StatusNeedsInfo: true, StatusAppealed: true}
	undecided := map[Status]bool{StatusSubmitted: true, StatusAcknowledged: true, StatusNeedsInfo: true}
	for _, s := range Statuses {
		if s.Open() != open[s] || s.Undecided() != undecided[s] {
			t.Errorf("%s: Open %v, Undecided %v", s, s.Open(), s.Undecided())
		}
	}
}
