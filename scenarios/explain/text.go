package explain

import (
	"fmt"
	"io"
	"strings"

	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/sim"
	"github.com/journeysim/journeysim/sim/text"
)

// Formats lists the output formats of Write, the first the default.
var Formats = []string{"text", "mermaid", "dot", "svg"}

// Write writes sc in format, one of Formats.
func Write(w io.Writer, sc *scenarios.Scenario, format string) error {
	switch format {
	case "text":
		return Text(w, sc)
	case "mermaid":
		return writeMermaid(w, sc.Model, ForScenario(sc))
	case "dot":
		return writeDOT(w, sc.Model, ForScenario(sc))
	case "svg":
		return SVG(w, sc)
	}
	return fmt.Errorf("unknown format %q; allowed: %s", format, strings.Join(Formats, ", "))
}

// DefaultWidth is the width, in columns, Text wraps its lines to.
const DefaultWidth = 80

// doc builds a text explanation.
type doc struct {
	b     strings.Builder
	sc    *scenarios.Scenario
	m     *sim.Model
	t     *Translator
	width int
}

// heading starts a section.
func (d *doc) heading(title string) {
	if d.b.Len() > 0 {
		d.b.WriteByte('\n')
	}
	d.b.WriteString(title + "\n")
}

// para writes s wrapped, indented by level steps of two spaces.
func (d *doc) para(level int, s string) {
	in := strings.Repeat("  ", level)
	d.b.WriteString(text.Wrap(s, d.width, in, in))
}

// item writes s as a list item: "- " and a hanging indent.
func (d *doc) item(level int, s string) {
	in := strings.Repeat("  ", level)
	d.b.WriteString(text.Wrap(s, d.width, in+"- ", in+"  "))
}

// Text writes what the scenario sc does, in words: the run, the customers,
// the channels, the journey, the fatigue and loyalty rules, and each
// strategy with its triggers put into sentences.
func Text(w io.Writer, sc *scenarios.Scenario) error {
	return TextWidth(w, sc, DefaultWidth)
}

// TextWidth is Text with its lines wrapped to width columns (DefaultWidth
// when width is below 40). Headings are short and never wrapped: a line
// at the margin is a heading.
func TextWidth(w io.Writer, sc *scenarios.Scenario, width int) error {
	if width < 40 {
		width = DefaultWidth
	}
	d := &doc{sc: sc, m: sc.Model, t: ForScenario(sc), width: width}
	d.title()
	d.lesson()
	d.run()
	d.population()
	d.channels()
	d.journey()
	d.fatigue()
	d.loyalty()
	d.levers()
	d.strategies()
	d.checks()
	_, err := io.WriteString(w, d.b.String())
	return err
}

func (d *doc) title() {
	d.b.WriteString("Scenario " + d.m.Name + "\n")
	if d.m.Description != "" {
		d.para(1, d.m.Description)
	}
}

func (d *doc) lesson() {
	l := d.sc.Lesson
	if l == nil {
		return
	}
	d.heading("The lesson")
	d.item(1, "Title: "+l.Title)
	d.item(1, "Ask: "+l.Question)
	d.item(1, "Vary: "+l.Vary)
	d.item(1, "Expect: "+l.Expect)
}

func (d *doc) run() {
	m := d.m
	d.heading("The run")
	reps := counted(float64(m.Replications), "replication")
	d.para(1, fmt.Sprintf("One tick is %s %s. A run lasts %s, %s (seed %d). Money is in %s; customer lifetime value discounts future margin at %s a year.",
		article(d.t.tick()), d.t.tick(), d.t.ticks(float64(m.Horizon)), reps, m.Seed, d.sc.Currency, pct(m.DiscountRate)))
}

// period is the span people count contacts over for a tick ("a week" for
// days) and its length in ticks.
func (t *Translator) contactPeriod() (string, float64) {
	switch t.tick() {
	case "day":
		return "a week", 7
	case "hour":
		return "a day", 24
	case "minute":
		return "an hour", 60
	case "week":
		return "a year", 52
	case "month":
		return "a year", 12
	case "quarter":
		return "a year", 4
	}
	return article(t.tick()) + " " + t.tick(), 1
}
