package sweep

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/output"
)

// jsonNumber is a float that is null in JSON when NaN or infinite.
type jsonNumber float64

func (v jsonNumber) MarshalJSON() ([]byte, error) {
	f := float64(v)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return []byte(strconv.FormatFloat(f, 'g', -1, 64)), nil
}

type jsonEstimate struct {
	Mean jsonNumber `json:"mean"`
	Low  jsonNumber `json:"ci95_low"`
	High jsonNumber `json:"ci95_high"`
	N    int        `json:"n"`
}

func toJSONEstimate(e results.Estimate) jsonEstimate {
	return jsonEstimate{Mean: jsonNumber(e.Mean), Low: jsonNumber(e.Low()), High: jsonNumber(e.High()), N: e.N}
}

// jsonParams maps each parameter's path to its value: a number for a
// numeric parameter, text otherwise.
func (a *Analysis) jsonParams(values []string) map[string]any {
	out := make(map[string]any, len(values))
	for k, p := range a.Manifest.Params {
		out[p.Path] = values[k]
		if p.Numeric {
			v, _ := strconv.ParseFloat(values[k], 64)
			out[p.Path] = jsonNumber(v)
		}
	}
	return out
}

type jsonPoint struct {
	Point    int                     `json:"point"`
	Strategy string                  `json:"strategy"`
	Params   map[string]any          `json:"params"`
	Outcomes map[string]jsonEstimate `json:"outcomes"`
}

type jsonBest struct {
	Outcome  string         `json:"outcome"`
	Strategy string         `json:"strategy"`
	Rank     int            `json:"rank"`
	Point    int            `json:"point"`
	Params   map[string]any `json:"params"`
	Estimate jsonEstimate   `json:"estimate"`
}

type jsonShare struct {
	Parameter string     `json:"parameter"`
	Share     jsonNumber `json:"share"`
	Rank      int        `json:"rank,omitempty"`
	P         jsonNumber `json:"p_value"`
	SRC       jsonNumber `json:"src"`
}

type jsonSensitivity struct {
	Outcome   string      `json:"outcome"`
	Strategy  string      `json:"strategy"`
	Runs      int         `json:"runs"`
	Blocked   bool        `json:"seed_blocks"`
	SeedShare jsonNumber  `json:"seed_share"`
	R2        jsonNumber  `json:"r2_within"`
	Note      string      `json:"note,omitempty"`
	Shares    []jsonShare `json:"parameters"`
}

type jsonLevel struct {
	X      jsonNumber `json:"x"`
	Mean   jsonNumber `json:"mean"`
	Low    jsonNumber `json:"ci95_low"`
	High   jsonNumber `json:"ci95_high"`
	Points int        `json:"points"`
	Fitted jsonNumber `json:"fitted,omitempty"`
}

type jsonFinding struct {
	Shape       string     `json:"shape"`
	Method      string     `json:"method"`
	Best        jsonNumber `json:"best"`
	Value       jsonNumber `json:"value"`
	NearLow     jsonNumber `json:"near_low"`
	NearHigh    jsonNumber `json:"near_high"`
	NonMonotone bool       `json:"non_monotone"`
	Reason      string     `json:"reason,omitempty"`
}

type jsonMainEffect struct {
	Outcome   string      `json:"outcome"`
	Strategy  string      `json:"strategy"`
	Parameter string      `json:"parameter"`
	Binned    bool        `json:"binned"`
	Levels    []jsonLevel `json:"levels"`
	Finding   jsonFinding `json:"finding"`
}

// jsonParam is a parameter as the manifest describes it, with its name
// in words (ParamWords.Short), as the analysis's text says it.
type jsonParam struct {
	ParamInfo
	Label string `json:"label"`
}

type jsonAnalysis struct {
	Experiment   string            `json:"experiment"`
	Seed         string            `json:"seed"`
	Points       int               `json:"points"`
	Strategies   []string          `json:"strategies"`
	Replications int               `json:"replications"`
	Params       []jsonParam       `json:"params"`
	Outcomes     []Outcome         `json:"outcomes"`
	PointStats   []jsonPoint       `json:"point_outcomes"`
	Best         []jsonBest        `json:"best"`
	Sensitivity  []jsonSensitivity `json:"sensitivity"`
	MainEffects  []jsonMainEffect  `json:"main_effects"`
	// Sobol and Morris are present for designs of their kind.
	Sobol  []jsonSobol  `json:"sobol,omitempty"`
	Morris []jsonMorris `json:"morris,omitempty"`
	// Thresholds and ThresholdsSkipped are Analysis.Thresholds, the
	// parameters it skips by their paths.
	Thresholds        []ParamThresholds `json:"thresholds"`
	ThresholdsSkipped []string          `json:"thresholds_skipped"`
}

