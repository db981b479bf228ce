// Package experiment reads experiment files: a scenario, the parameters to
// vary and their ranges, a design that picks the points to run, the
// strategies, replications, outcomes and a seed. docs/experiments.md
// describes the format. The package reads and lays out an experiment; the
// results/sweep package runs one, given a function that runs a unit, and
// analyses what it gives.
package experiment

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/sim"
	"github.com/journeysim/journeysim/sim/text"
	"gopkg.in/yaml.v3"
)

// MaxPoints is the most design points an experiment may have, and
// MaxUnits the most runs (points × replications).
const (
	MaxPoints = 1_000_000
	MaxUnits  = 10_000_000
)

// Experiment is a parsed, checked experiment file.
type Experiment struct {
	Name        string
	Description string
	// File is the experiment file's path and Hash the SHA-256 of its text.
	File, Hash string
	// Scenario is where the scenario came from and its text.
	Scenario scenarios.Source
	Seed     uint64
	// CommonRandomNumbers gives replication r of every point the same
	// seed, so that points differ by their parameters and not by noise;
	// otherwise each point's replications have seeds of their own.
	CommonRandomNumbers bool
	// Replications per point.
	Replications int
	// Strategies are the names of the strategies run, in scenario order.
	Strategies []string
	// Outcomes are the names of the outcomes recorded for each run:
	// metric keys, and per-channel outcomes (channel.CHANNEL.METRIC).
	Outcomes []string
	Params   []Param
	Design   Design
	// Points holds each point's parameter values, in Params order.
	Points [][]scenarios.Value
	// Attribution reruns each strategy of every run with each of its
	// channels switched off and with no contact, which ROMI and the
	// channels' true incremental revenue need.
	Attribution bool
	// Series names the per-tick series recorded for each run.
	Series []string
	// ScaleFixedCosts scales a point's fixed costs and investments with
	// its population, relative to the scenario's (as run
	// --scale-fixed-costs does).
	ScaleFixedCosts bool
	// writtenSize is the scenario's population size as written, and
	// fixedCosts whether it has costs that do not grow with it.
	writtenSize int
	fixedCosts  bool
}

// Param is a parameter the experiment varies.
type Param struct {
	// Path addresses the scenario field, as in scenarios.Override.
	Path string
	// Values lists the values to try, for a list; Min and Max bound a
	// range, and Steps is how many evenly spaced values a grid takes from
	// it. Integer ranges take whole numbers only.
	Values   []scenarios.Value
	Min, Max float64
	Steps    int
	Integer  bool
	// Weights, for a list, are how likely each value is drawn (nil: all
	// alike).
	Weights []float64
	// Dist, for a range, is the distribution its values are drawn from,
	// truncated to Min and Max; nil for uniform.
	Dist *Distribution
}

// Distribution is a named distribution with its parameters, as an
// experiment file gives it: normal (mean, sd), lognormal (mu, sigma: of
// the value's logarithm), triangular (mode, between min and max) and beta
// (alpha, beta, scaled to min and max).
type Distribution struct {
	Kind   string
	Params map[string]float64
}

// Distributions are the distribution kinds a parameter may be drawn from,
// and the parameters each takes.
var Distributions = map[string][]string{
	"uniform":    nil,
	"normal":     {"mean", "sd"},
	"lognormal":  {"mu", "sigma"},
	"triangular": {"mode"},
	"beta":       {"alpha", "beta"},
}

// Varied reports whether the parameter takes more than one value.
func (p Param) Varied() bool { return p.IsRange() || len(p.Values) > 1 }

// IsRange reports whether the parameter is a range rather than a list.
func (p Param) IsRange() bool { return len(p.Values) == 0 }

// Numeric reports whether every value the parameter takes is a number.
func (p Param) Numeric() bool {
	return !slices.ContainsFunc(p.Values, func(v scenarios.Value) bool { return v.IsText })
}

