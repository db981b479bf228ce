package output

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/sim"
	"github.com/journeysim/journeysim/sim/text"
	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
)

// scaled returns e in display units: × 100 for a percentage.
func scaled(e results.Estimate, percent bool) results.Estimate {
	if percent {
		e.Mean *= 100
		e.CI95 *= 100
	}
	return e
}

// signed formats a difference with its sign.
func signed(e results.Estimate, digits int) string {
	s := results.FormatEstimate(e, digits)
	if e.Mean > 0 && strings.Trim(results.FormatNumber(e.Mean, digits), "0.,") != "" {
		s = "+" + s
	}
	return s
}

// displayUnit is how a table header shows a unit.
func displayUnit(unit, currency string, percent bool) string {
	if percent {
		return "%"
	}
	switch unit {
	case results.UnitMoney:
		return currency
	case results.UnitRatio:
		return "×"
	case results.UnitScore01:
		return "0–1"
	case results.UnitPoints:
		return "−100 to 100"
	case results.UnitCSAT:
		return "1–5"
	case results.UnitCES:
		return "1–7"
	case results.UnitMinutes:
		return "min"
	case results.UnitSeconds:
		return "s"
	}
	return ""
}

// differenceUnit is how a comparison shows the unit of a difference: a
// difference of percentages is in percentage points, "pp".
func differenceUnit(unit, currency string, percent bool) string {
	if percent {
		return "pp"
	}
	return displayUnit(unit, currency, false)
}

// maxExtraDigits is how many decimals beyond a metric's own a difference
// or a check's value may take so that it does not read 0.
const maxExtraDigits = 6

// differenceDigits returns the decimals to show the estimate e of a
// metric shown with digits decimals: more when needed for a nonzero
// half-width to show two significant digits, and for a nonzero mean
// without an interval to show one, so that neither reads 0; at most
// maxExtraDigits more, and no more than give the mean three significant
// digits: a half-width far smaller than the mean then reads "<0.00001"
// rather than taking the mean to seven decimals.
func differenceDigits(e results.Estimate, digits int) int {
	d := digits
	if ci := math.Abs(e.CI95); ci > 0 && !math.IsInf(ci, 0) {
		d = max(d, 1-int(math.Floor(math.Log10(ci))))
		if m := math.Abs(e.Mean); m > ci && !math.IsInf(m, 0) {
			d = min(d, max(digits, 2-int(math.Floor(math.Log10(m)))))
		}
	} else if m := math.Abs(e.Mean); m > 0 && !math.IsInf(m, 0) {
		for d < digits+maxExtraDigits && strings.Trim(results.FormatNumber(m, d), "0.,") == "" {
			d++
		}
	}
	return min(d, digits+maxExtraDigits)
}

// halfWidthText writes a half-width with digits decimals, and as "<" the
// smallest figure those decimals write when it would read 0 but is not.
func halfWidthText(ci float64, digits int) string {
	s := results.FormatNumber(ci, digits)
	if ci > 0 && strings.Trim(s, "0.,") == "" {
		return "<" + results.FormatNumber(math.Pow(10, -float64(digits)), digits)
	}
	return s
}

// differenceText writes a difference as a comparison shows it: signed,
// with the half-width of its interval whenever it has one (± 0 too: every
// replication gave the same difference), with the decimals
// differenceDigits gives, and "(n=K)" when it is over fewer replications
// than were run.
func differenceText(e results.Estimate, digits int) string {
	d := differenceDigits(e, digits)
	s := results.FormatNumber(e.Mean, d)
	if e.Mean > 0 && strings.Trim(s, "0.,") != "" {
		s = "+" + s
	}
	if !math.IsNaN(e.CI95) && !math.IsNaN(e.Mean) {
		s += " ± " + halfWidthText(e.CI95, d)
	}
	if e.N > 0 && e.N < len(e.Values) {
		s += fmt.Sprintf(" (n=%d)", e.N)
	}
	return s
}

func label(name, unit string) string {
	if unit == "" {
		return name
	}
	return name + " (" + unit + ")"
}

