package text

import (
	"strconv"
	"unicode/utf8"
)

// Excerpt returns s for a message about it: s itself when it is at most
// n characters, all printable; otherwise at most its first n characters,
// quoted with anything unprintable escaped, and "…" when cut. A message
// that quotes a cell of a file so never echoes a whole line of an
// unrelated file, nor control or direction characters.
func Excerpt(s string, n int) string {
	if utf8.RuneCountInString(s) <= n && printable(s) {
		return s
	}
	cut := s
	if r := []rune(s); len(r) > n {
		cut = string(r[:n])
	}
	q := strconv.Quote(cut)
	if len(cut) < len(s) {
		q += "…"
	}
	return q
}

func printable(s string) bool {
	for _, r := range s {
		if !strconv.IsPrint(r) {
			return false
		}
	}
	return true
}

// Quote returns s quoted for a message, as strconv.Quote does, but cut to
// its first n characters, with "…" after the quotes when cut.
func Quote(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return strconv.Quote(string(r[:n])) + "…"
	}
	return strconv.Quote(s)
}
