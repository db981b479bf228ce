package output

import (
	"bytes"
	"testing"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/internal/fixture"
)

// FuzzReadJSON: a damaged summary.json is an error, never a panic, and
// whatever reads back renders.
func FuzzReadJSON(f *testing.F) {
	s, err := results.Summarize(fixture.Result(), results.Options{})
	if err != nil {
		f.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, s); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte(`{"Seeds": ["x"]}`))
	f.Add([]byte(`{"Strategies": [{"Metrics": [{"mean": null}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ReadJSON(bytes.NewReader(data))
		if err != nil {
			return
		}
		var out bytes.Buffer
		_ = WriteTable(&out, s) // may fail on an inconsistent summary, must not panic
	})
}
