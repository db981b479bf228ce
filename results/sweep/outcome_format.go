package sweep

import (
	"math"
	"strconv"
	"strings"

	"github.com/journeysim/journeysim/results"
)

// OutcomeFormat is how an outcome is shown in sentences and tables.
type OutcomeFormat struct {
	key, label, unit, currency string
	scale                      float64
	digits                     int
}

// FormatOutcome returns the format of the outcome key; values, in natural
// units, set the decimals: enough for three significant figures of the
// largest, and at least the metric's own.
func FormatOutcome(key, currency string, values ...float64) OutcomeFormat {
	f := OutcomeFormat{key: key, label: strings.ReplaceAll(key, "_", " "), currency: currency, scale: 1}
	if spec, ok := parseOutcome(key); ok {
		var percent bool
		f.label, f.unit, f.digits, percent, _ = spec.describe()
		if percent {
			f.scale = 100
		}
	}
	top := 0.0
	for _, v := range values {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			top = max(top, math.Abs(v*f.scale))
		}
	}
	if top > 0 {
		f.digits = min(8, max(f.digits, 2-int(math.Floor(math.Log10(top)))))
	}
	return f
}

// Value writes v, in natural units, with its unit: "4,210 EUR", "12.5%".
func (f OutcomeFormat) Value(v float64) string {
	s := results.FormatNumber(v*f.scale, f.digits)
	switch {
	case math.IsNaN(v):
		return s
	case f.scale == 100:
		return s + "%"
	case f.unit == results.UnitMoney && f.currency != "":
		return s + " " + f.currency
	case f.unit == results.UnitPoints:
		return s + " points"
	}
	return s
}

// Estimate writes the mean ± the half-width of its 95% interval, without
// the unit.
func (f OutcomeFormat) Estimate(e results.Estimate) string {
	e.Mean *= f.scale
	e.CI95 *= f.scale
	return results.FormatEstimate(e, f.digits)
}

// Heading is the outcome's label with its unit, for a table's row.
func (f OutcomeFormat) Heading() string {
	switch {
	case f.scale == 100:
		return f.label + " (%)"
	case f.unit == results.UnitMoney && f.currency != "":
		return f.label + " (" + f.currency + ")"
	}
	return f.label
}

// ParamText writes a parameter's value with thousands separators and no
// more decimals than it has (to nine significant figures).
func ParamText(x float64) string {
	if x == 0 {
		return "0"
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 9, 64), 64)
	digits := 0
	if s := strconv.FormatFloat(r, 'f', -1, 64); strings.Contains(s, ".") {
		digits = len(s) - strings.Index(s, ".") - 1
	}
	return results.FormatNumber(r, digits)
}

// crossingText writes an interpolated crossing at x, between values that
// are gap apart: to one decimal place more than the gap has, and to at
// least two significant figures.
func crossingText(x, gap float64) string {
	digits := 0
	if gap > 0 && !math.IsInf(gap, 0) {
		digits = max(0, 1-int(math.Floor(math.Log10(gap))))
	}
	if x != 0 {
		digits = max(digits, 1-int(math.Floor(math.Log10(math.Abs(x)))))
	}
	return results.FormatNumber(x, min(digits, 8))
}

// ChangeUnit is the unit a change in the outcome is counted in:
// "percentage points" for a percentage, the currency for money, "points"
// for a score; "" when the outcome has none.
func (f OutcomeFormat) ChangeUnit() string {
	switch {
	case f.scale == 100:
		return "percentage points"
	case f.unit == results.UnitMoney:
		return f.currency
	case f.unit == results.UnitPoints:
		return "points"
	}
	return ""
}
