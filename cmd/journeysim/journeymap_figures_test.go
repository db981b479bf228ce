package main

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/output"
	"github.com/journeysim/journeysim/scenarios"
)

// The journey maps of a saved run carry each touchpoint's customers and
// ratings, read from summary.json: the start node passed by at least the
// population, a rated touchpoint's mean CSAT and CES, a pain point where
// the showroom rates badly, and the drop-off between stages.
func TestJourneyMapTouchpointFigures(t *testing.T) {
	src, err := os.ReadFile("testdata/small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// The showroom becomes a pain point: CSAT 1.5, CES 6 (and more after a
	// switch).
	bad := strings.Replace(string(src), `showroom: {stage: consideration, channel: store, satisfaction: "4", effort: "3"}`,
		`showroom: {stage: consideration, channel: store, satisfaction: "1.5", effort: "6"}`, 1)
	if bad == string(src) {
		t.Fatal("testdata/small.yaml has no showroom node to change")
	}
	tmp := t.TempDir()
	path := filepath.Join(tmp, "pain.yaml")
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(tmp, "run")
	if code, _, stderr := runCLI(t, "run", path, "--out", dir); code != exitOK {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	sum, _, err := output.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenarios.Load(path, []byte(bad))
	if err != nil {
		t.Fatal(err)
	}
	m := sc.Model
	figs, err := journeyMapFigures(m, sum, noSeries())
	if err != nil {
		t.Fatal(err)
	}
	showroom, browse := -1, -1
	for n, node := range m.Nodes {
		switch node.Name {
		case "showroom":
			showroom = n
		case "browse":
			browse = n
		}
	}
	for _, f := range figs {
		if len(f.Passing) != len(m.Nodes) || len(f.CSAT) != len(m.Nodes) || len(f.CES) != len(m.Nodes) || len(f.StageEntries) != len(m.Stages) {
			t.Fatalf("%s: %d passing, %d CSAT, %d CES for %d nodes; %d stage entries for %d stages",
				f.Strategy, len(f.Passing), len(f.CSAT), len(f.CES), len(m.Nodes), len(f.StageEntries), len(m.Stages))
		}
		if f.Passing[m.Start] < float64(sum.Customers) {
			t.Errorf("%s: %g passed the start, fewer than the %d customers", f.Strategy, f.Passing[m.Start], sum.Customers)
		}
		// Effort is 6, plus a switch's where the customer came from the web.
		if math.Abs(f.CSAT[showroom]-1.5) > 1e-9 || f.CES[showroom] < 6 || f.CES[showroom] > 7 {
			t.Errorf("%s: showroom CSAT %g, CES %g; want 1.5 and 6 to 7", f.Strategy, f.CSAT[showroom], f.CES[showroom])
		}
		if !(f.CSAT[browse] >= 3.5 && f.CSAT[browse] <= 5) || f.Passing[browse] <= 0 {
			t.Errorf("%s: browse passed by %g, CSAT %g", f.Strategy, f.Passing[browse], f.CSAT[browse])
		}
		if f.StageEntries[0] < float64(sum.Customers) || f.StageEntries[1] <= 0 || f.StageEntries[1] >= f.StageEntries[0] {
			t.Errorf("%s: stage entries %v", f.Strategy, f.StageEntries)
		}
	}
	maps, err := journeyMapsOfRun(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, mp := range maps {
		svg := string(mp.SVG)
		for _, want := range []string{" passed", "CSAT 1.5 · CES 6.", "pain point", "did not go on"} {
			if !strings.Contains(svg, want) {
				t.Errorf("%s: no %q", mp.Name, want)
			}
		}
		if strings.Contains(svg, "does not record them per touchpoint") {
			t.Errorf("%s: says the run has no figures per touchpoint", mp.Name)
		}
	}
}

// A summary without touchpoints (saved before they were counted) gives
// maps without figures per touchpoint; a damaged one, with fewer
// estimates than it names, gives NaN where one is missing, not a panic.
func TestJourneyMapFiguresWithoutTouchpoints(t *testing.T) {
	dir, _ := runFolder(t)
	sum, _, err := output.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenarios.Load("testdata/small.yaml", mustRead(t, "testdata/small.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	m := sc.Model

	old := *sum
	old.Touchpoints = nil
	old.Strategies = append([]results.StrategySummary(nil), sum.Strategies...)
	for k := range old.Strategies {
		old.Strategies[k].Touchpoints, old.Strategies[k].StageEntries = nil, nil
	}
	figs, err := journeyMapFigures(m, &old, noSeries())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range figs {
		if f.Passing != nil || f.CSAT != nil || f.CES != nil || f.StageEntries != nil {
			t.Errorf("%s: figures per touchpoint from a summary without them: %+v", f.Strategy, f)
		}
	}

	damaged := *sum
	damaged.Strategies = append([]results.StrategySummary(nil), sum.Strategies...)
	st := &damaged.Strategies[0]
	st.Touchpoints = st.Touchpoints[:1:1]
	st.Touchpoints[0] = st.Touchpoints[0][:1:1]
	st.StageEntries = st.StageEntries[:1:1]
	figs, err = journeyMapFigures(m, &damaged, noSeries())
	if err != nil {
		t.Fatal(err)
	}
	f := figs[0]
	if math.IsNaN(f.Passing[0]) || !math.IsNaN(f.CSAT[0]) || !math.IsNaN(f.Passing[1]) || !math.IsNaN(f.StageEntries[1]) {
		t.Errorf("damaged summary: passing %v, CSAT %v, stage entries %v", f.Passing, f.CSAT, f.StageEntries)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// noSeries is a timeseries table without rows: no customers per stage.
func noSeries() *output.Table {
	return &output.Table{Name: "timeseries", Columns: []output.Column{{Name: "strategy", Type: output.String}}}
}
