package plugins

import (
	"math"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/plugins/proto"
	"github.com/journeysim/journeysim/sim"
)

// A batch survives the trip to the wire and back, column by column.
func TestBatchRoundTrip(t *testing.T) {
	b := &sim.ContactBatch{Channel: "email", Tick: 4, Integration: sim.Omni, Personas: []string{"a", "b"},
		Customer: []int{3, 70000, 1 << 40}, Persona: []int{1, 0, 1},
		Affinity: []float64{0.1, 0.2, 0.3}, Fatigue: []float64{1, 2, 3}, Tolerance: []float64{2, 2, 2},
		Loyalty: []float64{0.5, 0.6, 0.7}, Discount: []float64{0, 0.1, 0.2},
		Rand: [][2]float64{{0.01, 0.99}, {0.5, 0.25}, {math.Nextafter(1, 0), math.SmallestNonzeroFloat64}}}
	got, err := fromProto(toProto(b))
	if err != nil {
		t.Fatal(err)
	}
	if got.Channel != b.Channel || got.Tick != b.Tick || got.Integration != b.Integration {
		t.Errorf("header %s/%d/%v; want %s/%d/%v", got.Channel, got.Tick, got.Integration, b.Channel, b.Tick, b.Integration)
	}
	for j := range b.Customer {
		if got.Customer[j] != b.Customer[j] || got.Persona[j] != b.Persona[j] || got.Affinity[j] != b.Affinity[j] ||
			got.Fatigue[j] != b.Fatigue[j] || got.Tolerance[j] != b.Tolerance[j] || got.Loyalty[j] != b.Loyalty[j] ||
			got.Discount[j] != b.Discount[j] || got.Rand[j] != b.Rand[j] {
			t.Errorf("contact %d differs after the round trip:\n got %+v\nwant %+v", j, got, b)
		}
	}
}

// Answers that do not fit the batch, or fall outside their scales, are
// refused with what was wrong.
func TestFromAnswersRefuses(t *testing.T) {
	b := &sim.ContactBatch{Customer: []int{10, 11}}
	good := func() *proto.Answers {
		return &proto.Answers{Responded: []byte{1, 0}, Satisfaction: floatBytes([]float64{4, math.NaN()}), Effort: floatBytes([]float64{2, math.NaN()})}
	}
	for _, tc := range []struct {
		name string
		edit func(a *proto.Answers)
		want string
	}{
		{"one answer short", func(a *proto.Answers) { a.Responded = a.Responded[:1] }, "answered 1 responses, 2 satisfaction and 2 effort ratings for 2 contacts"},
		{"flag not 0 or 1", func(a *proto.Answers) { a.Responded[1] = 7 }, "column responded: contact 1 holds 7; allowed 0 or 1"},
		{"minutes short", func(a *proto.Answers) { a.Minutes = floatBytes([]float64{1}) }, "column minutes holds 8 bytes for 2 contacts"},
		{"satisfaction too high", func(a *proto.Answers) { a.Satisfaction = floatBytes([]float64{6, 1}) }, "contact 0 (customer 10): satisfaction 6"},
		{"negative purchase", func(a *proto.Answers) { a.Purchase = floatBytes([]float64{0, -5}) }, "contact 1 (customer 11): purchase -5"},
		{"opt-out short", func(a *proto.Answers) { a.OptOut = []byte{1} }, "column opt_out holds 1 bytes for 2 contacts"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := good()
			tc.edit(a)
			var out sim.Responses
			err := fromAnswers(a, b, &out)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v; want one saying %q", err, tc.want)
			}
		})
	}
	var out sim.Responses
	if err := fromAnswers(good(), b, &out); err != nil {
		t.Fatalf("good answers refused: %v", err)
	}
	if !out.Responded[0] || out.Responded[1] || out.Satisfaction[0] != 4 || out.Minutes[0] != 0 || out.OptOut[1] {
		t.Errorf("answers read as %+v", out)
	}
}
