package main

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"

	"github.com/clipperhouse/displaywidth"
	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/sim/text"
)

// How the progress line is drawn.
const (
	// progressDelay is how long a run goes before its progress shows: a
	// shorter run never flashes a line.
	progressDelay = time.Second
	// progressEvery is the shortest time between two redraws.
	progressEvery = 100 * time.Millisecond
	// minBar and maxBar bound the bar's cells; a bar that would be
	// narrower than minBar is left out.
	minBar, maxBar = 10, 30
	// progressSpare is the columns the line leaves free at its end (see
	// progressFrame.line).
	progressSpare = 3
	// clearLine moves to the start of the line and clears it.
	clearLine = "\r\x1b[K"
)

// progress shows how far a run has come on one line of a terminal,
// redrawn in place and fitted to the terminal's width, and only once the
// run has taken more than a second (progressDelay). Its rate and time left
// are measured from the start of the run, so they are right from the first
// frame. It draws nothing when stderr is not a terminal or with --quiet.
//
// Update and Finish must not be called concurrently.
type progress struct {
	enabled bool
	w       io.Writer
	// width returns the columns the line must fit, read again at every
	// redraw so that the line follows a resized terminal.
	width func() int
	// now tells the time; start is when the run began.
	now   func() time.Time
	start time.Time
	// label says what is under way ("simulating"); unit names what is
	// counted ("customer-days").
	label, unit string
	// base is the count done before this session (a resumed sweep's
	// runs): part of the count, not of the rate.
	base int64
	// last is when the line was last drawn, drawn what it shows; shown
	// says whether a line is on the terminal.
	last  time.Time
	drawn string
	shown bool
}

// newProgress returns the progress display of a run whose ticks are
// called tick ("day"): it counts customer-days.
func newProgress(st *globalState, quiet bool, tick string) *progress {
	if tick == "" {
		tick = "tick"
	}
	return newProgressLine(st, quiet, "simulating", "customer-"+text.Plural(tick))
}

// newProgressLine returns a progress display that says label and counts
// unit, on st's stderr when it is a terminal and quiet is not set.
func newProgressLine(st *globalState, quiet bool, label, unit string) *progress {
	return &progress{
		enabled: st.stderrIsTerminal && !quiet,
		w:       st.stderr,
		width:   st.progressWidth,
		now:     time.Now,
		start:   time.Now(),
		label:   printableText(label),
		unit:    printableText(unit),
	}
}

// Update is called with the count done and the total; it redraws the line
// at most every progressEvery.
func (p *progress) Update(done, total int64) {
	if !p.enabled {
		return
	}
	now := p.now()
	if now.Sub(p.start) < progressDelay || (p.shown && now.Sub(p.last) < progressEvery) {
		return
	}
	p.last = now
	f := progressFrame{label: p.label, unit: p.unit, done: done, total: total, base: p.base, elapsed: now.Sub(p.start)}
	line := f.line(p.width())
	if p.shown && line == p.drawn {
		return
	}
	// One write, so that the line is never seen half drawn.
	_, _ = io.WriteString(p.w, "\r"+line+"\x1b[K")
	p.drawn, p.shown = line, true
}

// Finish clears the line, leaving the cursor at the start of the empty
// line; it does nothing when no line is shown.
func (p *progress) Finish() {
	if p.shown {
		_, _ = io.WriteString(p.w, clearLine)
		p.shown, p.drawn = false, ""
	}
}

// progressFrame is what one frame of the progress line says.
type progressFrame struct {
	label, unit string
	// done of total counted, base of them before this session.
	done, total, base int64
	// elapsed is the time this session has run.
	elapsed time.Duration
}

// line is the frame as one line that fits width columns with three to
// spare: one because a line filling the last column makes some terminals
// wrap, two for the "^C" the terminal echoes after it when Ctrl-C is
// pressed, which would otherwise wrap and leave the line on the screen
// once cleared. In full:
//
//	simulating  42%  ████░░░░░░  1,234,567 of 2,900,000 customer-days · 2.89 M customer-days/s · 3 s left
//
// Parts are taken in order of importance, each where it still fits: the
// label and the percentage, the time left, the counts (with thousands
// separators, else compact), the rate, and last the bar, which takes the
// room left, up to maxBar cells. Which parts show, and how long the bar
// is, are chosen from the widest each part is likely to be, so that the
// line keeps its shape from the first frame to the last: a part not
// known yet (the rate and time left at the start) keeps its room.
func (f progressFrame) line(width int) string {
	room := max(width-progressSpare, 1)
	pc := f.pieces()
	head := fmt.Sprintf("%s %4s", f.label, fmt.Sprintf("%d%%", pc.pct))
	if cells(head) > room {
		return displaywidth.TruncateString(head, room, "")
	}
	// Each part's forms, best first, each with the widest it can be.
	type form struct {
		text  string
		width int
	}
	var counts []form
	if pc.counts[0] != "" {
		// A compact count has three digits and a letter: "12.3 k".
		all := results.FormatCompact(float64(pc.total), 3)
		counts = []form{{pc.counts[0], cells(pc.counts[0])},
			{pc.counts[1], max(cells(all), cells("12.3 k")) + cells(" of "+all+" "+f.unit)}}
	}
	eta := []form{{pc.eta, cells("99 h 59 min left")}}
	rate := []form{{pc.rate, cells("999 M " + f.unit + "/min")}}
	parts := [3]*form{} // counts, rate, time left
	length := func() int {
		n, shown := cells(head), 0
		for _, p := range parts {
			if p != nil {
				n += p.width + 3 // "  " before the first, " · " between
				shown++
			}
		}
		if shown > 0 {
			n--
		}
		return n
	}
	for _, c := range []struct {
		at    int
		forms []form
	}{{2, eta}, {0, counts}, {1, rate}} {
		for i := range c.forms {
			parts[c.at] = &c.forms[i]
			if length() <= room {
				break
			}
			parts[c.at] = nil
		}
	}
	line := head
	if n := min(maxBar, room-length()-2); n >= minBar {
		line += "  " + bar(n, pc.done, pc.total)
	}
	var shown []string
	for _, p := range parts {
		if p != nil && p.text != "" { // a part not known yet keeps its room
			shown = append(shown, p.text)
		}
	}
	if len(shown) > 0 {
		line += "  " + strings.Join(shown, " · ")
	}
	if cells(line) > room { // a part wider than its room: never wrap
		return displaywidth.TruncateString(line, room, "")
	}
	return line
}

