package text

import (
	"strings"
	"unicode/utf8"
)

// Wrap breaks s into lines of at most width columns (where words allow),
// the first line indented by first, the rest by rest, each ending in a
// newline. A span in backticks (code) is never broken.
func Wrap(s string, width int, first, rest string) string {
	var b strings.Builder
	line := first
	fresh := true
	for _, w := range words(s) {
		if !fresh && utf8.RuneCountInString(line)+1+utf8.RuneCountInString(w) > width {
			b.WriteString(strings.TrimRight(line, " "))
			b.WriteByte('\n')
			line, fresh = rest, true
		}
		if !fresh {
			line += " "
		}
		line += w
		fresh = false
	}
	b.WriteString(strings.TrimRight(line, " "))
	b.WriteByte('\n')
	return b.String()
}

// words splits text at spaces, keeping a span in backticks together.
func words(text string) []string {
	var out []string
	var cur strings.Builder
	inCode := false
	for _, r := range text {
		switch {
		case r == '`':
			inCode = !inCode
			cur.WriteRune(r)
		case (r == ' ' || r == '\n' || r == '\t') && !inCode:
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteRune(r)
		}
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}
