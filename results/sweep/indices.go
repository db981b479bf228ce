package sweep

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/journeysim/journeysim/results/output"
	"github.com/journeysim/journeysim/results/sensitivity"
	"github.com/journeysim/journeysim/sim/qmc"
)

// A sobol or morris design is run for its indices: Sobol' first-order and
// total indices from a Saltelli sample, Morris's μ*, μ and σ from its
// trajectories. Each is estimated on the points' means over their
// replications, in the design's own order, with bootstrap intervals seeded
// from the sweep's seed, so that an analysis is a pure function of its
// folder.

// SobolIndices are one outcome's Sobol' indices under one strategy.
type SobolIndices struct {
	Outcome  string
	Strategy string
	// Params holds the indices into Manifest.Params of the parameters the
	// design varies, in the sample's column order; Indices.S1[i] and
	// Indices.ST[i] belong to Params[i].
	Params  []int
	Indices sensitivity.Indices
	// Note says why the indices are missing; "" when they are not.
	Note string
}

// MorrisEffects are one outcome's Morris elementary effects under one
// strategy, in the outcome's units per whole range of each parameter.
type MorrisEffects struct {
	Outcome  string
	Strategy string
	// Params holds the indices into Manifest.Params of the parameters the
	// design varies, in the sample's column order.
	Params  []int
	Effects sensitivity.Effects
	// Note says why the effects are missing; "" when they are not.
	Note string
}

// designVaried returns the indices of the parameters a sobol or morris
// design lays out in its sample: those that can take more than one value.
func (m *Manifest) designVaried() []int {
	var out []int
	for k, p := range m.Params {
		if p.Distribution != "" || p.Min != nil || p.Max != nil || len(p.Values) > 1 {
			out = append(out, k)
		}
	}
	return out
}

// bootstrapSeed is the seed of the indices' bootstrap: the sweep's seed.
func (m *Manifest) bootstrapSeed() uint64 {
	seed, _ := strconv.ParseUint(m.Seed, 10, 64) // a manifest's seed is a number; 0 otherwise
	return seed
}

// pointMeans returns outcome o of strategy s at each point: the mean over
// its replications, NaN where none is defined.
func (a *Analysis) pointMeans(o, s int) []float64 {
	rows := a.outcomeMatrix(o, s)
	y := make([]float64, len(rows))
	for p, row := range rows {
		y[p] = nanMean(row)
	}
	return y
}

// designIndices estimates the Sobol' indices or Morris effects of every
// outcome and strategy when the sweep's design is sobol or morris.
func (a *Analysis) designIndices() {
	m := a.Manifest
	if m.Design == nil || (m.Design.Kind != "sobol" && m.Design.Kind != "morris") {
		return
	}
	params := m.designVaried()
	d := len(params)
	opt := sensitivity.Options{Seed: m.bootstrapSeed()}
	var x [][]float64
	var layoutErr error
	if m.Design.Kind == "morris" {
		x, layoutErr = a.morrisRows(params)
	} else if want := m.Design.Points * (d + 2); d == 0 || m.Points != want {
		layoutErr = fmt.Errorf("the folder holds %d points where a sobol design of %d base points over %d parameters has %d", m.Points, m.Design.Points, d, want)
	} else {
		layoutErr = a.checkSaltelli(params)
	}
	for o, out := range m.Outcomes {
		for s, name := range m.Strategies {
			if m.Design.Kind == "sobol" {
				r := SobolIndices{Outcome: out.Key, Strategy: name, Params: params}
				if layoutErr != nil {
					r.Note = layoutErr.Error()
				} else if ind, err := sensitivity.Sobol(a.pointMeans(o, s), d, opt); err != nil {
					r.Note = indexNote(err)
				} else {
					r.Indices = ind
				}
				a.Sobol = append(a.Sobol, r)
				continue
			}
			r := MorrisEffects{Outcome: out.Key, Strategy: name, Params: params}
			if layoutErr != nil {
				r.Note = layoutErr.Error()
			} else if eff, err := sensitivity.Morris(x, a.pointMeans(o, s), d, opt); err != nil {
				r.Note = indexNote(err)
			} else {
				r.Effects = eff
			}
			a.Morris = append(a.Morris, r)
		}
	}
}

// indexNote says why indices could not be estimated.
func indexNote(err error) string {
	return "no indices: " + strings.TrimPrefix(err.Error(), "sensitivity: ")
}

