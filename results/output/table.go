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
	}
	return ""
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

func render(w io.Writer, header []string, rows [][]string) error {
	t := newTable(w, len(header))
	t.Header(header)
	if err := t.Bulk(rows); err != nil {
		return err
	}
	return t.Render()
}

// WriteTable writes the summary as tables: the strategies side by side,
// the comparisons with the baseline, the checks, holdouts, attribution
// against the truth and each strategy's channels. Each cell shows the mean
// over replications and, with more than one replication, the half-width
// of its 95% interval.
func WriteTable(w io.Writer, s *results.Summary) error {
	fmt.Fprintf(w, "%s · %s · %s · %s · seed %d\n", s.Scenario,
		text.Count(s.Customers, "customer"), text.Count(s.Horizon, s.TickLabel), text.Count(len(s.Seeds), "replication"), s.Seed)
	if s.Interrupted {
		fmt.Fprintf(w, "(interrupted: only the %d of %d replications completed are shown)\n", len(s.Seeds), s.Replications)
	}
	if len(s.Seeds) > 1 {
		fmt.Fprintf(w, "mean ± half-width of the 95%% confidence interval over %d replications\n", len(s.Seeds))
	} else {
		fmt.Fprintf(w, "one replication: no confidence intervals (run with --reps 2 or more for them)\n")
	}
	fmt.Fprintln(w)
	for _, section := range []func(*results.Summary, io.Writer) error{writeMetrics, writeComparisons, writeBusinessCases, writeChecks, writeHoldouts, writeAttribution, writeChannels} {
		if err := section(s, w); err != nil {
			return err
		}
	}
	return nil
}

func writeMetrics(s *results.Summary, w io.Writer) error {
	if err := renderGrid(w, MetricsGrid(s, false), nil); err != nil {
		return err
	}
	for _, st := range s.Strategies {
		if st.Description != "" {
			fmt.Fprintf(w, "  %s: %s\n", st.Name, st.Description)
		}
	}
	return nil
}

// renderGrid renders g as a text table, each cell's text followed by what
// verdict makes of it.
func renderGrid(w io.Writer, g Grid, verdict func(text, v string) string) error {
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
	return render(w, g.Header, rows)
}

func metric(s *results.Summary, key string) (results.Metric, bool) {
	for _, m := range s.Metrics {
		if m.Key == key {
			return m, true
		}
	}
	return results.Metric{}, false
}

func writeComparisons(s *results.Summary, w io.Writer) error {
	if len(s.Comparisons) == 0 {
		return nil
	}
	if len(s.Seeds) < 2 {
		fmt.Fprintf(w, "\nCompared with %s (one replication: differences are not tested for significance):\n", s.Baseline)
	} else {
		fmt.Fprintf(w, "\nCompared with %s, paired replication by replication (difference ± half-width of its 95%% interval):\n", s.Baseline)
	}
	return renderGrid(w, ComparisonGrid(s), withVerdict)
}

// visibleDigits returns digits, or more (up to 4 more) when a significant
// difference would otherwise show as zero.
func visibleDigits(e results.Estimate, digits int, v string) int {
	if v != results.Better && v != results.Worse && v != results.Higher && v != results.Lower {
		return digits
	}
	for d := digits; d <= digits+4; d++ {
		if strings.Trim(results.FormatNumber(math.Abs(e.Mean), d), "0.,") != "" {
			return d
		}
	}
	return digits + 4
}

// checkDigits shows a value a check read with three significant figures at
// least, so a value just below a threshold is told from one just above.
func checkDigits(v float64, digits int) int {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return digits
	}
	return min(8, max(digits, 2-int(math.Floor(math.Log10(math.Abs(v))))))
}

func upliftCell(d results.Estimate, digits int, v string) string {
	return withVerdict(signed(d, visibleDigits(d, digits, v)), v)
}

// withVerdict appends a verdict to a difference, unless no test was made
// (the table's heading says so once).
func withVerdict(diff, v string) string {
	if v == results.NotTested {
		return diff
	}
	return diff + "  " + v
}

