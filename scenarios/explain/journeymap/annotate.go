package journeymap

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/journeysim/journeysim/sim/text"
)

// Figures are what happened in a run under one strategy, to draw on its
// journey map (Annotate). Every figure is a mean over the run's
// replications. A slice left nil, a value that is NaN, or a slice of the
// wrong length is "not recorded": the map leaves it out.
type Figures struct {
	// Strategy names the strategy; Replications counts the replications
	// the means are over; Horizon is the run's length in ticks.
	Strategy     string
	Replications int
	Horizon      int

	// Per touchpoint, in the model's node order: the customers who
	// passed it (entries), and the mean satisfaction (CSAT, 1–5) and
	// effort (CES, 1–7) of its rated visits. Low satisfaction or high
	// effort makes a touchpoint a pain point.
	Passing []float64
	CSAT    []float64
	CES     []float64

	// Per stage, in the model's stage order: the customers in the stage
	// at the end of a tick, on average over the run; and the customers who
	// entered it, from which the drop-off between stages follows.
	StageCustomers []float64
	StageEntries   []float64

	// Per channel, in the model's channel order: visits to its
	// touchpoints and purchases on it; Off marks the channels the
	// strategy switches off.
	ChannelVisits    []float64
	ChannelPurchases []float64
	ChannelOff       []bool

	// MeanCSAT and MeanCES are the run's mean ratings over all rated
	// interactions.
	MeanCSAT, MeanCES float64
}

// Pain-point thresholds: a touchpoint whose visits rate below painCSAT
// for satisfaction (of 5), or at painCES or more for effort (of 7).
const (
	painCSAT = 3.0
	painCES  = 4.0
)

// painPrefix starts a box's pain-point line.
const painPrefix = "▲ pain point"

// Annotate lays the map out again with f drawn on it: customers per
// stage under the headings, the drop-off between stages, visits and
// purchases per channel beside the lanes (a channel the strategy switches
// off greyed), and, where f has them, each touchpoint's passing customers
// and ratings, its box coloured by satisfaction and pain points marked.
func (l *Layout) Annotate(f Figures) *Layout {
	return build(l.model, l.options, &f)
}

// Annotated draws the map l with the figures f as a standalone SVG file:
// Annotate, then SVG.
func Annotated(l *Layout, f Figures) []byte {
	return l.Annotate(f).SVG()
}

// value returns xs[i] when it is recorded.
func value(xs []float64, i int) (float64, bool) {
	if i < 0 || i >= len(xs) || math.IsNaN(xs[i]) || math.IsInf(xs[i], 0) {
		return 0, false
	}
	return xs[i], true
}

