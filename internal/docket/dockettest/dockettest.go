// Package dockettest holds the docket files tests of several packages share: one program
// configuration, a valid API-access request, a valid dataset request, a decision's evaluation
// and a suspension, so that a fixture is written once and a change to the file formats is made
// in one place. The CLI scenarios
// (cmd/docket/testdata/script) get Config as .github/docket.yml unless they write their own,
// and the requests through their "fixture" command.
package dockettest

import "strings"

// By returns the request file doc (APIRequest or DatasetRequest) as sent by the GitHub user
// login: its first "github:" line names login instead.
func By(doc, login string) string {
	before, after, ok := strings.Cut(doc, "  github: ")
	if !ok {
		return doc
	}
	_, rest, _ := strings.Cut(after, "\n")
	return before + "  github: " + login + "\n" + rest
}

// Config is a valid .github/docket.yml: staff staff-ann and staff-bo, a 30-day appeal window,
// key limits, and a catalog of calls-311 (public, API), ems-times (restricted, API) and
// budget (public, no API).
const Config = `program:
  name: Test Open Data Requests
  city: Testville
links:
  portal: https://data.example.org
  contact: https://example.org/contact
staff:
  logins: [staff-ann, staff-bo]
appeals:
  escalation:
    name: Director of IT
  window_days: 30
service_targets:
  first_response_days: 5
  decision_days: 30
keys:
  prefix: test
  default_limits: {requests_per_day: 1000, requests_per_second: 2}
  max_limits: {requests_per_day: 50000, requests_per_second: 10}
  max_lifetime_days: 365
catalog:
  - {id: calls-311, name: 311 Calls, url: "https://data.example.org/d/1", sensitivity: public, api: true}
  - {id: ems-times, name: EMS Response Times, url: "https://data.example.org/d/2", sensitivity: restricted, api: true}
  - {id: budget, name: Budget, url: "https://data.example.org/d/3", sensitivity: public, api: false}
`

// APIRequest is a valid request.yaml by req-rita for an API key to calls-311.
const APIRequest = `kind: api-access
title: Daily 311 calls for a dashboard
requester:
  github: req-rita
  type: nonprofit
api_access:
  datasets: [calls-311]
  traffic:
    requests_per_day: 2000
    peak_requests_per_second: 2
  integration: A nightly job pulls new calls into our database.
purpose:
  use: analytics
  description: We chart response times by council district.
privacy:
  personal_data: false
  considerations: Only counts by ZIP code are published.
data_sharing_agreement: true
`

// DatasetRequest is a valid request.yaml by req-dan asking for a new dataset (sidewalk
// repairs) with two fields and one sample row.
const DatasetRequest = `kind: dataset
title: Sidewalk repair requests
requester:
  github: req-dan
  type: individual
dataset:
  name: Sidewalk Repair Requests
  description: Every sidewalk repair request and its status.
  update_frequency: weekly
  fields:
    - name: request_date
      type: date
      description: The day it was received.
    - name: block
      type: text
      description: The block of the address.
  sample_rows:
    - request_date: "2026-03-02"
      block: 3100 block of Prospect Ave
purpose:
  use: research
  description: We study which neighborhoods wait longest for repairs.
privacy:
  personal_data: false
  considerations: Addresses are given at block level only.
data_sharing_agreement: false
`

// Evaluation is a decision's evaluation block with every criterion met.
const Evaluation = `evaluation:
  sensitivity: {verdict: met, note: Public data.}
  feasibility: {verdict: met, note: Served by the portal.}
  resources: {verdict: met, note: Little work.}
  legal: {verdict: met, note: Standard terms.}
`

// Suspension is an enforcement.yaml with a warning and then a suspension through 2026-07-31,
// both by staff-bo.
const Suspension = `actions:
  - action: warning
    date: 2026-06-01
    by: staff-bo
    reason: Traffic far above the limit for a week.
  - action: suspension
    date: 2026-07-01
    until: 2026-07-31
    by: staff-bo
    reason: Traffic stayed above the limit after the warning.
`
