package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/opendata-docket/docket/internal/keys"
	"github.com/opendata-docket/docket/internal/seal"
)

const keyUsage = `Usage: docket key decrypt [-i IDENTITY] [FILE]

Decrypts an API key docket delivered to you: the block posted on your pull request (from
-----BEGIN AGE ENCRYPTED FILE----- to -----END AGE ENCRYPTED FILE-----), saved in FILE or
pasted on standard input. It does what age -d -i IDENTITY does, and checks that what it
decrypted is a well-formed docket key before printing it.

Flags:
    -i IDENTITY   your private key: an SSH key without a passphrase (default: ~/.ssh/id_ed25519,
                  else ~/.ssh/id_rsa) or an age identity file from age-keygen. For an SSH key
                  with a passphrase, use age -d -i, which asks for it.

Exit status: 0 when the key was printed, 1 when it could not be decrypted, 2 when docket was
called wrongly.
`

func runKey(_ context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "decrypt" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
			fmt.Fprint(stdout, keyUsage)
			return 0
		}
		errorf(stderr, "docket key needs the word decrypt: docket key decrypt [-i IDENTITY] [FILE]")
		fmt.Fprint(stderr, keyUsage)
		return 2
	}
	fs := newFlagSet("key decrypt")
	identity := fs.String("i", "", "")
	rest := args[1:]
	// The file may come before or after -i.
	var file string
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		file, rest = rest[0], rest[1:]
	}
	if err := fs.Parse(rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, keyUsage)
			return 0
		}
		errorf(stderr, "%s", err)
		fmt.Fprint(stderr, keyUsage)
		return 2
	}
	switch {
	case fs.NArg() > 1 || (fs.NArg() == 1 && file != ""):
		errorf(stderr, "give one file at most")
		return 2
	case fs.NArg() == 1:
		file = fs.Arg(0)
	}
	var in []byte
	var err error
	if file == "" || file == "-" {
		in, err = io.ReadAll(io.LimitReader(os.Stdin, 1<<20))
	} else {
		in, err = os.ReadFile(file)
	}
	if err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	armored := string(in)
	if i := strings.Index(armored, "-----BEGIN AGE ENCRYPTED FILE-----"); i >= 0 {
		armored = armored[i:] // what was copied with the block, before it
	}
	if i := strings.Index(armored, "-----END AGE ENCRYPTED FILE-----"); i >= 0 {
		armored = armored[:i] + "-----END AGE ENCRYPTED FILE-----\n"
	}
	idPath := *identity
	if idPath == "" {
		home, _ := os.UserHomeDir()
		for _, name := range []string{"id_ed25519", "id_rsa"} {
			if p := filepath.Join(home, ".ssh", name); fileExists(p) {
				idPath = p
				break
			}
		}
		if idPath == "" {
			errorf(stderr, "no ~/.ssh/id_ed25519 or ~/.ssh/id_rsa; give your private key with -i")
			return 2
		}
	}
	id, err := os.ReadFile(idPath)
	if err != nil {
		errorf(stderr, "%s", err)
		return 1
	}
	key, err := seal.Open(armored, id)
	if err != nil {
		errorf(stderr, "%s could not decrypt it: %s", idPath, err)
		hintf(stderr, "the key was encrypted to the public keys named in its comment; use the private key of one of them")
		return 1
	}
	if !keys.Valid(string(key)) {
		errorf(stderr, "what was decrypted is not a docket API key")
		return 1
	}
	fmt.Fprintln(stdout, string(key))
	return 0
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}
