package serve

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/charts"
	"github.com/journeysim/journeysim/results/output"
	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/sim"
	"github.com/journeysim/journeysim/sim/text"
)

// runRequest is what a page asks to run: a strategy, the lesson's
// controls (null: the strategy's own setting), a population and a
// horizon (0: the page's default).
type runRequest struct {
	Strategy  string     `json:"strategy"`
	Values    []*float64 `json:"values"`
	Customers int        `json:"customers"`
	Horizon   int        `json:"horizon"`
}

// runPlan is a request checked: what to run.
type runPlan struct {
	strategy string
	// set are the controls the request sets, with their values.
	set       []controlValue
	customers int
	horizon   int
}

// controlValue is a control set to a value.
type controlValue struct {
	control int // index into the lesson's controls
	value   float64
}

// decodeRunRequest reads and checks a run request for lesson l: every
// field known, the strategy one of the lesson's, each value within its
// control's bounds and steps, the population and horizon within the
// server's limits. Its errors are for the person who sent it.
func (s *Server) decodeRunRequest(l *Lesson, body []byte) (runPlan, error) {
	var req runRequest
	if err := decodeStrict(body, &req); err != nil {
		return runPlan{}, fmt.Errorf("the request is not a run request: %v", err)
	}
	return s.checkRunRequest(l, req)
}

// decodeStrict reads exactly one JSON value into v, every field known.
func decodeStrict(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("more than one request")
	}
	return nil
}

// checkRunRequest checks req against lesson l and the server's limits.
func (s *Server) checkRunRequest(l *Lesson, req runRequest) (runPlan, error) {
	m := l.Scenario.Model
	if m.StrategyIndex(req.Strategy) < 0 {
		return runPlan{}, fmt.Errorf("strategy %q: allowed: %s", clip(req.Strategy), strings.Join(strategyNames(m), ", "))
	}
	plan := runPlan{strategy: req.Strategy}
	ctls := controls(l.Scenario)
	if len(req.Values) > len(ctls) {
		return runPlan{}, fmt.Errorf("%d control values; allowed at most %d, one per control in order (null: the strategy's own)", len(req.Values), len(ctls))
	}
	for i, v := range req.Values {
		if v == nil {
			continue
		}
		if err := ctls[i].Check(*v); err != nil {
			return runPlan{}, err
		}
		plan.set = append(plan.set, controlValue{control: i, value: *v})
	}
	cr := s.customerRange(l)
	switch {
	case req.Customers == 0:
		plan.customers = cr.Default
	case req.Customers < cr.Min || req.Customers > cr.Max:
		return runPlan{}, fmt.Errorf("customers %d: allowed %s to %s", req.Customers, text.GroupThousands(fmt.Sprint(cr.Min)), text.GroupThousands(fmt.Sprint(cr.Max)))
	default:
		plan.customers = req.Customers
	}
	switch {
	case req.Horizon == 0:
		plan.horizon = m.Horizon
	case req.Horizon < 1 || req.Horizon > m.Horizon:
		return runPlan{}, fmt.Errorf("horizon %d: allowed 1 to %d %ss", req.Horizon, m.Horizon, m.TickLabel)
	default:
		plan.horizon = req.Horizon
	}
	return plan, nil
}

// clip shortens what a request sent to quote it back.
func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

func strategyNames(m *sim.Model) []string {
	var names []string
	for _, st := range m.Strategies {
		names = append(names, st.Name)
	}
	return names
}

// progressLine and resultLine are the lines a run streams, one JSON
// object a line: progress as it goes, then the result or an error.
type progressLine struct {
	Progress float64 `json:"progress"`
}

// runResult is a finished run as the page shows it.
type runResult struct {
	// Facts say what ran: population, horizon, replications, seed.
	Facts string `json:"facts"`
	// Strategies are those run: the baseline, then the strategy tried
	// when it is another.
	Strategies []string `json:"strategies"`
	// Key is the key results: a header and rows of cells.
	Key keyTable `json:"key"`
	// Chart is the lesson's one chart as an SVG data address; empty when
	// there is none.
	Chart      string `json:"chart,omitempty"`
	ChartTitle string `json:"chart_title,omitempty"`
	// Note says what to keep in mind reading it.
	Note string `json:"note,omitempty"`
}

