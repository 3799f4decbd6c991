// Command gen writes the inputs of the speed comparison (internal/speed/compare.sh): a docket
// of N requests copied from this repository's samples, optionally a git history of C commits,
// and the same requests as a Hugo site.
//
//	go run ./internal/speed/gen -n 10000 -out DIR [-commits 25000] [-hugo DIR] [-src .]
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/opendata-docket/docket/internal/speed"
)

func main() {
	var o speed.Options
	flag.IntVar(&o.Requests, "n", 10000, "how many requests to write")
	flag.StringVar(&o.Out, "out", "", "the docket folder to write (must not exist or be empty)")
	flag.IntVar(&o.Commits, "commits", 0, "when above 0, make the docket a git repository with this many commits (needs git)")
	flag.StringVar(&o.Hugo, "hugo", "", "also write a Hugo site of the same requests into this folder")
	flag.StringVar(&o.Src, "src", ".", "the docket repository whose sample requests are copied")
	flag.Parse()
	if o.Out == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: gen -n N -out DIR [-commits C] [-hugo DIR] [-src REPO]")
		os.Exit(2)
	}
	if err := speed.Generate(o); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