func newTable(w io.Writer, columns int) *tablewriter.Table {
	align := make(tw.Alignment, columns)
	for i := range align {
		align[i] = tw.AlignRight
	}
	align[0] = tw.AlignLeft
	return tablewriter.NewTable(w,
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithHeaderAlignment(tw.AlignCenter),
		tablewriter.WithAlignment(align),
	)
}

// render draws rows under header as box-drawn tables that fit width
// display columns (0: no limit), as fit lays them out, a blank line
// between two.
func render(w io.Writer, header []string, rows [][]string, width int) error {
	return renderLabelled(w, header, rows, width, 1)
}

// renderLabelled is render for a table whose first labels columns label
// its rows: a group of its columns repeats them all.
func renderLabelled(w io.Writer, header []string, rows [][]string, width, labels int) error {
	return renderTable(w, textTable{header: header, rows: rows, labels: labels}, width)
}

// renderTable draws t as box-drawn tables that fit width display columns
// (0: no limit), as fit lays them out, a blank line between two.
func renderTable(w io.Writer, t textTable, width int) error {
	for i, t := range fit(t, width) {
		if i > 0 {
			if _, err := io.WriteString(w, "\n"); err != nil {
				return err
			}
		}
		tab := newTable(w, len(t.header))
		tab.Header(t.header)
		if err := tab.Bulk(t.rows); err != nil {
			return err
		}
		if err := tab.Render(); err != nil {
			return err
		}
	}
	return nil
}

// proseWidth is the measure notes under a table are wrapped to, or the
// width of the page when narrower.
const proseWidth = 80

// page is where text tables are written: a writer and the width, in
// display columns, every line must fit (0: no limit).
type page struct {
	w     io.Writer
	width int
}

// table draws rows under header to fit the page.
func (p *page) table(header []string, rows [][]string) error {
	return render(p.w, header, rows, p.width)
}

// line writes first+s as a line, wrapped to the page's width when it is
// too wide, rest beginning each line after the first.
func (p *page) line(first, s, rest string) {
	io.WriteString(p.w, WrapLine(s, p.width, first, rest))
}

// linef writes a formatted line, wrapped as line does, its continuation
// lines indented as its first line is, and by two more spaces.
func (p *page) linef(format string, args ...any) {
	s := fmt.Sprintf(format, args...)
	for strings.HasPrefix(s, "\n") {
		io.WriteString(p.w, "\n")
		s = s[1:]
	}
	body := strings.TrimLeft(s, " ")
	indent := s[:len(s)-len(body)]
	p.line(indent, body, indent+"  ")
}

// note writes a note under a table, wrapped to measure columns or the
// page's width when narrower, each line beginning with first or rest.
func (p *page) note(s string, measure int, first, rest string) {
	if p.width > 0 {
		io.WriteString(p.w, WrapText(s, min(measure, p.width), first, rest))
		return
	}
	io.WriteString(p.w, text.Wrap(s, measure, first, rest))
}

// WriteTable writes the summary as tables: the strategies side by side,
// the comparisons with the baseline, the checks, holdouts, attribution
// against the truth and each strategy's channels. Each cell shows the mean
// over replications and, with more than one replication, the half-width
// of its 95% interval.
//
// The tables are as wide as their contents; WriteTableWidth fits them to
// a terminal.
func WriteTable(w io.Writer, s *results.Summary) error {
	return WriteTableWidth(w, s, 0)
}

// WriteTableWidth writes the summary as WriteTable does, every line at
// most width display columns (0: no limit): a table too wide is
// transposed or split into groups of columns that each fit, repeating its
// row labels, and lines of text are wrapped.
func WriteTableWidth(w io.Writer, s *results.Summary, width int) error {
	p := &page{w: w, width: width}
	writeFacts(s, p)
	for _, section := range []func(*results.Summary, *page) error{writeKey, writeMetrics, writeComparisons, writeBusinessCases, writeChecks, writeHoldouts, writeAttribution, writeChannels} {
		if err := section(s, p); err != nil {
			return err
		}
	}
	return nil
}