type keyTable struct {
	Header []string        `json:"header"`
	Rows   [][]output.Cell `json:"rows"`
}

func (s *Server) run(w http.ResponseWriter, r *http.Request) {
	l, ok := s.apiLesson(w, r)
	if !ok {
		return
	}
	plan, ok := decodeBody(w, r, func(b []byte) (runPlan, error) { return s.decodeRunRequest(l, b) })
	if !ok {
		return
	}
	// Made ready before it waits for a slot: settings that do not make a
	// scenario that runs are the request's fault.
	p, err := prepare(l, plan)
	if err != nil {
		httpError(w, http.StatusBadRequest, err.Error())
		return
	}
	s.stream(w, r, l, func(ctx context.Context, progress func(float64)) (any, error) {
		return s.execute(ctx, p, progress)
	})
}

// stream does work once a run slot is free, streaming its progress and
// then its result ({"result": …}) or error ({"error": …}), one JSON
// object a line. The work is cancelled when the browser goes away or
// stops reading.
func (s *Server) stream(w http.ResponseWriter, r *http.Request, l *Lesson, work func(context.Context, func(float64)) (any, error)) {
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	release, err := s.acquire(ctx, true)
	if errors.Is(err, errBusy) {
		busy(w)
		return
	}
	if err != nil {
		return // the browser went away while queued
	}
	defer release()

	w.Header().Set("Content-Type", "application/x-ndjson")
	w.Header().Set("Cache-Control", "no-store")
	rc := http.NewResponseController(w)
	send := func(v any) bool {
		rc.SetWriteDeadline(time.Now().Add(10 * time.Second))
		line, _ := json.Marshal(v)
		if _, err := w.Write(append(line, '\n')); err != nil {
			cancel() // a browser that stopped reading stops its run
			return false
		}
		rc.Flush()
		return true
	}
	progress := make(chan float64, 1)
	done := make(chan struct{})
	var res any
	var runErr error
	go func() {
		defer close(done)
		res, runErr = work(ctx, func(f float64) {
			select {
			case progress <- f:
			default: // the page only needs the latest
			}
		})
	}()
	tick := time.NewTicker(150 * time.Millisecond)
	defer tick.Stop()
	last := -1.0
	for {
		select {
		case <-done:
			if runErr != nil {
				if ctx.Err() == nil {
					s.cfg.Logf("lesson %s: %v", l.Name, runErr)
					send(map[string]string{"error": runErr.Error()})
				}
				return
			}
			send(map[string]any{"result": res})
			return
		case <-tick.C:
			select {
			case f := <-progress:
				if f > last {
					last = f
					send(progressLine{Progress: math.Round(f*1000) / 1000})
				}
			default:
			}
		}
	}
}

// prepared is a run made ready: its scenario, sized, and the strategy it
// tries.
type prepared struct {
	sc *scenarios.Scenario
	// tried is the index of the strategy tried: the strategy asked for,
	// or, when the run sets the strategy's own controls (its levers, say),
	// a copy of it with them (your_NAME), so that the strategy itself, the
	// baseline perhaps, stays as it is.
	tried int
	// written is the population the scenario was written for.
	written int
}

// prepare loads lesson l's scenario again with plan's settings, so that
// the run changes a model of its own: the settings of the whole scenario
// applied to it, those of the strategy to a copy of the strategy; and
// sizes it (size).
func prepare(l *Lesson, plan runPlan) (prepared, error) {
	ctls := controls(l.Scenario)
	var global []scenarios.Override
	variant := scenarios.Variant{Name: "your_" + plan.strategy, Extends: plan.strategy}
	for _, cv := range plan.set {
		c := ctls[cv.control]
		if strategyControl(c) {
			variant.Overrides = append(variant.Overrides, c.Override(variant.Name, cv.value))
		} else {
			global = append(global, c.Override("", cv.value))
		}
	}
	sc, err := l.Scenario.With(global, l.Options)
	if err == nil && len(variant.Overrides) > 0 {
		variant.Description = sc.Model.Strategies[sc.Model.StrategyIndex(plan.strategy)].Description + " (as set on the page)"
		sc, err = sc.WithVariants([]scenarios.Variant{variant}, l.Options)
	}
	if err != nil {
		return prepared{}, fmt.Errorf("the settings do not make a scenario that runs: %w", err)
	}
	p := prepared{sc: sc, tried: sc.Model.StrategyIndex(plan.strategy)}
	if len(variant.Overrides) > 0 {
		p.tried = sc.Model.StrategyIndex(variant.Name)
	}
	p.written = size(sc.Model, plan.customers, plan.horizon)
	return p, nil
}