// checkSaltelli checks that the folder's points follow a Saltelli sample
// over params: in each base point's block of d+2 points, the i-th after
// the first (AB_i) takes parameter i from the last (B) and every other
// from the first (A).
func (a *Analysis) checkSaltelli(params []int) error {
	m := a.Manifest
	d, ns := len(params), len(m.Strategies)
	value := func(p, k int) string { return a.Points[p*ns].Params[k] }
	for j := range m.Design.Points {
		first, last := j*(d+2), j*(d+2)+d+1
		for i := range d {
			p := first + 1 + i
			for c, k := range params {
				from := first
				if c == i {
					from = last
				}
				if value(p, k) != value(from, k) {
					return fmt.Errorf("point %d's %s is not that of point %d, as a sobol design lays it out: the folder was not made by this design", p, m.Params[k].Path, from)
				}
			}
		}
	}
	return nil
}

// morrisRows returns the Morris sample's rows in unit coordinates, as the
// design drew them from the sweep's seed, after checking that they match
// the folder: from one row of a trajectory to the next, no parameter but
// the one the sample steps may change value.
func (a *Analysis) morrisRows(params []int) ([][]float64, error) {
	m := a.Manifest
	d := len(params)
	if want := m.Design.Trajectories * (d + 1); d == 0 || m.Points != want {
		return nil, fmt.Errorf("the folder holds %d points where a morris design of %d trajectories over %d parameters has %d", m.Points, m.Design.Trajectories, d, want)
	}
	x, err := qmc.Morris(m.Design.Trajectories, d, m.Design.Levels, m.bootstrapSeed())
	if err != nil {
		return nil, fmt.Errorf("the morris design cannot be laid out again: %w", err)
	}
	ns := len(m.Strategies)
	// The same level of a parameter is the same value everywhere, and a
	// step up in level is never a step down in value.
	seen := make([]map[float64]string, d)
	for i := range seen {
		seen[i] = map[float64]string{}
	}
	for p := range x {
		for i, k := range params {
			v := a.Points[p*ns].Params[k]
			if prev, ok := seen[i][x[p][i]]; ok && prev != v {
				return nil, fmt.Errorf("%s takes %s and %s at the same level of the morris design laid out from seed %s: the folder was not made by this design", m.Params[k].Path, prev, v, m.Seed)
			}
			seen[i][x[p][i]] = v
			if p%(d+1) == 0 {
				continue // a new trajectory
			}
			before := a.Points[(p-1)*ns].Params[k]
			stepped := x[p][i] != x[p-1][i]
			if !stepped && v != before {
				return nil, fmt.Errorf("point %d changes %s, which the morris design laid out from seed %s does not step there: the folder was not made by this design", p, m.Params[k].Path, m.Seed)
			}
			vb, errB := strconv.ParseFloat(before, 64)
			va, errA := strconv.ParseFloat(v, 64)
			if stepped && errA == nil && errB == nil && (va-vb)*(x[p][i]-x[p-1][i]) < 0 {
				return nil, fmt.Errorf("point %d steps %s the other way from the morris design laid out from seed %s: the folder was not made by this design", p, m.Params[k].Path, m.Seed)
			}
		}
	}
	// Coordinates as the design ran them: a distribution or a list takes
	// level u at the middle of the u-th of Levels slices of probability,
	// so that an effect is per whole range of the probability.
	for i, k := range params {
		if p := m.Params[k]; p.Distribution != "" || p.Min == nil || p.Max == nil {
			levels := float64(m.Design.Levels)
			for _, row := range x {
				row[i] = (row[i]*(levels-1) + 0.5) / levels
			}
		}
	}
	return x, nil
}

