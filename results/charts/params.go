package charts

import (
	"github.com/journeysim/journeysim/results/sweep"
	"github.com/journeysim/journeysim/sim/text"
	"gonum.org/v1/plot/vg"
)

// scenarioText is what a sweep's scenario file says about the fields a
// sweep may vary (sweep.ScenarioWords).
type scenarioText = sweep.ScenarioWords

// readScenarioText reads the scenario file of the sweep folder dir; nil
// when it cannot (the parameters are then named from their paths).
func readScenarioText(dir string) *scenarioText { return sweep.ReadScenarioWords(dir) }

// parseScenarioText reads what a scenario file says about its fields;
// false if it is not YAML.
func parseScenarioText(data []byte) (*scenarioText, bool) { return sweep.ParseScenarioWords(data) }

// paramText is how a chart names a parameter a sweep varies.
type paramText struct {
	// axis is the axis title: the parameter in words, with its unit or
	// scale.
	axis string
	// name is the parameter in a sentence: "Profit against NAME".
	name string
	// about says more, for the subtitle: the lever's whole description
	// when the axis has only part of it, and the strategy the parameter
	// is set for; "" for nothing.
	about string
}

// axisRoom is the length an axis title of a sweep chart is fitted to,
// before it would take a second line.
const axisRoom = 6 * vg.Inch

// describeParam names the parameter at path in words, from what the
// scenario sc says about it (nil: nothing), for a sweep of strategies
// (sweep.DescribeParam): the axis title is the fullest of its labels that
// fits axisRoom, and the subtitle says what the axis leaves out.
func describeParam(path string, sc *scenarioText, strategies []string, currency string) paramText {
	w := sweep.DescribeParam(path, sc, strategies, currency)
	sty := textStyle(labelSize, false, inkColor)
	out := paramText{axis: w.Labels[len(w.Labels)-1], name: w.Name}
	for _, l := range w.Labels {
		if sty.Width(l) <= axisRoom {
			out.axis = l
			break
		}
	}
	if !w.Whole(out.axis) {
		out.about = text.Capitalize(w.Description) + "."
	}
	if w.Others {
		out.about = joinSentences(out.about, "Set for "+w.Strategy+" only.")
	}
	return out
}

// joinSentences puts sentence b after a, a space between.
func joinSentences(a, b string) string {
	if a == "" {
		return b
	}
	return a + " " + b
}
