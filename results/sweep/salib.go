package sweep

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/journeysim/journeysim/results/output"
)

// The design and the outcomes as SALib (the Python sensitivity analysis
// library) reads them, so that a sweep's Sobol' or Morris analysis can be
// checked there:
//
//	problem = json.load(open("salib_problem.json"))
//	X = numpy.loadtxt("salib_X.txt")
//	Y = numpy.loadtxt("salib_Y_STRATEGY_OUTCOME.txt")
//	SALib.analyze.sobol.analyze(problem, Y, calc_second_order=False)
//	SALib.analyze.morris.analyze(problem, X, Y, num_levels=LEVELS)
//
// The problem names the parameters that vary, in the experiment's order,
// with their bounds (and distributions, as SALib names them); X holds one
// row per design point, in the runs table's point order, which for a
// sobol or morris design is SALib's own sample order; Y holds each
// point's outcome, the mean over its replications.

// salibProblem is SALib's problem definition.
type salibProblem struct {
	NumVars int         `json:"num_vars"`
	Names   []string    `json:"names"`
	Bounds  [][]float64 `json:"bounds"`
	Dists   []string    `json:"dists,omitempty"`
}

// salibParams returns the indices of the parameters SALib's problem
// holds: those that vary. ok is false when one of them takes words, which
// SALib cannot read.
func (a *Analysis) salibParams() (varied []int, ok bool) {
	for k, p := range a.Manifest.Params {
		if !a.varied[k] {
			continue
		}
		if !p.Numeric {
			return nil, false
		}
		varied = append(varied, k)
	}
	return varied, len(varied) > 0
}

// salibFiles renders the SALib files; none when a varied parameter takes
// words.
func (a *Analysis) salibFiles() ([]output.File, error) {
	m := a.Manifest
	varied, ok := a.salibParams()
	if !ok {
		return nil, nil
	}
	prob := salibProblem{NumVars: len(varied)}
	dists := false
	for _, k := range varied {
		p := m.Params[k]
		xs := a.paramValues(k)
		lo, hi := xs[0], xs[0]
		for _, x := range xs {
			lo, hi = math.Min(lo, x), math.Max(hi, x)
		}
		if p.Min != nil {
			lo = *p.Min
		}
		if p.Max != nil {
			hi = *p.Max
		}
		bounds, dist := []float64{lo, hi}, "unif"
		switch d := p.DistParams; p.Distribution {
		case "normal":
			bounds, dist = []float64{lo, hi, d["mean"], d["sd"]}, "truncnorm"
		case "lognormal":
			bounds, dist = []float64{d["mu"], d["sigma"]}, "lognorm"
		case "triangular":
			bounds, dist = []float64{lo, hi, (d["mode"] - lo) / (hi - lo)}, "triang"
		case "beta":
			dist = "beta" // not one of SALib's: bounds are min and max
		}
		dists = dists || dist != "unif"
		prob.Names = append(prob.Names, p.Path)
		prob.Bounds = append(prob.Bounds, bounds)
		prob.Dists = append(prob.Dists, dist)
	}
	if !dists {
		prob.Dists = nil
	}
	data, err := json.MarshalIndent(prob, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("render salib_problem.json: %w", err)
	}
	files := []output.File{{Name: "salib_problem.json", Data: append(data, '\n')}}
	var x bytes.Buffer
	cols := make([][]float64, len(varied))
	for i, k := range varied {
		cols[i] = a.paramValues(k)
	}
	for p := range m.Points {
		for i := range cols {
			if i > 0 {
				x.WriteByte(' ')
			}
			x.WriteString(strconv.FormatFloat(cols[i][p], 'g', -1, 64))
		}
		x.WriteByte('\n')
	}
	files = append(files, output.File{Name: "salib_X.txt", Data: x.Bytes(), Rows: m.Points})
	for o, out := range m.Outcomes {
		for s, name := range m.Strategies {
			var y bytes.Buffer
			for _, row := range a.outcomeMatrix(o, s) {
				v := nanMean(row)
				if math.IsNaN(v) {
					y.WriteString("nan\n")
					continue
				}
				y.WriteString(strconv.FormatFloat(v, 'g', -1, 64) + "\n")
			}
			files = append(files, output.File{Name: "salib_Y_" + fileWord(name) + "_" + fileWord(out.Key) + ".txt", Data: y.Bytes(), Rows: m.Points})
		}
	}
	return files, nil
}

// fileWord makes s safe as part of a file name: letters, digits, - and _
// are kept, anything else becomes _.
func fileWord(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return '_'
	}, s)
}