// writeFacts writes what was run, and how to read the ± of every table,
// then a blank line.
func writeFacts(s *results.Summary, p *page) {
	p.linef("%s · %s · %s · %s · seed %d", s.Scenario,
		text.Count(s.Customers, "customer"), text.Count(s.Horizon, s.TickLabel), text.Count(len(s.Seeds), "replication"), s.Seed)
	if s.Interrupted {
		p.linef("(interrupted: only the %d of %d replications completed are shown)", len(s.Seeds), s.Replications)
	}
	if len(s.Seeds) > 1 {
		p.linef("mean ± half-width of the 95%% confidence interval over %d replications", len(s.Seeds))
	} else {
		p.linef("one replication: no confidence intervals (run with --reps 2 or more for them)")
	}
	fmt.Fprintln(p.w)
}

func writeMetrics(s *results.Summary, p *page) error {
	if err := p.grid(MetricsGrid(s, false), nil); err != nil {
		return err
	}
	for _, st := range s.Strategies {
		if st.Description != "" {
			p.linef("  %s: %s", st.Name, st.Description)
		}
	}
	return nil
}

// grid draws g as a text table, each cell's text followed by what verdict
// makes of it.
func (p *page) grid(g Grid, verdict func(text, v string) string) error {
	rows := make([][]string, len(g.Rows))
	for i, r := range g.Rows {
		for _, c := range r {
			text := c.Text
			if verdict != nil && c.Verdict != "" {
				text = verdict(text, c.Verdict)
			}
			rows[i] = append(rows[i], text)
		}
	}
	return renderTable(p.w, textTable{header: g.Header, rows: rows, labels: 1, across: g.Across}, p.width)
}

func metric(s *results.Summary, key string) (results.Metric, bool) {
	for _, m := range s.Metrics {
		if m.Key == key {
			return m, true
		}
	}
	return results.Metric{}, false
}

func writeComparisons(s *results.Summary, p *page) error {
	if len(s.Comparisons) == 0 {
		return nil
	}
	tested := len(s.Seeds) > 1
	if tested {
		p.linef("\nCompared with %s, paired replication by replication (difference ± half-width of its 95%% interval):", s.Baseline)
	} else {
		p.linef("\nCompared with %s (one replication: differences are not tested for significance):", s.Baseline)
	}
	verdict := func(diff, v string) string {
		if v == results.NotTested && !tested {
			return diff // the heading says it once
		}
		return diff + "  " + v
	}
	if err := p.grid(ComparisonGrid(s), verdict); err != nil {
		return err
	}
	for _, note := range ComparisonNotes(s) {
		p.note(note, proseWidth, "  ", "  ")
	}
	return nil
}

// ComparisonNotes say in plain words how to read the comparison with the
// baseline: what a verdict and the ± mean, over how many paired
// replications, and the smallest differences that matter (--min-effect),
// as the text table and the report print them under the table.
func ComparisonNotes(s *results.Summary) []string {
	if len(s.Comparisons) == 0 {
		return nil
	}
	if len(s.Seeds) < 2 {
		return []string{"One replication gives no interval: these differences are not tested and may be noise; run with --reps 2 or more for each one's 95% interval and verdict."}
	}
	note := "Better or worse: the whole 95% interval is on that side of 0, so it is not noise. " +
		"± is how far the true difference may plausibly be from the figure, over " + text.Count(len(s.Seeds), "paired replication") +
		" (same customers and random draws)."
	notes := []string{note}
	if m := minEffectNote(s); m != "" {
		notes = append(notes, m)
	}
	return notes
}

// minEffectNote lists the smallest differences that matter, as worked
// out against the baseline, or "" when none was given.
func minEffectNote(s *results.Summary) string {
	if len(s.MinEffects) == 0 {
		return ""
	}
	var parts []string
	for _, me := range s.MinEffects {
		met, ok := metric(s, me.Metric)
		if !ok {
			continue
		}
		least := 0.0
		for _, c := range s.Comparisons {
			if c.Metric == me.Metric {
				least = c.MinEffect
				break
			}
		}
		part := met.Label + " ±" + minEffectText(least, met, s.Currency)
		switch {
		case least == 0:
			part = met.Label + ": not applied, " + s.Baseline + "'s is 0 or undefined"
		case me.Unit == results.OfBaseline:
			part += " (" + strconv.FormatFloat(me.Value, 'g', -1, 64) + "% of " + s.Baseline + "'s)"
		}
		parts = append(parts, part)
	}
	return "Below what matters: the whole interval is inside the smallest difference that matters (--min-effect): " + strings.Join(parts, ", ") + "."
}