// observedText lists the metrics a check read with their values.
func observedText(s *results.Summary, c results.CheckResult, pretty bool) string {
	var parts []string
	for _, o := range c.Observed {
		met, ok := metric(s, o.Metric)
		if !ok {
			met = results.Metric{Digits: 3}
		}
		digits := checkDigits(o.Value.Mean, met.Digits)
		if !pretty {
			parts = append(parts, o.Metric+"="+formatFloat(o.Value.Mean))
			continue
		}
		parts = append(parts, o.Metric+" = "+results.FormatEstimate(o.Value, digits))
	}
	if pretty {
		return strings.Join(parts, ", ")
	}
	return strings.Join(parts, ";")
}

func writeChecks(s *results.Summary, w io.Writer) error {
	if len(s.Checks) == 0 {
		return nil
	}
	failed := len(s.Failed())
	fmt.Fprintf(w, "\nChecks (on the mean over replications): %d passed, %d failed\n", len(s.Checks)-failed, failed)
	for _, c := range s.Checks {
		mark := "✓"
		if !c.Pass {
			mark = "✗"
		}
		fmt.Fprintf(w, "  %s %s: %s   (%s)\n", mark, c.Strategy, c.Check, observedText(s, c, true))
	}
	return nil
}

func writeHoldouts(s *results.Summary, w io.Writer) error {
	for _, h := range s.Holdouts {
		fmt.Fprintf(w, "\nHoldout of %s: %s%% of customers got no outbound contact; uplift as a marketer measures it", h.Strategy, results.FormatNumber(100*h.Share, 0))
		if len(s.Seeds) < 2 {
			fmt.Fprint(w, " (one replication: not tested for significance)")
		}
		fmt.Fprintln(w, ":")
		var rows [][]string
		for _, r := range h.Rows {
			digits := r.Digits
			rows = append(rows, []string{label(r.Label, displayUnit(r.Unit, s.Currency, r.Percent)),
				results.FormatEstimate(scaled(r.Treated, r.Percent), digits), results.FormatEstimate(scaled(r.Holdout, r.Percent), digits),
				upliftCell(scaled(r.Uplift, r.Percent), digits, results.Verdict(r.Uplift, r.Better))})
		}
		if err := render(w, []string{"per customer", "treated", "holdout", "uplift"}, rows); err != nil {
			return err
		}
		fmt.Fprintf(w, "  measured incremental revenue: %s %s", signed(h.Incremental, 0), s.Currency)
		if !math.IsNaN(h.TrueIncremental.Mean) {
			fmt.Fprintf(w, "; true (rerun sending no contact): %s %s", signed(h.TrueIncremental, 0), s.Currency)
		}
		fmt.Fprintln(w)
	}
	return nil
}

func writeAttribution(s *results.Summary, w io.Writer) error {
	for _, a := range s.Attribution {
		fmt.Fprintf(w, "\nAttribution of %s's purchase revenue (%s) against the truth: each channel switched off and rerun:\n", a.Strategy, s.Currency)
		header := []string{"channel", results.TruthLabel}
		for _, m := range sim.AttributionModels {
			header = append(header, m.Label)
		}
		var rows [][]string
		for c, ch := range a.Channels {
			row := []string{ch, results.FormatEstimate(a.Truth[c], 0)}
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
		if err := render(w, header, rows); err != nil {
			return err
		}
		if a.Closest != "" {
			fmt.Fprintf(w, "  closest to the truth here: %s", results.ModelLabel(a.Closest))
			if s.DecayHalfLife > 0 {
				fmt.Fprintf(w, " (time decay half-life: %s %s)", strconv.FormatFloat(s.DecayHalfLife, 'g', 4, 64), text.Plural(s.TickLabel))
			}
			fmt.Fprintln(w)
		}
		if a.Note != "" {
			fmt.Fprintf(w, "  %s\n", a.Note)
		}
	}
	return nil
}

func writeChannels(s *results.Summary, w io.Writer) error {
	fmt.Fprintln(w)
	return renderGrid(w, ChannelGrid(s), nil)
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
