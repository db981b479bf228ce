package charts

import (
	"image/color"
	"math"
	"slices"
	"strings"

	"github.com/journeysim/journeysim/results"
	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Canvas size: 16:9, as a slide. A PNG at 150 dpi is 1500 × 844 pixels.
const (
	width  = 10 * vg.Inch
	height = 5.625 * vg.Inch
	// DPI is the resolution of PNG charts.
	DPI = 150
)

// Type sizes, in points, chosen to be read from the back of a room.
const (
	titleSize    = 22
	subtitleSize = 15
	labelSize    = 16
	tickSize     = 14
	legendSize   = 14
	valueSize    = 14
)

// Line widths.
var (
	seriesWidth  = vg.Points(3)
	axisWidth    = vg.Points(1.5)
	whiskerWidth = vg.Points(2)
	gridWidth    = vg.Points(1)
)

// The Okabe–Ito palette, safe for the common kinds of colour blindness.
var (
	okBlack     = color.RGBA{0x00, 0x00, 0x00, 0xff}
	okOrange    = color.RGBA{0xe6, 0x9f, 0x00, 0xff}
	okSkyBlue   = color.RGBA{0x56, 0xb4, 0xe9, 0xff}
	okGreen     = color.RGBA{0x00, 0x9e, 0x73, 0xff}
	okYellow    = color.RGBA{0xf0, 0xe4, 0x42, 0xff}
	okBlue      = color.RGBA{0x00, 0x72, 0xb2, 0xff}
	okVermilion = color.RGBA{0xd5, 0x5e, 0x00, 0xff}
	okPurple    = color.RGBA{0xcc, 0x79, 0xa7, 0xff}
)

// Other colours: text, whiskers, grid lines and notes.
var (
	inkColor   = color.RGBA{0x1a, 0x1a, 0x1a, 0xff}
	greyColor  = color.RGBA{0x55, 0x55, 0x55, 0xff}
	gridColor  = color.RGBA{0xd9, 0xd9, 0xd9, 0xff}
	whiteColor = color.RGBA{0xff, 0xff, 0xff, 0xff}
)

// strategyColors colour strategies, in the order of the run, the same in
// every chart; yellow, faint on a white screen, comes late.
var strategyColors = []color.Color{okBlue, okOrange, okGreen, okVermilion, okPurple, okSkyBlue, okYellow, okBlack}

// stageColors colour journey stages, from cool (early) to warm (late).
var stageColors = []color.Color{okBlue, okSkyBlue, okGreen, okYellow, okOrange, okVermilion, okPurple, okBlack}

// modelColors colour attribution models; black is kept for the truth.
var modelColors = []color.Color{okOrange, okSkyBlue, okGreen, okYellow, okBlue, okVermilion, okPurple}

// strategyColor is the colour of the k-th strategy.
func strategyColor(k int) color.Color { return strategyColors[k%len(strategyColors)] }

// strategyDashes tells strategies apart by line dashes once colours repeat.
func strategyDashes(k int) []vg.Length {
	switch k / len(strategyColors) % 3 {
	case 1:
		return []vg.Length{vg.Points(10), vg.Points(5)}
	case 2:
		return []vg.Length{vg.Points(3), vg.Points(4)}
	}
	return nil
}

// strategyHatch tells strategies apart by hatching their bars once colours
// repeat: 0 none, 1 one way, 2 the other.
func strategyHatch(k int) int {
	if k < len(strategyColors) {
		return 0
	}
	return 1 + k/len(strategyColors)%2
}

// nominalX names the categories along the horizontal axis at 0, 1, …;
// names that would run into one another are slanted, or set upright
// when even slanted ones would, and only every second (third, …) name is
// written when even upright ones would.
func nominalX(p *plot.Plot, names []string, plotWidth vg.Length) {
	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.5, float64(len(names))-0.5
	slot := plotWidth / vg.Length(max(len(names), 1))
	lbl := &p.X.Tick.Label
	if !slices.ContainsFunc(names, func(n string) bool { return lbl.Width(n) > 0.9*slot }) {
		return
	}
	h := lbl.FontExtents().Height
	lbl.XAlign = draw.XRight
	if slant := math.Pi / 6; slot*vg.Length(math.Sin(slant)) >= h {
		// Slanted, hanging from its end, so that no letter rises
		// above the axis.
		lbl.Rotation, lbl.YAlign = slant, draw.YTop
		return
	}
	lbl.Rotation, lbl.YAlign = math.Pi/2, draw.YCenter
	if every := int(math.Ceil(float64(h / slot))); every > 1 {
		var ticks []plot.Tick
		for i, n := range names {
			if i%every != 0 {
				n = ""
			}
			ticks = append(ticks, plot.Tick{Value: float64(i), Label: n})
		}
		p.X.Tick.Marker = plot.ConstantTicks(ticks)
	}
}

// sans is the typeface of every text: Liberation Sans, which is metric
// compatible with Arial, so an SVG shown where it is missing keeps its
// layout.
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

// textStyle is a text style of size points, bold or not.
func textStyle(size float64, bold bool, c color.Color) text.Style {
	f := font.From(sans, font.Length(size))
	if bold {
		f.Weight = xfont.WeightBold
	}
	return text.Style{Color: c, Font: f, Handler: plot.DefaultTextHandler}
}

// newPlot returns a plot styled for a projector, with axis labels.
func newPlot(xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.BackgroundColor = whiteColor
	p.TextHandler = plot.DefaultTextHandler
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle = textStyle(labelSize, false, inkColor)
		a.Label.TextStyle.XAlign = draw.XCenter
		a.Label.TextStyle.YAlign = draw.YBottom
		a.Label.Padding = vg.Points(8)
		a.Tick.Label.Font = font.From(sans, tickSize)
		a.Tick.Label.Color = inkColor
		a.LineStyle.Width = axisWidth
		a.LineStyle.Color = inkColor
		a.Tick.LineStyle.Width = axisWidth
		a.Tick.LineStyle.Color = inkColor
		a.Tick.Length = vg.Points(6)
		a.Tick.Marker = niceTicks{}
	}
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	return p
}

