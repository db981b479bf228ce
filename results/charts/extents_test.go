package charts

import (
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/journeysim/journeysim/plugins"
	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/output"
	"github.com/journeysim/journeysim/results/sweep"
	"github.com/journeysim/journeysim/scenarios"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// layout draws c on a canvas that records its texts, and returns them.
func layout(c *Chart) []placedText {
	rec := newTextRecorder(nullCanvas{width, height})
	c.draw(draw.New(rec))
	return rec.texts
}

// The recorder places text as the canvas's transforms do: a text drawn
// after a translation and a quarter turn stands upright at its place.
func TestTextRecorderTransforms(t *testing.T) {
	rec := newTextRecorder(nullCanvas{width, height})
	sty := textStyle(labelSize, false, inkColor)
	face := sty.Handler.Cache().Lookup(sty.Font, sty.Font.Size)
	rec.Push()
	rec.Translate(vg.Point{X: 100, Y: 50})
	rec.Rotate(math.Pi / 2)
	rec.FillString(face, vg.Point{X: 10, Y: 0}, "upright")
	rec.Pop()
	rec.FillString(face, vg.Point{X: 10, Y: 0}, "flat")
	up, flat := rec.texts[0], rec.texts[1]
	w, ext := face.Width("upright"), face.Extents()
	near := func(a, b vg.Length) bool { return math.Abs(float64(a-b)) < 1e-6 }
	b := up.bounds()
	// The baseline runs up from (100, 60); the letters stand to its
	// left.
	if !near(b.Min.X, 100-ext.Ascent) || !near(b.Max.X, 100+ext.Descent) || !near(b.Min.Y, 60) || !near(b.Max.Y, 60+w) {
		t.Errorf("upright text at %+v; want x %.1f to %.1f, y 60 to %.1f", b, 100-ext.Ascent, 100+ext.Descent, 60+w)
	}
	if fb := flat.bounds(); !near(fb.Min.X, 10) || !near(fb.Min.Y, -ext.Descent) {
		t.Errorf("after Pop, text at %+v; want it untransformed", fb)
	}
	if up.block == flat.block {
		t.Errorf("two texts in one block")
	}
}

// quadsOverlap reports whether the convex quadrilaterals a and b share
// more than an edge (by the separating axis theorem), with tol points of
// give.
func quadsOverlap(a, b [4]vg.Point, tol vg.Length) bool {
	for _, q := range [][4]vg.Point{a, b} {
		for i := range 4 {
			p, n := q[i], q[(i+1)%4]
			// The edge's normal.
			ax, ay := -(n.Y - p.Y), n.X-p.X
			l := vg.Length(math.Hypot(float64(ax), float64(ay)))
			if l == 0 {
				continue
			}
			ax, ay = ax/l, ay/l
			proj := func(q [4]vg.Point) (lo, hi vg.Length) {
				lo, hi = q[0].X*ax+q[0].Y*ay, q[0].X*ax+q[0].Y*ay
				for _, v := range q[1:] {
					d := v.X*ax + v.Y*ay
					lo, hi = min(lo, d), max(hi, d)
				}
				return lo, hi
			}
			alo, ahi := proj(a)
			blo, bhi := proj(b)
			if ahi <= blo+tol || bhi <= alo+tol {
				return false
			}
		}
	}
	return true
}

// checkExtents draws c and reports any text that runs off the canvas or
// into another text: titles, subtitles, axis labels, tick labels, legend
// entries, value labels and notes alike.
func checkExtents(t *testing.T, where string, c *Chart) {
	t.Helper()
	texts := layout(c)
	if len(texts) == 0 {
		t.Errorf("%s/%s: no text drawn", where, c.Name)
	}
	const tol = 0.01
	for _, x := range texts {
		b := x.bounds()
		if b.Min.X < -tol || b.Min.Y < -tol || b.Max.X > width+tol || b.Max.Y > height+tol {
			t.Errorf("%s/%s: %q (%.1f, %.1f to %.1f, %.1f pt) runs off the %.0f × %.0f pt canvas",
				where, c.Name, x.text, b.Min.X, b.Min.Y, b.Max.X, b.Max.Y, width.Points(), height.Points())
		}
		if strings.HasSuffix(x.text, "…") {
			t.Logf("%s/%s: shortened to fit: %q", where, c.Name, x.text)
		}
	}
	for i := range texts {
		for j := i + 1; j < len(texts); j++ {
			// The lines of a multi-line text are a font size apart,
			// less than its ascent and descent: their boxes overlap,
			// their letters do not.
			if texts[i].block != texts[j].block && quadsOverlap(texts[i].corners, texts[j].corners, 0.5) {
				t.Errorf("%s/%s: %q and %q overlap", where, c.Name, texts[i].text, texts[j].text)
			}
		}
	}
}

var (
	pluginOnce sync.Once
	pluginDir  string
	pluginErr  error
)

// contactCentrePlugin builds the contactcentre plugin the contact-centre
// scenario needs, once, and returns the folder it is in.
func contactCentrePlugin(t *testing.T) string {
	t.Helper()
	pluginOnce.Do(func() {
		pluginDir, pluginErr = os.MkdirTemp("", "journeysim-charts-plugins-")
		if pluginErr != nil {
			return
		}
		out, err := exec.Command("go", "build", "-o", pluginDir+string(filepath.Separator), "../../plugins/contactcentre").CombinedOutput()
		if err != nil {
			pluginErr = fmt.Errorf("%v: %s", err, out)
		}
	})
	if pluginErr != nil {
		t.Skipf("cannot build the contactcentre plugin: %v", pluginErr)
	}
	return pluginDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if pluginDir != "" {
		os.RemoveAll(pluginDir)
	}
	os.Exit(code)
}

// smallRun runs the built-in scenario name small (300 customers, at most
// 60 ticks, 2 replications; attribution when asked) and returns its
// charts.
func smallRun(t *testing.T, name string, attribution bool) []*Chart {
	t.Helper()
	info, err := scenarios.Builtins()
	if err != nil {
		t.Fatal(err)
	}
	var opt scenarios.Options
	for _, in := range info {
		if in.Name == name && len(in.Plugins) > 0 {
			host := &plugins.Host{Dirs: []string{contactCentrePlugin(t)}}
			t.Cleanup(host.Close)
			opt.Plugins = host
		}
	}
	src, err := scenarios.BuiltinSource(name)
	if err != nil {
		t.Fatal(err)
	}
	over := []scenarios.Override{
		{Path: "population.size", Value: scenarios.NumberValue(300)},
		{Path: "run.replications", Value: scenarios.NumberValue(2)},
	}
	sc, err := scenarios.LoadWith(name+".yaml", src, opt)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Model.Horizon > 60 {
		over = append(over, scenarios.Override{Path: "run.horizon", Value: scenarios.NumberValue(60)})
	}
	src, err = scenarios.Apply(src, over)
	if err != nil {
		t.Fatal(err)
	}
	sc, err = scenarios.LoadWith(name+".yaml", src, opt)
	if err != nil {
		t.Fatal(err)
	}
	sum, res, err := results.Run(context.Background(), sc.Model, results.RunOptions{Attribution: attribution,
		Summary: results.Options{Currency: sc.Currency}})
	if err != nil {
		t.Fatal(err)
	}
	var ts *output.Table
	for _, tb := range output.Tables(sum, res) {
		if tb.Name == "timeseries" {
			ts = tb
		}
	}
	cs, err := FromRun(sum, ts)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// Every chart of a small run of every built-in scenario (and, for the
// retail one, of its attribution) keeps every text inside the canvas and
// clear of every other: nothing clipped, no labels on top of one
// another. An SVG's text elements carry the widths they were laid out
// at.
func TestNothingClippedBuiltins(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every built-in scenario")
	}
	info, err := scenarios.Builtins()
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range info {
		t.Run(in.Name, func(t *testing.T) {
			t.Parallel()
			cs := smallRun(t, in.Name, in.Name == "retail-omnichannel")
			for _, c := range cs {
				checkExtents(t, in.Name, c)
			}
			svg, err := cs[0].Render("svg")
			if err != nil {
				t.Fatal(err)
			}
			if n, m := strings.Count(string(svg), "<text "), strings.Count(string(svg), ` lengthAdjust="spacingAndGlyphs"`); n == 0 || n != m {
				t.Errorf("%s: %d of %d text elements have their width", cs[0].Name, m, n)
			}
		})
	}
}

// The charts of the hand-made run (ten strategies, names that clash, one
// replication) and of sweeps keep their texts inside and apart too.
func TestNothingClippedSynthetic(t *testing.T) {
	sum, ts := syntheticRun(t)
	cs, err := FromRun(sum, ts)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		checkExtents(t, "synthetic", c)
	}
	checkExtents(t, "business", drawBusiness(businessRun(t)).chart)
	for _, dir := range []string{syntheticSweep(t, false), serviceSweep(t), frequencySweep(t)} {
		cs, err := Build(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			checkExtents(t, filepath.Base(dir), c)
		}
	}
}

