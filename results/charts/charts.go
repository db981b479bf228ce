// Package charts draws the charts of a result folder (journeysim run
// --out) or of a complete sweep folder (journeysim sweep --out) from the
// data the folder holds, without running anything again: each strategy's
// headline outcomes with their 95% intervals, each strategy's cumulative
// extra profit against the baseline with its payback, revenue, loyalty and
// active customers over time, the journey funnel over time, the channel mix,
// attribution against the true incremental revenue, and, for a sweep, each
// outcome against each varied numeric parameter.
//
// The charts are made for a projector: large type, thick lines, the
// Okabe–Ito colours (safe for colour-blind viewers) and titles that say in
// words what the chart shows. The same folder always gives the same bytes.
package charts

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/journeysim/journeysim/results/output"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Formats are the file formats a chart can be written in.
var Formats = []string{"svg", "png"}

// Chart is one chart, ready to render.
type Chart struct {
	// Name is the chart's file name without extension, such as
	// "outcome-revenue".
	Name string
	// Title says in words what the chart shows; Subtitle how to read it.
	Title, Subtitle string
	// Untitled draws the chart without its title and subtitle, for a
	// page that prints them beside it as the chart's caption (the HTML
	// report), so that the title is not shown twice.
	Untitled bool

	plot        *plot.Plot
	legendTitle string
	legend      []legendEntry
	// axisText holds the axis labels as built, before they are fitted
	// to the axes (fitAxisLabels); nil until the chart is first drawn.
	axisText *[2]string
	// altLegend writes the legend's alternative labels, under
	// altLegendTitle.
	altLegend      bool
	altLegendTitle string
	// prepare, if set, readies the chart for drawing on a canvas like
	// dc, before it is drawn: it may try a drawing (drawBody) to choose
	// between layouts.
	prepare func(dc draw.Canvas)
}

// legendEntry is one line of a chart's legend: label, or alt when the
// chart says so (Chart.altLegend) and alt is not "".
type legendEntry struct {
	label, alt string
	thumb      plot.Thumbnailer
}

// Layout of the canvas around the plot, in points.
var (
	margin      = vg.Points(16)
	headerGap   = vg.Points(12)
	legendGap   = vg.Points(20)
	legendThumb = vg.Points(30)
	legendMax   = 3 * vg.Inch
)

// draw draws the chart on dc: title and subtitle at the top, the legend on
// the right, the plot in the rest.
func (c *Chart) draw(dc draw.Canvas) {
	if c.prepare != nil {
		c.prepare(dc)
	}
	c.drawBody(dc)
}

// drawBody draws the chart on dc as it is prepared.
func (c *Chart) drawBody(dc draw.Canvas) {
	r := dc.Rectangle
	dc.FillPolygon(whiteColor, []vg.Point{r.Min, {X: r.Min.X, Y: r.Max.Y}, r.Max, {X: r.Max.X, Y: r.Min.Y}})
	inner := draw.Crop(dc, margin, -margin, margin, -margin)
	w := inner.Max.X - inner.Min.X
	y := inner.Max.Y
	if c.Untitled {
		y += headerGap // no header: the plot starts at the margin
	}
	title := textStyle(titleSize, true, inkColor)
	title.YAlign = draw.YTop
	for _, line := range splitLines(fitLines(c.heading(c.Title), title, w, titleLines)) {
		dc.FillText(title, vg.Point{X: inner.Min.X, Y: y}, line)
		y -= title.FontExtents().Height
	}
	sub := textStyle(subtitleSize, false, greyColor)
	sub.YAlign = draw.YTop
	if !c.Untitled {
		y -= vg.Points(2)
	}
	for _, line := range splitLines(fitLines(c.heading(c.Subtitle), sub, w, subtitleLines)) {
		dc.FillText(sub, vg.Point{X: inner.Min.X, Y: y}, line)
		y -= sub.FontExtents().Height
	}
	body := inner
	body.Max.Y = y - headerGap
	if len(c.legend) > 0 {
		body.Max.X -= c.drawLegend(dc, body) + legendGap
	}
	c.fitAxisLabels(body)
	c.plot.Draw(body)
}

