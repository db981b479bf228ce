package scenarios_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/sim"
)

// lessonSeeds are the seeds every lesson's claim is checked under: a
// lesson must hold whatever the draw, not for one lucky seed.
var lessonSeeds = []uint64{1, 2, 3}

// outcome returns metric key of every strategy, by name, in one run.
func outcome(t *testing.T, m *sim.Model, key string) map[string]float64 {
	t.Helper()
	res, err := sim.Run(context.Background(), m, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var met results.Metric
	for _, x := range results.Metrics {
		if x.Key == key {
			met = x
		}
	}
	out := map[string]float64{}
	for k, si := range res.Strategies {
		out[m.Strategies[si].Name] = met.Value(&res.Totals[k][0], m)
	}
	return out
}

// Each built-in lesson's stated outcome holds under several seeds.
func TestLessonsHold(t *testing.T) {
	for _, tc := range []struct {
		scenario string
		claim    func(t *testing.T, m *sim.Model) error
	}{
		{"email-pressure", func(t *testing.T, m *sim.Model) error {
			rev := outcome(t, m, "revenue")
			best, top := "", 0.0
			for name, v := range rev {
				if v > top {
					best, top = name, v
				}
			}
			if best != "email_2pw" && best != "email_3pw" {
				return fmt.Errorf("revenue peaks at %s, not at two or three a week: %v", best, rev)
			}
			if !(rev["email_7pw"] < rev["email_1pw"]) {
				return fmt.Errorf("seven a week (%.0f) does not earn less than one (%.0f)", rev["email_7pw"], rev["email_1pw"])
			}
			return nil
		}},
		{"retail-omnichannel", func(t *testing.T, m *sim.Model) error {
			steps := []string{"store_only", "multichannel", "crosschannel", "omnichannel"}
			for _, key := range []string{"revenue", "profit"} {
				v := outcome(t, m, key)
				prev := 0.0
				for k := 1; k < len(steps); k++ {
					gain := v[steps[k]] - v[steps[k-1]]
					if !(gain > 0) {
						return fmt.Errorf("%s falls from %s to %s: %v", key, steps[k-1], steps[k], v)
					}
					if k > 1 && !(gain < prev) {
						return fmt.Errorf("%s: the step to %s (%.0f) is not smaller than the one before (%.0f)", key, steps[k], gain, prev)
					}
					prev = gain
				}
			}
			return nil
		}},
		{"hotel-stay", func(t *testing.T, m *sim.Model) error {
			p := outcome(t, m, "profit")
			direct := p["direct_crm"] - p["ota_dependent"]
			app := p["connected_guest"] - p["direct_crm"]
			if !(direct > 0.05*p["ota_dependent"]) {
				return fmt.Errorf("going direct adds %.0f to %.0f profit: not more than 5%%", direct, p["ota_dependent"])
			}
			if !(app < direct/5) {
				return fmt.Errorf("the app adds %.0f, not under a fifth of going direct (%.0f)", app, direct)
			}
			return nil
		}},
	} {
		for _, seed := range lessonSeeds {
			t.Run(fmt.Sprintf("%s/seed=%d", tc.scenario, seed), func(t *testing.T) {
				t.Parallel()
				m, err := scenarios.Builtin(tc.scenario)
				if err != nil {
					t.Fatal(err)
				}
				if m.Lesson == nil {
					t.Fatalf("%s has no lesson", tc.scenario)
				}
				m.Seed, m.Replications = seed, 1
				if err := tc.claim(t, m); err != nil {
					t.Errorf("lesson %q does not hold: %v\nits claim: %s", m.Lesson.Title, err, m.Lesson.Expect)
				}
			})
		}
	}
}