// progressPieces are the parts of a frame, written out; a part that is
// not known yet (the rate and time left before anything is done) is empty.
type progressPieces struct {
	done, total int64
	pct         int
	// counts is "1,234,567 of 2,900,000 customer-days", the count padded to
	// the total's length, then the same in compact numbers.
	counts    [2]string
	rate, eta string
}

// pieces writes out the parts of f.
func (f progressFrame) pieces() progressPieces {
	pc := progressPieces{total: max(f.total, 0), pct: 100}
	pc.done = min(max(f.done, 0), pc.total)
	if pc.total > 0 {
		pc.pct = int(100 * pc.done / pc.total) // floor: 100% only when done
		full, all := results.FormatNumber(float64(pc.done), 0), results.FormatNumber(float64(pc.total), 0)
		full = strings.Repeat(" ", max(0, len(all)-len(full))) + full // steady as the count grows
		pc.counts = [2]string{full + " of " + all + " " + f.unit,
			results.FormatCompact(float64(pc.done), 3) + " of " + results.FormatCompact(float64(pc.total), 3) + " " + f.unit}
	}
	if s := f.elapsed.Seconds(); s > 0 && pc.done > f.base {
		perSecond := float64(pc.done-f.base) / s
		// A time left of more than a few days (a rate measured on almost
		// nothing) says nothing yet.
		if left := float64(pc.total-pc.done) / perSecond; left < 4*86400 {
			pc.eta = timeLeft(time.Duration(left * float64(time.Second)))
		}
		pc.rate = rateText(perSecond, f.unit)
	}
	return pc
}

// plain is the frame as a line for a log, with no limit on its width:
// "sweep: 12 of 40 runs (30%), 25.0 runs/min, 1 min 36 s left".
func (f progressFrame) plain() string {
	pc := f.pieces()
	s := fmt.Sprintf("%s %s (%d%%)", f.label, strings.TrimLeft(pc.counts[0], " "), pc.pct)
	for _, p := range []string{pc.rate, pc.eta} {
		if p != "" {
			s += ", " + p
		}
	}
	return s
}

// optional is the forms of a part that may be unknown: none when s is
// empty.
func optional(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// bar draws done of total as n cells.
func bar(n int, done, total int64) string {
	full := n
	if total > 0 {
		full = int(int64(n) * done / total)
	}
	return strings.Repeat("█", full) + strings.Repeat("░", n-full)
}

// rateText writes a rate of perSecond units a second in three significant
// digits, per minute or per hour when under one a second: "12.4 M
// customer-days/s", "25.0 runs/min".
func rateText(perSecond float64, unit string) string {
	switch {
	case perSecond >= 1:
		return results.FormatCompact(perSecond, 3) + " " + unit + "/s"
	case perSecond*60 >= 1:
		return results.FormatCompact(perSecond*60, 3) + " " + unit + "/min"
	}
	return results.FormatCompact(perSecond*3600, 3) + " " + unit + "/h"
}

// timeLeft writes d, rounded up, for a reader, to the second under ten
// minutes and to the minute above: "3 s left", "4 min 05 s left", "18 min
// left", "2 h 10 min left", "3 d 4 h left".
func timeLeft(d time.Duration) string {
	s := int64((d + time.Second - 1) / time.Second)
	switch {
	case s < 60:
		return fmt.Sprintf("%d s left", s)
	case s < 600:
		return fmt.Sprintf("%d min %02d s left", s/60, s%60)
	case s < 3600:
		return fmt.Sprintf("%d min left", (s+59)/60)
	case s < 48*3600:
		return fmt.Sprintf("%d h %02d min left", s/3600, s%3600/60)
	}
	return fmt.Sprintf("%d d %d h left", s/86400, s%86400/3600)
}

// cells is the width of s on a terminal, in columns.
func cells(s string) int { return displaywidth.String(s) }

// printableText replaces what a terminal would act on rather than show
// (escape sequences, line breaks) with spaces.
func printableText(s string) string {
	return strings.Map(func(r rune) rune {
		if !unicode.IsPrint(r) {
			return ' '
		}
		return r
	}, s)
}
