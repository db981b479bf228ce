package charts

import (
	"bytes"
	"encoding/xml"
	"image"
	_ "image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/output"
	"github.com/journeysim/journeysim/results/sweep"
)

// syntheticRun is a run's summary and timeseries made by hand: ten
// strategies (more than the palette has colours), one replication (no
// intervals), names that clash as file names, a negative profit, an
// undefined NPS and a channel one strategy does not use.
func syntheticRun(t *testing.T) (*results.Summary, *output.Table) {
	t.Helper()
	sum := &results.Summary{
		Scenario: "synthetic", Currency: "USD", TickLabel: "week", Horizon: 4, Customers: 100,
		Replications: 1, Seeds: results.SeedList{1}, Channels: []string{"email", "store"},
		Stages: []string{"aware", "post_purchase"}, Metrics: slices.Clone(results.Metrics),
	}
	ts := &output.Table{Name: "timeseries", Columns: []output.Column{
		{Name: "strategy"}, {Name: "replication"}, {Name: "tick"}, {Name: "revenue_usd"}, {Name: "mean_loyalty_0_1"},
		{Name: "active_customers"}, {Name: "stage_aware_customers"}, {Name: "stage_post_purchase_customers"},
	}}
	for k := range 10 {
		name := "s" + strconv.Itoa(k)
		switch k {
		case 0:
			name = "Big Spender"
		case 1:
			name = "big/spender"
		}
		st := results.StrategySummary{Name: name, On: []bool{k != 2, true}}
		for _, m := range sum.Metrics {
			v := float64(k + 1)
			switch m.Key {
			case "profit":
				v = -100 * v
			case "nps":
				v = math.NaN()
			}
			st.Metrics = append(st.Metrics, results.NewEstimate([]float64{v}))
		}
		for range sum.Channels {
			var row []results.Estimate
			for range results.ChannelMetrics {
				row = append(row, results.NewEstimate([]float64{float64(10 * (k + 1))}))
			}
			st.Channels = append(st.Channels, row)
		}
		sum.Strategies = append(sum.Strategies, st)
		for tick := range sum.Horizon {
			f := strconv.FormatFloat
			ts.Add(name, "0", strconv.Itoa(tick), f(float64(100*tick+k), 'f', -1, 64), f(0.5+0.01*float64(tick), 'f', -1, 64),
				strconv.Itoa(100-tick), strconv.Itoa(90-tick), "10")
		}
	}
	return sum, ts
}

func checkSVG(t *testing.T, name string, data []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	root := ""
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: not XML: %v", name, err)
		}
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
		}
	}
	if root != "svg" {
		t.Errorf("%s: root %q, want svg", name, root)
	}
}

func TestFromRunSynthetic(t *testing.T) {
	sum, ts := syntheticRun(t)
	cs, err := FromRun(sum, ts)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range cs {
		names = append(names, c.Name)
		if c.Title == "" || c.Subtitle == "" {
			t.Errorf("%s: no title or subtitle", c.Name)
		}
	}
	for _, want := range []string{"outcome-revenue", "outcome-nps", "timeseries-active", "funnel-big-spender", "funnel-big-spender-2", "funnel-s9", "channels-contacts"} {
		if !slices.Contains(names, want) {
			t.Errorf("no chart %s; have %v", want, names)
		}
	}
	if slices.ContainsFunc(names, func(n string) bool { return strings.HasPrefix(n, "attribution-") }) {
		t.Errorf("attribution charts without attribution: %v", names)
	}
	for _, c := range cs {
		if !strings.Contains(c.Subtitle, "One replication") && strings.HasPrefix(c.Name, "outcome-") {
			t.Errorf("%s does not say it has no interval: %q", c.Name, c.Subtitle)
		}
		svg, err := c.Render("svg")
		if err != nil {
			t.Fatal(err)
		}
		checkSVG(t, c.Name, svg)
		again, err := c.Render("svg")
		if err != nil || !bytes.Equal(svg, again) {
			t.Errorf("%s: a second rendering differs (%v)", c.Name, err)
		}
	}
	png, err := cs[0].Render("png")
	if err != nil {
		t.Fatal(err)
	}
	img, _, err := image.Decode(bytes.NewReader(png))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 1500 || b.Dy() < 840 || b.Dy() > 845 {
		t.Errorf("PNG is %v; want 1500 × 844 (10 × 5.625 in at 150 dpi)", b)
	}
	if _, err := cs[0].Render("pdf"); err == nil || !strings.Contains(err.Error(), `"pdf"`) {
		t.Errorf("Render(pdf): %v; want an error naming the format", err)
	}
	// The same data built again gives the same bytes.
	cs2, err := FromRun(syntheticRun(t))
	if err != nil {
		t.Fatal(err)
	}
	for k := range cs {
		a, _ := cs[k].Render("svg")
		b, _ := cs2[k].Render("svg")
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two builds", cs[k].Name)
		}
	}
}

