package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/output"
	"github.com/journeysim/journeysim/sim"
	"github.com/journeysim/journeysim/sim/text"
)

// MaxPins is the most pinned runs one comparison takes.
const MaxPins = 6

// compareRequest asks to compare pinned runs, each as a run request, with
// the one at Baseline.
type compareRequest struct {
	Pins     []runRequest `json:"pins"`
	Baseline int          `json:"baseline"`
}

// comparePlan is a compare request checked.
type comparePlan struct {
	pins     []runPlan
	baseline int
}

// decodeCompareRequest reads and checks a compare request for lesson l:
// two to MaxPins pins, each a run request as decodeRunRequest checks it,
// all of one population and horizon (so that they are paired), and a
// baseline among them.
func (s *Server) decodeCompareRequest(l *Lesson, body []byte) (comparePlan, error) {
	var req compareRequest
	if err := decodeStrict(body, &req); err != nil {
		return comparePlan{}, fmt.Errorf("the request is not a compare request: %v", err)
	}
	if n := len(req.Pins); n < 2 || n > MaxPins {
		return comparePlan{}, fmt.Errorf("%d pinned runs; compare 2 to %d", n, MaxPins)
	}
	if req.Baseline < 0 || req.Baseline >= len(req.Pins) {
		return comparePlan{}, fmt.Errorf("baseline %d: allowed 0 to %d, one of the pinned runs", req.Baseline, len(req.Pins)-1)
	}
	plan := comparePlan{baseline: req.Baseline}
	for i, r := range req.Pins {
		p, err := s.checkRunRequest(l, r)
		if err != nil {
			return comparePlan{}, fmt.Errorf("pinned run %d: %w", i+1, err)
		}
		if i > 0 && (p.customers != plan.pins[0].customers || p.horizon != plan.pins[0].horizon) {
			return comparePlan{}, fmt.Errorf("pinned run %d has %s over %s, pinned run 1 %s over %s: pin runs of one size to compare them, replication by replication",
				i+1, text.Count(p.customers, "customer"), text.Count(p.horizon, l.Scenario.Model.TickLabel),
				text.Count(plan.pins[0].customers, "customer"), text.Count(plan.pins[0].horizon, l.Scenario.Model.TickLabel))
		}
		plan.pins = append(plan.pins, p)
	}
	return plan, nil
}

// compareResult is pinned runs side by side, with each compared with the
// baseline pin, replication by replication.
type compareResult struct {
	Facts string   `json:"facts"`
	Names []string `json:"names"`
	// Key is the key results of every pin; Comparison the paired
	// differences from the baseline pin, with their verdicts.
	Key        keyTable `json:"key"`
	Comparison keyTable `json:"comparison"`
	Notes      []string `json:"notes,omitempty"`
}

func (s *Server) compare(w http.ResponseWriter, r *http.Request) {
	l, ok := s.apiLesson(w, r)
	if !ok {
		return
	}
	plan, ok := decodeBody(w, r, func(b []byte) (comparePlan, error) { return s.decodeCompareRequest(l, b) })
	if !ok {
		return
	}
	pins, err := preparePins(l, plan)
	if err != nil {
		httpError(w, http.StatusBadRequest, err.Error())
		return
	}
	s.stream(w, r, l, func(ctx context.Context, progress func(float64)) (any, error) {
		return s.executeCompare(ctx, pins, plan, progress)
	})
}

// pinName names pinned run i (from 0) that tries strategy.
func pinName(i int, strategy string) string {
	return fmt.Sprintf("%d: %s", i+1, strategy)
}

