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
	special      = regexp.MustCompile(`^[-+]?\.(inf|Inf|INF|nan|NaN|NAN)$`)
	based        = regexp.MustCompile(`^([-+]?)0([xXoObB])([0-9a-fA-F_]+)$`)
	leadingZero  = regexp.MustCompile(`^([-+]?)0+([0-9][0-9_]*(\.[0-9]*)?)$`)
	exponent     = regexp.MustCompile(`^[-+]?([0-9][0-9_]*(\.[0-9]*)?|\.[0-9]+)[eE][-+]?[0-9]+$`)
	underscores  = regexp.MustCompile(`^[-+]?[0-9]+(_+[0-9]+)+(\.[0-9]+)?$`)
	grouped      = regexp.MustCompile(`^([-+]?)([1-9][0-9]{0,2})((?:([, \x{a0}\x{202f}])[0-9]{3})(?:[, \x{a0}\x{202f}][0-9]{3})*)(\.[0-9]+)?$`)
	thousands    = regexp.MustCompile(`^([0-9]+(?:\.[0-9]+)?)\s*([kK]|[tT]housand|M|[mM]illion)$`)
	withWords    = regexp.MustCompile(`^(?:(?:about|around|approx\.?|approximately|up to|~) ?([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+(?:\.[0-9]+)?)|([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+(?:\.[0-9]+)?)(?: ?/| +)[a-zA-Z][a-zA-Z /.]*)$`)
	dotThousands = regexp.MustCompile(`^(-?)([1-9][0-9]{0,2})((?:\.[0-9]{3})+)$`)
	dotZeros     = regexp.MustCompile(`^(-?[0-9]+)\.0*$`)
	lookAlike    = regexp.MustCompile(`^[0-9OoIl]*[0-9][0-9OoIl]*$`)
)

// DotAdvice says how to write the whole number meant by s, written with a decimal point: 10.000
// is 10 to YAML and ten thousand to a European, for whom the dot groups thousands; 2000.0 is
// 2000 either way. It returns "" when s is not a number with a dot.
func DotAdvice(s string) string {
	switch {
	case dotThousands.MatchString(s):
		m := dotThousands.FindStringSubmatch(s)
		meant := m[1] + m[2] + strings.ReplaceAll(m[3], ".", "")
		dots := "the dot"
		if strings.Count(m[3], ".") > 1 {
			dots = "the dots"
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil && strings.Count(s, ".") == 1 {
			return fmt.Sprintf("write %s without %s; YAML reads %s as %s", meant, dots, s, strconv.FormatFloat(f, 'f', -1, 64))
		}
		return fmt.Sprintf("write %s without %s", meant, dots)
	case dotZeros.MatchString(s):
		m := dotZeros.FindStringSubmatch(s)
		meant := strings.TrimLeft(m[1], "0")
		if meant == "" || meant == "-" {
			meant = "0"
		}
		return fmt.Sprintf("write %s, without the decimal point", meant)
	}
	return ""
}

// fullWidth maps the digits a Japanese or Chinese keyboard types to ASCII ones.
func fullWidth(s string) (string, bool) {
	changed := false
	out := strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			changed = true
			return '0' + (r - '０')
		case r == '，':
			changed = true
			return ','
		case r == '．':
			changed = true
			return '.'
		}
		return r
	}, s)
	return out, changed
}

// NumberAdvice says how to write plainly the number a person most likely meant by s, a value
// written without quotes where a number belongs, as "write 10000 without the leading zero; YAML
// reads 010000 as 4096". It returns "" when s does not look like a number at all.
func NumberAdvice(s string) string {
	if ascii, ok := fullWidth(s); ok && plainNumber(ascii) {
		return fmt.Sprintf("write %s in ordinary digits; %s is typed in full-width digits", ascii, s)
	}
	switch {
	case strings.Contains(s, ".") && DotAdvice(s) != "" && !plainNumber(s):
		return DotAdvice(s)
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
		if m[4] != "," {
			sep = "spaces"
		}
		frac := m[5]
		if strings.Trim(frac, ".0") == "" {
			frac = "" // 10,000.00: a whole number, written without its cents
		}
		meant := strings.TrimPrefix(m[1], "+") + m[2] + strings.NewReplacer(",", "", " ", "", "\u00a0", "", "\u202f", "").Replace(m[3]) + frac
		return fmt.Sprintf("write %s without the %s", meant, sep)
	case lookAlike.MatchString(s) && !plainNumber(s) && strings.ContainsAny(s, "OoIl"):
		meant := strings.NewReplacer("O", "0", "o", "0", "I", "1", "l", "1").Replace(s)
		what := "the letter O"
		if !strings.ContainsAny(s, "Oo") {
			what = "the letter l or I"
		} else if strings.ContainsAny(s, "Il") {
			what = "letters"
		}
		return fmt.Sprintf("write %s in digits; %s has %s in it, not the digit", meant, s, what)
	case thousands.MatchString(s):
		m := thousands.FindStringSubmatch(s)
		f, err := strconv.ParseFloat(m[1], 64)
		times := 1000.0
		if m[2] == "M" || strings.ToLower(m[2]) == "million" {
			times = 1e6
		}
		if err != nil || f*times != math.Trunc(f*times) {
			return ""
		}
		return fmt.Sprintf("write %s in digits", strconv.FormatFloat(f*times, 'f', -1, 64))
	case spelled(s) > 0:
		return fmt.Sprintf("write %d in digits", spelled(s))
	case withWords.MatchString(s):
		m := withWords.FindStringSubmatch(s)
		return fmt.Sprintf("write only the number, %s", strings.ReplaceAll(m[1]+m[2], ",", ""))
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

var numberWords = map[string]int64{
	"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
	"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
	"seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
	"sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}

// spelled reads a number written in English words, "two thousand", "twenty-five hundred",
// "one million", or returns 0.
func spelled(s string) int64 {
	words := strings.Fields(strings.NewReplacer("-", " ", ",", " ", " and ", " ").Replace(strings.ToLower(s)))
	if len(words) == 0 || len(words) > 8 {
		return 0
	}
	var total, group int64
	for _, w := range words {
		switch n, ok := numberWords[w]; {
		case ok:
			group += n
		case w == "hundred" && group > 0:
			group *= 100
		case (w == "thousand" || w == "million") && group > 0:
			m := int64(1000)
			if w == "million" {
				m = 1000000
			}
			total += group * m
			group = 0
		default:
			return 0
		}
	}
	if total+group == 1 && len(words) == 1 {
		return 0 // "a" or "one" alone is no number a request would write this way
	}
	return total + group
}