func TestFromRunBadTimeseries(t *testing.T) {
	sum, ts := syntheticRun(t)
	ts.Rows[3][2] = "soon"
	if _, err := FromRun(sum, ts); err == nil || !strings.Contains(err.Error(), `timeseries.csv:5: tick "soon"`) {
		t.Errorf("bad tick: %v", err)
	}
	sum, ts = syntheticRun(t)
	ts.Rows[0][2] = "4"
	if _, err := FromRun(sum, ts); err == nil || !strings.Contains(err.Error(), `timeseries.csv:2: tick "4" is not a whole number from 0 to 3`) {
		t.Errorf("a tick past the horizon: %v", err)
	}
	sum, ts = syntheticRun(t)
	ts.Columns[3].Name = "revenue_eur"
	if _, err := FromRun(sum, ts); err == nil || !strings.Contains(err.Error(), "no column revenue_usd") {
		t.Errorf("missing column: %v", err)
	}
}

// syntheticSweep writes a complete sweep folder: x numeric on 3 values ×
// mode text on 2 levels × 2 replications, and k numeric but constant.
func syntheticSweep(t *testing.T, textOnly bool) string {
	t.Helper()
	m := &sweep.Manifest{Experiment: "synthetic", Seed: "1", Points: 6, Replications: 2, Strategies: []string{"a", "b"},
		Params:   []sweep.ParamInfo{{Path: "x", Numeric: true}, {Path: "mode"}, {Path: "k", Numeric: true}},
		Outcomes: []sweep.Outcome{{Key: "revenue", Better: 1}, {Key: "churn_rate", Better: -1}}}
	m.Units = m.Points * m.Replications
	m.Shard = sweep.Shard{Count: 1}
	dir := filepath.Join(t.TempDir(), "sweep")
	j, err := sweep.Create(dir, m, []byte("name: synthetic\n"), []byte("name: s\nrun: {currency: GBP}\n"))
	if err != nil {
		t.Fatal(err)
	}
	for u := range m.Units {
		p, r := u/m.Replications, u%m.Replications
		x := float64(p / 2)
		if textOnly {
			x = 1
		}
		var rows []sweep.Row
		for s := range m.Strategies {
			rows = append(rows, sweep.Row{Point: p, Replication: r, Strategy: s, Seed: uint64(u),
				Params:   []string{strconv.FormatFloat(x, 'g', -1, 64), []string{"on", "off"}[p%2], "3"},
				Outcomes: []float64{100*x + float64(s+r), 0.1 + 0.01*float64(r)}})
		}
		if err := j.Append(rows); err != nil {
			t.Fatal(err)
		}
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestSweepCharts(t *testing.T) {
	dir := syntheticSweep(t, false)
	cs, err := Build(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range cs {
		names = append(names, c.Name)
	}
	if want := []string{"sweep-revenue-vs-x", "sweep-churn_rate-vs-x"}; !slices.Equal(names, want) {
		t.Errorf("charts %v; want %v (k does not vary, mode is text)", names, want)
	}
	if !strings.Contains(cs[0].plot.Y.Label.Text, "GBP") || !strings.Contains(cs[1].plot.Y.Label.Text, "%") {
		t.Errorf("axis labels %q, %q: want the scenario's currency and a percentage", cs[0].plot.Y.Label.Text, cs[1].plot.Y.Label.Text)
	}
	if !strings.Contains(cs[0].Subtitle, "over every setting of mode") {
		t.Errorf("subtitle %q does not say the dots are over every setting of mode", cs[0].Subtitle)
	}
	out := filepath.Join(t.TempDir(), "charts")
	files, err := WriteCharts(dir, out, []string{"svg"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(files, []string{"sweep-revenue-vs-x.svg", "sweep-churn_rate-vs-x.svg"}) {
		t.Errorf("files %v", files)
	}

	if _, err := Build(syntheticSweep(t, true)); err == nil || !strings.Contains(err.Error(), "only text parameters (mode)") {
		t.Errorf("a sweep of a text parameter only: %v", err)
	}
}

func TestBuildNotAFolder(t *testing.T) {
	empty := t.TempDir()
	for _, tc := range []struct{ dir, want string }{
		{empty, "is not a result folder: it has no manifest.json"},
		{filepath.Join(empty, "nosuch"), "no such folder"},
		{"charts.go", "is a file"},
	} {
		if _, err := Build(tc.dir); err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.dir) {
			t.Errorf("Build(%s): %v; want %q", tc.dir, err, tc.want)
		}
	}
	if err := os.WriteFile(filepath.Join(empty, "manifest.json"), []byte(`{"name": "x"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(empty); err == nil || !strings.Contains(err.Error(), "neither a run's nor a sweep's") {
		t.Errorf("an unknown manifest: %v", err)
	}
}

func TestWriteReplacesOnlyCharts(t *testing.T) {
	sum, ts := syntheticRun(t)
	cs, err := FromRun(sum, ts)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "charts")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(out, "old-chart.svg")
	if err := os.WriteFile(stale, []byte("<svg/>"), 0o644); err != nil {
		t.Fatal(err)
	}
	files, err := Write(out, cs[:2], []string{"svg", "png", "svg"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{cs[0].Name + ".svg", cs[0].Name + ".png", cs[1].Name + ".svg", cs[1].Name + ".png"}; !slices.Equal(files, want) {
		t.Errorf("files %v; want %v", files, want)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Errorf("the earlier chart was kept")
	}
	if err := os.WriteFile(filepath.Join(out, "notes.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Write(out, cs[:1], []string{"svg"}); err == nil || !strings.Contains(err.Error(), "notes.txt") {
		t.Errorf("a folder with other files: %v", err)
	}
	if _, err := Write(t.TempDir(), cs[:1], []string{"jpeg"}); err == nil || !strings.Contains(err.Error(), `"jpeg": allowed: svg, png`) {
		t.Errorf("a bad format: %v", err)
	}
	if err := CheckFormats(nil); err == nil {
		t.Errorf("no format accepted")
	}
}

func TestNiceTicks(t *testing.T) {
	for _, tc := range []struct {
		lo, hi float64
		want   string
	}{
		{0, 29, "0 5 10 15 20 25"},
		{0, 1, "0.0 0.2 0.4 0.6 0.8 1.0"},
		{-75, 0, "−60 −40 −20 0"},
		{0, 25000, "0 5,000 10,000 15,000 20,000 25,000"},
		{0.46, 0.51, "0.46 0.47 0.48 0.49 0.50 0.51"},
	} {
		var got []string
		for _, tk := range (niceTicks{}).Ticks(tc.lo, tc.hi) {
			got = append(got, tk.Label)
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("ticks of [%g, %g]: %q; want %q", tc.lo, tc.hi, strings.Join(got, " "), tc.want)
		}
	}
	if lo, hi := niceRange(-10600, 16800); lo != -12000 || hi != 18000 {
		t.Errorf("niceRange(-10600, 16800) = %g, %g; want -12000, 18000", lo, hi)
	}
	if ticks := (niceTicks{}).Ticks(3, 3); len(ticks) != 1 {
		t.Errorf("an empty range gives %d ticks; want 1", len(ticks))
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Big Spender": "big-spender", "strategies.email_7pw.discount": "strategies.email_7pw.discount",
		"../../etc": "etc", "": "x", "été": "t",
	} {
		if got := slug(in); got != want {
			t.Errorf("slug(%q) = %q; want %q", in, got, want)
		}
	}
}