// minEffectText writes the smallest difference that matters in a metric,
// in the units its comparison shows: 5,000 EUR, 0.5 pp.
func minEffectText(v float64, met results.Metric, currency string) string {
	e := scaled(results.Estimate{Mean: v, CI95: math.NaN()}, met.Percent)
	s := results.FormatNumber(e.Mean, differenceDigits(e, met.Digits))
	switch {
	case met.Percent:
		return s + " pp"
	case met.Unit == results.UnitMoney:
		return s + " " + currency
	case met.Unit == results.UnitPoints:
		return s + " points"
	}
	return s // on the metric's scale
}

// checkDigits shows a value a check read with three significant figures at
// least, so a value just below a threshold is told from one just above,
// and its half-width, if any, so that it does not read 0.
func checkDigits(e results.Estimate, digits int) int {
	v := e.Mean
	if v != 0 && !math.IsNaN(v) && !math.IsInf(v, 0) {
		digits = min(8, max(digits, 2-int(math.Floor(math.Log10(math.Abs(v))))))
	}
	if ci := math.Abs(e.CI95); ci > 0 && !math.IsInf(ci, 0) {
		digits = min(8, max(digits, -int(math.Floor(math.Log10(ci)))))
	}
	return digits
}

// upliftCell writes a holdout's uplift as a comparison's difference, in
// percentage points for a row shown in percent (its levels are in %).
func upliftCell(d results.Estimate, digits int, v string, percent bool) string {
	s := differenceText(scaled(d, percent), digits)
	if percent {
		s += " pp"
	}
	return withVerdict(s, v)
}

// withVerdict appends a verdict to a difference, unless no test was made
// (the table's heading says so once).
func withVerdict(diff, v string) string {
	if v == results.NotTested {
		return diff
	}
	return diff + "  " + v
}

// observedText lists the outcomes a check read with their values: a
// metric's or a channel's, in natural units (shares as fractions, as the
// check is written), and why one is undefined when the run says.
func observedText(s *results.Summary, c results.CheckResult, pretty bool) string {
	var parts []string
	for _, o := range c.Observed {
		if !pretty {
			parts = append(parts, o.Metric+"="+formatFloat(o.Value.Mean))
			continue
		}
		part := o.Metric + " = " + estimateText(o.Value, checkDigits(o.Value, outcomeDigits(s, o.Metric)))
		if o.Why != "" {
			part += " (" + o.Why + ")"
		}
		parts = append(parts, part)
	}
	if pretty {
		return strings.Join(parts, ", ")
	}
	return strings.Join(parts, ";")
}

// estimateText is results.FormatEstimate with a half-width that does not
// read 0 when it is not.
func estimateText(e results.Estimate, digits int) string {
	s := results.FormatNumber(e.Mean, digits)
	if !math.IsNaN(e.CI95) && !math.IsNaN(e.Mean) && e.CI95 != 0 {
		s += " ± " + halfWidthText(e.CI95, digits)
	}
	if e.N > 0 && e.N < len(e.Values) {
		s += fmt.Sprintf(" (n=%d)", e.N)
	}
	return s
}

// outcomeDigits is the decimals the tables show the outcome called key
// with: a metric's, or a channel metric's for channel.CHANNEL.METRIC.
func outcomeDigits(s *results.Summary, key string) int {
	if met, ok := metric(s, key); ok {
		return met.Digits
	}
	if o, ok := results.SplitChannelOutcome(key); ok {
		if k := o.Index(); k >= 0 {
			return results.ChannelMetrics[k].Digits
		}
		return 0 // true incremental revenue, in money
	}
	if b, ok := results.FindBusinessMeasure(key); ok {
		return b.Digits
	}
	return 3
}

