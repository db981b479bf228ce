package results

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/journeysim/journeysim/sim/text"
)

// FormatNumber writes v with digits decimals and thousands separators; NaN
// is a dash.
func FormatNumber(v float64, digits int) string {
	if math.IsNaN(v) {
		return "–"
	}
	if math.IsInf(v, 0) {
		if v > 0 {
			return "∞"
		}
		return "−∞"
	}
	s := strconv.FormatFloat(math.Abs(v), 'f', digits, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	out := text.GroupThousands(intPart)
	if v < 0 && strings.Trim(s, "0.") != "" {
		out = "-" + out
	}
	if frac != "" {
		out += "." + frac
	}
	return out
}

// FormatEstimate writes e as its mean ± the half-width of its 95%
// interval (when there is one), with digits decimals, and "(n=K)" when the
// estimate is over fewer replications than were run.
func FormatEstimate(e Estimate, digits int) string {
	s := FormatNumber(e.Mean, digits)
	if !math.IsNaN(e.CI95) && !math.IsNaN(e.Mean) && e.CI95 != 0 {
		s += " ± " + FormatNumber(e.CI95, digits)
	}
	if e.N > 0 && e.N < len(e.Values) {
		// Undefined in some replications: say over how many it is.
		s += fmt.Sprintf(" (n=%d)", e.N)
	}
	return s
}
