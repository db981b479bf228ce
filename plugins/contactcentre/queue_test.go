package main

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/journeysim/journeysim/plugins"
	"github.com/journeysim/journeysim/sim"
	"gonum.org/v1/gonum/stat"
)

// With Poisson arrivals, exponential service and customers who never hang
// up, the queue is M/M/c, and its mean wait must agree with the Erlang C
// formula within sampling error.
func TestErlangC(t *testing.T) {
	for _, tc := range []struct {
		lambda, mu float64
		c          int
	}{
		{4, 1, 5},     // 80% busy
		{1.5, 0.5, 4}, // 75% busy
		{9, 1, 10},    // 90% busy
	} {
		rng := rand.New(rand.NewPCG(1, uint64(tc.c)))
		const n = 400_000
		calls := make([]call, n)
		clock := 0.0
		for k := range calls {
			clock += rng.ExpFloat64() / tc.lambda
			calls[k] = call{arrival: clock, service: rng.ExpFloat64() / tc.mu, patience: math.Inf(1)}
		}
		out := serve(calls, tc.c)
		// Leave out the first 5% (the queue starts empty), then batch
		// means for the standard error.
		const batches = 40
		skip := n / 20
		size := (n - skip) / batches
		means := make([]float64, batches)
		waited := 0
		for b := range means {
			for _, o := range out[skip+b*size : skip+(b+1)*size] {
				means[b] += o.wait / float64(size)
				if o.wait > 0 {
					waited++
				}
			}
		}
		mean, sd := stat.MeanStdDev(means, nil)
		se := sd / math.Sqrt(batches)
		pWait, want := erlangC(tc.lambda, tc.mu, tc.c)
		t.Logf("λ=%g μ=%g c=%d: mean wait %.4f ± %.4f (Erlang C %.4f); P(wait) %.4f (Erlang C %.4f)",
			tc.lambda, tc.mu, tc.c, mean, se, want, float64(waited)/float64(batches*size), pWait)
		if math.Abs(mean-want) > 4*se {
			t.Errorf("λ=%g μ=%g c=%d: mean wait %.4f ± %.4f, Erlang C says %.4f", tc.lambda, tc.mu, tc.c, mean, se, want)
		}
		if got := float64(waited) / float64(batches*size); math.Abs(got-pWait) > 0.02 {
			t.Errorf("λ=%g μ=%g c=%d: %.4f of calls wait, Erlang C says %.4f", tc.lambda, tc.mu, tc.c, got, pWait)
		}
	}
}

// The Erlang C formula itself, against values worked by hand: one operator
// (M/M/1) waits ρ/(μ − λ); two operators at a = 1 wait with probability 1/3.
func TestErlangCFormula(t *testing.T) {
	if p, w := erlangC(0.5, 1, 1); math.Abs(p-0.5) > 1e-12 || math.Abs(w-1) > 1e-12 {
		t.Errorf("M/M/1 at ρ = 0.5: P(wait) %v, mean wait %v; want 0.5 and 1", p, w)
	}
	if p, _ := erlangC(1, 1, 2); math.Abs(p-1.0/3) > 1e-12 {
		t.Errorf("two operators, a = 1: P(wait) %v, want 1/3", p)
	}
	if _, w := erlangC(2, 1, 2); !math.IsInf(w, 1) {
		t.Errorf("a full centre waits %v, want +Inf", w)
	}
}

// Impatient customers hang up when the queue is long; context shortens
// operator time and so the waiting; answers are deterministic.
func TestContactCentreBehaviour(t *testing.T) {
	c := centre{}
	params := map[string]float64{}
	for _, p := range c.Describe().Params {
		params[p.Name] = p.Default
	}
	params["operators"] = 1
	beh, err := c.Configure("phone", plugins.Params{Numbers: params})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	batch := &sim.ContactBatch{Channel: "phone", Integration: sim.Multi}
	for j := 0; j < 150; j++ {
		batch.Customer = append(batch.Customer, j)
		batch.Rand = append(batch.Rand, [2]float64{rng.Float64(), rng.Float64()})
	}
	answer := func(level sim.IntegrationLevel) (sim.Responses, int, float64) {
		batch.Integration = level
		var out sim.Responses
		out.Resize(batch.Len())
		if err := beh.Respond(batch, &out); err != nil {
			t.Fatal(err)
		}
		served, csat := 0, 0.0
		for j := range out.Responded {
			if out.Responded[j] {
				served++
			}
			csat += out.Satisfaction[j]
		}
		return out, served, csat / float64(batch.Len())
	}
	// 150 calls of 6 minutes in 480 minutes on one operator: overloaded.
	multi, servedMulti, csatMulti := answer(sim.Multi)
	if servedMulti == batch.Len() {
		t.Error("nobody hangs up in an overloaded centre")
	}
	_, servedOmni, csatOmni := answer(sim.Omni)
	if servedOmni <= servedMulti || csatOmni <= csatMulti {
		t.Errorf("context serves %d (CSAT %.2f), without it %d (CSAT %.2f); context should serve more and better", servedOmni, csatOmni, servedMulti, csatMulti)
	}
	again, _, _ := answer(sim.Multi)
	for j := range again.Responded {
		if again.Responded[j] != multi.Responded[j] || again.Satisfaction[j] != multi.Satisfaction[j] {
			t.Fatal("the same batch gets different answers")
		}
	}
	params["operators"] = 1.5
	if _, err := c.Configure("phone", plugins.Params{Numbers: params}); err == nil {
		t.Error("a fractional number of operators is accepted")
	}
}