// addGrid adds light horizontal grid lines, drawn under everything else.
func addGrid(p *plot.Plot) {
	g := plotter.NewGrid()
	g.Vertical.Color = nil
	g.Horizontal = draw.LineStyle{Color: gridColor, Width: gridWidth}
	p.Add(g)
}

// niceTicks marks an axis at about five round values (1, 2 or 5 times a
// power of ten), with thousands separators and as many decimals
// as the step needs.
type niceTicks struct{}

// Ticks implements plot.Ticker.
func (niceTicks) Ticks(lo, hi float64) []plot.Tick {
	step, digits := niceStep(lo, hi)
	if step == 0 {
		return []plot.Tick{{Value: lo, Label: formatNumber(lo, 2)}}
	}
	var ticks []plot.Tick
	first := math.Ceil(lo/step - 1e-9)
	for i := 0; i < 100; i++ {
		v := (first + float64(i)) * step
		if v > hi+step*1e-9 {
			break
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: formatNumber(v, digits)})
	}
	return ticks
}

// niceStep returns a round step that cuts [lo, hi] into about five
// parts, and the decimals it needs; 0 for an empty or undefined range.
func niceStep(lo, hi float64) (step float64, digits int) {
	return roundStep(lo, hi, 5)
}

// roundStep returns a round step that cuts [lo, hi] into about parts
// parts, and the decimals it needs.
func roundStep(lo, hi float64, parts int) (step float64, digits int) {
	span := hi - lo
	if !(span > 0) || math.IsInf(span, 0) {
		return 0, 0
	}
	raw := span / float64(parts)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	// The round step nearest to raw, on a log scale.
	step = mag
	for _, m := range []float64{2, 5, 10} {
		if math.Abs(math.Log(m*mag/raw)) < math.Abs(math.Log(step/raw)) {
			step = m * mag
		}
	}
	for digits = 0; digits < 12; digits++ {
		scaled := step * math.Pow(10, float64(digits))
		if math.Abs(scaled-math.Round(scaled)) < 1e-6*scaled {
			break
		}
	}
	return step, digits
}

