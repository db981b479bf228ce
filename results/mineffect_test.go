package results

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/results/internal/fixture"
	"github.com/journeysim/journeysim/sim"
)

// --min-effect reads each metric's smallest difference in its units, in
// percent of the baseline or in percentage points, and refuses what it
// cannot read with what is allowed.
func TestParseMinEffects(t *testing.T) {
	tests := []struct {
		in   []string
		want []MinEffect
		err  []string // parts of the error
	}{
		{in: []string{"revenue=1%"}, want: []MinEffect{{"revenue", 1, OfBaseline}}},
		{in: []string{"profit=5000", "nps=2"}, want: []MinEffect{{"profit", 5000, InMetricUnits}, {"nps", 2, InMetricUnits}}},
		{in: []string{"revenue=1%,profit=5,000,churn_rate=0.5pp"}, want: []MinEffect{{"revenue", 1, OfBaseline}, {"profit", 5000, InMetricUnits}, {"churn_rate", 0.5, InPoints}}},
		{in: []string{" opt_out_rate = 0.2 pp "}, want: []MinEffect{{"opt_out_rate", 0.2, InPoints}}},
		{in: []string{"churn_rate=10%"}, want: []MinEffect{{"churn_rate", 10, OfBaseline}}},
		{in: []string{"profit=1,234.5"}, want: []MinEffect{{"profit", 1234.5, InMetricUnits}}},
		{in: nil, want: nil},
		{in: []string{"npv=50,000"}, want: []MinEffect{{"npv", 50000, InMetricUnits}}},
		{in: []string{"npv=5%"}, err: []string{"the NPV is measured against the baseline, whose own is 0, so give an amount in the currency, such as npv=50000"}},
		{in: []string{"roi=0.1"}, err: []string{"roi is now called profit_to_cost"}},
		{in: []string{"revnue=1%"}, err: []string{`"revnue=1%": no metric revnue is compared with the baseline; allowed: revenue, profit,`, `did you mean "revenue"?`}},
		{in: []string{"contacts_per_customer=1"}, err: []string{"contacts_per_customer is not compared with the baseline"}},
		{in: []string{"revenue"}, err: []string{`"revenue": write METRIC=VALUE, such as revenue=1%`}},
		{in: []string{"=1"}, err: []string{"write METRIC=VALUE"}},
		{in: []string{"revenue=abc"}, err: []string{"abc is not a number"}},
		{in: []string{"revenue=NaN"}, err: []string{"NaN is not a number"}},
		{in: []string{"revenue=-1%"}, err: []string{"allowed a positive number"}},
		{in: []string{"profit=0"}, err: []string{"allowed a positive number"}},
		{in: []string{"revenue=1pp"}, err: []string{"pp (percentage points) is for the metrics shown in %, churn_rate, opt_out_rate"}},
		{in: []string{"churn_rate=0.005"}, err: []string{"churn_rate is a share, compared in percentage points: add pp or %, such as churn_rate=0.5pp"}},
		{in: []string{"revenue=1%", "revenue=2%"}, err: []string{`"revenue=2%": revenue is given twice (revenue=1% and revenue=2%)`}},
		{in: []string{"revenue=1%,5"}, err: []string{`"5": write METRIC=VALUE`}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.in, " "), func(t *testing.T) {
			got, err := ParseMinEffects(tt.in)
			if len(tt.err) > 0 {
				if err == nil {
					t.Fatalf("read %v; want an error", got)
				}
				for _, w := range tt.err {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q lacks %q", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("read %v, want %v", got, tt.want)
			}
			for _, me := range got {
				if again, err := ParseMinEffect(me.String()); err != nil || again != me {
					t.Errorf("%v written as %q reads back as %v, %v", me, me.String(), again, err)
				}
			}
		})
	}
}