// executeCompare runs each pin's strategy with its settings, one run
// each, all with the scenario's seed: the runs share their customers and
// random draws (common random numbers), so that their replications pair
// up as those of one run do. Their results are then summarized as one
// run of as many strategies, the baseline pin first among equals.
func (s *Server) executeCompare(ctx context.Context, pins []prepared, plan comparePlan, progress func(float64)) (compareResult, error) {
	var merged *sim.Result
	var currency string
	var keys []string
	var names []string
	for i, pp := range pins {
		p := plan.pins[i]
		sc, m, k := pp.sc, pp.sc.Model, pp.tried
		n := len(pins)
		res, err := sim.Run(ctx, m, sim.Options{Workers: s.cfg.Workers, Strategies: []int{k}, Progress: func(done, total int64) {
			if total > 0 {
				progress((float64(i) + float64(done)/float64(total)) / float64(n))
			}
		}})
		if err != nil {
			return compareResult{}, fmt.Errorf("pinned run %d: %w", i+1, err)
		}
		st := m.Strategies[k]
		st.Name = pinName(i, p.strategy)
		names = append(names, st.Name)
		if merged == nil {
			model := *m
			model.Strategies = nil
			merged = &sim.Result{Model: &model, Seeds: res.Seeds}
			currency, keys = sc.Currency, keyNames(sc)
		}
		if !slices.Equal(res.Seeds, merged.Seeds) {
			return compareResult{}, fmt.Errorf("pinned run %d ran other replications", i+1)
		}
		merged.Model.Strategies = append(merged.Model.Strategies, st)
		merged.Strategies = append(merged.Strategies, i)
		merged.Totals = append(merged.Totals, res.Totals[0])
		merged.CustomerTicks += res.CustomerTicks
	}
	sum, err := results.Summarize(merged, results.Options{Baseline: names[plan.baseline], Currency: currency, Key: keys})
	if err != nil {
		return compareResult{}, err
	}
	m := merged.Model
	out := compareResult{
		Facts: fmt.Sprintf("%s · %s · %s · seed %d, the same customers and random draws in every pinned run", text.Count(m.Population.Size, "customer"),
			text.Count(m.Horizon, m.TickLabel), text.Count(len(sum.Seeds), "replication"), m.Seed),
		Names: names,
	}
	g := output.KeyGrid(sum)
	out.Key = keyTable{Header: g.Header, Rows: g.Rows}
	c := output.ComparisonGrid(sum)
	out.Comparison = keyTable{Header: c.Header, Rows: c.Rows}
	if len(sum.Seeds) < 2 {
		out.Notes = append(out.Notes, "One replication: no interval and no verdict. A scenario of two or more replications gives both.")
	} else {
		out.Notes = append(out.Notes, "Better or worse: the whole 95% interval of the paired difference is on that side of 0, so it is not noise.")
	}
	return out, nil
}

// preparePins makes each pin of plan ready to run (prepare), and checks
// that they can be summarized as one run: what the summary counts costs,
// discounting and time by (the levers' and channels' costs, the discount
// rate, the ticks in a year) is taken from the first pin, so it must be
// the same in all.
func preparePins(l *Lesson, plan comparePlan) ([]prepared, error) {
	var out []prepared
	for i, p := range plan.pins {
		pp, err := prepare(l, p)
		if err != nil {
			return nil, fmt.Errorf("pinned run %d: %w", i+1, err)
		}
		if i > 0 && costBasis(pp.sc.Model) != costBasis(out[0].sc.Model) {
			return nil, fmt.Errorf("pinned runs 1 and %d differ in what costs, discounting or time are counted by (a lever's cost, a channel's fixed cost, the discount rate); compare pins that share it", i+1)
		}
		out = append(out, pp)
	}
	return out, nil
}

// costBasis writes out what a summary of m reads from the model itself,
// not from its runs: the levers (their costs and investments), the
// channels' fixed costs and costs per customer, the discount rate and
// the ticks in a year. (Costs per contact or minute and commissions are
// counted into the runs' totals.)
func costBasis(m *sim.Model) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v %v %v|", m.DiscountRate, m.TicksPerYear, m.Levers)
	for _, c := range m.Channels {
		fmt.Fprintf(&b, "%v %v|", c.FixedCost, c.CostPerCustomer)
	}
	return b.String()
}

// decodeBody reads a request's body and decodes it with decode: a body
// over maxBody bytes is answered 413, one decode refuses 400 with its
// reason; then it returns false.
func decodeBody[T any](w http.ResponseWriter, r *http.Request, decode func([]byte) (T, error)) (T, bool) {
	var zero T
	body, ok := readBody(w, r)
	if !ok {
		return zero, false
	}
	v, err := decode(body)
	if err != nil {
		httpError(w, http.StatusBadRequest, err.Error())
		return zero, false
	}
	return v, true
}

// readBody reads a request's body, at most maxBody bytes, or answers
// with the error and returns false.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			httpError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the request is over %d bytes", maxBody))
			return nil, false
		}
		httpError(w, http.StatusBadRequest, "the request could not be read")
		return nil, false
	}
	return body, true
}
