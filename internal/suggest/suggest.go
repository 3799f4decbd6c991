// Package suggest finds what a person most likely meant when they mistype a field name, an
// allowed value, a file name or a catalog id, for the "did you mean" part of a message.
package suggest

import "strings"

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
func editDistance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d >= limit || -d >= limit {
		return limit
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return min(prev[len(rb)], limit)
}