// FuzzParseMinEffects: any flag value is read or refused with a message
// that quotes what was given; what is read has a positive, finite value in
// a known unit, for a compared metric, each once.
func FuzzParseMinEffects(f *testing.F) {
	for _, seed := range []string{"revenue=1%", "profit=5,000", "churn_rate=0.5pp", "nps=1,csat=0.1", "revenue=1e308%", "x=", "=", ",,", "revenue=1%%", "profit=5,00", "romi=0x10"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := ParseMinEffects([]string{in})
		if err != nil {
			if !strings.HasPrefix(err.Error(), `"`) {
				t.Fatalf("error does not quote the value: %v", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, me := range got {
			if _, ok := comparedMetric(me.Metric); !ok || seen[me.Metric] {
				t.Fatalf("%v: metric not compared or given twice", got)
			}
			seen[me.Metric] = true
			if !(me.Value > 0) || math.IsInf(me.Value, 0) || !slices.Contains([]string{InMetricUnits, OfBaseline, InPoints}, me.Unit) {
				t.Fatalf("%v: bad value or unit", me)
			}
			if th := me.Threshold(123); !(th >= 0) {
				t.Fatalf("%v: threshold %v", me, th)
			}
		}
	})
}

// A difference is below what matters when its whole interval is inside
// ±the smallest difference that matters.
func TestVerdictWithin(t *testing.T) {
	tests := []struct {
		d     Estimate
		dir   Direction
		least float64
		want  string
	}{
		{Estimate{Mean: 2, CI95: 1}, HigherIsBetter, 0, Better},
		{Estimate{Mean: 2, CI95: 1}, HigherIsBetter, 5, BetterButSmall},
		{Estimate{Mean: 2, CI95: 1}, HigherIsBetter, 3, BetterButSmall}, // high end exactly at the bound
		{Estimate{Mean: 2, CI95: 1}, HigherIsBetter, 2.9, Better},
		{Estimate{Mean: 2, CI95: 1}, LowerIsBetter, 5, WorseButSmall},
		{Estimate{Mean: -2, CI95: 1}, LowerIsBetter, 5, BetterButSmall},
		{Estimate{Mean: 2, CI95: 1}, Neutral, 5, Higher + ButSmall},
		{Estimate{Mean: 0.5, CI95: 1}, HigherIsBetter, 5, NoDifferenceThatMatters},
		{Estimate{Mean: 0.5, CI95: 1}, HigherIsBetter, 1, NoDifference}, // the interval reaches past 1
		{Estimate{Mean: 0, CI95: 0}, HigherIsBetter, 1, NoDifferenceThatMatters},
		{Estimate{Mean: 2, CI95: math.NaN()}, HigherIsBetter, 5, NotTested},
		{Estimate{Mean: math.NaN(), CI95: math.NaN()}, HigherIsBetter, 5, NotApplicable},
	}
	for _, tt := range tests {
		if got := VerdictWithin(tt.d, tt.dir, tt.least); got != tt.want {
			t.Errorf("VerdictWithin(%v ± %v, %d, %v) = %q, want %q", tt.d.Mean, tt.d.CI95, tt.dir, tt.least, got, tt.want)
		}
	}
}

// Summarize works each smallest difference out against the baseline's
// mean, records it with every comparison and reads the verdicts by it.
func TestSummarizeMinEffects(t *testing.T) {
	effects := []MinEffect{{"revenue", 100, OfBaseline}, {"nps", 100, InMetricUnits}}
	s := summarize(t, fixture.Result(), Options{MinEffects: effects})
	if !slices.Equal(s.MinEffects, effects) {
		t.Errorf("summary records %v, want %v", s.MinEffects, effects)
	}
	for _, c := range s.Comparisons {
		switch c.Metric {
		case "revenue": // a's mean revenue is 1,100; b's difference -250 ± 635 is inside ±1,100
			if c.MinEffect != 1100 || c.Verdict != NoDifferenceThatMatters {
				t.Errorf("revenue: %+v; want a min effect of 1,100 and %q", c, NoDifferenceThatMatters)
			}
		case "nps":
			if c.MinEffect != 100 {
				t.Errorf("nps: min effect %v, want 100", c.MinEffect)
			}
		default:
			if c.MinEffect != 0 {
				t.Errorf("%s: min effect %v, want none", c.Metric, c.MinEffect)
			}
		}
	}
}

// --min-effect on romi needs the reruns of attribution.
func TestCheckMinEffects(t *testing.T) {
	m := &sim.Model{Name: "plain"}
	romi := []MinEffect{{ROMI.Key, 0.5, InMetricUnits}}
	if err := CheckMinEffects(romi, m, true); err != nil {
		t.Errorf("with attribution: %v", err)
	}
	if err := CheckMinEffects(romi, m, false); err == nil || !strings.Contains(err.Error(), "add --attribution") {
		t.Errorf("without attribution: %v; want a hint to add --attribution", err)
	}
}
