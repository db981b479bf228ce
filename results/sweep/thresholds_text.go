package sweep

import (
	"fmt"
	"io"

	"github.com/journeysim/journeysim/sim/text"
)

// width is the width the analysis's sentences are wrapped to: a terminal's
// 80 columns.
const width = 80

// ThresholdsIntro says, for people, what the thresholds are and how far
// they are claimed.
const ThresholdsIntro = "along each numeric parameter, where each strategy's outcome is best and where one strategy overtakes another, said only as far as the design supports it. " +
	"On a grid, values and strategies are compared by paired differences (setting by setting of the other parameters, replication by replication), " +
	"and \"within the noise\" means a difference whose 95% interval, which counts both the replications and the spread over the other parameters, holds zero. " +
	"On any other design the claims come from the fitted main effect (a curve in each parameter, the others at their average) and its 95% intervals. " +
	"Where neither tells, the sentence says the design cannot tell."

// writeThresholds writes the thresholds of the sweep (Thresholds) for
// people, each sentence wrapped to a terminal's width, or to cols when
// narrower.
func (a *Analysis) writeThresholds(w io.Writer, cols int) error {
	ths, skipped := a.Thresholds(a.Currency)
	var b []byte
	put := func(s string, first, rest string) { b = append(b, wrap(s, cols, first, rest)...) }
	b = append(b, '\n')
	switch {
	case len(ths) == 0:
		put("Thresholds: the sweep varies no numeric parameter, so there are none along one.", "", "")
	default:
		put("Thresholds: "+ThresholdsIntro, "", "")
	}
	if len(skipped) > 0 {
		put(text.List(skipped, "and")+" "+text.Agree(len(skipped), "takes", "take")+" words, not numbers: compare "+text.Agree(len(skipped), "its", "their")+" values in the best points above.", "", "")
	}
	for _, pt := range ths {
		b = append(b, '\n')
		put(fmt.Sprintf("Along %s: %s", pt.Label, pt.Values), "", "  ")
		if pt.Note != "" {
			put(pt.Note, "  ", "  ")
		}
		if pt.Unmoved != "" {
			put(pt.Unmoved, "  ", "  ")
		}
		for _, ot := range pt.Outcomes {
			put(ot.Label+":", "  ", "  ")
			for _, s := range ot.Sentences {
				put(s, "    - ", "      ")
			}
		}
	}
	_, err := w.Write(b)
	return err
}
