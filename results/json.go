package results

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
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

// WriteJSON writes the summary as one JSON document, which ReadJSON reads
// back.
func (s *Summary) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}

// ReadJSON reads a summary written by WriteJSON.
func ReadJSON(r io.Reader) (*Summary, error) {
	var s Summary
	dec := json.NewDecoder(r)
	if err := dec.Decode(&s); err != nil {
		return nil, err
	}
	// Metric definitions come from this version; a saved run keeps its
	// own list of keys, units and labels.
	return &s, nil
}

// jsonBytes renders the summary's JSON.
func (s *Summary) jsonBytes() ([]byte, error) {
	var buf bytes.Buffer
	err := s.WriteJSON(&buf)
	return buf.Bytes(), err
}