// heading is s, a title or subtitle to draw, or "" when the chart is
// drawn untitled.
func (c *Chart) heading(s string) string {
	if c.Untitled {
		return ""
	}
	return s
}

// The most lines a title, a subtitle and an axis label take; what does
// not fit is cut short with an ellipsis.
const (
	titleLines     = 2
	subtitleLines  = 5
	axisLabelLines = 2
)

// fitAxisLabels fits each axis label to the length of its axis on body:
// a label longer than its axis takes two lines, and is shortened with an
// ellipsis if it is still too long.
func (c *Chart) fitAxisLabels(body draw.Canvas) {
	p := c.plot
	if c.axisText == nil {
		c.axisText = &[2]string{p.X.Label.Text, p.Y.Label.Text}
	}
	p.X.Label.Text, p.Y.Label.Text = c.axisText[0], c.axisText[1]
	da := p.DataCanvas(body)
	p.X.Label.Text = fitLines(c.axisText[0], p.X.Label.TextStyle, da.Max.X-da.Min.X, axisLabelLines)
	da = p.DataCanvas(body)
	p.Y.Label.Text = fitLines(c.axisText[1], p.Y.Label.TextStyle, da.Max.Y-da.Min.Y, axisLabelLines)
}

// splitLines cuts s at "\n"; none for "".
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// fitLines is s as lines no wider than w, joined by "\n": at most n of
// them, the last shortened with an ellipsis when the words do not fit in
// n.
func fitLines(s string, sty interface{ Width(string) vg.Length }, w vg.Length, n int) string {
	if s == "" || (sty.Width(s) <= w && !strings.Contains(s, "\n")) {
		return s
	}
	lines := wrap(s, sty, w)
	if len(lines) == 0 {
		return ""
	}
	if len(lines) > n {
		lines = append(lines[:n-1], strings.Join(lines[n-1:], " "))
	}
	for k, l := range lines {
		lines[k] = fit(l, sty, w)
	}
	return strings.Join(lines, "\n")
}

// drawLegend draws the legend at the top right of area and returns its
// width.
func (c *Chart) drawLegend(dc draw.Canvas, area draw.Canvas) vg.Length {
	l := plot.NewLegend()
	l.TextStyle = textStyle(legendSize, false, inkColor)
	l.Top, l.Left = true, true
	l.ThumbnailWidth = legendThumb
	l.Padding = vg.Points(6)
	head := textStyle(legendSize, true, inkColor)
	head.YAlign = draw.YTop
	em := l.TextStyle.Width(" ")
	title := c.legendTitle
	if c.altLegend && c.altLegendTitle != "" {
		title = c.altLegendTitle
	}
	title = fit(title, head, legendMax)
	lw := head.Width(title)
	// As many entries as the area's height holds; past that, the last
	// line says how many more there are.
	room := area.Max.Y - area.Min.Y - l.TextStyle.FontExtents().Descent
	if title != "" {
		room -= head.FontExtents().Height + vg.Points(4)
	}
	entryH := l.TextStyle.Rectangle(" ").Max.Y
	entries := c.legend
	more := 0
	if n := int((room + l.Padding) / (entryH + l.Padding)); n < len(entries) {
		n = max(n-1, 0)
		entries, more = entries[:n], len(entries)-n
	}
	var labels []string
	for _, e := range entries {
		label := e.label
		if c.altLegend && e.alt != "" {
			label = e.alt
		}
		label = fit(label, l.TextStyle, legendMax-legendThumb-em)
		labels = append(labels, label)
		lw = max(lw, legendThumb+em+l.TextStyle.Width(label))
	}
	for k, e := range entries {
		l.Add(labels[k], e.thumb)
	}
	if more > 0 {
		label := fmt.Sprintf("and %d more", more)
		l.Add(label)
		lw = max(lw, legendThumb+em+l.TextStyle.Width(label))
	}
	x := area.Max.X - lw
	y := area.Max.Y
	if title != "" {
		dc.FillText(head, vg.Point{X: x, Y: y}, title)
		y -= head.FontExtents().Height + vg.Points(4)
	}
	box := area
	box.Min.X, box.Max.Y = x, y
	l.Draw(box)
	return lw
}