// Count writes a mean count for the map: digits grouped in thousands,
// whole from 10 on, one decimal below.
func Count(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	if math.Abs(v) < 10 && v != math.Round(v) {
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	s := strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	sign := ""
	if d, ok := strings.CutPrefix(s, "-"); ok {
		sign, s = "−", d
	}
	if s == "0" {
		sign = ""
	}
	return sign + text.GroupThousands(s)
}

// rating writes a mean rating with one decimal.
func rating(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// pain says whether node i is a pain point.
func (f *Figures) pain(i int) bool {
	if v, ok := value(f.CSAT, i); ok && v < painCSAT {
		return true
	}
	if v, ok := value(f.CES, i); ok && v >= painCES {
		return true
	}
	return false
}

// perNode says whether f has any figure per touchpoint.
func (f *Figures) perNode() bool {
	return len(f.Passing) > 0 || len(f.CSAT) > 0 || len(f.CES) > 0
}

// nodeLines are the figure lines of node i's box.
func (f *Figures) nodeLines(i int) []string {
	var out []string
	if v, ok := value(f.Passing, i); ok {
		out = append(out, Count(v)+" passed")
	}
	var r []string
	if v, ok := value(f.CSAT, i); ok {
		r = append(r, "CSAT "+rating(v))
	}
	if v, ok := value(f.CES, i); ok {
		r = append(r, "CES "+rating(v))
	}
	if len(r) > 0 {
		// "measured": the box's line above gives what the scenario sets.
		out = append(out, "measured "+strings.Join(r, " · "))
	}
	if f.pain(i) {
		out = append(out, painPrefix)
	}
	return out
}

// nodeFill is node i's box colour, by its satisfaction from red (1) over
// yellow (3) to green (5), and whether it is a pain point.
func (f *Figures) nodeFill(i int) (string, bool) {
	v, ok := value(f.CSAT, i)
	if !ok {
		return "", f.pain(i)
	}
	return satisfactionColor(v), f.pain(i)
}

// satisfactionColor is a light colour for a CSAT from 1 to 5.
func satisfactionColor(v float64) string {
	red := [3]float64{0xf6, 0xc9, 0xc4}
	yellow := [3]float64{0xfc, 0xee, 0xc0}
	green := [3]float64{0xcf, 0xea, 0xd6}
	t := min(max((v-1)/4, 0), 1)
	a, b, u := red, yellow, t*2
	if t > 0.5 {
		a, b, u = yellow, green, t*2-1
	}
	var c [3]int
	for k := range c {
		c[k] = int(math.Round(a[k] + (b[k]-a[k])*u))
	}
	return fmt.Sprintf("#%02x%02x%02x", c[0], c[1], c[2])
}

// laneLines are the figures beside channel c's lane.
func (f *Figures) laneLines(c int) []string {
	if f.channelOff(c) {
		return []string{"switched off"}
	}
	var out []string
	if v, ok := value(f.ChannelVisits, c); ok {
		out = append(out, Count(v)+" "+text.Noun(math.Round(v), "visit"))
	}
	if v, ok := value(f.ChannelPurchases, c); ok && v > 0 {
		out = append(out, Count(v)+" "+text.Noun(math.Round(v), "purchase"))
	}
	return out
}

// channelOff says whether the strategy switches channel c off.
func (f *Figures) channelOff(c int) bool {
	return c >= 0 && c < len(f.ChannelOff) && f.ChannelOff[c]
}

// hasStageLines says whether the headings carry figures.
func (f *Figures) hasStageLines() bool {
	return len(f.StageCustomers) > 0 || len(f.StageEntries) > 0
}

// stageLine is the figure under stage s's heading.
func (f *Figures) stageLine(s int, tick string) string {
	if v, ok := value(f.StageCustomers, s); ok {
		return Count(v) + " here on an average " + tick
	}
	if v, ok := value(f.StageEntries, s); ok {
		return Count(v) + " entered"
	}
	return ""
}

// dropLine is the drop-off from stage a to stage b, the next column: the
// share of a's entries that no entry into b follows ("did not go on",
// which reads right for a funnel and for customers yet to adopt alike).
func (f *Figures) dropLine(a, b int) string {
	ea, ok1 := value(f.StageEntries, a)
	eb, ok2 := value(f.StageEntries, b)
	if !ok1 || !ok2 || ea <= 0 || eb >= ea {
		return ""
	}
	pct := int(math.Round(100 * (1 - eb/ea)))
	if pct == 0 {
		return "" // "0% did not go on" says nothing
	}
	return "▼ " + strconv.Itoa(pct) + "% did not go on"
}

// subtitle is the annotated map's line under the title.
func (f *Figures) subtitle(tick string) string {
	s := "What happened under the strategy " + f.Strategy
	var of []string
	if f.Replications > 0 {
		of = append(of, text.Count(f.Replications, "replication"))
	}
	if f.Horizon > 0 {
		of = append(of, text.Count(f.Horizon, tick))
	}
	if len(of) > 0 {
		s += " (means of " + strings.Join(of, " of ") + ")"
	}
	return s + "."
}

// legendItems are the legend's entries for the figures.
func (f *Figures) legendItems() []struct{ sample, text string } {
	var out []struct{ sample, text string }
	if len(f.CSAT) > 0 {
		out = append(out, struct{ sample, text string }{"scale", "box colour: satisfaction (CSAT) from 1 to 5"})
	}
	if f.perNode() {
		out = append(out, struct{ sample, text string }{"pain", fmt.Sprintf("pain point: CSAT below %s or CES %s or more", rating(painCSAT), rating(painCES))})
	}
	for _, off := range f.ChannelOff {
		if off {
			out = append(out, struct{ sample, text string }{"off", "a channel this strategy switches off"})
			break
		}
	}
	return out
}

// notes are the lines under the legend.
func (f *Figures) notes() []string {
	var out []string
	var r []string
	if !math.IsNaN(f.MeanCSAT) && f.MeanCSAT > 0 {
		r = append(r, "satisfaction (CSAT) "+rating(f.MeanCSAT)+" of 5")
	}
	if !math.IsNaN(f.MeanCES) && f.MeanCES > 0 {
		r = append(r, "effort (CES) "+rating(f.MeanCES)+" of 7")
	}
	if len(r) > 0 {
		out = append(out, "Over all rated interactions: "+strings.Join(r, ", ")+".")
	}
	if !f.perNode() {
		out = append(out, "The run records customers per stage and visits per channel; it does not record them per touchpoint.")
	}
	return out
}
