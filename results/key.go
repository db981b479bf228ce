package results

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/journeysim/journeysim/sim"
	"github.com/journeysim/journeysim/sim/text"
)

// BusinessMeasure is a measure of the business case (BusinessCase) that a
// scenario's key outcomes may name.
type BusinessMeasure struct {
	Key   string
	Label string
	Unit  string
	// Digits is how many decimals the measure is shown with.
	Digits int
	Better Direction
	value  func(bc *BusinessCase) Estimate
}

// BusinessMeasures are the business case's measures, by the keys of
// docs/metrics.md#the-business-case.
var BusinessMeasures = []BusinessMeasure{
	{"incremental_revenue", "extra revenue", UnitMoney, 0, HigherIsBetter, func(bc *BusinessCase) Estimate { return bc.Revenue }},
	{"incremental_profit", "extra profit", UnitMoney, 0, HigherIsBetter, func(bc *BusinessCase) Estimate { return bc.Profit }},
	{"incremental_investment", "extra investment", UnitMoney, 0, Neutral, func(bc *BusinessCase) Estimate { return bc.Investment }},
	{"incremental_roi", "incremental ROI", UnitRatio, 2, HigherIsBetter, func(bc *BusinessCase) Estimate { return bc.ROI }},
	{"payback", "payback", UnitTicks, 0, LowerIsBetter, func(bc *BusinessCase) Estimate { return bc.Payback }},
	{"npv", "NPV", UnitMoney, 0, HigherIsBetter, func(bc *BusinessCase) Estimate { return bc.NPV }},
}

// FindBusinessMeasure returns the business-case measure called key.
func FindBusinessMeasure(key string) (BusinessMeasure, bool) { return businessMeasure(key) }

// Of returns the measure's estimate in the business case bc.
func (b BusinessMeasure) Of(bc *BusinessCase) Estimate { return b.value(bc) }

// businessMeasure returns the measure called key.
func businessMeasure(key string) (BusinessMeasure, bool) {
	i := slices.IndexFunc(BusinessMeasures, func(b BusinessMeasure) bool { return b.Key == key })
	if i < 0 {
		return BusinessMeasure{}, false
	}
	return BusinessMeasures[i], true
}

// channelBetter says which way a channel's outcome improves, where one
// way clearly does; contacts, visits and the like are neither.
var channelBetter = map[string]Direction{
	"response_rate":                   HigherIsBetter,
	"purchases":                       HigherIsBetter,
	"revenue":                         HigherIsBetter,
	"cost":                            LowerIsBetter,
	"opt_outs":                        LowerIsBetter,
	"minutes_per_handled":             LowerIsBetter,
	"abandoned_share":                 LowerIsBetter,
	"average_speed_of_answer_seconds": LowerIsBetter,
	"service_level":                   HigherIsBetter,
}

// KeyResult is one of a scenario's key outcomes as a run measured it: the
// outcome's name as the scenario wrote it, how to show it, and each
// strategy's estimate.
type KeyResult struct {
	Name    string    `json:"name"`
	Label   string    `json:"label"`
	Unit    string    `json:"unit"`
	Percent bool      `json:"percent"`
	Digits  int       `json:"digits"`
	Better  Direction `json:"better"`
	// Business reports a measure of the business case, which the
	// baseline has none of.
	Business bool `json:"business,omitempty"`
	// Values[k] estimates the outcome for Summary.Strategies[k]; for a
	// business measure the baseline's is empty (no replications).
	Values []Estimate `json:"values"`
}

// KeyOutcomeNames lists what a key outcome may be, for messages.
func KeyOutcomeNames() string {
	var business []string
	for _, b := range BusinessMeasures {
		business = append(business, b.Key)
	}
	metrics := slices.DeleteFunc(CheckKeys(), func(k string) bool { return k == ROMI.Key })
	return "a metric (" + strings.Join(metrics, ", ") + "), a channel's outcome channel.CHANNEL.METRIC (METRIC one of " +
		strings.Join(ChannelMetricKeys(), ", ") + "), or a measure of the business case (" + strings.Join(business, ", ") + ")"
}