// wrap cuts s into lines no wider than w; "\n" starts a new line.
func wrap(s string, sty interface{ Width(string) vg.Length }, w vg.Length) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			next := word
			if line != "" {
				next = line + " " + word
			}
			if line != "" && sty.Width(next) > w {
				lines = append(lines, line)
				next = word
			}
			line = next
		}
		if line != "" {
			lines = append(lines, line)
		}
	}
	return lines
}

// fit shortens s with an ellipsis until it is no wider than w.
func fit(s string, sty interface{ Width(string) vg.Length }, w vg.Length) string {
	if sty.Width(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && sty.Width(string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// Render draws the chart in format, one of Formats: an SVG document, or a
// PNG image at DPI dots per inch.
func (c *Chart) Render(format string) (data []byte, err error) {
	defer func() {
		// gonum/plot panics on some impossible drawings; report them as
		// an error rather than crash.
		if r := recover(); r != nil {
			data, err = nil, fmt.Errorf("draw chart %s: %v", c.Name, r)
		}
	}()
	var buf bytes.Buffer
	switch format {
	case "svg":
		cv := vgsvg.New(width, height)
		rec := newTextRecorder(cv)
		c.draw(draw.New(rec))
		if _, err := cv.WriteTo(&buf); err != nil {
			return nil, fmt.Errorf("draw chart %s: %w", c.Name, err)
		}
		return fontFallback(fixTextLengths(buf.Bytes(), rec.texts)), nil
	case "png":
		cv := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(DPI), vgimg.UseBackgroundColor(whiteColor))
		c.draw(draw.New(cv))
		if _, err := (vgimg.PngCanvas{Canvas: cv}).WriteTo(&buf); err != nil {
			return nil, fmt.Errorf("draw chart %s: %w", c.Name, err)
		}
		return buf.Bytes(), nil
	}
	return nil, fmt.Errorf("chart format %q: allowed: %s", format, strings.Join(Formats, ", "))
}

// fontFallback names fonts with Liberation Sans's metrics after it in an
// SVG, for viewers that do not have it.
func fontFallback(svg []byte) []byte {
	return bytes.ReplaceAll(svg, []byte("font-family:Liberation Sans;"),
		[]byte("font-family:'Liberation Sans',Arial,Helvetica,sans-serif;"))
}

// CheckFormats makes sure every format is one of Formats, and that there
// is at least one.
func CheckFormats(formats []string) error {
	if len(formats) == 0 {
		return fmt.Errorf("no chart format given; allowed: %s", strings.Join(Formats, ", "))
	}
	for _, f := range formats {
		if !slices.Contains(Formats, f) {
			return fmt.Errorf("chart format %q: allowed: %s", f, strings.Join(Formats, ", "))
		}
	}
	return nil
}

// CheckOutDir makes sure the folder outDir may be (re)written with charts:
// it is new, empty, or holds only charts (.svg and .png files), since
// writing the charts replaces the whole folder.
func CheckOutDir(outDir string) error {
	info, err := os.Stat(outDir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return fmt.Errorf("%s is a file; give a folder for the charts (it is created if missing)", outDir)
	}
	entries, err := os.ReadDir(outDir)
	if err != nil {
		return err
	}
	if slices.ContainsFunc(entries, func(e os.DirEntry) bool { return e.Name() == "manifest.json" }) {
		return fmt.Errorf("%s is a result or sweep folder, which writing the charts would replace: give a folder of their own, such as %s", outDir, filepath.Join(outDir, "charts"))
	}
	var other []string
	for _, e := range entries {
		ext := filepath.Ext(e.Name())
		if e.IsDir() || (ext != ".svg" && ext != ".png") {
			other = append(other, e.Name())
		}
	}
	if len(other) > 0 {
		if len(other) > 3 {
			other = append(other[:3], "…")
		}
		return fmt.Errorf("%s holds files that are not charts (%s), and writing the charts replaces the folder: give a new or empty folder", outDir, strings.Join(other, ", "))
	}
	return nil
}

// Write renders each chart in each format into the folder outDir, which
// is written aside and renamed into place (see output.WriteDir), and
// returns the names of the files, chart by chart.
func Write(outDir string, charts []*Chart, formats []string) ([]string, error) {
	return WriteWith(outDir, charts, formats)
}

// WriteWith is Write with files drawn elsewhere (such as journey maps)
// written into the same folder, in the same one step.
func WriteWith(outDir string, charts []*Chart, formats []string, extra ...output.File) ([]string, error) {
	if err := CheckFormats(formats); err != nil {
		return nil, err
	}
	if err := CheckOutDir(outDir); err != nil {
		return nil, err
	}
	var files []output.File
	var names []string
	for _, c := range charts {
		var done []string
		for _, f := range formats {
			if slices.Contains(done, f) {
				continue
			}
			done = append(done, f)
			data, err := c.Render(f)
			if err != nil {
				return nil, err
			}
			name := c.Name + "." + f
			files = append(files, output.File{Name: name, Data: data})
			names = append(names, name)
		}
	}
	for _, f := range extra {
		files = append(files, f)
		names = append(names, f.Name)
	}
	if err := output.WriteDir(outDir, files); err != nil {
		return nil, err
	}
	return names, nil
}

// WriteCharts draws the charts of the result or sweep folder dir into the
// folder outDir, in each of formats ("svg", "png"), and returns the names
// of the files written.
func WriteCharts(dir string, outDir string, formats []string) ([]string, error) {
	if err := CheckFormats(formats); err != nil {
		return nil, err
	}
	charts, err := Build(dir)
	if err != nil {
		return nil, err
	}
	return Write(outDir, charts, formats)
}

// Build reads the result folder or complete sweep folder dir and returns
// its charts. Its errors are about the folder: missing, not a result or
// sweep folder, changed after the run, or an incomplete sweep.
func Build(dir string) ([]*Chart, error) {
	const give = "give the folder of a run (journeysim run --out DIR) or of a sweep (journeysim sweep --out DIR)"
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("%s: no such folder; %s", dir, give)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("%s is a file, not a result folder; %s", dir, give)
	}
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, fmt.Errorf("%s is not a result folder: it has no manifest.json; %s", dir, give)
	}
	var kind struct {
		Tool       string `json:"tool"`
		Experiment string `json:"experiment"`
	}
	if err := json.Unmarshal(data, &kind); err != nil {
		return nil, fmt.Errorf("%s: %v", filepath.Join(dir, "manifest.json"), err)
	}
	switch {
	case kind.Experiment != "":
		return buildSweep(dir)
	case kind.Tool != "":
		return buildRunDir(dir)
	}
	return nil, fmt.Errorf("%s is not a result folder: its manifest.json is neither a run's nor a sweep's; %s", dir, give)
}

// buildRunDir reads a run's result folder and builds its charts.
func buildRunDir(dir string) ([]*Chart, error) {
	sum, man, err := output.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	const name = "timeseries.csv"
	path := filepath.Join(dir, name)
	data, err := man.ReadFile(dir, name)
	if err != nil {
		return nil, err
	}
	ts, err := output.ReadCSV(bytes.NewReader(data), &output.Table{Name: "timeseries"})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return FromRun(sum, ts)
}

// slug makes s safe as part of a file name.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '.' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.Trim(b.String(), "-.")
	if out == "" {
		return "x"
	}
	return out
}

// uniqueNames makes the charts' names unique, numbering repeats.
func uniqueNames(charts []*Chart) {
	var seen []string
	for _, c := range charts {
		name := c.Name
		for n := 2; slices.Contains(seen, name); n++ {
			name = c.Name + "-" + strconv.Itoa(n)
		}
		c.Name = name
		seen = append(seen, name)
	}
}
