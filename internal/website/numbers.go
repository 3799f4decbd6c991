package website

import (
	"fmt"
	"math"
	"strconv"
)

// grouped writes a whole number for people, in thousands separated by commas as the program's
// English pages do: 400000 is 400,000. A negative number keeps its sign. Only presentation uses
// it: the exports write plain numbers, for machines.
func grouped(n int) string {
	s := strconv.Itoa(n)
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	if len(s) <= 3 {
		return sign + s
	}
	out := make([]byte, 0, len(s)+len(s)/3)
	first := len(s) % 3
	if first == 0 {
		first = 3
	}
	out = append(out, s[:first]...)
	for i := first; i < len(s); i += 3 {
		out = append(out, ',')
		out = append(out, s[i:i+3]...)
	}
	return sign + string(out)
}

// groupedNumber writes a number that may have a fraction (a limit per second, a median of
// an even count): its whole part grouped, its fraction as written.
func groupedNumber(f float64) string {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	whole, frac := s, ""
	for i := range s {
		if s[i] == '.' {
			whole, frac = s[:i], s[i:]
			break
		}
	}
	n, err := strconv.Atoi(whole)
	if err != nil {
		return s // beyond an int: as written
	}
	if n == 0 && whole == "-0" {
		return s
	}
	return grouped(n) + frac
}

// groupedAny is grouped for the integer types templates hold (counts are int, limits int64).
// Anything else is written as it is, so a template never fails on a number.
func groupedAny(v any) string {
	switch n := v.(type) {
	case int:
		return grouped(n)
	case int64:
		if n >= math.MinInt && n <= math.MaxInt {
			return grouped(int(n))
		}
	}
	return fmt.Sprint(v)
}
