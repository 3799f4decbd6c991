package docket

import "time"

// ProposedRequest is a proposal not yet in the docket: an open pull request (or its hosting
// platform's equivalent) that adds one or more request files. The platform's client (gh)
// produces it; the site shows it as submitted and docket check weighs the ids it claims.
type ProposedRequest struct {
	Number  int // the pull request's number
	Title   string
	Author  string // the login of its author, which the platform vouches for
	URL     string
	HeadSHA string // the pull request's last commit
	Created time.Time
	Updated time.Time
	IDs     []string // request ids whose request.yaml the pull request adds
	// Asked is when the requester asked: Created, or for a pull request docket intake made from
	// an issue, when the issue was opened.
	Asked time.Time
	// Answered is when staff first reviewed or commented on it (gh's StaffAnswered); zero when
	// nobody has, or it was not asked.
	Answered time.Time
}
