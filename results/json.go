package results

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/journeysim/journeysim/sim"
)

// number is a float that JSON writes as null when it is NaN or infinite.
type number float64

func (n number) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(n)) || math.IsInf(float64(n), 0) {
		return []byte("null"), nil
	}
	return []byte(strconv.FormatFloat(float64(n), 'g', -1, 64)), nil
}

func (n *number) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*n = number(math.NaN())
		return nil
	}
	v, err := strconv.ParseFloat(string(b), 64)
	*n = number(v)
	return err
}

type jsonEstimate struct {
	Mean   number   `json:"mean"`
	CI95   number   `json:"ci95"`
	N      int      `json:"n"`
	Values []number `json:"values,omitempty"`
}

// MarshalJSON writes the estimate with undefined values as null.
func (e Estimate) MarshalJSON() ([]byte, error) {
	j := jsonEstimate{Mean: number(e.Mean), CI95: number(e.CI95), N: e.N}
	for _, v := range e.Values {
		j.Values = append(j.Values, number(v))
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON writes.
func (e *Estimate) UnmarshalJSON(b []byte) error {
	var j jsonEstimate
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*e = Estimate{Mean: float64(j.Mean), CI95: float64(j.CI95), N: j.N}
	for _, v := range j.Values {
		e.Values = append(e.Values, float64(v))
	}
	return nil
}

// SeedList is a list of seeds that JSON writes as strings: seeds exceed
// 2^53, which many JSON readers cannot hold exactly.
type SeedList []uint64

// MarshalJSON writes the seeds as strings.
func (s SeedList) MarshalJSON() ([]byte, error) {
	out := make([]string, len(s))
	for k, v := range s {
		out[k] = strconv.FormatUint(v, 10)
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads seeds written as strings.
func (s *SeedList) UnmarshalJSON(b []byte) error {
	var in []string
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	*s = make(SeedList, len(in))
	for k, v := range in {
		u, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return fmt.Errorf("seed %q: %w", v, err)
		}
		(*s)[k] = u
	}
	return nil
}

// Validate makes sure a summary read from a file is whole: every strategy
// has a value for every metric and channel, and display settings are sane.
// A summary saved before some channel metrics existed gets them as not
// measured (NaN).
func (s *Summary) Validate() error {
	for k := range s.Metrics {
		if d := s.Metrics[k].Digits; d < 0 || d > 12 {
			return fmt.Errorf("metric %q: %d decimals; allowed 0 to 12", s.Metrics[k].Key, d)
		}
	}
	for _, st := range s.Strategies {
		if len(st.Metrics) != len(s.Metrics) {
			return fmt.Errorf("strategy %q has %d metrics for %d metric definitions", st.Name, len(st.Metrics), len(s.Metrics))
		}
		if len(st.Channels) != len(s.Channels) || len(st.On) != len(s.Channels) {
			return fmt.Errorf("strategy %q does not cover the %d channels", st.Name, len(s.Channels))
		}
		for c, row := range st.Channels {
			if len(row) > len(ChannelMetrics) {
				return fmt.Errorf("strategy %q: %d channel metrics, want %d", st.Name, len(row), len(ChannelMetrics))
			}
			// Saved before the later channel metrics (the service
			// outcomes) existed: they were not measured.
			for len(row) < len(ChannelMetrics) {
				row = append(row, NewEstimate(nanValues(len(s.Seeds))))
			}
			st.Channels[c] = row
		}
		for k := range st.Metrics {
			if len(st.Metrics[k].Values) != len(s.Seeds) {
				return fmt.Errorf("strategy %q: %d values for %d replications", st.Name, len(st.Metrics[k].Values), len(s.Seeds))
			}
		}
	}
	for _, a := range s.Attribution {
		if len(a.Credit) != len(sim.AttributionModels) || len(a.Error) != len(sim.AttributionModels) {
			return fmt.Errorf("attribution of %q: %d models, want %d", a.Strategy, len(a.Credit), len(sim.AttributionModels))
		}
		for _, row := range a.Credit {
			if len(row) != len(a.Channels) {
				return fmt.Errorf("attribution of %q: %d credits for %d channels", a.Strategy, len(row), len(a.Channels))
			}
		}
		if len(a.Truth) != len(a.Channels) {
			return fmt.Errorf("attribution of %q: %d truths for %d channels", a.Strategy, len(a.Truth), len(a.Channels))
		}
	}
	for _, h := range s.Holdouts {
		for _, r := range h.Rows {
			if r.Digits < 0 || r.Digits > 12 {
				return fmt.Errorf("holdout of %q: %d decimals; allowed 0 to 12", h.Strategy, r.Digits)
			}
		}
	}
	return nil
}

// nanValues returns n NaNs: a metric not measured in any of n
// replications.
func nanValues(n int) []float64 {
	v := make([]float64, n)
	for k := range v {
		v[k] = math.NaN()
	}
	return v
}