// niceRange widens [lo, hi] to round values around it, by a finer step
// when the coarse one would waste more than a fifth of the axis.
func niceRange(lo, hi float64) (float64, float64) {
	var a, b float64
	for _, parts := range []int{5, 10} {
		step, _ := roundStep(lo, hi, parts)
		if step == 0 {
			return lo, hi
		}
		a, b = math.Floor(lo/step+1e-9)*step, math.Ceil(hi/step-1e-9)*step
		if b-a <= 1.2*(hi-lo) {
			break
		}
	}
	return a, b
}

// roundY widens the plot's vertical axis to round ticks, from zero when
// zero is true and the values are all on one side of it.
func roundY(p *plot.Plot, zero bool) {
	lo, hi := p.Y.Min, p.Y.Max
	if math.IsInf(lo, 0) || math.IsInf(hi, 0) || math.IsNaN(lo) || math.IsNaN(hi) {
		return
	}
	if zero {
		lo, hi = math.Min(lo, 0), math.Max(hi, 0)
	}
	if hi == lo {
		hi = lo + 1
	}
	p.Y.Min, p.Y.Max = niceRange(lo, hi)
}

// formatNumber writes v with digits decimals, thousands separators and a
// true minus sign.
func formatNumber(v float64, digits int) string {
	return strings.Replace(results.FormatNumber(v, digits), "-", "−", 1)
}

// compactNumber writes v in compact form, to three significant digits
// (18.6 M, 1.25 k, 950), with a true minus sign: how value labels read
// when they would not fit in full.
func compactNumber(v float64) string {
	return strings.Replace(results.FormatCompact(v, 3), "-", "−", 1)
}

// padY widens the plot's vertical axis by 3% of its span at each end
// (not below a zero it starts from), so that thick lines at the extremes
// are not cut by the frame; roundY then rounds it.
func padY(p *plot.Plot) {
	if p.Y.Max == p.Y.Min && !math.IsInf(p.Y.Max, 0) {
		// Flat data: a band of 5% of the value (or 1) around it, not
		// an axis from the value to the value plus one.
		d := math.Max(0.05*math.Abs(p.Y.Max), 1)
		if p.Y.Max >= 0 && p.Y.Max-d < 0 {
			p.Y.Min, p.Y.Max = 0, p.Y.Max+d
			return
		}
		p.Y.Min, p.Y.Max = p.Y.Min-d, p.Y.Max+d
		return
	}
	pad := 0.03 * (p.Y.Max - p.Y.Min)
	if !(pad > 0) || math.IsInf(pad, 0) {
		return
	}
	if p.Y.Min != 0 {
		p.Y.Min -= pad
	}
	p.Y.Max += pad
}

// lineWidth is the width of strategy k's line of n: the first widest, so
// that lines that lie on one another stay visible.
func lineWidth(k, n int) vg.Length {
	if n <= 1 {
		return seriesWidth
	}
	return seriesWidth + vg.Points(2)*vg.Length(n-1-k)/vg.Length(n-1)
}

// unitLabel is how an axis label shows a metric's unit, "" for a count.
func unitLabel(unit, currency string, percent bool) string {
	if percent {
		return "%"
	}
	switch unit {
	case results.UnitMoney:
		return currency
	case results.UnitRatio:
		return "ratio"
	case results.UnitScore01:
		return "0–1"
	case results.UnitPoints:
		return "points, −100 to 100"
	case results.UnitCSAT:
		return "1–5"
	case results.UnitCES:
		return "1–7"
	case results.UnitMinutes:
		return "minutes"
	case results.UnitSeconds:
		return "seconds"
	case results.UnitPerCustomer:
		return "per customer"
	}
	return ""
}

// withUnit is an axis label: name (unit).
func withUnit(name, unit string) string {
	if unit == "" {
		return name
	}
	return name + " (" + unit + ")"
}
