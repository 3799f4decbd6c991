package draft

import (
	"encoding/csv"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/opendata-docket/docket/internal/report"
)

// The checks of answers typed by people, shared by docket new and docket intake. Each returns
// the value to write, or an error that says in plain words what to write instead; the schema
// and the rules check the whole file again afterwards.

// Text accepts text of a length the schema allows.
func Text(minLen, maxLen int) func(string) (string, error) {
	return func(s string) (string, error) {
		s = strings.TrimSpace(s)
		switch n := len([]rune(s)); {
		case n == 0 && minLen > 0:
			return "", errors.New("this answer is needed")
		case n < minLen:
			return "", fmt.Errorf("write at least %d characters (this has %d)", minLen, n)
		case n > maxLen:
			return "", fmt.Errorf("write at most %d characters (this has %d)", maxLen, n)
		}
		return s, nil
	}
}

// Optional accepts an empty answer, or text of the length the schema allows.
func Optional(maxLen int) func(string) (string, error) {
	return func(s string) (string, error) {
		if strings.TrimSpace(s) == "" {
			return "", nil
		}
		return Text(1, maxLen)(s)
	}
}

var loginPattern = regexp.MustCompile(`^[A-Za-z0-9](-?[A-Za-z0-9])*$`)

// Login accepts a GitHub login, with or without its @.
func Login(s string) (string, error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "@")
	if s == "" || len(s) > 39 || !loginPattern.MatchString(s) {
		return "", errors.New("a GitHub login has letters, digits and single hyphens, at most 39 characters")
	}
	return s, nil
}

// WholeNumber accepts a plain whole number in [lo, hi]; 1,000 and 1 000 are read as 1000.
func WholeNumber(lo, hi int64) func(string) (string, error) {
	return func(s string) (string, error) {
		s = strings.NewReplacer(",", "", " ", "", "_", "").Replace(strings.TrimSpace(s))
		v, err := strconv.ParseInt(s, 10, 64)
		switch {
		case err != nil:
			return "", errors.New("write a whole number, like 2000")
		case v < lo || v > hi:
			return "", fmt.Errorf("write a number from %d to %d", lo, hi)
		}
		return strconv.FormatInt(v, 10), nil
	}
}

// PositiveNumber accepts a number above 0 and at most hi.
func PositiveNumber(hi float64) func(string) (string, error) {
	return func(s string) (string, error) {
		s = strings.TrimSpace(s)
		v, err := strconv.ParseFloat(s, 64)
		switch {
		case err != nil || strings.ContainsAny(s, "xXeEnN_+"):
			return "", errors.New("write a number, like 2 or 0.5")
		case v <= 0 || v > hi:
			return "", fmt.Errorf("write a number above 0 and at most %g", hi)
		}
		return strconv.FormatFloat(v, 'f', -1, 64), nil
	}
}

// YesNo reads yes or no as "yes" or "no".
func YesNo(s string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "y", "yes", "true":
		return "yes", nil
	case "n", "no", "false":
		return "no", nil
	}
	return "", errors.New("answer yes or no")
}

var columnName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// ColumnName accepts a column name as the schema writes it.
func ColumnName(s string) (string, error) {
	if len(s) > 64 || !columnName.MatchString(s) {
		return "", errors.New("a column name has lowercase letters, digits and underscores, starting with a letter, like request_date")
	}
	return s, nil
}

// ColumnTypes are the types a column may have.
var ColumnTypes = []string{"text", "number", "integer", "boolean", "date", "datetime", "location", "url"}

// CSVRows reads rows of text from CSV whose first line names the columns; empty cells are
// left out.
func CSVRows(text string) ([]map[string]any, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	records, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("this is not comma-separated: %s", report.Printable(err.Error()))
	}
	if len(records) < 2 {
		return nil, errors.New("write the column names on the first line and at least one row below")
	}
	header := records[0]
	var rows []map[string]any
	for i, rec := range records[1:] {
		if len(rec) > len(header) {
			return nil, fmt.Errorf("row %d has %d values and the first line names %d columns", i+1, len(rec), len(header))
		}
		row := map[string]any{}
		for j, v := range rec {
			if v = strings.TrimSpace(v); v != "" {
				row[strings.TrimSpace(header[j])] = v
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}