// CheckKeyOutcome returns an error if name cannot be a key outcome of runs
// of m: a name that is no outcome, or one that every run of m could not
// measure (romi needs --attribution; share_of_wallet a competitor node).
func CheckKeyOutcome(name string, m *sim.Model) error {
	if _, ok := businessMeasure(name); ok {
		return nil
	}
	if MetricIndex(name) >= 0 {
		if why := Unavailable(name, m, false); why != "" {
			return fmt.Errorf("key outcome %s cannot be measured by every run: %s", name, why)
		}
		return nil
	}
	if name == ROMI.Key {
		return fmt.Errorf("key outcome romi is measured only with --attribution, so a run without it could not show it; name one measured in every run, such as profit or npv")
	}
	var channels []string
	for _, ch := range m.Channels {
		channels = append(channels, ch.Name)
	}
	if o, ok := SplitChannelOutcome(name); ok {
		if o.IsTruth() {
			return fmt.Errorf("key outcome %s is measured only with --attribution; name one measured in every run", name)
		}
		if err := (ChannelScope{Scenario: m.Name, Channels: channels}).Resolve(o); err != nil {
			return fmt.Errorf("key outcome %s: %w", name, err)
		}
		return nil
	}
	candidates := slices.Clone(CheckKeys())
	for _, b := range BusinessMeasures {
		candidates = append(candidates, b.Key)
	}
	hint := RenamedHint(name)
	if hint == "" {
		hint = text.DidYouMean(name, append(candidates, ChannelOutcomeNames(channels, false)...))
	}
	return fmt.Errorf("key outcome %q is not an outcome; allowed: %s%s", name, KeyOutcomeNames(), hint)
}

// keyResults measures the key outcomes names in the summary s; a name it
// cannot read (CheckKeyOutcome refuses those before a run) is left out.
func (s *Summary) keyResults(names []string) []KeyResult {
	var out []KeyResult
	for _, name := range names {
		kr := KeyResult{Name: name}
		switch b, isBusiness := businessMeasure(name); {
		case isBusiness:
			kr.Label, kr.Unit, kr.Digits, kr.Better, kr.Business = b.Label, b.Unit, b.Digits, b.Better, true
			for _, st := range s.Strategies {
				e := Estimate{Mean: math.NaN(), CI95: math.NaN()}
				for k := range s.BusinessCases {
					if s.BusinessCases[k].Strategy == st.Name {
						e = b.value(&s.BusinessCases[k])
					}
				}
				kr.Values = append(kr.Values, e)
			}
		case MetricIndex(name) >= 0:
			j := slices.IndexFunc(s.Metrics, func(m Metric) bool { return m.Key == name })
			if j < 0 {
				continue
			}
			met := s.Metrics[j]
			kr.Label, kr.Unit, kr.Percent, kr.Digits, kr.Better = met.Label, met.Unit, met.Percent, met.Digits, met.Better
			for _, st := range s.Strategies {
				kr.Values = append(kr.Values, st.Metrics[j])
			}
		default:
			o, ok := SplitChannelOutcome(name)
			c, k := slices.Index(s.Channels, o.Channel), o.Index()
			if !ok || c < 0 || k < 0 {
				continue
			}
			cm := ChannelMetrics[k]
			cm.Label = s.ChannelMetricLabel(c, k) // phone: calls; phone: answered within 20 s
			kr.Label, kr.Unit, kr.Percent, kr.Digits = text.Spoken(o.Channel)+": "+cm.Label, cm.Unit, cm.Percent, cm.Digits
			kr.Better = channelBetter[cm.Key]
			for _, st := range s.Strategies {
				e := Estimate{Mean: math.NaN(), CI95: math.NaN()}
				if c < len(st.Channels) && (st.On == nil || st.On[c]) {
					e = st.Channels[c][k]
				}
				kr.Values = append(kr.Values, e)
			}
		}
		out = append(out, kr)
	}
	return out
}
