package schemacheck

import "testing"

// Every kind of invisible character is refused in a line of text; the ones that do a job
// where they stand (an emoji's variation selector, a joiner in Persian or Hindi) are not.
func TestTextProblem(t *testing.T) {
	tests := []struct {
		kind textKind
		in   string
		want string
	}{
		{oneLine, "Daily 311 calls", ""},
		{oneLine, "\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b", "has no visible characters, only 8 invisible zero-width spaces (U+200B); write it in words"},
		{oneLine, "\u3164", "has no visible characters, only an invisible Hangul filler (U+3164); write it in words"},
		{oneLine, "\u2800\u2800\u2800", "has no visible characters, only 3 invisible blank braille patterns (U+2800); write it in words"},
		{oneLine, " \u200b \u2060 ", "has no visible characters, only invisible characters and spaces; write it in words"},
		{oneLine, "\u3000\u3000", "has no visible characters, only spaces; write it in words"},
		{markdown, "\u200b\u200b", "has no visible characters, only 2 invisible zero-width spaces (U+200B); write it in words"},
		{oneLine, "Kansas\u200bCity", `contains the invisible zero-width space U+200B after "Kansas"; remove it`},
		{oneLine, "\u200bKansas City", "contains the invisible zero-width space U+200B at the start; remove it"},
		{oneLine, "Kansas City\u2060", `contains the invisible word joiner U+2060 after "Kansas City"; remove it`},
		{oneLine, "Ridership\u00ad data", `contains the invisible soft hyphen U+00AD after "Ridership"; remove it`},
		{oneLine, "Ridership\u200e data", `contains the invisible left-to-right mark U+200E after "Ridership"; remove it`},
		{oneLine, "Ridership\u200f data", `contains the invisible right-to-left mark U+200F after "Ridership"; remove it`},
		{oneLine, "Ridership\u061c data", `contains the invisible Arabic letter mark U+061C after "Ridership"; remove it`},
		{oneLine, "Ridership\ufeff data", `contains the invisible zero-width no-break space U+FEFF after "Ridership"; remove it`},
		{oneLine, "Ridership\U000E0041 data", `contains the invisible tag character U+E0041 after "Ridership"; remove it`},
		{oneLine, "Ridership\u180e data", `contains the invisible Mongolian vowel separator U+180E after "Ridership"; remove it`},
		{oneLine, "Ridership \u115f data", `contains the invisible Hangul filler U+115F after "Ridership"; remove it`},
		{oneLine, "Ridership\u034f data", `contains the invisible combining grapheme joiner U+034F after "Ridership"; remove it`},
		{oneLine, "a\u2062b data", `contains the invisible times sign U+2062 after "a"; remove it`},
		{oneLine, "Ridership\u200c data", `contains the invisible zero-width non-joiner U+200C after "Ridership"; remove it`},
		{oneLine, "Ridership\u200d data", `contains the invisible zero-width joiner U+200D after "Ridership"; remove it`},
		{oneLine, "Ridership \ufe0f data", `contains the invisible variation selector U+FE0F after "Ridership"; remove it`},
		// Doing a job where they stand.
		{oneLine, "Ridership \u2764\ufe0f", ""},
		{oneLine, "Family \U0001F468\u200d\U0001F469\u200d\U0001F467", ""},
		{name, "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", ""}, // Persian, with a non-joiner
		{name, "\u0915\u094d\u200d\u0937", ""},                         // Devanagari, a joiner after virama
		{oneLine, "\u0600\u0661\u0662", ""},                            // the Arabic number sign is drawn
		// Markdown may hold joiners anywhere; only emptiness is refused.
		{markdown, "We chart\u200b response times.", ""},
		// Names: each word in one alphabet.
		{name, "Kansas \u0421ity Police", `the word "Сity" mixes alphabets: С (U+0421) is a Cyrillic letter among Latin ones; retype the word in one alphabet`},
		{name, "P\u0430ypal", `the word "Pаypal" mixes alphabets: а (U+0430) is a Cyrillic letter among Latin ones; retype the word in one alphabet`},
		{name, "\u041c\u0430p\u0438\u044f", "the word \"\u041c\u0430p\u0438\u044f\" mixes alphabets: p (U+0070) is a Latin letter among Cyrillic ones; retype the word in one alphabet"},
		{name, "Ale\u03bes", `the word "Aleξs" mixes alphabets: ξ (U+03BE) is a Greek letter among Latin ones; retype the word in one alphabet`},
		{name, "\u041c\u0430\u0440\u0438\u044f Delgado", ""}, // two words, each in one alphabet
		{name, "\u0391\u03b8\u03ae\u03bd\u03b1", ""},         // Greek
		{name, "\u6771\u4eac\u3068\u30ab\u30f3\u30b6\u30b9", ""},
		{oneLine, "Kansas \u0421ity Police", `the word "Сity" mixes alphabets: С (U+0421) is a Cyrillic letter among Latin ones; retype the word in one alphabet`}, // titles are published
		{markdown, "Kansas \u0421ity Police", ""}, // only names and lines of text are looked at for alphabets
	}
	for _, tt := range tests {
		if got := textProblem(tt.kind, tt.in, true); got != tt.want {
			t.Errorf("textProblem(%d, %q) =\n  %q\nwant\n  %q", tt.kind, tt.in, got, tt.want)
		}
	}
}
