package results

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Verdicts of a comparison.
const (
	Better        = "better"
	Worse         = "worse"
	NoDifference  = "no significant difference"
	Higher        = "higher"
	Lower         = "lower"
	NotTested     = "not tested (fewer than 2 replications)"
	NotApplicable = "not defined"
	// BetterButSmall and WorseButSmall are significant differences whose
	// whole interval is inside the smallest difference that matters
	// (MinEffect); a difference of a metric with no better direction is
	// Higher or Lower followed by ButSmall.
	BetterButSmall = Better + ButSmall
	WorseButSmall  = Worse + ButSmall
	ButSmall       = ", but below what matters"
	// NoDifferenceThatMatters is a difference whose interval includes 0
	// and is inside the smallest difference that matters: whatever the
	// true difference, it is too small to matter.
	NoDifferenceThatMatters = "no difference that matters"
)

// Comparison is a strategy's difference from the baseline in one metric,
// paired replication by replication, with its verdict.
type Comparison struct {
	Strategy   string   `json:"strategy"`
	Baseline   string   `json:"baseline"`
	Metric     string   `json:"metric"`
	Difference Estimate `json:"difference"`
	Verdict    string   `json:"verdict"`
	// MinEffect is the smallest difference that matters, in the metric's
	// natural units (a share's as a fraction), worked out from
	// Summary.MinEffects against the baseline's mean; 0 for none.
	MinEffect float64 `json:"min_effect,omitempty"`
}

// Verdict says what a difference means for a metric that improves in
// direction better: significant when its 95% interval excludes zero.
func Verdict(d Estimate, better Direction) string {
	return VerdictWithin(d, better, 0)
}

// VerdictWithin is Verdict with the smallest difference that matters,
// minEffect (0 for none): a difference whose whole interval lies within
// ±minEffect is "better, but below what matters" (or worse) when its
// interval excludes zero, and "no difference that matters" when it
// includes it.
func VerdictWithin(d Estimate, better Direction, minEffect float64) string {
	small := minEffect > 0 && d.Low() >= -minEffect && d.High() <= minEffect
	switch {
	case math.IsNaN(d.Mean):
		return NotApplicable
	case math.IsNaN(d.CI95):
		return NotTested
	case d.Low() <= 0 && d.High() >= 0:
		if small {
			return NoDifferenceThatMatters
		}
		return NoDifference
	}
	v := direction(d.Mean > 0, better)
	if small {
		v += ButSmall
	}
	return v
}

// direction is the verdict of a significant difference that is up, or
// down, in a metric that improves in direction better.
func direction(up bool, better Direction) string {
	switch {
	case better == Neutral && up:
		return Higher
	case better == Neutral:
		return Lower
	case up == (better == HigherIsBetter):
		return Better
	}
	return Worse
}

// compare fills Comparisons: every strategy but the baseline against it,
// in every headline metric and every metric named a key outcome (key),
// each verdict read against the smallest difference that matters in
// effects, if any.
func (s *Summary) compare(baseline string, effects []MinEffect, key []string) error {
	if len(s.Strategies) == 0 {
		return nil
	}
	b := 0
	if baseline != "" {
		b = -1
		var names []string
		for k := range s.Strategies {
			names = append(names, s.Strategies[k].Name)
			if s.Strategies[k].Name == baseline {
				b = k
			}
		}
		if b < 0 {
			return &BaselineError{Name: baseline, Strategies: names}
		}
	}
	s.Baseline = s.Strategies[b].Name
	base := &s.Strategies[b]
	for k := range s.Strategies {
		if k == b {
			continue
		}
		st := &s.Strategies[k]
		for j, met := range s.Metrics {
			if !met.Headline && !slices.Contains(key, met.Key) {
				continue
			}
			d := Difference(st.Metrics[j].Values, base.Metrics[j].Values, true)
			least := 0.0
			if me, ok := FindMinEffect(effects, met.Key); ok {
				least = me.Threshold(base.Metrics[j].Mean)
			}
			s.Comparisons = append(s.Comparisons, Comparison{
				Strategy: st.Name, Baseline: s.Baseline, Metric: met.Key, Difference: d,
				Verdict: VerdictWithin(d, met.Better, least), MinEffect: least,
			})
		}
	}
	return nil
}

// BaselineError reports a baseline that is not among the strategies run.
type BaselineError struct {
	Name       string
	Strategies []string
}

func (e *BaselineError) Error() string {
	return fmt.Sprintf("--baseline %q: not a strategy of this run; allowed: %s", e.Name, strings.Join(e.Strategies, ", "))
}
