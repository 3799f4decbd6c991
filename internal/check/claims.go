package check

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
	"testing/fstest"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/validate"
)

// Claim is a request id that another, older open pull request adds: it may keep the id from
// this pull request.
type Claim struct {
	ID     string
	Number int    // the pull request that adds it
	Author string // that pull request's author, as GitHub reports it
	// Read returns requests/<ID>/request.yaml at that pull request's head. It is called only
	// for the claims that could count, so a pull request adding hundreds of files costs a few
	// reads.
	Read func() ([]byte, error)
}

// readsPerAuthor bounds how many of one requester's claims are read, as a multiple of the
// number that may count: a requester whose first files are not valid requests gets a few more
// tries, not hundreds.
const readsPerAuthor = 3

// weighClaims decides which claims are real. A claim holds its id only when its request is
// valid (as docket validate would say, against the base branch's configuration) and names the
// author of its pull request, and, unless that author is staff, only for the author's first
// Intake.OpenLimit() such requests. The rest hold nothing: anyone may take their ids. Claims
// that could not be read are said in the notes and hold nothing either.
func (c *checker) weighClaims(v *validate.Validator, baseFS fs.FS) error {
	c.taken = map[string]int{}
	c.waiting = map[string][]int{}
	if len(c.opts.Claims) == 0 {
		return nil
	}
	config, err := fs.ReadFile(baseFS, docket.ConfigPath)
	if err != nil {
		return fmt.Errorf("reading the base branch's configuration: %w", err)
	}
	limit := c.cfg.Intake.OpenLimit()
	reads := map[string]int{}
	var unread []string
	for _, cl := range c.opts.Claims {
		if _, ok := c.taken[cl.ID]; ok || !docket.ValidID(cl.ID) || cl.Read == nil {
			continue
		}
		who := strings.ToLower(cl.Author)
		staff, err := c.isStaff(cl.Author)
		if err != nil {
			return err
		}
		if !staff && (len(c.waiting[who]) >= limit || reads[who] >= readsPerAuthor*limit) {
			continue
		}
		reads[who]++
		data, err := cl.Read()
		if err != nil {
			unread = append(unread, fmt.Sprintf("#%d (%s)", cl.Number, cl.ID))
			continue
		}
		p := path.Join(docket.RequestsDir, cl.ID, docket.RequestFile)
		r, findings, err := v.Repository(fstest.MapFS{docket.ConfigPath: {Data: config}, p: {Data: data}},
			validate.Options{Today: c.opts.Today})
		if err != nil {
			return err
		}
		f := r.Folder(cl.ID)
		if f == nil || f.Record.Request == nil || hasErrorIn(findings, p) ||
			!strings.EqualFold(f.Record.Request.Requester.GitHub, cl.Author) && !staff {
			continue
		}
		c.taken[cl.ID] = cl.Number
		if !staff {
			c.waiting[who] = append(c.waiting[who], cl.Number)
		}
	}
	if len(unread) > 0 {
		c.res.Notes = append(c.res.Notes, fmt.Sprintf("The request files of other open pull requests could not be read, so the ids they add were not counted as taken: %s.", strings.Join(unread, ", ")))
	}
	return nil
}

func hasErrorIn(findings []docket.Finding, p string) bool {
	for _, f := range findings {
		if f.Path == p && f.Severity == docket.Error {
			return true
		}
	}
	return false
}

// claimNew applies the claims of other pull requests to a request this pull request adds: the
// id must not be taken, and a requester may have only so many new requests waiting.
func (c *checker) claimNew(ch Change) {
	if n, ok := c.taken[ch.ID]; ok {
		c.refuse(ch.Path, nil, "the id %s is already taken by pull request #%d; rename your folder to another id", ch.ID, n)
		return
	}
	if c.res.Staff {
		return
	}
	c.added++
	limit := c.cfg.Intake.OpenLimit()
	waiting := c.waiting[strings.ToLower(c.opts.Actor)]
	if len(waiting)+c.added <= limit {
		return
	}
	if len(waiting) == 0 {
		c.refuse(ch.Path, nil, "one person may have at most %s waiting at a time, and this pull request adds more; open a pull request for this one after the others are decided", docket.Count(limit, "new request", "new requests"))
		return
	}
	nums := make([]string, len(waiting))
	for i, n := range waiting {
		nums[i] = fmt.Sprintf("#%d", n)
	}
	c.refuse(ch.Path, nil, "one person may have at most %s waiting at a time, and you already have %d in open pull requests (%s); open this one after one of them is decided, or close one", docket.Count(limit, "new request", "new requests"), len(waiting), strings.Join(nums, ", "))
}
