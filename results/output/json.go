package output

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/journeysim/journeysim/results"
)

// WriteJSON writes the summary as one JSON document, which ReadJSON reads
// back.
func WriteJSON(w io.Writer, s *results.Summary) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}

// ReadJSON reads a summary written by WriteJSON.
func ReadJSON(r io.Reader) (*results.Summary, error) {
	var s results.Summary
	dec := json.NewDecoder(r)
	if err := dec.Decode(&s); err != nil {
		return nil, err
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return &s, nil
}

// jsonBytes renders the summary's JSON.
func jsonBytes(s *results.Summary) ([]byte, error) {
	var buf bytes.Buffer
	err := WriteJSON(&buf, s)
	return buf.Bytes(), err
}
