package main

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/opendata-docket/docket/internal/gitrepo/gittest"
	"github.com/opendata-docket/docket/internal/ledger"
	"github.com/rogpeppe/go-internal/testscript"
)

// gitCommitAt is the testscript command "gitcommitat DIR BRANCH TIME": gitcommit with the
// commit's time given (RFC 3339), on top of BRANCH's tip when it exists.
func gitCommitAt(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: gitcommitat DIR BRANCH TIME")
	}
	when, err := time.Parse(time.RFC3339, args[2])
	ts.Check(err)
	r, snap := openSnapshot(ts, args[0])
	var parents []plumbing.Hash
	if ref, err := r.Reference(plumbing.NewBranchReferenceName(args[1]), true); err == nil {
		parents = append(parents, ref.Hash())
	}
	_, err = gittest.Commit(r, args[1], snap, when, "commit at "+args[2], parents...)
	ts.Check(err)
	ts.Check(r.Storer.SetReference(plumbing.NewSymbolicReference(plumbing.HEAD, plumbing.NewBranchReferenceName(args[1]))))
}

// ledgerPR is the testscript command "ledgerpr DIR REV FILE ID NUMBER AUTHOR OPENED MERGED
// [MERGED_BY]": it records in the ledger FILE (made if missing) that pull request NUMBER by
// AUTHOR, opened and merged at the times given (RFC 3339), carried commit REV of the repository
// in DIR (main, main~1, ...), which changed request ID; the ledger is then recorded through
// HEAD. It writes what docket ledger record would, through the ledger package.
func ledgerPR(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 8 || len(args) > 9 {
		ts.Fatalf("usage: ledgerpr DIR REV FILE ID NUMBER AUTHOR OPENED MERGED [MERGED_BY]")
	}
	r, err := git.PlainOpen(ts.MkAbs(args[0]))
	ts.Check(err)
	h, err := r.ResolveRevision(plumbing.Revision(args[1]))
	ts.Check(err)
	head, err := r.Head()
	ts.Check(err)
	file := ts.MkAbs(args[2])
	l := ledger.New("kcmo/requests")
	if data, err := os.ReadFile(file); err == nil {
		l, err = ledger.Decode(data)
		ts.Check(err)
	} else if !errors.Is(err, fs.ErrNotExist) {
		ts.Fatalf("%v", err)
	}
	n, err := strconv.Atoi(args[4])
	ts.Check(err)
	opened, err := time.Parse(time.RFC3339, args[6])
	ts.Check(err)
	merged, err := time.Parse(time.RFC3339, args[7])
	ts.Check(err)
	pr := ledger.PullRequest{Number: n, Author: args[5], OpenedAt: opened, MergedAt: merged}
	if len(args) == 9 {
		pr.MergedBy = args[8]
	}
	l.Add(args[3], pr, h.String())
	l.RecordedThrough = head.Hash().String()
	data, err := l.Encode()
	ts.Check(err)
	ts.Check(os.WriteFile(file, data, 0o644))
}

// fakePulls is the testscript command "fakepulls NUMBER AUTHOR CREATED ID [ANSWERED]": it
// starts a GitHub API on a loopback port where pull request NUMBER by AUTHOR, opened at CREATED
// (RFC 3339), is open and adds requests/ID/request.yaml, reviewed by staff-ann at ANSWERED
// when given (else by nobody), and points GITHUB_API_URL, GITHUB_TOKEN and GITHUB_REPOSITORY
// (kcmo/requests) at it. Only reads are answered.
func fakePulls(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 4 || len(args) > 5 {
		ts.Fatalf("usage: fakepulls NUMBER AUTHOR CREATED ID [ANSWERED]")
	}
	reviews := "[]"
	if len(args) == 5 {
		reviews = fmt.Sprintf(`[{"user": {"login": "staff-ann"}, "submitted_at": %q, "body": "Thanks, looking at it"}]`, args[4])
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /repos/kcmo/requests/pulls", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `[{"number": %s, "title": "Please <b>hurry</b>", "user": {"login": %q}, "created_at": %q,
			"html_url": "https://github.com/kcmo/requests/pull/%s", "head": {"ref": "my-request", "sha": "0123abcd"}}]`, args[0], args[1], args[2], args[0])
	})
	mux.HandleFunc("GET /repos/kcmo/requests/pulls/"+args[0]+"/files", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `[{"filename": "requests/%s/request.yaml", "status": "added"}]`, args[3])
	})
	mux.HandleFunc("GET /repos/kcmo/requests/pulls/"+args[0]+"/reviews", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, reviews)
	})
	mux.HandleFunc("GET /repos/kcmo/requests/issues/"+args[0]+"/comments", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `[{"user": {"login": %q}, "created_at": %q, "body": "Any news?"}]`, args[1], args[2])
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "not in this fake", http.StatusNotFound)
	})
	srv := httptest.NewServer(mux)
	ts.Defer(srv.Close)
	ts.Setenv("GITHUB_API_URL", srv.URL)
	ts.Setenv("GITHUB_TOKEN", "test-token")
	ts.Setenv("GITHUB_REPOSITORY", "kcmo/requests")
}