// fakeSweep writes a complete sweep folder named name over the scenario
// src: a grid of the params' values × 2 replications, each outcome a
// made-up function of the point.
func fakeSweep(t *testing.T, name string, src []byte, strategies []string, params []sweep.ParamInfo, outcomes []sweep.Outcome) string {
	t.Helper()
	points := 1
	for _, p := range params {
		points *= len(p.Values)
	}
	m := &sweep.Manifest{Experiment: name, Seed: "1", Points: points, Replications: 2, Strategies: strategies,
		Params: params, Outcomes: outcomes, Currency: "EUR"}
	m.Units = m.Points * m.Replications
	m.Shard = sweep.Shard{Count: 1}
	dir := filepath.Join(t.TempDir(), name)
	j, err := sweep.Create(dir, m, []byte("name: "+name+"\n"), src)
	if err != nil {
		t.Fatal(err)
	}
	for u := range m.Units {
		p, r := u/m.Replications, u%m.Replications
		var vals []string
		x := 0.0
		rest := p
		for _, prm := range params {
			i := rest % len(prm.Values)
			rest /= len(prm.Values)
			vals = append(vals, prm.Values[i])
			x += float64(i)
		}
		var rows []sweep.Row
		for s := range strategies {
			var outs []float64
			for o := range outcomes {
				outs = append(outs, 18_600_000+400_000*x*float64(o+1)+float64(50_000*(s+r)))
			}
			rows = append(rows, sweep.Row{Point: p, Replication: r, Strategy: s, Seed: uint64(u), Params: vals, Outcomes: outs})
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

// serviceSweep is the service-level experiment's sweep, made up, on the
// cx-investment scenario: its lever from 0 to 2, and a discount.
func serviceSweep(t *testing.T) string {
	src, err := scenarios.BuiltinSource("cx-investment")
	if err != nil {
		t.Fatal(err)
	}
	return fakeSweep(t, "service-level", src, []string{"fixed", "thin_service"}, []sweep.ParamInfo{
		{Path: "strategies.fixed.levers.service", Numeric: true, Values: []string{"0", "0.5", "1", "1.5", "2"}},
		{Path: "strategies.fixed.discount", Numeric: true, Values: []string{"0", "0.1"}},
	}, []sweep.Outcome{{Key: "profit", Better: 1}, {Key: "nps", Better: 1}})
}

// frequencySweep is the email-frequency experiment's sweep, made up, on
// the email-pressure scenario: a cap, a discount and the population.
func frequencySweep(t *testing.T) string {
	src, err := scenarios.BuiltinSource("email-pressure")
	if err != nil {
		t.Fatal(err)
	}
	return fakeSweep(t, "email-frequency", src, []string{"email_1pw", "email_7pw"}, []sweep.ParamInfo{
		{Path: "strategies.email_7pw.caps.email.max", Numeric: true, Integer: true, Values: []string{"1", "3", "5", "7"}},
		{Path: "strategies.email_7pw.discount", Numeric: true, Values: []string{"0", "0.1"}},
		{Path: "population.size", Numeric: true, Values: []string{"2000", "4000"}},
	}, []sweep.Outcome{{Key: "revenue", Better: 1}, {Key: "opt_out_rate", Better: -1}})
}
