package results

import (
	"math"
	"strconv"
	"strings"
)

// compactScales are the steps FormatCompact writes a number in, largest
// first: thousand, million, billion and trillion.
var compactScales = []struct {
	exp  int
	name string
}{{12, "tn"}, {9, "bn"}, {6, "M"}, {3, "k"}}

// FormatCompact writes v rounded to sig significant digits (at least 1),
// in thousands (k), millions (M), billions (bn) or trillions (tn) from a
// thousand up: "950", "12.0", "0.420", "1.23 k", "12.4 M", "3.10 bn".
// Trailing zeros are kept, so that numbers written side by side show the
// same precision. NaN and infinities read as FormatNumber writes them.
func FormatCompact(v float64, sig int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return FormatNumber(v, 0)
	}
	if v == 0 {
		return "0"
	}
	sig = max(sig, 1)
	// Round first, so that 999,950 at 3 digits reads 1.00 M, not 1000 k.
	e := strconv.FormatFloat(math.Abs(v), 'e', sig-1, 64)
	mant, expText, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(expText)
	r, _ := strconv.ParseFloat(e, 64)
	suffix := ""
	for _, s := range compactScales {
		if exp >= s.exp {
			r, _ = strconv.ParseFloat(mant+"e"+strconv.Itoa(exp-s.exp), 64)
			exp -= s.exp
			suffix = " " + s.name
			break
		}
	}
	out := FormatNumber(r, max(0, sig-1-exp))
	if v < 0 {
		out = "-" + out
	}
	return out + suffix
}
