package sweep_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/results/internal/sweepfixture"
	"github.com/journeysim/journeysim/results/sweep"
)

func TestSweepThresholds(t *testing.T) {
	got, skipped := sweepfixture.GridAnalysis().Thresholds("EUR")
	if !slices.Equal(skipped, []string{"mode"}) {
		t.Errorf("skipped %v; want the text parameter mode", skipped)
	}
	if len(got) != 1 || got[0].Param != "x" || got[0].Label != "x" {
		t.Fatalf("thresholds along %+v; want x only (k does not vary, mode is text)", got)
	}
	pt := got[0]
	if pt.Values != "3 values from 1 to 3" || pt.Note != "Each value's mean is averaged over the settings of the other parameter, mode; values and strategies are compared setting by setting." {
		t.Errorf("values %q, note %q", pt.Values, pt.Note)
	}
	if pt.Unmoved != "Every outcome of b is the same at every value of x." {
		t.Errorf("unmoved %q", pt.Unmoved)
	}
	want := []sweep.OutcomeThresholds{
		// x = 2 beats 1 and 3 by 20 and 10 in both modes and every
		// replication: told apart at once.
		{"Revenue", []string{
			"a: revenue peaks at x = 2 (34.0 EUR); both ends of the range are clearly lower.",
			// d = −6, 14: 0.3 of the way from 1 to 2. At 1, d is −7
			// with mode on and −5 with it off: with two settings of the
			// other parameters, its interval, −6 ± 12.7, holds 0.
			"a may overtake b on revenue near x = 1.3 (both about 20.0 EUR there), but the design cannot tell: the difference is not significant at 1.",
		}},
		{"Churn", []string{
			"a: churn is lowest at x = 2 (5.0%); from 2 to 3 it is within the noise of that.",
			// d = 0.02, −0.03, the same in both modes: 0.4 of the way
			// from 1 to 2.
			"a overtakes b on churn (lower is better) once x exceeds 1.4 (both about 8.0% there).",
		}},
	}
	if len(pt.Outcomes) != len(want) {
		t.Fatalf("outcomes %+v; want %+v", pt.Outcomes, want)
	}
	for i, w := range want {
		if pt.Outcomes[i].Label != w.Label || !slices.Equal(pt.Outcomes[i].Sentences, w.Sentences) {
			t.Errorf("outcome %d:\ngot  %q %q\nwant %q %q", i, pt.Outcomes[i].Label, pt.Outcomes[i].Sentences, w.Label, w.Sentences)
		}
	}
}

// A sweep of one point has no thresholds: no parameter varies.
func TestSweepThresholdsSinglePoint(t *testing.T) {
	a := sweepfixture.GridAnalysis()
	a.Manifest.Points = 1
	a.Points = a.Points[:2]
	if got, skipped := a.Thresholds("EUR"); len(got) != 0 || len(skipped) != 0 {
		t.Errorf("one point: %+v, skipped %v; want none", got, skipped)
	}
}

// Every point with a value of its own while another parameter varies too
// (a Latin hypercube) is read off the fitted main effect, and says so; six
// points leave one degree of freedom for the fit, which tells nothing
// apart.
func TestSweepThresholdsScattered(t *testing.T) {
	a := sweepfixture.GridAnalysis()
	for i := range a.Points {
		a.Points[i].Params[0] = strconv.Itoa(a.Points[i].Point)
	}
	got, _ := a.Thresholds("EUR")
	if len(got) != 1 || got[0].Values != "6 values from 0 to 5" || !strings.Contains(got[0].Note, "fitted main effect") {
		t.Fatalf("scattered: %+v", got)
	}
	for _, o := range got[0].Outcomes {
		for _, s := range o.Sentences {
			if strings.Contains(s, "peaks") || strings.Contains(s, "overtakes") || !strings.Contains(s, "cannot tell") {
				t.Errorf("a claim the fit does not support: %q", s)
			}
		}
	}
}

// The paired difference at a value pairs the replications across the
// design points with that value: replication r's outcomes are averaged
// over the points (mode on and off) before a − b is taken.
func TestSweepThresholdsNoise(t *testing.T) {
	got, _ := sweepfixture.NoisyAnalysis().Thresholds("EUR")
	want := []string{
		// At 1 the replications differ by 60: x = 1 is not told apart
		// from the best, and neither is the crossing.
		"a: revenue is highest at x = 2 (34.0 EUR); from 1 to 2 it is within the noise of that.",
		"a may overtake b on revenue near x = 1.3 (both about 20.0 EUR there), but the design cannot tell: the difference is not significant at 1.",
	}
	if len(got) != 1 || len(got[0].Outcomes) == 0 || !slices.Equal(got[0].Outcomes[0].Sentences, want) {
		t.Fatalf("got %+v\nwant revenue: %q", got, want)
	}
	// Churn is as before: its replications are all alike.
	if s := got[0].Outcomes[1].Sentences; strings.Contains(strings.Join(s, " "), "cannot tell") {
		t.Errorf("churn: %q", s)
	}
}
