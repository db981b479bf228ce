package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
)

// The progress line fits the width it is given with progressSpare columns
// to spare, keeping the most important parts: the percentage and the time
// left first, then the counts, the rate and last the bar.
func TestProgressLineFitsTheWidth(t *testing.T) {
	frame := progressFrame{label: "simulating", unit: "customer-days", done: 124_000_000, total: 290_000_000, elapsed: 10 * time.Second}
	for _, tt := range []struct {
		width int
		want  string
	}{
		{120, "simulating  42%  █████░░░░░░░░  124,000,000 of 290,000,000 customer-days · 12.4 M customer-days/s · 14 s left"},
		{80, "simulating  42%  124,000,000 of 290,000,000 customer-days · 14 s left"},
		{60, "simulating  42%  █████████░░░░░░░░░░░░░  14 s left"},
		{40, "simulating  42%  14 s left"},
		{20, "simulating  42%"},
		{10, "simulat"},
	} {
		got := frame.line(tt.width)
		if got != tt.want {
			t.Errorf("width %d:\n got %q\nwant %q", tt.width, got, tt.want)
		}
		if n := cells(got); n > tt.width-progressSpare {
			t.Errorf("width %d: the line takes %d columns: %q", tt.width, n, got)
		}
	}
}

// Whatever the counts, the unit and the time taken, the line never takes
// more than width-progressSpare columns, holds no line break and always shows the
// label and the percentage.
func TestProgressLineNeverWraps(t *testing.T) {
	frames := []progressFrame{
		{label: "simulating", unit: "customer-days", done: 1_234_567, total: 2_900_000, elapsed: 100 * time.Millisecond},
		{label: "simulating", unit: "customer-days", done: 0, total: 2_900_000, elapsed: time.Second},
		{label: "simulating", unit: "customer-days", done: 2_900_000, total: 2_900_000, elapsed: 3 * time.Second},
		{label: "simulating", unit: "customer-days", done: 5, total: 0, elapsed: time.Second},
		{label: "simulating", unit: "customer-quarters", done: 1, total: 9_000_000_000_000, elapsed: 2 * time.Hour},
		{label: "simulating", unit: "customer-日", done: 12_345, total: 678_901, elapsed: 2 * time.Second},
		{label: "sweeping", unit: "runs", done: 13, total: 40, base: 10, elapsed: 7 * time.Minute},
	}
	for _, f := range frames {
		for width := 1; width <= 160; width++ {
			got := f.line(width)
			if n := cells(got); n > max(width-progressSpare, 1) {
				t.Errorf("width %d: the line takes %d columns: %q", width, n, got)
			}
			if strings.ContainsAny(got, "\r\n\x1b") {
				t.Errorf("width %d: %q holds a control character", width, got)
			}
			if width >= 20 && (!strings.HasPrefix(got, f.label+" ") || !strings.Contains(got, "%")) {
				t.Errorf("width %d: %q lacks its label or percentage", width, got)
			}
		}
	}
	// At the widths terminals have: 1.67 million left at 12.3 million a
	// second is under a second.
	f := frames[0]
	for width, want := range map[int]string{
		40:  "simulating  42%  1 s left",
		60:  "simulating  42%  █████████░░░░░░░░░░░░░  1 s left",
		80:  "simulating  42%  1,234,567 of 2,900,000 customer-days · 1 s left",
		120: "simulating  42%  ███████░░░░░░░░░░  1,234,567 of 2,900,000 customer-days · 12.3 M customer-days/s · 1 s left",
	} {
		if got := f.line(width); got != want {
			t.Errorf("width %d:\n got %q\nwant %q", width, got, want)
		}
	}
}

// A frame before anything is done has no rate and no time left; a
// resumed sweep's earlier runs count in the total but not in the rate.
func TestProgressLineRateAndTimeLeft(t *testing.T) {
	f := progressFrame{label: "simulating", unit: "customer-days", done: 0, total: 1000, elapsed: time.Second}
	if got := f.line(200); strings.Contains(got, "/s") || strings.Contains(got, "left") {
		t.Errorf("nothing done yet: %q", got)
	}
	f = progressFrame{label: "sweeping", unit: "runs", done: 30, total: 40, base: 20, elapsed: 20 * time.Minute}
	want := "sweeping  75%  ██████████████████████░░░░░░░░  30 of 40 runs · 30.0 runs/h · 20 min left"
	if got := f.line(200); got != want {
		t.Errorf("resumed sweep:\n got %q\nwant %q", got, want)
	}
	if got, want := f.plain(), "sweeping 30 of 40 runs (75%), 30.0 runs/h, 20 min left"; got != want {
		t.Errorf("plain: got %q, want %q", got, want)
	}
}

