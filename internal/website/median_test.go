package website

import (
	"math"
	"slices"
	"testing"
)

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		in   []int
		want float64
		ok   bool
	}{
		{nil, 0, false},
		{[]int{7}, 7, true},
		{[]int{1, 3, 8}, 3, true},
		{[]int{1, 2}, 1.5, true},       // even: the mean of the two middle values
		{[]int{2, 4, 10, 40}, 7, true}, // not 4, the lower middle value
		{[]int{0, 0, 1, 1}, 0.5, true},
		{[]int{math.MaxInt64 - 1, math.MaxInt64}, float64(math.MaxInt64), true},
	} {
		got, ok := median(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("median(%v) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestSummariseMedian(t *testing.T) {
	in := []int{40, 2, 10, 4}
	got := summarise("x", in, 5, "days")
	if got.Median != "7" || got.P90 != "40" || got.N != 4 || got.WithinTarget != "50%" {
		t.Errorf("summarise = %+v", got)
	}
	if !slices.Equal(in, []int{40, 2, 10, 4}) {
		t.Errorf("summarise sorted its caller's slice: %v", in)
	}
	if got := summarise("x", []int{1, 2}, 0, "days"); got.Median != "1.5" || got.WithinTarget != "" {
		t.Errorf("even count: %+v", got)
	}
	if got := summarise("x", nil, 5, "days"); got.Median != "—" || got.P90 != "—" || got.Method == "" {
		t.Errorf("empty: %+v", got)
	}
	if got := summarise("x", []int{1000, 1000, 1000}, 0, "days"); got.Median != "1,000" {
		t.Errorf("large: %+v", got)
	}
}

func TestTopWithTies(t *testing.T) {
	id := func(n int) int { return n }
	for _, c := range []struct {
		in   []int
		n    int
		want []int
	}{
		{[]int{5, 4, 3}, 10, []int{5, 4, 3}},
		{[]int{5, 4, 3, 2}, 2, []int{5, 4}},
		{[]int{5, 4, 4, 4, 2}, 2, []int{5, 4, 4, 4}},
		{[]int{3, 3, 3}, 1, []int{3, 3, 3}},
		{nil, 10, nil},
	} {
		if got := topWithTies(c.in, c.n, id); !slices.Equal(got, c.want) {
			t.Errorf("topWithTies(%v, %d) = %v, want %v", c.in, c.n, got, c.want)
		}
	}
}