// Design picks the points of an experiment.
type Design struct {
	// Kind is grid, random, lhs (Latin hypercube), sobol (Saltelli's
	// scheme for Sobol' indices) or morris (Morris's elementary effects).
	Kind string
	// Points is the number of points of a random or lhs design, and the
	// number of base points of a sobol design (a power of two).
	Points int
	// Trajectories and Levels size a morris design.
	Trajectories, Levels int
}

// Designs are the design kinds.
var Designs = []string{"grid", "random", "lhs", "sobol", "morris"}

// spec mirrors the file format key by key.
type spec struct {
	Name         scenarios.Field[string]      `yaml:"name"`
	Description  scenarios.Field[string]      `yaml:"description"`
	Scenario     scenarios.Field[string]      `yaml:"scenario"`
	Seed         scenarios.Field[uint64]      `yaml:"seed"`
	CRN          scenarios.Field[bool]        `yaml:"common_random_numbers"`
	Replications scenarios.Field[int]         `yaml:"replications"`
	Strategies   scenarios.Strings            `yaml:"strategies"`
	Outcomes     scenarios.Strings            `yaml:"outcomes"`
	Attribution  scenarios.Field[bool]        `yaml:"attribution"`
	ScaleFixed   scenarios.Field[bool]        `yaml:"scale_fixed_costs"`
	Series       scenarios.Strings            `yaml:"series"`
	Design       designSpec                   `yaml:"design"`
	Parameters   scenarios.Ordered[paramSpec] `yaml:"parameters"`
	Pos          scenarios.Pos                `yaml:"-"`
}

type designSpec struct {
	Kind         scenarios.Field[string] `yaml:"kind"`
	Points       scenarios.Field[int]    `yaml:"points"`
	Trajectories scenarios.Field[int]    `yaml:"trajectories"`
	Levels       scenarios.Field[int]    `yaml:"levels"`
	Pos          scenarios.Pos           `yaml:"-"`
}

type paramSpec struct {
	Values       []scenarios.Field[string]  `yaml:"values"`
	Weights      []scenarios.Field[float64] `yaml:"weights"`
	Min          scenarios.Field[float64]   `yaml:"min"`
	Max          scenarios.Field[float64]   `yaml:"max"`
	Steps        scenarios.Field[int]       `yaml:"steps"`
	Integer      scenarios.Field[bool]      `yaml:"integer"`
	Distribution scenarios.Field[string]    `yaml:"distribution"`
	Mean         scenarios.Field[float64]   `yaml:"mean"`
	SD           scenarios.Field[float64]   `yaml:"sd"`
	Mu           scenarios.Field[float64]   `yaml:"mu"`
	Sigma        scenarios.Field[float64]   `yaml:"sigma"`
	Mode         scenarios.Field[float64]   `yaml:"mode"`
	Alpha        scenarios.Field[float64]   `yaml:"alpha"`
	Beta         scenarios.Field[float64]   `yaml:"beta"`
	Pos          scenarios.Pos              `yaml:"-"`
}

// Options control how an experiment file is read.
type Options struct {
	// Scenario is how the experiment's scenario, and each design point's
	// version of it, is loaded: it serves the plugins the scenario names.
	Scenario scenarios.Options
	// Outcomes lists the outcomes a run of the compiled scenario m can
	// record: the keys of all of them, in the order a message offers
	// them, and the keys of the headline ones, which an experiment
	// records when its file names none. With Outcomes nil, an experiment
	// can record none.
	Outcomes func(m *sim.Model) (keys, headline []string)
	// Outcome, if set, checks each outcome the file names in place of
	// Outcomes' keys: nil if a run of m records the outcome called name,
	// with attribution as the file asks (attribution: true), or an error
	// that says why not and what is allowed, without the name's position.
	Outcome func(m *sim.Model, name string, attribution bool) error
	// Series lists the per-tick series a run of m can record, in the
	// order a message offers them. With Series nil, an experiment can
	// record none.
	Series func(m *sim.Model) []string
}

