package text

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Plural returns the plural of an English noun: "days", "categories",
// "touches", and "SMS messages" for a noun ending in SMS. The plural of ""
// is "".
func Plural(noun string) string {
	switch {
	case noun == "":
		return noun
	case strings.HasSuffix(noun, "SMS"):
		return noun + " messages"
	case strings.HasSuffix(noun, "s"), strings.HasSuffix(noun, "x"), strings.HasSuffix(noun, "ch"), strings.HasSuffix(noun, "sh"):
		return noun + "es"
	case strings.HasSuffix(noun, "y") && len(noun) > 1 && !strings.ContainsRune("aeiou", rune(noun[len(noun)-2])):
		return noun[:len(noun)-1] + "ies"
	}
	return noun + "s"
}

// Noun returns noun as a count of n calls for it: noun itself when n is 1,
// its plural otherwise ("0 days", "0.5 days", "2 days").
func Noun(n float64, noun string) string {
	if n == 1 {
		return noun
	}
	return Plural(noun)
}

// Agree returns one when n is 1 and many otherwise, for the words that
// follow a count and have no regular plural: Agree(n, "is", "are").
func Agree(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Count writes n, its digits grouped in thousands, and noun, in the plural
// unless n is 1: "1 day", "12,000 customers".
func Count(n int, noun string) string {
	digits := strconv.Itoa(n)
	sign := ""
	if d, ok := strings.CutPrefix(digits, "-"); ok {
		sign, digits = "-", d
	}
	return sign + GroupThousands(digits) + " " + Noun(float64(n), noun)
}

// GroupThousands puts a comma between each group of three of a run of
// digits, counting from the right: "1234567" is "1,234,567".
func GroupThousands(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	b.Grow(len(digits) + len(digits)/3)
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// List joins words as an English list: "a", "a and b", "a, b and c", with
// conj ("and", "or") before the last.
func List(words []string, conj string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " " + conj + " " + words[len(words)-1]
}

// Capitalize upper-cases the first letter of s.
func Capitalize(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}

// Spoken writes a name as people read it, with spaces for underscores:
// "front_desk" as "front desk". Files and paths keep the name as it is.
func Spoken(name string) string {
	return strings.ReplaceAll(name, "_", " ")
}
