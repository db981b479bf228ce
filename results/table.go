package results

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
)

// FormatNumber writes v with digits decimals and thousands separators; NaN
// is a dash.
func FormatNumber(v float64, digits int) string {
	if math.IsNaN(v) {
		return "–"
	}
	if math.IsInf(v, 0) {
		if v > 0 {
			return "∞"
		}
		return "−∞"
	}
	s := strconv.FormatFloat(math.Abs(v), 'f', digits, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if v < 0 && strings.Trim(s, "0.") != "" {
		b.WriteByte('-')
	}
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

func formatEstimate(e Estimate, digits int) string {
	s := FormatNumber(e.Mean, digits)
	if !math.IsNaN(e.CI95) && !math.IsNaN(e.Mean) && e.CI95 != 0 {
		s += " ± " + FormatNumber(e.CI95, digits)
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

// WriteTable writes the summary as two tables: the strategies side by side,
// then each strategy's channels. Each cell shows the mean over replications
// and, with more than one replication, the half-width of its 95% interval.
func (s *Summary) WriteTable(w io.Writer) error {
	reps := plural(len(s.Seeds), "replication")
	fmt.Fprintf(w, "%s · %s · %s · %s · seed %d\n", s.Scenario,
		plural(s.Customers, "customer"), plural(s.Horizon, s.TickLabel), reps, s.Seed)
	if s.Interrupted {
		fmt.Fprintf(w, "(interrupted: only the replications completed are shown)\n")
	}
	if len(s.Seeds) > 1 {
		fmt.Fprintf(w, "mean ± half-width of the 95%% confidence interval over replications\n")
	}
	fmt.Fprintln(w)

	header := []string{"metric"}
	for _, st := range s.Strategies {
		header = append(header, st.Name)
	}
	t := newTable(w, len(header))
	t.Header(header)
	for k, met := range Metrics {
		row := []string{label(met.Label, met.Unit)}
		for _, st := range s.Strategies {
			row = append(row, formatEstimate(st.Metrics[k], met.Digits))
		}
		if err := t.Append(row); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	for _, st := range s.Strategies {
		if st.Description != "" {
			fmt.Fprintf(w, "  %s: %s\n", st.Name, st.Description)
		}
	}

	fmt.Fprintln(w)
	header = []string{"strategy · channel"}
	for _, met := range ChannelMetrics {
		header = append(header, label(met.Label, met.Unit))
	}
	t = newTable(w, len(header))
	t.Header(header)
	for _, st := range s.Strategies {
		for c, ch := range s.Channels {
			if !st.On[c] {
				continue
			}
			row := []string{st.Name + " · " + ch}
			for k, met := range ChannelMetrics {
				row = append(row, formatEstimate(st.Channels[c][k], met.Digits))
			}
			if err := t.Append(row); err != nil {
				return err
			}
		}
	}
	return t.Render()
}

// plural writes n and noun, in the plural unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return FormatNumber(float64(n), 0) + " " + noun + "s"
}
