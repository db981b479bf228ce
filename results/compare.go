package results

import (
	"fmt"
	"math"
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
)

// Comparison is a strategy's difference from the baseline in one metric,
// paired replication by replication, with its verdict.
type Comparison struct {
	Strategy   string   `json:"strategy"`
	Baseline   string   `json:"baseline"`
	Metric     string   `json:"metric"`
	Difference Estimate `json:"difference"`
	Verdict    string   `json:"verdict"`
}

// Verdict says what a difference means for a metric that improves in
// direction better: significant when its 95% interval excludes zero.
func Verdict(d Estimate, better Direction) string {
	switch {
	case math.IsNaN(d.Mean):
		return NotApplicable
	case math.IsNaN(d.CI95):
		return NotTested
	case d.Low() <= 0 && d.High() >= 0:
		return NoDifference
	}
	up := d.Mean > 0
	switch better {
	case HigherIsBetter:
		if up {
			return Better
		}
		return Worse
	case LowerIsBetter:
		if up {
			return Worse
		}
		return Better
	}
	if up {
		return Higher
	}
	return Lower
}

// compare fills Comparisons: every strategy but the baseline against it,
// in every headline metric.
func (s *Summary) compare(baseline string) error {
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
			if !met.Headline {
				continue
			}
			d := Difference(st.Metrics[j].Values, base.Metrics[j].Values, true)
			s.Comparisons = append(s.Comparisons, Comparison{
				Strategy: st.Name, Baseline: s.Baseline, Metric: met.Key, Difference: d, Verdict: Verdict(d, met.Better),
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