// size sets m's population (its fixed costs and earlier reviews scaled
// to it), its horizon,
// and at most MaxReplications replications, and returns the population
// its scenario was written for.
func size(m *sim.Model, customers, horizon int) (written int) {
	written = m.Population.Size
	m.Population.Size = customers
	if customers != written && m.HasFixedCosts() {
		m.ScaleFixedCosts(float64(customers) / float64(written))
	}
	// The reviews from before the run scale with the market too: a
	// smaller market posts fewer reviews, and the earlier ones must weigh
	// against them as they do at full size.
	m.Reviews.Count *= float64(customers) / float64(written)
	m.Horizon = horizon
	m.Replications = max(1, min(m.Replications, MaxReplications))
	return written
}

// keyNames lists the key outcomes of sc by name.
func keyNames(sc *scenarios.Scenario) []string {
	var keys []string
	for _, k := range sc.Key {
		keys = append(keys, k.Name)
	}
	return keys
}

// execute runs plan for lesson l: the strategy tried and the baseline,
// with the settings applied, fixed costs scaled to the population, and
// at most MaxReplications replications.
func (s *Server) execute(ctx context.Context, p prepared, progress func(float64)) (runResult, error) {
	sc, written, m := p.sc, p.written, p.sc.Model
	base, tried := 0, p.tried
	picked := []int{base}
	if tried != base {
		picked = append(picked, tried)
	}
	keys := keyNames(sc)
	sum, res, err := results.Run(ctx, m, results.RunOptions{
		Sim: sim.Options{Workers: s.cfg.Workers, Strategies: picked, Progress: func(done, total int64) {
			if total > 0 {
				progress(float64(done) / float64(total))
			}
		}},
		Summary: results.Options{Baseline: m.Strategies[base].Name, Currency: sc.Currency, Key: keys},
	})
	if err != nil {
		return runResult{}, err
	}
	out := runResult{
		Facts: fmt.Sprintf("%s · %s · %s · seed %d", text.Count(m.Population.Size, "customer"), text.Count(m.Horizon, m.TickLabel),
			text.Count(len(sum.Seeds), "replication"), m.Seed),
	}
	for _, k := range picked {
		out.Strategies = append(out.Strategies, m.Strategies[k].Name)
	}
	g := output.KeyGrid(sum)
	out.Key = keyTable{Header: g.Header, Rows: g.Rows}
	if n := m.Population.Size; n != written {
		out.Note = fmt.Sprintf("A smaller class of customers than the scenario's %s: fixed costs are scaled with it, so amounts are for %s customers.",
			formatInt(written), formatInt(n))
		if m.Reviews.Count > 0 {
			out.Note += " So are the reviews from before the run, which weigh against the buyers' reviews as at full size."
		}
	}
	ts := output.TimeseriesTable(sum, res)
	cs, err := charts.FromRun(sum, ts)
	if err != nil {
		return out, nil // the numbers stand without the chart
	}
	var names []string
	for _, c := range cs {
		names = append(names, c.Name)
	}
	if name := charts.KeyChartName(sum, names); name != "" {
		c := cs[slices.IndexFunc(cs, func(c *charts.Chart) bool { return c.Name == name })]
		if svg, err := c.Render("svg"); err == nil {
			out.Chart = "data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString(svg)
			out.ChartTitle = c.Title
		}
	}
	return out, nil
}
