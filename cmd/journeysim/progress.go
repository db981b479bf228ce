package main

import (
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress shows how far a run has come, on a terminal only, and only once
// the run has taken more than a second.
type progress struct {
	st      *globalState
	enabled bool
	start   time.Time
	bar     *progressbar.ProgressBar
}

func newProgress(st *globalState, quiet bool) *progress {
	return &progress{st: st, enabled: st.stderrIsTerminal && !quiet, start: time.Now()}
}

// Update is called by the engine with customer-ticks done and the total.
func (p *progress) Update(done, total int64) {
	if !p.enabled {
		return
	}
	if p.bar == nil {
		if time.Since(p.start) < time.Second {
			return
		}
		p.bar = progressbar.NewOptions64(total,
			progressbar.OptionSetWriter(p.st.stderr),
			progressbar.OptionSetDescription("simulating"),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("customer-ticks"),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	_ = p.bar.Set64(done)
}

// Finish removes the display.
func (p *progress) Finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
		_ = p.bar.Clear()
	}
}
