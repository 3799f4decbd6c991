package draft

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/opendata-docket/docket/internal/docket"
)

// latin folds the accented Latin letters of European names to ASCII for ids.
var latin = strings.NewReplacer(
	"à", "a", "á", "a", "â", "a", "ã", "a", "ä", "a", "å", "a", "æ", "ae", "ç", "c",
	"è", "e", "é", "e", "ê", "e", "ë", "e", "ì", "i", "í", "i", "î", "i", "ï", "i",
	"ñ", "n", "ò", "o", "ó", "o", "ô", "o", "õ", "o", "ö", "o", "ø", "o", "œ", "oe",
	"ù", "u", "ú", "u", "û", "u", "ü", "u", "ý", "y", "ÿ", "y", "ß", "ss",
)

// Slug suggests a request id from a title: its words in lowercase ASCII joined by hyphens,
// common accents dropped, at most about 48 characters cut at a word. It returns "" when the
// title has no letter or digit to make one from.
func Slug(title string) string {
	var words []string
	var w strings.Builder
	flush := func() {
		if w.Len() > 0 {
			words = append(words, w.String())
			w.Reset()
		}
	}
	for _, r := range latin.Replace(strings.ToLower(title)) {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			w.WriteRune(unicode.ToLower(r))
		case r == '\'' || r == '’':
			// "city's" is one word
		default:
			flush()
		}
	}
	flush()
	var b strings.Builder
	for _, word := range words {
		if b.Len() > 0 && b.Len()+1+len(word) > 48 {
			break
		}
		if b.Len() > 0 {
			b.WriteByte('-')
		}
		b.WriteString(word)
	}
	s := b.String()
	if len(s) > docket.MaxIDLength {
		s = strings.TrimRight(s[:docket.MaxIDLength], "-")
	}
	if s != "" && !docket.ValidID(s) {
		s += "-request" // a name Windows keeps for a device, like nul
	}
	return s
}

// FreeID returns id when taken says it is free, else id-2, id-3, ...
func FreeID(id string, taken func(string) bool) string {
	if !taken(id) {
		return id
	}
	for n := 2; ; n++ {
		suffix := "-" + strconv.Itoa(n)
		base := id
		if len(base)+len(suffix) > docket.MaxIDLength {
			base = strings.TrimRight(base[:docket.MaxIDLength-len(suffix)], "-")
		}
		if c := base + suffix; !taken(c) {
			return c
		}
	}
}
