package website

import (
	"math"
	"testing"
)

func TestGrouped(t *testing.T) {
	for n, want := range map[int]string{
		0: "0", 7: "7", 999: "999", 1000: "1,000", 40000: "40,000", 400000: "400,000",
		1234567: "1,234,567", -1: "-1", -1234: "-1,234", -999999: "-999,999",
		math.MaxInt64: "9,223,372,036,854,775,807", math.MinInt64: "-9,223,372,036,854,775,808",
	} {
		if got := grouped(n); got != want {
			t.Errorf("grouped(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestGroupedNumber(t *testing.T) {
	for f, want := range map[float64]string{
		0: "0", 2: "2", 2.5: "2.5", 12.5: "12.5", 250000: "250,000", 1234.25: "1,234.25", -0.5: "-0.5", -1500.5: "-1,500.5",
	} {
		if got := groupedNumber(f); got != want {
			t.Errorf("groupedNumber(%g) = %q, want %q", f, got, want)
		}
	}
}

func TestGroupedAny(t *testing.T) {
	for _, c := range []struct {
		in   any
		want string
	}{{400000, "400,000"}, {int64(250000), "250,000"}, {int64(-5), "-5"}, {"x", "x"}, {2.5, "2.5"}} {
		if got := groupedAny(c.in); got != c.want {
			t.Errorf("groupedAny(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}