func writeChecks(s *results.Summary, p *page) error {
	if len(s.Checks) == 0 {
		return nil
	}
	failed := len(s.Failed())
	p.linef("\nChecks (on the mean over replications): %d passed, %d failed", len(s.Checks)-failed, failed)
	for _, c := range s.Checks {
		mark := "✓"
		if !c.Pass {
			mark = "✗"
		}
		p.line("  ", fmt.Sprintf("%s %s: %s   (%s)", mark, c.Strategy, c.Check, observedText(s, c, true)), "      ")
	}
	return nil
}

func writeHoldouts(s *results.Summary, p *page) error {
	for _, h := range s.Holdouts {
		head := fmt.Sprintf("Holdout of %s: %s%% of customers got no outbound contact; uplift as a marketer measures it", h.Strategy, results.FormatNumber(100*h.Share, 0))
		if len(s.Seeds) < 2 {
			head += " (one replication: not tested for significance)"
		}
		p.linef("\n%s:", head)
		var rows [][]string
		for _, r := range h.Rows {
			digits := r.Digits
			rows = append(rows, []string{label(r.Label, displayUnit(r.Unit, s.Currency, r.Percent)),
				results.FormatEstimate(scaled(r.Treated, r.Percent), digits), results.FormatEstimate(scaled(r.Holdout, r.Percent), digits),
				upliftCell(r.Uplift, digits, results.Verdict(r.Uplift, r.Better), r.Percent)})
		}
		if err := p.table([]string{"per customer", "treated", "holdout", "uplift"}, rows); err != nil {
			return err
		}
		line := fmt.Sprintf("measured incremental revenue: %s %s", signed(h.Incremental, 0), s.Currency)
		if !math.IsNaN(h.TrueIncremental.Mean) {
			line += fmt.Sprintf("; true (rerun sending no contact): %s %s", signed(h.TrueIncremental, 0), s.Currency)
		}
		p.line("  ", line, "    ")
	}
	return nil
}

func writeAttribution(s *results.Summary, p *page) error {
	for _, a := range s.Attribution {
		p.linef("\nAttribution of %s's purchase revenue (%s) against the truth: each channel switched off and rerun:", a.Strategy, s.Currency)
		header := []string{"channel", results.TruthLabel}
		for _, m := range sim.AttributionModels {
			header = append(header, m.Label)
		}
		var rows [][]string
		for c, ch := range a.Channels {
			row := []string{text.Spoken(ch), results.FormatEstimate(a.Truth[c], 0)}
			for j := range sim.AttributionModels {
				row = append(row, results.FormatEstimate(a.Credit[j][c], 0))
			}
			rows = append(rows, row)
		}
		row := []string{"distance from truth", ""}
		for j := range sim.AttributionModels {
			row = append(row, results.FormatNumber(100*a.Error[j], 0)+"%")
		}
		rows = append(rows, row)
		if err := p.table(header, rows); err != nil {
			return err
		}
		if a.Closest != "" {
			line := "closest to the truth here: " + results.ModelLabel(a.Closest)
			if s.DecayHalfLife > 0 {
				line += fmt.Sprintf(" (time decay half-life: %s %s)", strconv.FormatFloat(s.DecayHalfLife, 'g', 4, 64), text.Plural(s.TickLabel))
			}
			p.line("  ", line, "    ")
		}
		if a.Note != "" {
			p.line("  ", a.Note, "  ")
		}
	}
	return nil
}

func writeChannels(s *results.Summary, p *page) error {
	fmt.Fprintln(p.w)
	return p.grid(ChannelGrid(s), nil)
}

// channelMetricUsed reports whether ChannelMetrics[k] is other than zero
// (or undefined) on some channel of some strategy.
func channelMetricUsed(s *results.Summary, k int) bool {
	for _, st := range s.Strategies {
		for c := range s.Channels {
			if st.On[c] && len(st.Channels[c]) > k && st.Channels[c][k].Mean != 0 && st.Channels[c][k].Mean == st.Channels[c][k].Mean {
				return true
			}
		}
	}
	return false
}