// The waits and hang-ups the plugin answers are those of its queue: an
// answered call starts at its arrival plus its wait, in arrival order (first
// come, first served), never with more calls in service than operators, and
// after a wait only when an operator has just finished; a caller who hung up
// waited exactly their patience, with every operator busy at that moment,
// and took no operator time.
func TestWaitsAgreeWithQueue(t *testing.T) {
	c := centre{}
	params := map[string]float64{}
	for _, p := range c.Describe().Params {
		params[p.Name] = p.Default
	}
	const operators = 3
	params["operators"] = operators
	beh, err := c.Configure("phone", plugins.Params{Numbers: params})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	batch := &sim.ContactBatch{Channel: "phone", Integration: sim.Mono}
	for j := range 400 { // 400 calls of ~6 minutes on 3 operators in 480: a queue
		batch.Customer = append(batch.Customer, j)
		batch.Rand = append(batch.Rand, [2]float64{rng.Float64(), rng.Float64()})
	}
	var out sim.Responses
	out.Resize(batch.Len())
	if err := beh.Respond(batch, &out); err != nil {
		t.Fatal(err)
	}
	if err := out.Check(batch); err != nil {
		t.Fatal(err)
	}
	const eps = 1e-9
	type interval struct{ arrival, start, end float64 }
	var served []interval
	abandoned, waited := 0, 0
	for j := range batch.Customer {
		arrival := batch.Rand[j][0] * params["open_minutes"]
		wait := out.Wait[j]
		if wait > 0 {
			waited++
		}
		if out.Abandoned[j] {
			abandoned++
			_, u3 := split(batch.Rand[j][1])
			patience := -params["patience_minutes"] * math.Log(u3)
			if math.Abs(wait-patience) > eps || out.Responded[j] || out.Minutes[j] != 0 {
				t.Errorf("call %d hung up after %g minutes (patience %g), responded %v, %g operator minutes", j, wait, patience, out.Responded[j], out.Minutes[j])
			}
			continue
		}
		if !out.Responded[j] || !(out.Minutes[j] > 0) {
			t.Errorf("call %d not abandoned but responded %v with %g operator minutes", j, out.Responded[j], out.Minutes[j])
		}
		if want := math.Max(1, params["satisfaction"]-params["wait_penalty"]*wait); math.Abs(out.Satisfaction[j]-want) > eps {
			t.Errorf("call %d waited %g minutes but is rated %g; its wait gives %g", j, wait, out.Satisfaction[j], want)
		}
		served = append(served, interval{arrival, arrival + wait, arrival + wait + out.Minutes[j]})
	}
	if abandoned == 0 || waited <= abandoned || len(served) == 0 {
		t.Fatalf("%d abandoned, %d waited, %d served: the test needs a queue", abandoned, waited, len(served))
	}
	busy := func(at float64) int { // calls in service at a moment, generously
		n := 0
		for _, s := range served {
			if s.start <= at+eps && at < s.end+eps {
				n++
			}
		}
		return n
	}
	for k, s := range served {
		// At most operators at once: count at the start, strictly inside.
		n := 0
		for _, o := range served {
			if o.start < s.start+eps && s.start+eps < o.end-eps {
				n++
			}
		}
		if n > operators {
			t.Errorf("%d calls in service at minute %g with %d operators", n, s.start, operators)
		}
		if s.start > s.arrival+eps && !slices.ContainsFunc(served, func(o interval) bool { return math.Abs(o.end-s.start) < 1e-6 }) {
			t.Errorf("a call waited until minute %g though no operator finished then", s.start)
		}
		for _, o := range served[:k] {
			if (o.arrival < s.arrival) != (o.start <= s.start+eps) && o.arrival != s.arrival {
				t.Errorf("not first come, first served: arrived %g started %g; arrived %g started %g", o.arrival, o.start, s.arrival, s.start)
			}
		}
	}
	for j := range batch.Customer {
		if out.Abandoned[j] {
			if at := batch.Rand[j][0]*params["open_minutes"] + out.Wait[j]; busy(at) < operators {
				t.Errorf("call %d hung up at minute %g with %d of %d operators busy", j, at, busy(at), operators)
			}
		}
	}
}
