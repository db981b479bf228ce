package results

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"math"
	"strconv"
)

func formatFloat(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// WriteCSV writes the summary as one tidy table: a row per strategy (and
// channel) and metric, with the mean and the bounds of its 95% interval.
// Strategy-level rows leave the channel column empty.
func (s *Summary) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"scenario", "version", "seed", "replications", "strategy", "channel", "metric", "unit", "mean", "ci95_low", "ci95_high"})
	base := []string{s.Scenario, s.Version, strconv.FormatUint(s.Seed, 10), strconv.Itoa(len(s.Seeds))}
	row := func(strategy, channel, metric, unit string, e Estimate) {
		lo, hi := math.NaN(), math.NaN()
		if !math.IsNaN(e.CI95) {
			lo, hi = e.Mean-e.CI95, e.Mean+e.CI95
		}
		cw.Write(append(append([]string{}, base...), strategy, channel, metric, unit,
			formatFloat(e.Mean), formatFloat(lo), formatFloat(hi)))
	}
	for _, st := range s.Strategies {
		for k, met := range Metrics {
			row(st.Name, "", met.Key, met.Unit, st.Metrics[k])
		}
		for c, ch := range s.Channels {
			if !st.On[c] {
				continue
			}
			for k, met := range ChannelMetrics {
				row(st.Name, ch, met.Key, met.Unit, st.Channels[c][k])
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteReplicationsCSV writes every replication's value of every metric, one
// row each, with the replication's own seed: the raw data behind the
// summary.
func (s *Summary) WriteReplicationsCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"scenario", "version", "seed", "replication", "replication_seed", "strategy", "channel", "metric", "value"})
	for r, rs := range s.Seeds {
		base := []string{s.Scenario, s.Version, strconv.FormatUint(s.Seed, 10), strconv.Itoa(r), strconv.FormatUint(rs, 10)}
		for _, st := range s.Strategies {
			for k, met := range Metrics {
				cw.Write(append(append([]string{}, base...), st.Name, "", met.Key, formatFloat(st.Metrics[k].Values[r])))
			}
			for c, ch := range s.Channels {
				if !st.On[c] {
					continue
				}
				for k, met := range ChannelMetrics {
					cw.Write(append(append([]string{}, base...), st.Name, ch, met.Key, formatFloat(st.Channels[c][k].Values[r])))
				}
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteSeriesCSV writes the per-tick outcomes of every strategy and
// replication.
func (s *Summary) WriteSeriesCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"scenario", "version", "seed", "replication", "strategy", "tick", "contacts", "responses", "purchases", "active", "revenue", "mean_loyalty"})
	res := s.result
	for r := range s.Seeds {
		for k, st := range s.Strategies {
			tot := &res.Totals[k][r]
			for t, x := range tot.Series {
				cw.Write([]string{s.Scenario, s.Version, strconv.FormatUint(s.Seed, 10), strconv.Itoa(r), st.Name, strconv.Itoa(t),
					strconv.FormatInt(x.Contacts, 10), strconv.FormatInt(x.Responses, 10), strconv.FormatInt(x.Purchases, 10),
					strconv.FormatInt(x.Active, 10), formatFloat(x.Revenue), formatFloat(x.Loyalty / float64(tot.Customers))})
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// jsonNumber is a float that encodes NaN as null.
type jsonNumber float64

func (n jsonNumber) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(n)) || math.IsInf(float64(n), 0) {
		return []byte("null"), nil
	}
	return []byte(strconv.FormatFloat(float64(n), 'g', -1, 64)), nil
}

type jsonEstimate struct {
	Mean   jsonNumber   `json:"mean"`
	CI95   jsonNumber   `json:"ci95"`
	Values []jsonNumber `json:"values"`
}

func toJSON(e Estimate) jsonEstimate {
	out := jsonEstimate{Mean: jsonNumber(e.Mean), CI95: jsonNumber(e.CI95)}
	for _, v := range e.Values {
		out.Values = append(out.Values, jsonNumber(v))
	}
	return out
}

// WriteJSON writes the summary as one JSON document.
func (s *Summary) WriteJSON(w io.Writer) error {
	type channel struct {
		Channel   string                  `json:"channel"`
		Kind      string                  `json:"kind"`
		Direction string                  `json:"direction"`
		Metrics   map[string]jsonEstimate `json:"metrics"`
	}
	type strategy struct {
		Name        string                  `json:"name"`
		Description string                  `json:"description,omitempty"`
		Metrics     map[string]jsonEstimate `json:"metrics"`
		Channels    []channel               `json:"channels"`
	}
	doc := struct {
		Scenario    string     `json:"scenario"`
		Version     string     `json:"version"`
		Seed        string     `json:"seed"`
		Seeds       []string   `json:"replication_seeds"`
		Horizon     int        `json:"horizon"`
		Tick        string     `json:"tick"`
		Customers   int        `json:"customers"`
		Interrupted bool       `json:"interrupted"`
		Strategies  []strategy `json:"strategies"`
	}{s.Scenario, s.Version, strconv.FormatUint(s.Seed, 10), nil, s.Horizon, s.TickLabel, s.Customers, s.Interrupted, nil}
	// Seeds are text: they exceed 2^53, which many JSON readers cannot hold.
	for _, rs := range s.Seeds {
		doc.Seeds = append(doc.Seeds, strconv.FormatUint(rs, 10))
	}
	for _, st := range s.Strategies {
		js := strategy{Name: st.Name, Description: st.Description, Metrics: map[string]jsonEstimate{}}
		for k, met := range Metrics {
			js.Metrics[met.Key] = toJSON(st.Metrics[k])
		}
		for c, ch := range s.Channels {
			if !st.On[c] {
				continue
			}
			info := s.result.Model.Channels[c]
			jc := channel{Channel: ch, Kind: info.Kind.String(), Direction: info.Direction.String(), Metrics: map[string]jsonEstimate{}}
			for k, met := range ChannelMetrics {
				jc.Metrics[met.Key] = toJSON(st.Channels[c][k])
			}
			js.Channels = append(js.Channels, jc)
		}
		doc.Strategies = append(doc.Strategies, js)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
