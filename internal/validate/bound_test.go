package validate

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/fstest"
)

// hostileShapes are request files of nearly 1 MiB (the most docket reads) built to make
// validation costly: thousands of unknown keys to search for a "did you mean", thousands of
// bad values, long names, deep nesting. Each must be explained in a few findings and validate
// quickly (BenchmarkHostile1MiB measures it).
func hostileShapes() map[string]string {
	const limit = 1<<20 - 4096
	rng := rand.New(rand.NewPCG(1, 2))
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('a' + rng.IntN(26))
		}
		return string(b)
	}
	// fill writes head, then lines up to nearly 1 MiB, then tail.
	fill := func(head string, line func(i int) string, tail string) string {
		var b strings.Builder
		b.WriteString(head)
		for i := 0; ; i++ {
			l := line(i)
			if b.Len()+len(l)+len(tail) > limit {
				b.WriteString(tail)
				return b.String()
			}
			b.WriteString(l)
		}
	}
	// around splits the sample request at a line, to fill in after it.
	around := func(doc, after string) (string, string) {
		i := strings.Index(doc, after) + len(after)
		return doc[:i], doc[i:]
	}
	// 200 declared columns with long names, so each unknown column is compared with all.
	var fields strings.Builder
	fields.WriteString(strings.Replace(datasetRequest, "  fields:\n", "  fields:\n", 1)[:strings.Index(datasetRequest, "  fields:\n")+len("  fields:\n")])
	for range 200 {
		fmt.Fprintf(&fields, "    - {name: f%s, type: integer, description: A column.}\n", word(55))
	}
	fields.WriteString("  sample_rows:\n")
	rowsHead := fields.String()
	rest := datasetRequest[strings.Index(datasetRequest, "purpose:"):]
	rows := func(cell func(i int) string) string {
		return fill(rest+rowsHead, func(i int) string {
			if i%1000 == 0 { // 14 rows, within the 20 allowed
				return "    - " + cell(i)
			}
			return "      " + cell(i)
		}, "")
	}
	return map[string]string{
		"unknown sample columns": rows(func(i int) string { return "c" + word(55) + ": x\n" }),
		"unknown fields": func() string {
			head, tail := around(apiRequest, "  type: nonprofit\n")
			return fill(head, func(i int) string { return "  " + word(60) + ": x\n" }, tail)
		}(),
		"unknown top-level fields": fill(apiRequest, func(i int) string { return word(20) + ": {a: 1, b: [1, 2]}\n" }, ""),
		"bad enum values": func() string {
			head, tail := around(strings.Replace(apiRequest, "  datasets: [calls-311]\n", "  datasets:\n", 1), "  datasets:\n")
			return fill(head, func(i int) string { return "    - Calls 311 " + word(4) + "\n" }, tail)
		}(),
		"bad sample cells": rows(func(i int) string { return fmt.Sprintf("f%s: not a number\n", word(55)) }),
		"deep nesting":     fill(apiRequest+"extra:\n", func(i int) string { return strings.Repeat("- ", 60) + "x\n" }, ""),
		"long text":        apiRequest + "notes: " + word(limit-len(apiRequest)-10) + "\n",
		// A syntax error a detector of slips recognises on every line, each repair tried
		// costing a parse of the whole file.
		"slips on every line": fill("a: {b: 1 #x}\n", func(i int) string { return "k" + word(8) + ": '" + word(4) + "'s' #x ]\n" }, "z: \"open\n"),
	}
}

// Whatever the shape, a file is explained in a bounded number of findings: the first few of a
// kind one by one, then a count.
func TestHostileFilesGetFewFindings(t *testing.T) {
	v, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range hostileShapes() {
		t.Run(name, func(t *testing.T) {
			fsys := fstest.MapFS{
				".github/docket.yml":        {Data: []byte(testConfig)},
				"requests/big/request.yaml": {Data: []byte(data)},
			}
			_, findings, err := v.Repository(fsys, Options{Today: today})
			if err != nil {
				t.Fatal(err)
			}
			if len(findings) == 0 || len(findings) > MaxPerFile+1 {
				t.Errorf("%d findings for one file; want 1 to %d", len(findings), MaxPerFile+1)
			}
			size := 0
			for _, f := range findings {
				size += len(f.Message) + len(f.Field)
			}
			if size > 64<<10 {
				t.Errorf("%d bytes of findings for one file", size)
			}
		})
	}
}

// BenchmarkHostile1MiB validates each hostile shape of nearly 1 MiB. Target: under 1 s each.
func BenchmarkHostile1MiB(b *testing.B) {
	v, err := New()
	if err != nil {
		b.Fatal(err)
	}
	for name, data := range hostileShapes() {
		fsys := fstest.MapFS{
			".github/docket.yml":        {Data: []byte(testConfig)},
			"requests/big/request.yaml": {Data: []byte(data)},
		}
		b.Run(strings.ReplaceAll(name, " ", "-"), func(b *testing.B) {
			for b.Loop() {
				if _, _, err := v.Repository(fsys, Options{Today: today}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
