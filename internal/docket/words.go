package docket

import "strconv"

// Count says how many of something there are, in the singular for one: Count(1, "file",
// "files") is "1 file", Count(3, "file", "files") is "3 files".
func Count(n int, one, many string) string {
	return strconv.Itoa(n) + " " + Plural(n, one, many)
}

// Plural returns one when n is 1, else many: Plural(n, "criterion is", "criteria are").
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
