package main

import (
	"cmp"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress shows how far a run has come, on a terminal only, and only once
// the run has taken more than a second. The bar is measured from the start
// of the run, so its rate and time left are right from its first frame.
type progress struct {
	enabled bool
	start   time.Time
	out     *gate
	bar     *progressbar.ProgressBar
	// unit names what is counted; customer-ticks unless set.
	unit string
}

// gate passes writes through once opened and drops them before.
type gate struct {
	w    io.Writer
	open bool
}

func (g *gate) Write(p []byte) (int, error) {
	if !g.open {
		return len(p), nil
	}
	return g.w.Write(p)
}

func newProgress(st *globalState, quiet bool) *progress {
	return &progress{enabled: st.stderrIsTerminal && !quiet, start: time.Now(), out: &gate{w: st.stderr}}
}

// Update is called by the engine with customer-ticks done and the total.
func (p *progress) Update(done, total int64) {
	if !p.enabled {
		return
	}
	if p.bar == nil {
		p.bar = progressbar.NewOptions64(total,
			progressbar.OptionSetWriter(p.out),
			progressbar.OptionSetDescription("simulating"),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString(cmp.Or(p.unit, "customer-ticks")),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	p.out.open = p.out.open || time.Since(p.start) >= time.Second
	_ = p.bar.Set64(done)
}

// Finish removes the display.
func (p *progress) Finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
		_ = p.bar.Clear()
	}
}