func TestProgressTimeLeftAndRate(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0:                                 "0 s left",
		2*time.Second + time.Millisecond:  "3 s left",
		59 * time.Second:                  "59 s left",
		4*time.Minute + 5*time.Second:     "4 min 05 s left",
		18*time.Minute + 5*time.Second:    "19 min left",
		2*time.Hour + 10*time.Minute:      "2 h 10 min left",
		3*24*time.Hour + 4*time.Hour + 59: "3 d 4 h left",
	} {
		if got := timeLeft(d); got != want {
			t.Errorf("timeLeft(%v) = %q, want %q", d, got, want)
		}
	}
	for r, want := range map[float64]string{
		2_893_605: "2.89 M customer-days/s",
		950:       "950 customer-days/s",
		0.42:      "25.2 customer-days/min",
		0.001:     "3.60 customer-days/h",
	} {
		if got := rateText(r, "customer-days"); got != want {
			t.Errorf("rateText(%g) = %q, want %q", r, got, want)
		}
	}
}

// The run's unit is named after its scenario's tick.
func TestProgressUnitNamesTheTick(t *testing.T) {
	st := &globalState{stderrIsTerminal: true}
	for tick, want := range map[string]string{"day": "customer-days", "week": "customer-weeks", "hour": "customer-hours", "": "customer-ticks",
		"da\x1b[2Jy": "customer-da [2Jies"} {
		if got := newProgress(st, false, tick).unit; got != want {
			t.Errorf("tick %q: unit %q, want %q", tick, got, want)
		}
	}
}

// The line shows only on a terminal, not with --quiet, and only once the
// run has taken a second; it is redrawn in place (a carriage return, the
// line, clear to the end of the line; never a newline) at most every
// progressEvery, and Finish clears it.
func TestProgressDrawsInPlace(t *testing.T) {
	var out bytes.Buffer
	clock := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	newP := func(terminal, quiet bool) *progress {
		st := &globalState{stderr: &out, stderrIsTerminal: terminal, getenv: func(k string) string {
			if k == "COLUMNS" {
				return "60"
			}
			return ""
		}}
		p := newProgress(st, quiet, "day")
		p.start, p.now = clock, func() time.Time { return clock }
		return p
	}
	for _, tc := range []struct {
		name            string
		terminal, quiet bool
	}{{"not a terminal", false, false}, {"quiet", true, true}} {
		clock = clock.Add(time.Hour)
		p := newP(tc.terminal, tc.quiet)
		clock = clock.Add(5 * time.Second)
		p.Update(10, 100)
		p.Finish()
		if out.Len() != 0 {
			t.Errorf("%s: drew %q", tc.name, out.String())
		}
	}

	p := newP(true, false)
	clock = clock.Add(900 * time.Millisecond)
	p.Update(10, 1000)
	if out.Len() != 0 {
		t.Fatalf("drawn before a second: %q", out.String())
	}
	clock = clock.Add(100 * time.Millisecond)
	p.Update(100, 1000)
	first := out.String()
	if want := "\rsimulating  10%  ██░░░░░░░░░░░░░░░░░░░░  9 s left\x1b[K"; first != want {
		t.Errorf("first frame:\n got %q\nwant %q", first, want)
	}
	if line := strings.TrimSuffix(strings.TrimPrefix(first, "\r"), "\x1b[K"); cells(line) >= 60 {
		t.Errorf("the line takes %d columns at 60: %q", cells(line), line)
	}
	clock = clock.Add(50 * time.Millisecond)
	p.Update(110, 1000)
	if out.String() != first {
		t.Errorf("redrawn within %v: %q", progressEvery, out.String()[len(first):])
	}
	clock = clock.Add(progressEvery)
	p.Update(500, 1000)
	if got := out.String()[len(first):]; !strings.HasPrefix(got, "\rsimulating  50%") || !strings.HasSuffix(got, "\x1b[K") {
		t.Errorf("second frame %q", got)
	}
	drawn := out.Len()
	p.Finish()
	if got := out.String()[drawn:]; got != "\r\x1b[K" {
		t.Errorf("Finish wrote %q, want the line cleared", got)
	}
	if strings.Contains(out.String(), "\n") {
		t.Errorf("a newline in %q", out.String())
	}
	p.Finish()
	if out.Len() != drawn+len("\r\x1b[K") {
		t.Errorf("a second Finish wrote %q", out.String()[drawn+3:])
	}
}

// The line keeps its shape through a run: the same parts and the same bar
// from the first frame to the last, however the counts, rate and time
// left grow or shrink.
func TestProgressLineKeepsItsShape(t *testing.T) {
	shape := func(line string) string {
		bar := strings.Count(line, "█") + strings.Count(line, "░")
		return fmt.Sprintf("bar %d, counts %v, rate %v, left %v", bar, strings.Contains(line, " of "), strings.Contains(line, "/s"), strings.Contains(line, " left"))
	}
	for _, width := range []int{60, 80, 100} {
		var want string
		for _, fr := range []struct {
			done    int64
			elapsed time.Duration
		}{{1_000, time.Second}, {22_500_000, 3 * time.Second}, {72_000_000, 50 * time.Second}, {143_000_000, 600 * time.Second}} {
			line := progressFrame{label: "simulating", unit: "customer-days", done: fr.done, total: 144_000_000, elapsed: fr.elapsed}.line(width)
			if cells(line) > width-progressSpare {
				t.Errorf("width %d: %q is too wide", width, line)
			}
			if want == "" {
				want = shape(line)
			} else if got := shape(line); got != want {
				t.Errorf("width %d: %q has shape %s; the first frame's was %s", width, line, got, want)
			}
		}
	}
}
