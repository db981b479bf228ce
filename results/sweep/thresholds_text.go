package sweep

import (
	"fmt"
	"io"

	"github.com/journeysim/journeysim/sim/text"
)

// width is the width the analysis's sentences are wrapped to: a terminal's
// 80 columns.
const width = 80

// writeThresholds writes the thresholds of the sweep (Thresholds) for
// people, each sentence wrapped to a terminal's width.
func (a *Analysis) writeThresholds(w io.Writer) error {
	ths, skipped := a.Thresholds(a.Currency)
	var b []byte
	put := func(s string, first, rest string) { b = append(b, text.Wrap(s, width, first, rest)...) }
	b = append(b, '\n')
	switch {
	case len(ths) == 0:
		put("Thresholds: the sweep varies no numeric parameter, so there are none along one.", "", "")
	case a.Manifest.Replications > 1:
		put("Thresholds: along each numeric parameter, where each strategy's outcome is best and where one strategy overtakes another (interpolated between the values tried), read off the means. A peak says when the runner-up's 95% interval overlaps its own; a break-even says when the paired difference is not significant next to it.", "", "")
	default:
		put("Thresholds: along each numeric parameter, where each strategy's outcome is best and where one strategy overtakes another (interpolated between the values tried), read off the means; with one replication they are not tested.", "", "")
	}
	if len(skipped) > 0 {
		put(text.List(skipped, "and")+" "+text.Agree(len(skipped), "takes", "take")+" words, not numbers: compare "+text.Agree(len(skipped), "its", "their")+" values in the best points above.", "", "")
	}
	for _, pt := range ths {
		b = append(b, '\n')
		put(fmt.Sprintf("Along %s (%s):", pt.Param, pt.Values), "", "  ")
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
