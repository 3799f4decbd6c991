package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"filippo.io/age"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/opendata-docket/docket/internal/keys"
	"github.com/opendata-docket/docket/internal/registry"
	"github.com/opendata-docket/docket/internal/seal"
	"github.com/rogpeppe/go-internal/testscript"
)

// ageKeygen and the commands after it are for the provision scenarios; TestScripts registers
// them:
//
//	agekeygen FILE [FILE...]        make an age identity in FILE, set $RECIPIENT to its public key
//	                                and replace the word RECIPIENT in each other FILE with it
//	keyopen IDENTITY FILE KEYS ID   decrypt FILE with IDENTITY and check that it is a valid key
//	                                whose hash is key ID's in the registry KEYS (the key is never shown)
//	keyleak IDENTITY FILE TARGET [TEMPLATE]
//	                                decrypt FILE with IDENTITY and write the key into TARGET, as
//	                                someone pasting it into a file would (for leak scenarios only),
//	                                alone on a line or as {key} in TEMPLATE
//	nokey PATH...                   fail if any file (or stdout, stderr), or any file under a folder,
//	                                holds a valid docket key
//
// The identity is made at run time, so no secret is written in a scenario.
func ageKeygen(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 {
		ts.Fatalf("usage: agekeygen FILE [FILE...]")
	}
	id, err := age.GenerateX25519Identity()
	ts.Check(err)
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte(id.String()+"\n"), 0o600))
	r := id.Recipient().String()
	ts.Setenv("RECIPIENT", r)
	for _, f := range args[1:] {
		ts.Check(os.WriteFile(ts.MkAbs(f), []byte(strings.ReplaceAll(ts.ReadFile(f), "RECIPIENT", r)), 0o644))
	}
}

func keyOpen(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 4 {
		ts.Fatalf("usage: keyopen IDENTITY FILE KEYS ID")
	}
	key, err := seal.Open(ts.ReadFile(args[1]), []byte(ts.ReadFile(args[0])))
	reg, rerr := registry.Decode([]byte(ts.ReadFile(args[2])))
	ts.Check(rerr)
	k := reg.Key(args[3])
	ok := err == nil && keys.Valid(string(key)) && k != nil && keys.Matches(string(key), k.SHA256)
	switch {
	case neg && ok:
		ts.Fatalf("%s opened to the key %s", args[1], args[3])
	case !neg && err != nil:
		ts.Fatalf("%s: %v", args[1], err)
	case !neg && !ok:
		ts.Fatalf("%s did not open to a valid key with the hash of %s", args[1], args[3])
	}
}

func keyLeak(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 3 || len(args) > 4 {
		ts.Fatalf("usage: keyleak IDENTITY FILE TARGET [TEMPLATE]")
	}
	key, err := seal.Open(ts.ReadFile(args[1]), []byte(ts.ReadFile(args[0])))
	ts.Check(err)
	text := "our token: {key}\n"
	if len(args) == 4 {
		text = args[3] + "\n"
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[2]), []byte(strings.ReplaceAll(text, "{key}", string(key))), 0o644))
}

func noKey(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: nokey PATH...")
	}
	check := func(name, text string) {
		if n := len(keys.Find(text)); n > 0 {
			ts.Fatalf("%s holds %d API keys", name, n)
		}
	}
	for _, a := range args {
		if a == "stdout" || a == "stderr" {
			check(a, ts.ReadFile(a))
			continue
		}
		ts.Check(filepath.WalkDir(ts.MkAbs(a), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			check(strings.TrimPrefix(p, ts.MkAbs(".")+string(filepath.Separator)), string(data))
			return nil
		}))
	}
}

// gitBlob is the testscript command "gitblob FILE": it sets $BLOB to the id git gives FILE's
// content, as the run record names the version of a held file.
func gitBlob(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: gitblob FILE")
	}
	data := ts.ReadFile(args[0])
	ts.Setenv("BLOB", plumbing.ComputeHash(plumbing.BlobObject, []byte(data)).String())
}
