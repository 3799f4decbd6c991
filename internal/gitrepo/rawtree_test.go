package gitrepo

import (
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestCompareNames(t *testing.T) {
	// Git orders "a-b" (file) < "a" (folder, compared as "a/") < "a0".
	if compareNames([]byte("a"), true, []byte("a-b"), false) <= 0 {
		t.Error(`folder "a" must sort after "a-b"`)
	}
	if compareNames([]byte("a"), true, []byte("a0"), true) >= 0 {
		t.Error(`folder "a" must sort before "a0"`)
	}
	if compareNames([]byte("a"), false, []byte("a"), true) >= 0 {
		t.Error(`file "a" sorts before folder "a"`)
	}
}

// DiffRaw reports what differs in git's name order, and says when a tree is malformed rather
// than taking what it could read for the whole tree.
func TestDiffRaw(t *testing.T) {
	h := func(c byte) string {
		b := make([]byte, 20)
		for i := range b {
			b[i] = c
		}
		return string(b)
	}
	a := []byte("100644 a-b\x00" + h('1') + "40000 a\x00" + h('2') + "100644 c\x00" + h('3'))
	b := []byte("100644 a-b\x00" + h('1') + "40000 a\x00" + h('9') + "100755 c\x00" + h('3') + "100644 d\x00" + h('4'))
	var got []string
	err := DiffRaw(a, b, func(ea, eb *RawEntry) {
		switch {
		case ea == nil:
			got = append(got, "+"+eb.Name)
		case eb == nil:
			got = append(got, "-"+ea.Name)
		default:
			got = append(got, "~"+ea.Name+" "+eb.Mode.String())
		}
	})
	if want := "~a 0040000 ~c 0100755 +d"; err != nil || strings.Join(got, " ") != want {
		t.Errorf("DiffRaw = %q, %v; want %q", strings.Join(got, " "), err, want)
	}
	if e, ok := FindRaw(b, "a"); !ok || !e.Dir() || e.Hash[0] != '9' {
		t.Errorf("FindRaw(a) = %+v, %v", e, ok)
	}
	bad := append([]byte("100644 a\x00"+h('1')), "10x644 b\x00"+h('2')...)
	n := 0
	if err := DiffRaw(bad, nil, func(*RawEntry, *RawEntry) { n++ }); !errors.Is(err, ErrMalformedTree) || n != 1 {
		t.Errorf("a malformed tree: %d entries, %v", n, err)
	}
}

func FuzzDiffRaw(f *testing.F) {
	f.Add([]byte("40000 a\x00aaaaaaaaaaaaaaaaaaaa100644 b\x00bbbbbbbbbbbbbbbbbbbb"), []byte("100644 b\x00cccccccccccccccccccc"))
	f.Add([]byte("40000 "), []byte("\x00"))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		_ = DiffRaw(a, b, func(ea, eb *RawEntry) {
			if ea == nil && eb == nil {
				t.Fatal("both nil")
			}
		})
		FindRaw(a, "a")
	})
}

// TestDiffIndexed compares DiffIndexed with DiffRaw on many pairs of versions of a folder (a
// few entries added, removed or changed, anywhere, including the first and the last), and the
// offsets it returns with IndexRaw's.
func TestDiffIndexed(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	entry := func(name string, mode string, c byte) string {
		h := make([]byte, 20)
		for i := range h {
			h[i] = c
		}
		h[rng.IntN(20)] = 0 // hashes hold any byte, NUL and spaces included
		h[rng.IntN(20)] = ' '
		return mode + " " + name + "\x00" + string(h)
	}
	build := func(m map[string]string) []byte {
		names := make([]string, 0, len(m))
		for n := range m {
			names = append(names, n)
		}
		slices.SortFunc(names, func(x, y string) int {
			return compareNames([]byte(strings.TrimSuffix(x, "/")), strings.HasSuffix(x, "/"), []byte(strings.TrimSuffix(y, "/")), strings.HasSuffix(y, "/"))
		})
		var b strings.Builder
		for _, n := range names {
			b.WriteString(m[n])
		}
		return []byte(b.String())
	}
	var spare []int
	for round := range 2000 {
		n := rng.IntN(40)
		a := map[string]string{}
		for i := range n {
			name := fmt.Sprintf("r-%d", rng.IntN(60))
			mode := "40000"
			if i%7 == 3 {
				mode = "100644"
			}
			if mode == "40000" {
				a[name+"/"] = entry(name, mode, byte('a'+i%26))
			} else {
				a[name] = entry(name, mode, byte('a'+i%26))
			}
		}
		b := maps.Clone(a)
		for range rng.IntN(4) + 1 {
			name := fmt.Sprintf("r-%d", rng.IntN(60))
			switch rng.IntN(3) {
			case 0:
				delete(b, name+"/")
				delete(b, name)
			case 1:
				b[name+"/"] = entry(name, "40000", byte('A'+rng.IntN(26)))
			default:
				b[name] = entry(name, "100644", byte('A'+rng.IntN(26)))
			}
		}
		ra, rb := build(a), build(b)
		var want, got []string
		say := func(out *[]string) func(ea, eb *RawEntry) {
			return func(ea, eb *RawEntry) {
				s := ""
				if ea != nil {
					s += fmt.Sprintf("%s %o %x", ea.Name, ea.Mode, ea.Hash)
				}
				s += " | "
				if eb != nil {
					s += fmt.Sprintf("%s %o %x", eb.Name, eb.Mode, eb.Hash)
				}
				*out = append(*out, s)
			}
		}
		if err := DiffRaw(ra, rb, say(&want)); err != nil {
			t.Fatal(err)
		}
		ia, err := IndexRaw(ra)
		if err != nil {
			t.Fatal(err)
		}
		ib, err := DiffIndexed(ra, ia, rb, spare, say(&got))
		spare = ia
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("round %d:\n got %q\nwant %q", round, got, want)
		}
		if wantIB, _ := IndexRaw(rb); !slices.Equal(ib, wantIB) {
			t.Fatalf("round %d: offsets %v, want %v", round, ib, wantIB)
		}
	}
}
