package gitrepo

import (
	"errors"
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