// WriteJSON writes the analysis as one JSON document; numbers that are not
// defined are null.
func (a *Analysis) WriteJSON(w io.Writer) error {
	m := a.Manifest
	doc := jsonAnalysis{Experiment: m.Experiment, Seed: m.Seed, Points: m.Points, Strategies: m.Strategies,
		Replications: m.Replications, Params: []jsonParam{}, Outcomes: m.Outcomes,
		PointStats: []jsonPoint{}, Best: []jsonBest{}, Sensitivity: []jsonSensitivity{}, MainEffects: []jsonMainEffect{}}
	for k, p := range m.Params {
		doc.Params = append(doc.Params, jsonParam{ParamInfo: p, Label: a.label(k)})
	}
	for _, ps := range a.Points {
		d := jsonPoint{Point: ps.Point, Strategy: ps.Strategy, Params: a.jsonParams(ps.Params), Outcomes: map[string]jsonEstimate{}}
		for o, out := range m.Outcomes {
			d.Outcomes[out.Key] = toJSONEstimate(ps.Outcomes[o])
		}
		doc.PointStats = append(doc.PointStats, d)
	}
	for _, b := range a.Best {
		doc.Best = append(doc.Best, jsonBest{Outcome: b.Outcome, Strategy: b.Strategy, Rank: b.Rank, Point: b.Point,
			Params: a.jsonParams(b.Params), Estimate: toJSONEstimate(b.Estimate)})
	}
	for _, s := range a.Sensitivity {
		js := jsonSensitivity{Outcome: s.Outcome, Strategy: s.Strategy, Runs: s.Runs, Blocked: s.Blocked,
			SeedShare: jsonNumber(s.SeedShare), R2: jsonNumber(s.R2), Note: s.Note, Shares: []jsonShare{}}
		for _, p := range s.Predictors {
			js.Shares = append(js.Shares, jsonShare{Parameter: p.Name, Share: jsonNumber(p.Share), Rank: p.Rank, P: jsonNumber(p.P), SRC: jsonNumber(p.SRC)})
		}
		doc.Sensitivity = append(doc.Sensitivity, js)
	}
	for _, me := range a.MainEffects {
		jm := jsonMainEffect{Outcome: me.Outcome, Strategy: me.Strategy, Parameter: m.Params[me.Param].Path, Binned: me.Binned,
			Finding: jsonFinding{Shape: me.Finding.Shape.String(), Method: me.Finding.Method, Best: jsonNumber(me.Finding.Best),
				Value: jsonNumber(me.Finding.Value), NearLow: jsonNumber(me.Finding.NearLow), NearHigh: jsonNumber(me.Finding.NearHigh),
				NonMonotone: me.Finding.NonMonotone, Reason: me.Finding.Reason}}
		for i, x := range me.X {
			l := jsonLevel{X: jsonNumber(x), Mean: jsonNumber(me.Level[i].Mean), Low: jsonNumber(me.Level[i].Low()),
				High: jsonNumber(me.Level[i].High()), Points: me.Points[i]}
			if me.Fitted != nil {
				l.Fitted = jsonNumber(me.Fitted[i])
			}
			jm.Levels = append(jm.Levels, l)
		}
		doc.MainEffects = append(doc.MainEffects, jm)
	}
	doc.Sobol, doc.Morris = a.jsonIndices()
	doc.Thresholds, _ = a.Thresholds(a.Currency)
	if doc.Thresholds == nil {
		doc.Thresholds = []ParamThresholds{}
	}
	// The parameters Thresholds skips, by path.
	doc.ThresholdsSkipped = []string{}
	for k, p := range m.Params {
		if a.varied[k] && !p.Numeric {
			doc.ThresholdsSkipped = append(doc.ThresholdsSkipped, p.Path)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// AnalysisFolder is the default folder, inside a sweep folder, that the
// analysis is written to.
const AnalysisFolder = "analysis"

// Files renders the analysis as the files of an analysis folder:
// analysis.txt, analysis.json and each table as CSV and Parquet.
func (a *Analysis) Files() ([]output.File, error) {
	var files []output.File
	var buf bytes.Buffer
	if err := a.WriteText(&buf); err != nil {
		return nil, fmt.Errorf("render analysis.txt: %w", err)
	}
	files = append(files, output.File{Name: "analysis.txt", Data: bytes.Clone(buf.Bytes())})
	buf.Reset()
	if err := a.WriteJSON(&buf); err != nil {
		return nil, fmt.Errorf("render analysis.json: %w", err)
	}
	files = append(files, output.File{Name: "analysis.json", Data: bytes.Clone(buf.Bytes())})
	for _, t := range a.Tables() {
		t.Metadata = a.Manifest.ParquetMetadata()
		buf.Reset()
		if err := t.WriteCSV(&buf); err != nil {
			return nil, fmt.Errorf("render %s.csv: %w", t.Name, err)
		}
		files = append(files, output.File{Name: t.Name + ".csv", Data: bytes.Clone(buf.Bytes()), Rows: len(t.Rows)})
		buf.Reset()
		if err := t.WriteParquet(&buf); err != nil {
			return nil, fmt.Errorf("render %s.parquet: %w", t.Name, err)
		}
		files = append(files, output.File{Name: t.Name + ".parquet", Data: bytes.Clone(buf.Bytes()), Rows: len(t.Rows)})
	}
	salib, err := a.salibFiles()
	if err != nil {
		return nil, err
	}
	return append(files, salib...), nil
}
