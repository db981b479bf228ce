package results_test

import (
	"math"
	"testing"

	"github.com/journeysim/journeysim/results"
)

// A constant extra profit of 100 a day against a one-off investment of
// 10,000 paid on the first day pays back after 100 days, and its NPV over a
// year at 8% is 100 × (1 − 1.08⁻¹) / (1 − 1.08^(−1/365)) − 10,000.
func TestPaybackAndNPVHandComputed(t *testing.T) {
	flows := make([]float64, 365)
	for k := range flows {
		flows[k] = 100
	}
	flows[0] -= 10000
	if got := results.Payback(flows); got != 100 {
		t.Errorf("payback %v days, want 100", got)
	}
	d := math.Pow(1.08, -1.0/365)
	want := 100*(1-1/1.08)/(1-d) - 10000
	if got := results.NPV(flows, 0.08, 365); math.Abs(got-want) > 1e-6 {
		t.Errorf("NPV %v, want %v", got, want)
	}
	if got := results.NPV(flows, 0, 365); math.Abs(got-(36500-10000)) > 1e-6 {
		t.Errorf("NPV at 0%% %v, want the plain sum 26,500", got)
	}
}

func TestPayback(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		name  string
		flows []float64
		want  float64
	}{
		{"never below zero pays back at once", []float64{1, 2, 3}, 0},
		{"all zero", []float64{0, 0}, 0},
		{"ends below zero", []float64{-10, 5, 4}, nan},
		{"break-even exactly at the end", []float64{-10, 5, 5}, 3},
		{"dips again: the last time it turns counts", []float64{-10, 20, -15, 10}, 4},
		{"investment later in the horizon", []float64{5, 5, -20, 10, 10}, 4},
		{"empty", nil, 0},
	} {
		got := results.Payback(c.flows)
		if !(got == c.want || math.IsNaN(got) && math.IsNaN(c.want)) {
			t.Errorf("%s: payback %v, want %v", c.name, got, c.want)
		}
	}
}
