package sim_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/sim"
)

// A run-time expression error makes Run return an error that names the
// expression; it never panics.
func TestRunTimeExpressionError(t *testing.T) {
	cases := []struct {
		name, strategy, extra, source string
	}{
		{"trigger modulo by a zero count", `name: s
triggers:
  - {name: a, when: "tick % purchases == 0", channel: email}`, "", "tick % purchases == 0"},
		{"trigger modulo by a zero count on the VM", `name: s
triggers:
  - {name: a, when: "tick % purchases == 0 && len(persona) > 0", channel: email}`, "", "tick % purchases == 0 && len(persona) > 0"},
		{"edge probability modulo by zero", `name: s`, "", "1 % purchases"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := triggerScenario(100, 10, "", tc.strategy, tc.extra)
			if tc.name == "edge probability modulo by zero" {
				src = replaceOnce(t, src, `p: "0"`, `p: "1 % purchases"`)
			}
			m := load(t, src)
			var res *sim.Result
			var err error
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Fatalf("Run panicked: %v", p)
					}
				}()
				res, err = sim.Run(context.Background(), m, sim.Options{Workers: 2})
			}()
			if err == nil {
				t.Fatalf("no error; totals %+v", res.Totals)
			}
			if res != nil {
				t.Errorf("a failed run returned a result")
			}
			msg := err.Error()
			if !strings.Contains(msg, "divide by zero") && !strings.Contains(msg, "division by zero") {
				t.Errorf("error %q does not say what went wrong", msg)
			}
			if !strings.Contains(msg, tc.source) {
				t.Errorf("run-time error %q does not name the expression %q", msg, tc.source)
			}
		})
	}
}

// A behaviour that fails or answers the wrong number of contacts fails the
// run with the channel's name.
type failing struct{ short bool }

func (f failing) Respond(b *sim.ContactBatch, out *sim.Responses) error {
	if f.short {
		out.Responded = out.Responded[:len(out.Responded)-1]
		return nil
	}
	return errors.New("plugin went away")
}

func TestBehaviourErrors(t *testing.T) {
	for _, short := range []bool{false, true} {
		m := load(t, triggerScenario(10, 5, "", `name: s
triggers:
  - {name: a, when: "tick == 2", channel: push}`, ""))
		m.Channels[1].Behaviour = failing{short}
		_, err := sim.Run(context.Background(), m, sim.Options{})
		if err == nil || !strings.Contains(err.Error(), "push") || !strings.Contains(err.Error(), "tick 2") {
			t.Errorf("short=%v: error %v does not name channel push and tick 2", short, err)
		}
	}
}

// Run refuses a model that fails Validate instead of panicking.
func TestRunInvalidModel(t *testing.T) {
	breakers := map[string]func(m *sim.Model){
		"horizon 0":          func(m *sim.Model) { m.Horizon = 0 },
		"no customers":       func(m *sim.Model) { m.Population.Size = 0 },
		"no replications":    func(m *sim.Model) { m.Replications = 0 },
		"no strategies":      func(m *sim.Model) { m.Strategies = nil },
		"per_tick 0":         func(m *sim.Model) { m.Strategies[0].PerTick = 0 },
		"cap window 65":      func(m *sim.Model) { m.Strategies[0].Caps = []sim.Cap{{Channel: -1, Max: 1, Window: 65}} },
		"trigger channel 9":  func(m *sim.Model) { m.Strategies[0].Triggers[0].Channel = 9 },
		"no behaviour":       func(m *sim.Model) { m.Channels[0].Behaviour = nil },
		"no personas":        func(m *sim.Model) { m.Population.Personas = nil },
		"no nodes":           func(m *sim.Model) { m.Nodes = nil },
		"33 channels":        func(m *sim.Model) { m.Channels = make([]sim.Channel, 33) },
		"trigger channel -1": func(m *sim.Model) { m.Strategies[0].Triggers[0].Channel = -1 },
	}
	for name, brk := range breakers {
		m := reference(t, 10, 5)
		brk(m)
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("%s: Run panicked: %v", name, p)
				}
			}()
			if _, err := sim.Run(context.Background(), m, sim.Options{}); err == nil {
				t.Errorf("%s: no error", name)
			}
		}()
	}
}

