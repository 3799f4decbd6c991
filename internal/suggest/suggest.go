// Package suggest finds what a person most likely meant when they mistype a field name, an
// allowed value, a file name or a catalog id, for the "did you mean" part of a message.
package suggest

import (
	"strings"
	"unicode"
)

// Closest returns the candidate a person most likely meant by s: one that differs only in case,
// hyphens and underscores, or by at most two edits. It returns "" when none is close.
func Closest(s string, candidates []string) string {
	norm := func(x string) string {
		return strings.NewReplacer("-", "", "_", "", " ", "").Replace(strings.ToLower(x))
	}
	best, bestDist := "", 3
	for _, c := range candidates {
		if c == s {
			return ""
		}
		if norm(c) == norm(s) {
			return c
		}
		if d := editDistance(strings.ToLower(s), c, bestDist); d < bestDist {
			best, bestDist = c, d
		}
	}
	if bestDist > 2 || len(s) <= bestDist {
		return ""
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, or limit when it is at least limit.
// Only the band of cells within limit of the diagonal is computed (Ukkonen), so the cost is
// O(len(a) × limit) whatever the lengths: a requester's 60-character field name is as cheap to
// compare as a short one.
func editDistance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d >= limit || -d >= limit {
		return limit
	}
	inf := limit
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = min(j, inf)
	}
	for i := 1; i <= len(ra); i++ {
		lo, hi := max(1, i-limit+1), min(len(rb), i+limit-1)
		cur[lo-1] = inf
		if lo == 1 {
			cur[0] = min(i, inf)
		}
		best := cur[lo-1]
		for j := lo; j <= hi; j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			up := inf
			if j <= i+limit-2 {
				up = prev[j]
			}
			cur[j] = min(up+1, cur[j-1]+1, prev[j-1]+cost, inf)
			best = min(best, cur[j])
		}
		if hi < len(rb) {
			cur[hi+1] = inf
		}
		if best >= limit {
			return limit
		}
		prev, cur = cur, prev
	}
	return min(prev[len(rb)], limit)
}

// Named returns the index of the candidate that s names in words: the same words in any case
// and with any punctuation ("KC streetcar daily ridership" for "KC Streetcar Daily Ridership"),
// or else every word of s when only one candidate has them all ("streetcar ridership"). It
// returns -1 when no candidate, or more than one, fits. Catalog entries are named this way:
// requesters copy a dataset's name from the portal where its id is wanted.
func Named(s string, candidates []string) int {
	want := words(s)
	if len(want) == 0 {
		return -1
	}
	found := -1
	for i, c := range candidates {
		have := words(c)
		if strings.Join(have, " ") == strings.Join(want, " ") {
			return i
		}
		if containsAll(have, want) {
			if found >= 0 {
				found = -2 // more than one: no guess
			} else if found == -1 {
				found = i
			}
		}
	}
	return max(found, -1)
}

// words splits s into lowercase words of letters and digits.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func containsAll(have, want []string) bool {
	for _, w := range want {
		found := false
		for _, h := range have {
			if h == w {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
