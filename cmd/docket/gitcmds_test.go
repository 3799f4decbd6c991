package main

import (
	"encoding/binary"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/opendata-docket/docket/internal/gitrepo/gittest"
	"github.com/opendata-docket/docket/internal/secrets/secretstest"
	"github.com/rogpeppe/go-internal/testscript"
)

// gitCommitID and the commands after it make histories that gitcommit cannot; TestScripts
// registers them:
//
//	gitcommitid DIR BRANCH PREFIX [PARENT]  commit DIR as gitcommit does, with an id that starts with PREFIX
//	gitmerge DIR BRANCH PARENT...           commit DIR as a merge of the tips of the PARENT branches
//	gitempty DIR BRANCH N                   add N commits to BRANCH that change nothing
//	githead DIR BRANCH                      check out BRANCH: point HEAD at it (the files are left as they are)
//	putsecret KIND [FILE...]                see putSecret
//	noleak FILE...                          see noLeak
//	encode ENCODING FILE                    see encode
//	mvquoted FILE NAME                      see moveQuoted
func gitCommitID(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 3 || len(args) > 4 {
		ts.Fatalf("usage: gitcommitid DIR BRANCH PREFIX [PARENT]")
	}
	r, snap := openSnapshot(ts, args[0])
	parents := tips(ts, r, args[3:])
	// A fixed time, so that the same scenario mines the same id every run.
	_, err := gittest.CommitWithPrefix(r, args[1], snap, time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC), "commit", args[2], parents...)
	ts.Check(err)
}

func gitMerge(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 4 {
		ts.Fatalf("usage: gitmerge DIR BRANCH PARENT PARENT...")
	}
	r, snap := openSnapshot(ts, args[0])
	n := nextCommit(ts)
	_, err := gittest.Commit(r, args[1], snap, time.Date(2026, 11, 1, 10, n%60, 0, 0, time.UTC), "merge "+strconv.Itoa(n), tips(ts, r, args[2:])...)
	ts.Check(err)
}

func gitEmpty(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: gitempty DIR BRANCH N")
	}
	n, err := strconv.Atoi(args[2])
	ts.Check(err)
	r, err := git.PlainOpen(ts.MkAbs(args[0]))
	ts.Check(err)
	tip := tips(ts, r, args[1:2])[0]
	for i := range n {
		c, err := r.CommitObject(tip)
		ts.Check(err)
		sig := object.Signature{Name: "docket test", Email: "test@example.org", When: c.Committer.When.Add(time.Duration(i+1) * time.Second)}
		empty := &object.Commit{Author: sig, Committer: sig, Message: "empty " + strconv.Itoa(i+1), TreeHash: c.TreeHash, ParentHashes: []plumbing.Hash{tip}}
		obj := r.Storer.NewEncodedObject()
		ts.Check(empty.Encode(obj))
		tip, err = r.Storer.SetEncodedObject(obj)
		ts.Check(err)
	}
	ts.Check(gittest.SetRef(r, "refs/heads/"+args[1], tip))
}

func gitHead(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: githead DIR BRANCH")
	}
	r, err := git.PlainOpen(ts.MkAbs(args[0]))
	ts.Check(err)
	ts.Check(r.Storer.SetReference(plumbing.NewSymbolicReference(plumbing.HEAD, plumbing.NewBranchReferenceName(args[1]))))
}

// tips returns the commits the branches point at.
func tips(ts *testscript.TestScript, r *git.Repository, branches []string) []plumbing.Hash {
	var out []plumbing.Hash
	for _, b := range branches {
		ref, err := r.Reference(plumbing.NewBranchReferenceName(b), true)
		ts.Check(err)
		out = append(out, ref.Hash())
	}
	return out
}

// openSnapshot opens (or creates) the repository in dir and reads its files as gitcommit does.
func openSnapshot(ts *testscript.TestScript, dir string) (*git.Repository, gittest.Snapshot) {
	dir = ts.MkAbs(dir)
	r, err := git.PlainOpen(dir)
	if err == git.ErrRepositoryNotExists {
		r, err = gittest.Disk(dir)
	}
	ts.Check(err)
	snap := gittest.Snapshot{}
	ts.Check(filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		switch {
		case rel == ".git":
			return filepath.SkipDir
		case d.IsDir():
			return nil
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			snap[rel] = gittest.File{Data: target, Mode: filemode.Symlink}
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		f := gittest.File{Data: string(data)}
		if info, err := d.Info(); err == nil && info.Mode()&0o111 != 0 {
			f.Mode = filemode.Executable
		}
		snap[rel] = f
		return nil
	}))
	return r, snap
}

// putSecret is the testscript command "putsecret KIND [FILE...]": it sets $SECRET to an example
// secret of KIND (as internal/secrets names kinds; a private key on one line) and replaces the
// word SECRET in each FILE with it, so that scenarios need no secret written in them.
func putSecret(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 {
		ts.Fatalf("usage: putsecret KIND [FILE...]")
	}
	secret := ""
	for _, ex := range secretstest.Examples() {
		if ex.Kind == args[0] {
			secret = secretstest.OneLine(ex.Secret)
			break
		}
	}
	if secret == "" {
		ts.Fatalf("no example secret of kind %q", args[0])
	}
	ts.Setenv("SECRET", secret)
	for _, f := range args[1:] {
		data := ts.ReadFile(f)
		ts.Check(os.WriteFile(ts.MkAbs(f), []byte(strings.ReplaceAll(data, "SECRET", secret)), 0o644))
	}
}

// noLeak is the testscript command "noleak FILE...": it fails when any FILE (or stdout or
// stderr, as testscript names them) holds any 12 characters in a row of an example secret.
func noLeak(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: noleak FILE...")
	}
	for _, f := range args {
		if leak := secretstest.Leak(ts.ReadFile(f), 12); leak != "" {
			ts.Fatalf("%s repeats part of a secret: %q", f, leak)
		}
	}
}

// encode is the testscript command "encode ENCODING FILE": it rewrites the UTF-8 text in FILE as
// utf-16le or utf-16be (with a byte order mark), utf-16le-nobom, or invalid (UTF-8 with one
// byte that is not, 0xff, at the start), for the encodings a text file may come in.
func encode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: encode utf-16le|utf-16be|utf-16le-nobom|invalid FILE")
	}
	text := ts.ReadFile(args[1])
	var out []byte
	switch args[0] {
	case "utf-16le", "utf-16le-nobom":
		if args[0] == "utf-16le" {
			out = binary.LittleEndian.AppendUint16(out, 0xfeff)
		}
		for _, u := range utf16.Encode([]rune(text)) {
			out = binary.LittleEndian.AppendUint16(out, u)
		}
	case "utf-16be":
		out = binary.BigEndian.AppendUint16(out, 0xfeff)
		for _, u := range utf16.Encode([]rune(text)) {
			out = binary.BigEndian.AppendUint16(out, u)
		}
	case "invalid":
		out = append([]byte{0xff}, text...)
	default:
		ts.Fatalf("unknown encoding %q", args[0])
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), out, 0o644))
}

// moveQuoted is the testscript command "mvquoted FILE NAME": it renames FILE to NAME written as a
// Go string (with \u202e and the like), so scenarios can make file names with invisible
// characters without holding them.
func moveQuoted(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: mvquoted FILE NAME")
	}
	name, err := strconv.Unquote(`"` + args[1] + `"`)
	ts.Check(err)
	ts.Check(os.MkdirAll(filepath.Dir(ts.MkAbs(name)), 0o755))
	ts.Check(os.Rename(ts.MkAbs(args[0]), ts.MkAbs(name)))
}