// indexTables returns the Sobol' indices and Morris effects as data
// tables, one row per outcome, strategy and parameter, the estimates as
// estimated (not clipped); none for other designs.
func (a *Analysis) indexTables() []*output.Table {
	m := a.Manifest
	var tables []*output.Table
	head := []output.Column{{Name: "outcome", Type: output.String}, {Name: "strategy", Type: output.String},
		{Name: "parameter", Type: output.String}}
	estimateColumns := func(names ...string) []output.Column {
		var cols []output.Column
		for _, n := range names {
			cols = append(cols, output.Column{Name: n, Type: output.Float}, output.Column{Name: n + "_ci95_low", Type: output.Float},
				output.Column{Name: n + "_ci95_high", Type: output.Float})
		}
		return cols
	}
	estimateCells := func(es ...sensitivity.Estimate) []string {
		var cells []string
		for _, e := range es {
			cells = append(cells, dataCell(e.Value), dataCell(e.Low), dataCell(e.High))
		}
		return cells
	}
	if len(a.Sobol) > 0 {
		t := &output.Table{Name: "sobol", Columns: append(append(slices.Clone(head), estimateColumns("s1", "st")...),
			output.Column{Name: "base_points", Type: output.Int}, output.Column{Name: "skipped", Type: output.Int},
			output.Column{Name: "variance", Type: output.Float}, output.Column{Name: "note", Type: output.String})}
		for _, r := range a.Sobol {
			for i, k := range r.Params {
				row := []string{r.Outcome, r.Strategy, m.Params[k].Path}
				if r.Note != "" {
					t.Add(append(row, append(make([]string, 9), r.Note)...)...)
					continue
				}
				row = append(row, estimateCells(r.Indices.S1[i], r.Indices.ST[i])...)
				t.Add(append(row, strconv.Itoa(r.Indices.N), strconv.Itoa(r.Indices.Skipped), dataCell(r.Indices.Variance), "")...)
			}
		}
		tables = append(tables, t)
	}
	if len(a.Morris) > 0 {
		t := &output.Table{Name: "morris", Columns: append(append(slices.Clone(head), estimateColumns("mu_star", "mu", "sigma")...),
			output.Column{Name: "trajectories", Type: output.Int}, output.Column{Name: "skipped", Type: output.Int},
			output.Column{Name: "note", Type: output.String})}
		for _, r := range a.Morris {
			for i, k := range r.Params {
				row := []string{r.Outcome, r.Strategy, m.Params[k].Path}
				if r.Note != "" {
					t.Add(append(row, append(make([]string, 11), r.Note)...)...)
					continue
				}
				row = append(row, estimateCells(r.Effects.MuStar[i], r.Effects.Mu[i], r.Effects.Sigma[i])...)
				t.Add(append(row, strconv.Itoa(r.Effects.Trajectories), strconv.Itoa(r.Effects.Skipped), "")...)
			}
		}
		tables = append(tables, t)
	}
	return tables
}

// jsonIndex is an index or effect with its bootstrap interval.
type jsonIndex struct {
	Value jsonNumber `json:"value"`
	Low   jsonNumber `json:"ci95_low"`
	High  jsonNumber `json:"ci95_high"`
}

func toJSONIndex(e sensitivity.Estimate) jsonIndex {
	return jsonIndex{Value: jsonNumber(e.Value), Low: jsonNumber(e.Low), High: jsonNumber(e.High)}
}

type jsonSobolParam struct {
	Parameter string    `json:"parameter"`
	S1        jsonIndex `json:"s1"`
	ST        jsonIndex `json:"st"`
}

type jsonSobol struct {
	Outcome    string           `json:"outcome"`
	Strategy   string           `json:"strategy"`
	BasePoints int              `json:"base_points"`
	Skipped    int              `json:"skipped"`
	Variance   jsonNumber       `json:"variance"`
	Note       string           `json:"note,omitempty"`
	Parameters []jsonSobolParam `json:"parameters"`
}

type jsonMorrisParam struct {
	Parameter string    `json:"parameter"`
	MuStar    jsonIndex `json:"mu_star"`
	Mu        jsonIndex `json:"mu"`
	Sigma     jsonIndex `json:"sigma"`
}

type jsonMorris struct {
	Outcome      string            `json:"outcome"`
	Strategy     string            `json:"strategy"`
	Trajectories int               `json:"trajectories"`
	Skipped      int               `json:"skipped"`
	Note         string            `json:"note,omitempty"`
	Parameters   []jsonMorrisParam `json:"parameters"`
}

// jsonIndices returns the Sobol' indices and Morris effects as the JSON
// document holds them.
func (a *Analysis) jsonIndices() (sobol []jsonSobol, morris []jsonMorris) {
	m := a.Manifest
	for _, r := range a.Sobol {
		js := jsonSobol{Outcome: r.Outcome, Strategy: r.Strategy, BasePoints: r.Indices.N, Skipped: r.Indices.Skipped,
			Variance: jsonNumber(r.Indices.Variance), Note: r.Note, Parameters: []jsonSobolParam{}}
		if r.Note == "" {
			for i, k := range r.Params {
				js.Parameters = append(js.Parameters, jsonSobolParam{Parameter: m.Params[k].Path,
					S1: toJSONIndex(r.Indices.S1[i]), ST: toJSONIndex(r.Indices.ST[i])})
			}
		}
		sobol = append(sobol, js)
	}
	for _, r := range a.Morris {
		jm := jsonMorris{Outcome: r.Outcome, Strategy: r.Strategy, Trajectories: r.Effects.Trajectories,
			Skipped: r.Effects.Skipped, Note: r.Note, Parameters: []jsonMorrisParam{}}
		if r.Note == "" {
			for i, k := range r.Params {
				jm.Parameters = append(jm.Parameters, jsonMorrisParam{Parameter: m.Params[k].Path,
					MuStar: toJSONIndex(r.Effects.MuStar[i]), Mu: toJSONIndex(r.Effects.Mu[i]), Sigma: toJSONIndex(r.Effects.Sigma[i])})
			}
		}
		morris = append(morris, jm)
	}
	return sobol, morris
}
