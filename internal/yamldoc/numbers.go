package yamldoc

import (
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
)

// Numbers mean what they look like. YAML reads 010000 as the octal number 4096, 0x3D090 as
// 250000, 1e4 as 10000 and .inf as infinity; a reviewer reading the diff, and the requester who
// typed it, see something else. Only plain decimal numbers are read as numbers: every other
// number form stays the text it was written as, so that in a text field it is that text, and in
// a number field the schema check refuses it with NumberAdvice.

var (
	plainInt   = regexp.MustCompile(`^-?(0|[1-9][0-9]*)$`)
	plainFloat = regexp.MustCompile(`^-?((0|[1-9][0-9]*)(\.[0-9]*)?|\.[0-9]+)$`)
)

// plainNumber reports whether s, a scalar YAML resolved as a number, is written as a person
// reads it: decimal digits, an optional minus sign and decimal point, nothing else.
func plainNumber(s string) bool {
	return plainInt.MatchString(s) || plainFloat.MatchString(s)
}

var (
	special     = regexp.MustCompile(`^[-+]?\.(inf|Inf|INF|nan|NaN|NAN)$`)
	based       = regexp.MustCompile(`^([-+]?)0([xXoObB])([0-9a-fA-F_]+)$`)
	leadingZero = regexp.MustCompile(`^([-+]?)0+([0-9][0-9_]*(\.[0-9]*)?)$`)
	exponent    = regexp.MustCompile(`^[-+]?([0-9][0-9_]*(\.[0-9]*)?|\.[0-9]+)[eE][-+]?[0-9]+$`)
	underscores = regexp.MustCompile(`^[-+]?[0-9]+(_+[0-9]+)+(\.[0-9]+)?$`)
	grouped     = regexp.MustCompile(`^([-+]?)([1-9][0-9]{0,2})((?:([, ])[0-9]{3})(?:[, ][0-9]{3})*)(\.[0-9]+)?$`)
	thousands   = regexp.MustCompile(`^([0-9]+(?:\.[0-9]+)?)\s*[kK]$`)
	withWords   = regexp.MustCompile(`^(?:(?:about|around|approx\.?|approximately|up to|~) ?([0-9]+(?:\.[0-9]+)?)|([0-9]+(?:\.[0-9]+)?)(?: ?/| +)[a-zA-Z][a-zA-Z /.]*)$`)
)

// NumberAdvice says how to write plainly the number a person most likely meant by s, a value
// written without quotes where a number belongs, as "write 10000 without the leading zero; YAML
// reads 010000 as 4096". It returns "" when s does not look like a number at all.
func NumberAdvice(s string) string {
	switch {
	case special.MatchString(s):
		what := "infinity"
		if strings.Contains(strings.ToLower(s), "nan") {
			what = `"not a number"`
		}
		return fmt.Sprintf("write the number in digits, like 10000; YAML reads %s as %s", s, what)
	case based.MatchString(s):
		m := based.FindStringSubmatch(s)
		base, name := 16, "a hexadecimal"
		switch strings.ToLower(m[2]) {
		case "o":
			base, name = 8, "an octal"
		case "b":
			base, name = 2, "a binary"
		}
		n, ok := new(big.Int).SetString(strings.ReplaceAll(m[3], "_", ""), base)
		if !ok {
			return "write the number in plain decimal digits, like 10000"
		}
		if m[1] == "-" {
			n.Neg(n)
		}
		return fmt.Sprintf("write %s in plain digits; %s is %s number", n, s, name)
	case leadingZero.MatchString(s):
		m := leadingZero.FindStringSubmatch(s)
		meant := strings.TrimPrefix(m[1], "+") + strings.ReplaceAll(m[2], "_", "")
		if octal := yamlOctal(s); octal != "" && octal != meant {
			return fmt.Sprintf("write %s without the leading zero; YAML reads %s as %s", meant, s, octal)
		}
		return fmt.Sprintf("write %s without the leading zero", meant)
	case exponent.MatchString(s):
		f, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64)
		digits := strconv.FormatFloat(f, 'f', -1, 64)
		if err != nil || math.IsInf(f, 0) || len(digits) > 24 {
			return "write the number in plain digits, without an exponent (e)"
		}
		return fmt.Sprintf("write %s in plain digits, without an exponent (e)", digits)
	case strings.HasPrefix(s, "+") && plainNumber(s[1:]):
		return fmt.Sprintf("write %s without the plus sign", s[1:])
	case underscores.MatchString(s):
		return fmt.Sprintf("write %s without the underscores", strings.TrimPrefix(strings.ReplaceAll(s, "_", ""), "+"))
	case grouped.MatchString(s):
		m := grouped.FindStringSubmatch(s)
		sep := "commas"
		if m[4] == " " {
			sep = "spaces"
		}
		meant := strings.TrimPrefix(m[1], "+") + m[2] + strings.NewReplacer(",", "", " ", "").Replace(m[3]) + m[5]
		return fmt.Sprintf("write %s without the %s", meant, sep)
	case thousands.MatchString(s):
		m := thousands.FindStringSubmatch(s)
		f, err := strconv.ParseFloat(m[1], 64)
		if err != nil || f*1000 != math.Trunc(f*1000) {
			return ""
		}
		return fmt.Sprintf("write %s in digits", strconv.FormatFloat(f*1000, 'f', -1, 64))
	case withWords.MatchString(s):
		m := withWords.FindStringSubmatch(s)
		return fmt.Sprintf("write only the number, %s", m[1]+m[2])
	}
	return ""
}

// yamlOctal is the value YAML gives to s when it reads a leading zero as octal, or "".
func yamlOctal(s string) string {
	sign := ""
	if s[0] == '-' || s[0] == '+' {
		sign, s = strings.TrimPrefix(s[:1], "+"), s[1:]
	}
	s = strings.ReplaceAll(s, "_", "")
	n, ok := new(big.Int).SetString(s, 8)
	if !ok {
		return ""
	}
	return sign + n.String()
}
