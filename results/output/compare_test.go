package output

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/results"
)

// A difference shows its half-width with two significant digits, and the
// mean to the same decimals, so that neither reads 0 when it is not; a
// half-width of exactly 0 is shown too.
func TestDifferenceText(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		mean, ci float64
		digits   int
		want     string
	}{
		{115323.4, 4372.1, 0, "+115,323 ± 4,372"},
		{0.15, 0.0123, 2, "+0.150 ± 0.012"},
		{0.00123, 0.00031, 3, "+0.00123 ± 0.00031"},
		{-0.0960, 0.0012, 2, "-0.0960 ± 0.0012"},
		{0.1, 0.04, 1, "+0.100 ± 0.040"},
		{0, 0, 1, "0.0 ± 0.0"},
		{0.0004, 0.016, 1, "0.000 ± 0.016"},
		{2.6, 0, 0, "+3 ± 0"},
		{0.3, 1e-15, 1, "+0.300 ± <0.001"},
		{0.0048755, 0.0000038, 3, "+0.00488 ± <0.00001"},
		{447.2, nan, 0, "+447"},
		{0.0004, nan, 1, "+0.0004"},
		{-0.006, nan, 2, "-0.01"},
		{nan, nan, 1, "–"},
	}
	for _, tt := range tests {
		got := differenceText(results.Estimate{Mean: tt.mean, CI95: tt.ci}, tt.digits)
		if got != tt.want {
			t.Errorf("differenceText(%v ± %v, %d) = %q, want %q", tt.mean, tt.ci, tt.digits, got, tt.want)
		}
	}
}

// The comparison labels a difference of percentages in percentage points
// and says under the table what better and ± mean, and the smallest
// differences that matter.
func TestComparisonTable(t *testing.T) {
	effects, err := results.ParseMinEffects([]string{"revenue=100%,churn_rate=1pp"})
	if err != nil {
		t.Fatal(err)
	}
	s := summarize(t, results.Options{MinEffects: effects})
	var buf bytes.Buffer
	if err := writeComparisons(s, &page{w: &buf}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"churn (pp)", "-250 ± 635  no difference that matters",
		"Better or worse: the whole 95% interval is on that side of 0, so it is not\n  noise.",
		"2 paired replications (same customers and random draws).",
		"(--min-effect): revenue ±1,100 EUR (100% of a's), churn ±1.0 pp.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("comparison lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "churn (%)") || strings.Contains(out, "opt-out rate (%)") {
		t.Errorf("a difference of shares is labelled %%:\n%s", out)
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "  ") && len([]rune(line)) > 80 {
			t.Errorf("note line wider than 80 columns: %q", line)
		}
	}
}

// With one replication the note says why nothing is tested.
func TestComparisonNotesOneReplication(t *testing.T) {
	s := summarize(t, results.Options{})
	s.Seeds = s.Seeds[:1]
	notes := ComparisonNotes(s)
	if len(notes) != 1 || !strings.Contains(notes[0], "One replication gives no interval") || !strings.Contains(notes[0], "--reps 2") {
		t.Errorf("notes %q; want one saying why nothing is tested", notes)
	}
}