// Open reads the experiment file at path; its scenario is a built-in's
// name or a path relative to the experiment file.
func Open(path string, opt Options) (*Experiment, error) {
	data, err := scenarios.ReadFile(path)
	if err != nil {
		return nil, scenarios.ErrorList{{File: path, Message: "cannot read the file: " + reason(err)}}
	}
	return Load(path, data, opt)
}

func reason(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// Load parses and checks an experiment file's data; file names it in
// errors and anchors its scenario's relative path. Problems come back as
// a scenarios.ErrorList, every one with its line and column.
func Load(file string, data []byte, opt Options) (*Experiment, error) {
	var s spec
	if err := scenarios.Decode(file, data, &s); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	c := &checker{file: file, opt: opt}
	e := &Experiment{File: file, Hash: hex.EncodeToString(sum[:]), Name: s.Name.V, Description: s.Description.V}
	if !s.Name.Set || strings.TrimSpace(s.Name.V) == "" {
		c.at(s.Pos, "missing name: give the experiment a name")
	}
	m := c.scenario(e, &s)
	e.Seed = s.Seed.Or(1)
	e.CommonRandomNumbers = s.CRN.Or(true)
	e.Replications = s.Replications.Or(1)
	e.Attribution = s.Attribution.Or(false)
	e.ScaleFixedCosts = s.ScaleFixed.Or(false)
	if e.Replications < 1 || e.Replications > 10_000 {
		c.at(s.Replications.Pos, "replications %d: allowed 1 to 10,000", e.Replications)
	}
	if m != nil {
		c.strategies(e, m, &s)
		c.outcomes(e, m, &s)
		c.series(e, m, &s)
		c.params(e, &s)
	}
	c.design(e, &s)
	if len(c.list) > 0 {
		return nil, c.list
	}
	if n := e.Design.size(e.Params); n*e.Replications > MaxUnits {
		c.at(s.Replications.Pos, "%d points × %d replications is %d runs; at most %d are allowed", n, e.Replications, n*e.Replications, MaxUnits)
		return nil, c.list
	}
	if err := e.truncateToFields(opt.Scenario); err != nil {
		c.at(s.Parameters.Pos, "%v", err)
		return nil, c.list
	}
	points, err := e.Design.points(e.Params, e.Seed)
	if err != nil {
		c.at(s.Design.Pos, "%v", err)
		return nil, c.list
	}
	e.Points = points
	// Each value of each parameter, the others at the first point's, must
	// make a scenario that loads; report the first that does not.
	if err := e.checkValues(opt.Scenario); err != nil {
		c.at(s.Parameters.Pos, "%v", err)
		return nil, c.list
	}
	return e, nil
}

type checker struct {
	file string
	opt  Options
	list scenarios.ErrorList
}

func (c *checker) at(p scenarios.Pos, format string, args ...any) {
	c.list = append(c.list, &scenarios.Error{File: c.file, Pos: p, Message: fmt.Sprintf(format, args...)})
}

func (c *checker) scenario(e *Experiment, s *spec) *sim.Model {
	if !s.Scenario.Set || s.Scenario.V == "" {
		c.at(s.Pos, "missing scenario: name a built-in scenario or a scenario file (relative to this file)")
		return nil
	}
	name := s.Scenario.V
	if !filepath.IsAbs(name) && (strings.ContainsAny(name, `/\`) || strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")) {
		name = filepath.Join(filepath.Dir(c.file), name)
	}
	sc, err := scenarios.OpenWith(name, c.opt.Scenario)
	if err != nil {
		c.at(s.Scenario.Pos, "scenario %s: %v", s.Scenario.V, err)
		return nil
	}
	e.Scenario = sc.Source
	e.writtenSize, e.fixedCosts = sc.Model.Population.Size, sc.Model.HasFixedCosts()
	return sc.Model
}

func (c *checker) strategies(e *Experiment, m *sim.Model, s *spec) {
	var all []string
	for _, st := range m.Strategies {
		all = append(all, st.Name)
	}
	if !s.Strategies.Set {
		e.Strategies = all
		return
	}
	if len(s.Strategies.Items) == 0 {
		c.at(s.Strategies.Pos, "strategies is empty; name at least one of: %s, or leave strategies out for all", strings.Join(all, ", "))
		return
	}
	for _, f := range s.Strategies.Items {
		if !slices.Contains(all, f.V) {
			c.at(f.Pos, "no strategy %q in scenario %s; it has: %s%s", f.V, m.Name, strings.Join(all, ", "), text.DidYouMean(f.V, all))
			continue
		}
		if slices.Contains(e.Strategies, f.V) {
			c.at(f.Pos, "strategy %q is listed twice", f.V)
			continue
		}
		e.Strategies = append(e.Strategies, f.V)
	}
	// Scenario order, so that rows come out in one order.
	slices.SortFunc(e.Strategies, func(a, b string) int { return slices.Index(all, a) - slices.Index(all, b) })
}

func (c *checker) outcomes(e *Experiment, m *sim.Model, s *spec) {
	var keys, headline []string
	if c.opt.Outcomes != nil {
		keys, headline = c.opt.Outcomes(m)
	}
	if !s.Outcomes.Set {
		e.Outcomes = slices.Clone(headline)
		return
	}
	for _, f := range s.Outcomes.Items {
		if c.opt.Outcome != nil {
			if err := c.opt.Outcome(m, f.V, e.Attribution); err != nil {
				c.at(f.Pos, "%v", err)
				continue
			}
		}
		switch {
		case c.opt.Outcome == nil && !slices.Contains(keys, f.V):
			c.at(f.Pos, "outcome %q: not a metric of this scenario; allowed: %s%s", f.V, strings.Join(keys, ", "), text.DidYouMean(f.V, keys))
		case slices.Contains(e.Outcomes, f.V):
			c.at(f.Pos, "outcome %q is listed twice", f.V)
		default:
			e.Outcomes = append(e.Outcomes, f.V)
		}
	}
}

// series checks the per-tick series the file names against those a run of
// m has.
func (c *checker) series(e *Experiment, m *sim.Model, s *spec) {
	var names []string
	if c.opt.Series != nil {
		names = c.opt.Series(m)
	}
	for _, f := range s.Series.Items {
		switch {
		case !slices.Contains(names, f.V):
			c.at(f.Pos, "series %q: not a per-tick series of this scenario; allowed: %s%s", f.V, strings.Join(names, ", "), text.DidYouMean(f.V, names))
		case slices.Contains(e.Series, f.V):
			c.at(f.Pos, "series %q is listed twice", f.V)
		default:
			e.Series = append(e.Series, f.V)
		}
	}
}

func (c *checker) params(e *Experiment, s *spec) {
	if len(s.Parameters.Entries) == 0 {
		c.at(s.Pos, "no parameters: give at least one under parameters, such as strategies.NAME.discount: {min: 0, max: 0.3}")
		return
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(e.Scenario.Data, &doc); err != nil || len(doc.Content) == 0 {
		c.at(s.Scenario.Pos, "scenario %s cannot be read again", e.Scenario.Origin)
		return
	}
	for _, en := range s.Parameters.Entries {
		ps := en.Value
		p := Param{Path: en.Key}
		n, err := scenarios.Resolve(doc.Content[0], en.Key, true)
		if err != nil {
			c.at(en.Pos, "%v", err)
			continue
		}
		if n.Kind != yaml.ScalarNode {
			c.at(en.Pos, "%s: names a group of fields, not one; name a field inside it", en.Key)
			continue
		}
		switch {
		case len(ps.Values) > 0:
			if ps.Min.Set || ps.Max.Set || ps.Steps.Set || ps.Integer.Set || ps.Distribution.Set {
				c.at(ps.Pos, "%s: give either values or min and max, not both", en.Key)
				continue
			}
			for _, v := range ps.Values {
				val := scenarios.ParseValue(v.V)
				if slices.ContainsFunc(p.Values, func(o scenarios.Value) bool { return o == val }) {
					c.at(v.Pos, "%s: value %s is listed twice", en.Key, val)
				}
				p.Values = append(p.Values, val)
			}
			if !c.weights(&p, ps, en.Key) {
				continue
			}
		case len(ps.Weights) > 0:
			c.at(ps.Weights[0].Pos, "%s: weights go with values, one for each", en.Key)
			continue
		case ps.Distribution.Set:
			if !c.distribution(&p, ps, en.Key) {
				continue
			}
		case ps.Min.Set && ps.Max.Set:
			p.Min, p.Max, p.Integer = ps.Min.V, ps.Max.V, ps.Integer.V
			if !(p.Min < p.Max) {
				c.at(ps.Max.Pos, "%s: max %g must be above min %g", en.Key, p.Max, p.Min)
				continue
			}
			if p.Integer && (p.Min != math.Trunc(p.Min) || p.Max != math.Trunc(p.Max)) {
				c.at(ps.Pos, "%s: an integer range needs whole min and max, not %g and %g", en.Key, p.Min, p.Max)
				continue
			}
			p.Steps = ps.Steps.Or(0)
			if ps.Steps.Set && (p.Steps < 2 || p.Steps > 1000) {
				c.at(ps.Steps.Pos, "%s: steps %d: allowed 2 to 1,000", en.Key, p.Steps)
				continue
			}
		default:
			c.at(ps.Pos, "%s: give values: [...], min and max (with steps for a grid), or a distribution", en.Key)
			continue
		}
		if !ps.Distribution.Set {
			for _, f := range []scenarios.Field[float64]{ps.Mean, ps.SD, ps.Mu, ps.Sigma, ps.Mode, ps.Alpha, ps.Beta} {
				if f.Set {
					c.at(f.Pos, "%s: this key belongs to a distribution; add distribution: normal, lognormal, triangular or beta", en.Key)
				}
			}
		}
		e.Params = append(e.Params, p)
	}
}

func (c *checker) design(e *Experiment, s *spec) {
	d := s.Design
	e.Design.Kind = d.Kind.Or("grid")
	if !slices.Contains(Designs, e.Design.Kind) {
		c.at(d.Kind.Pos, "design kind %q: allowed %s%s", e.Design.Kind, strings.Join(Designs, ", "), text.DidYouMean(e.Design.Kind, Designs))
		return
	}
	kind := e.Design.Kind
	// Each kind takes its own size keys.
	for _, k := range []struct {
		f     scenarios.Field[int]
		name  string
		kinds []string
	}{
		{d.Points, "points", []string{"random", "lhs", "sobol"}},
		{d.Trajectories, "trajectories", []string{"morris"}},
		{d.Levels, "levels", []string{"morris"}},
	} {
		if k.f.Set && !slices.Contains(k.kinds, kind) {
			c.at(k.f.Pos, "a %s design does not take %s; %s is for %s designs", kind, k.name, k.name, text.List(k.kinds, "and"))
		}
	}
	if kind == "grid" {
		n := 1
		for _, p := range e.Params {
			k := len(p.Values)
			switch {
			case p.Dist != nil:
				c.at(s.Parameters.Pos, "%s: a grid takes values, or min, max and steps; a distribution is for random, lhs, sobol and morris designs", p.Path)
				return
			case p.Weights != nil:
				c.at(s.Parameters.Pos, "%s: a grid takes every value once; weights are for random, lhs, sobol and morris designs", p.Path)
				return
			case p.IsRange():
				k = p.Steps
				if k == 0 {
					c.at(s.Parameters.Pos, "%s: a grid needs values, or steps with min and max", p.Path)
					return
				}
			}
			n *= k
			if n > MaxPoints {
				c.at(d.Pos, "the grid has more than %d points; take fewer values, or a random or lhs design", MaxPoints)
				return
			}
		}
		return
	}
	for _, p := range e.Params {
		if p.Steps > 0 {
			c.at(s.Parameters.Pos, "%s: steps is for grids; a %s design draws from min to max", p.Path, kind)
		}
	}
	varied := 0
	for _, p := range e.Params {
		if p.Varied() {
			varied++
		}
	}
	switch kind {
	case "random", "lhs":
		e.Design.Points = d.Points.Or(0)
		if e.Design.Points < 1 || e.Design.Points > MaxPoints {
			c.at(d.Pos, "a %s design needs points: allowed 1 to %d", kind, MaxPoints)
		}
	case "sobol":
		e.Design.Points = d.Points.Or(0)
		n := e.Design.Points
		switch {
		case !d.Points.Set:
			c.at(d.Pos, "a sobol design needs points, its number of base points: a power of two such as 256 (the design runs points × (parameters + 2) points)")
		case n < 2 || n > 1<<20 || n&(n-1) != 0:
			c.at(d.Points.Pos, "a sobol design takes a power of two base points, 2 to 1,048,576, such as %d; not %d", max(2, nextPowerOfTwo(n)), n)
		case varied == 0:
			c.at(s.Parameters.Pos, "a sobol design needs a parameter that takes more than one value")
		case varied > 100:
			c.at(s.Parameters.Pos, "a sobol design takes at most 100 parameters that vary; this one has %d", varied)
		}
	case "morris":
		e.Design.Trajectories, e.Design.Levels = d.Trajectories.Or(0), d.Levels.Or(4)
		switch {
		case !d.Trajectories.Set:
			c.at(d.Pos, "a morris design needs trajectories: allowed 2 to 100,000, such as 20 (the design runs trajectories × (parameters + 1) points)")
		case e.Design.Trajectories < 2 || e.Design.Trajectories > 100_000:
			c.at(d.Trajectories.Pos, "trajectories %d: allowed 2 to 100,000", e.Design.Trajectories)
		}
		if l := e.Design.Levels; l < 2 || l > 100 || l%2 != 0 {
			c.at(d.Levels.Pos, "levels %d: allowed an even number from 2 to 100, such as 4", l)
		}
		if varied == 0 {
			c.at(s.Parameters.Pos, "a morris design needs a parameter that takes more than one value")
		}
		for _, p := range e.Params {
			if p.Varied() && !p.Numeric() {
				c.at(s.Parameters.Pos, "%s: a morris design measures the effect of a step in a number; this parameter takes words", p.Path)
			}
		}
	}
}

// nextPowerOfTwo is the smallest power of two at least n.
func nextPowerOfTwo(n int) int {
	p := 1
	for p < n && p < 1<<20 {
		p <<= 1
	}
	return p
}

// checkValues compiles the scenario with each parameter at each of its
// values (its ends, for a range), the others as at the first point.
func (e *Experiment) checkValues(opt scenarios.Options) error {
	for k, p := range e.Params {
		values := p.Values
		if p.IsRange() {
			values = []scenarios.Value{p.at(0), p.at(1)}
		}
		for _, v := range values {
			over := e.Overrides(0)
			over[k].Value = v
			data, err := scenarios.Apply(e.Scenario.Data, over)
			if err == nil {
				_, err = scenarios.LoadWith(e.scenarioName(), data, opt)
			}
			if err != nil {
				return fmt.Errorf("%s = %s: the scenario does not load with this value: %s", p.Path, v, messages(err))
			}
		}
	}
	return nil
}

func (e *Experiment) scenarioName() string {
	if n, ok := strings.CutPrefix(e.Scenario.Origin, "builtin:"); ok {
		return filepath.Join("builtin", n+".yaml")
	}
	return e.Scenario.Origin
}

// Overrides returns point p's values as scenario overrides.
func (e *Experiment) Overrides(p int) []scenarios.Override {
	out := make([]scenarios.Override, len(e.Params))
	for k, prm := range e.Params {
		out[k] = scenarios.Override{Path: prm.Path, Value: e.Points[p][k]}
	}
	return out
}

// Describe says point p's values, for messages: "path = value, …".
func (e *Experiment) Describe(p int) string {
	parts := make([]string, len(e.Params))
	for k, prm := range e.Params {
		parts[k] = prm.Path + " = " + e.Points[p][k].String()
	}
	return strings.Join(parts, ", ")
}

// Source returns the scenario text of point p.
func (e *Experiment) Source(p int) ([]byte, error) {
	data, err := scenarios.Apply(e.Scenario.Data, e.Overrides(p))
	if err != nil {
		return nil, fmt.Errorf("point %d (%s): %w", p, e.Describe(p), err)
	}
	return data, nil
}

// Model compiles the scenario of point p.
func (e *Experiment) Model(p int, opt scenarios.Options) (*sim.Model, error) {
	data, err := scenarios.Apply(e.Scenario.Data, e.Overrides(p))
	if err != nil {
		return nil, &PointError{Point: p, Values: e.Describe(p), Reason: err.Error()}
	}
	sc, err := scenarios.LoadWith(e.scenarioName(), data, opt)
	if err != nil {
		var list scenarios.ErrorList
		if !errors.As(err, &list) {
			return nil, fmt.Errorf("point %d (%s): %w", p, e.Describe(p), err) // a plugin failed, say
		}
		return nil, &PointError{Point: p, Values: e.Describe(p), Reason: messages(err)}
	}
	if size := sc.Model.Population.Size; e.ScaleFixedCosts && size != e.writtenSize {
		sc.Model.ScaleFixedCosts(float64(size) / float64(e.writtenSize))
	}
	return sc.Model, nil
}

// FixedCostsNote says, when some point's population differs from the
// scenario's and the scenario has fixed costs or investments that the
// experiment does not scale, that they were not scaled and how to scale
// them; "" otherwise.
func (e *Experiment) FixedCostsNote() string {
	if e.ScaleFixedCosts || !e.fixedCosts {
		return ""
	}
	k := slices.IndexFunc(e.Params, func(p Param) bool { return p.Path == "population.size" })
	if k < 0 {
		return ""
	}
	for _, pt := range e.Points {
		if v := pt[k]; !v.IsText && int(v.Number) != e.writtenSize {
			return fmt.Sprintf("population.size differs from the scenario's %d customers, but its fixed costs (channels' fixed_cost, levers' cost_per_tick, investments) were not scaled; add scale_fixed_costs: true to the experiment to scale them with the population", e.writtenSize)
		}
	}
	return ""
}

// PointError is a design point whose values the scenario refuses: an
// input error, found when the point is run.
type PointError struct {
	Point  int
	Values string
	Reason string
}

func (e *PointError) Error() string {
	return fmt.Sprintf("point %d (%s): the scenario does not load with these values: %s", e.Point, e.Values, e.Reason)
}

// messages are a scenario's load errors without their positions, which
// would point into the scenario as rewritten, not as written.
func messages(err error) string {
	var list scenarios.ErrorList
	if !errors.As(err, &list) {
		return err.Error()
	}
	out := make([]string, len(list))
	for i, e := range list {
		out[i] = e.Message
	}
	return strings.Join(out, "; ")
}

// RunSeed is the seed of replication rep of point p.
func (e *Experiment) RunSeed(point, rep int) uint64 {
	if e.CommonRandomNumbers {
		point = 0
	}
	return RunSeed(e.Seed, point, rep)
}

// RunSeed is the seed of replication rep of point p: a function of the
// experiment's seed, the point and the replication alone, so that any run
// can be repeated on its own.
func RunSeed(seed uint64, point, rep int) uint64 {
	x := seed ^ 0x6a09e667f3bcc909
	x = sim.Mix(x + uint64(point)*0x9e3779b97f4a7c15)
	x = sim.Mix(x + uint64(rep)*0xbf58476d1ce4e5b9)
	return x
}