// A run cancelled before it starts returns Interrupted, no replications,
// and the context's error.
func TestRunCancelledBeforeStart(t *testing.T) {
	m := reference(t, 500, 20)
	m.Replications = 2
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := sim.Run(ctx, m, sim.Options{Workers: 2})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if res == nil || !res.Interrupted {
		t.Fatalf("result %+v: not interrupted", res)
	}
	if len(res.Seeds) != 0 {
		t.Errorf("%d replications kept from a run cancelled before it started", len(res.Seeds))
	}
	for k, tt := range res.Totals {
		if len(tt) != 0 {
			t.Errorf("strategy %d: %d replications kept", k, len(tt))
		}
	}
}

// A run cancelled part way keeps only complete replications, each equal to
// the same replication of an uninterrupted run.
func TestRunCancelledMidway(t *testing.T) {
	m := reference(t, sim.ChunkSize*2+10, 30)
	m.Replications = 4
	full := run(t, m, sim.Options{Workers: 2})
	for _, frac := range []float64{0.1, 0.3, 0.6, 0.9} {
		t.Run(fmt.Sprint(frac), func(t *testing.T) { checkCancelledAt(t, m, full, frac) })
	}
	// An uninterrupted run is not marked interrupted.
	if full.Interrupted || len(full.Seeds) != 4 {
		t.Errorf("uninterrupted run: Interrupted %v, %d seeds", full.Interrupted, len(full.Seeds))
	}
}

// Progress calls never go backwards and end at the total.
func TestProgress(t *testing.T) {
	m := reference(t, sim.ChunkSize+1, 7)
	m.Replications = 2
	var last, total int64
	calls := 0
	res := run(t, m, sim.Options{Workers: 4, Progress: func(done, tot int64) {
		calls++
		if done < last {
			t.Errorf("progress went back from %d to %d", last, done)
		}
		last, total = done, tot
	}})
	if want := int64(2 * (sim.ChunkSize + 1) * 7 * 3); total != want || last != total || res.CustomerTicks != want {
		t.Errorf("progress ended at %d of %d, customer-ticks %d; want %d", last, total, res.CustomerTicks, want)
	}
	if calls == 0 {
		t.Error("Progress never called")
	}
}

// checkCancelledAt runs m, cancelling once frac of its customer-ticks are
// done, and checks that only complete replications are kept, each equal to
// the same replication of full, an uninterrupted run, and that progress
// never goes backwards.
func checkCancelledAt(t *testing.T, m *sim.Model, full *sim.Result, frac float64) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var last int64
	res, err := sim.Run(ctx, m, sim.Options{Workers: 1, Progress: func(done, total int64) {
		if done < last {
			t.Errorf("progress went back from %d to %d", last, done)
		}
		last = done
		if float64(done) >= frac*float64(total) {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if !res.Interrupted {
		t.Fatal("not interrupted")
	}
	n := len(res.Seeds)
	if n >= m.Replications {
		t.Fatalf("%d of %d replications complete after cancelling at %g", n, m.Replications, frac)
	}
	if n < int(frac*float64(m.Replications))-1 {
		t.Errorf("only %d replications kept after cancelling at %g of %d", n, frac, m.Replications)
	}
	if !slices.Equal(res.Seeds, full.Seeds[:n]) {
		t.Errorf("seeds %v, want %v", res.Seeds, full.Seeds[:n])
	}
	for k := range res.Totals {
		if len(res.Totals[k]) != n {
			t.Fatalf("strategy %d: %d replications, %d seeds", k, len(res.Totals[k]), n)
		}
		for r := range n {
			if !reflect.DeepEqual(res.Totals[k][r], full.Totals[k][r]) {
				t.Errorf("strategy %d replication %d differs from the uninterrupted run", k, r)
			}
		}
	}
}
