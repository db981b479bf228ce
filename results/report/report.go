// Package report writes a run's or a sweep's result folder as one
// self-contained HTML page for a classroom projector. It opens with the
// scenario's lesson, if it has one: its title, its question to the class,
// what to vary and what to expect. A run's page then tells the story in
// the order a class reads it: the key results (the scenario's key
// outcomes, the best value in each row marked), the lesson's one chart,
// the strategies compared with the baseline and their verdicts, the
// business case (payback and net present value, with the chart of the
// cumulative extra cash), the other charts (the journey funnels of every
// strategy as one figure of small multiples), the customer-journey map,
// and then the full tables: every outcome, each strategy's channels and
// the checks (its thresholds).
// For a sweep: what the sweep varies, the best design points, the charts,
// and the thresholds along each numeric parameter, where each strategy's
// outcome peaks and where one strategy overtakes another. Both end with
// the scenario in plain words, for reference.
//
// The page needs nothing but itself: the styles are inline, the charts are
// <svg> elements, the font it is measured in is embedded as @font-face
// data (fonts.go), and there are no scripts or links to fetch. The same
// folder always gives the same bytes.
package report

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/charts"
	"github.com/journeysim/journeysim/results/output"
	"github.com/journeysim/journeysim/results/sweep"
	"github.com/journeysim/journeysim/sim/text"
)

//go:embed template.html
var pageSource string

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"verdictClass": verdictClass, "shownVerdict": shownVerdict,
	"mean": mean, "interval": interval, "breakable": breakable, "header": header,
}).Parse(pageSource))

// shownVerdict is the verdict a comparison's cell shows under its
// difference: none when no test was made, which the note above the table
// says once.
func shownVerdict(v string) string {
	if v == results.NotTested {
		return ""
	}
	return v
}

// mean is a cell's text up to its interval: "1,234" of "1,234 ± 56".
func mean(text string) string {
	m, _, _ := strings.Cut(text, " ± ")
	return m
}

// interval is a cell's interval with what follows it, "± 56 (n=3)" of
// "1,234 ± 56 (n=3)", or "" for a cell without one.
func interval(text string) string {
	if _, ci, ok := strings.Cut(text, " ± "); ok {
		return "± " + ci
	}
	return ""
}

// header escapes a metric's name for a table's header, which wraps
// between words but not at a word's hyphen: "opt-outs" stays whole.
func header(name string) template.HTML {
	words := strings.Split(name, " ")
	for i, w := range words {
		words[i] = template.HTMLEscapeString(w)
		if strings.Contains(w, "-") {
			words[i] = `<span class="word">` + words[i] + `</span>`
		}
	}
	return template.HTML(strings.Join(words, " "))
}

// breakable escapes a name for a table's header and lets it break after
// each underscore, so that a long strategy name such as stock_visible can
// take two lines of a narrow column rather than widen it.
func breakable(name string) template.HTML {
	parts := strings.Split(name, "_")
	for i := range parts {
		parts[i] = template.HTMLEscapeString(parts[i])
	}
	return template.HTML(strings.Join(parts, "_<wbr>"))
}

// verdictClass is the CSS class that colours a comparison's verdict.
func verdictClass(v string) string {
	switch v {
	case results.Better:
		return "better"
	case results.Worse:
		return "worse"
	case results.NoDifference, results.NoDifferenceThatMatters, results.Higher, results.Lower:
		return "same"
	}
	if strings.HasSuffix(v, results.ButSmall) {
		return "same" // significant, but too small to matter
	}
	return "untested"
}

// data is what template.html renders.
type data struct {
	// Sweep is set for a sweep folder's report.
	Sweep bool
	// Kind names what the page is about: "Scenario" or "Sweep".
	Kind               string
	Title, Description string
	// Lesson is what the scenario teaches, the page's headline; nil for
	// none.
	Lesson *lesson
	// ScenarioName and ScenarioDescription are the swept scenario's.
	ScenarioName, ScenarioDescription string
	// Facts are the run's size and seed, in words.
	Facts        string
	Interrupted  string
	IntervalNote string
	// Explanation is the scenario in plain words; ExplainNote, for a
	// sweep, says how the sweep ran it.
	Explanation []section
	ExplainNote string
	// Metrics are a run's headline outcomes, Outcomes all of them, and
	// Channels each strategy's channels.
	Metrics  output.Grid
	Outcomes markedGrid
	Channels channelTable
	// Key is a run's key results, the scenario's key outcomes (the
	// headline outcomes when it names none); KeyNote says what they are.
	Key     markedGrid
	KeyNote string
	// KeyChart is the lesson's one chart (keyChartName), shown under
	// the key results; nil for none.
	KeyChart *chart
	// Maps are the customer journey's maps, one per strategy; the first
	// is shown, the others folded.
	Maps []journeyFigure
	// Fit is the CSS class of each table, by its id, that makes it fit
	// a projector's width (fit.go).
	Fit         map[string]string
	Strategies  []strategyNote
	Baseline    string
	CompareNote string
	Comparisons output.Grid
	// CompareNotes, under the comparison, say how to read it
	// (output.ComparisonNotes).
	CompareNotes []string
	// Business is a run's business case: the headline's payback and NPV
	// of each strategy, and a section with its table and chart; nil with
	// one strategy (business.go).
	Business *business
	// Varied and Fixed are a sweep's parameters.
	Varied []paramValues
	Fixed  []paramValues
	// Best is a sweep's best design point for each outcome.
	Best bestTable
	// Indices are a sobol or morris sweep's indices; nil for others.
	Indices    *sweep.IndexSection
	Charts     []chart
	ChartsNote string
	Checks     []check
	Passed     int
	Failed     int
	// Thresholds are a sweep's peaks and break-even points;
	// ThresholdsNote says what they are read from.
	Thresholds     []sweep.ParamThresholds
	ThresholdsNote string
	Footer         string
}

// lesson is what a scenario teaches, as the page shows it.
type lesson struct{ Title, Question, Vary, Expect string }

// newLesson makes the lesson's texts whole sentences for the page: what
// to vary ends with a full stop, and what to expect, a paragraph of its
// own, also starts with a capital.
func newLesson(title, question, vary, expect string) *lesson {
	return &lesson{Title: title, Question: question, Vary: fullStop(vary), Expect: fullStop(text.Capitalize(expect))}
}

// fullStop ends s with a full stop unless it ends with punctuation.
func fullStop(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasSuffix(s, ".") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "…") {
		return s
	}
	return s + "."
}

type strategyNote struct{ Name, Description string }

// channelTable is a run's channels: a group of rows for each strategy, a
// row for each channel it uses, and a column for each channel metric.
type channelTable struct {
	// Header names the metrics' columns.
	Header []string
	Groups []channelGroup
}

type channelGroup struct {
	Strategy string
	Rows     []channelRow
}

type channelRow struct {
	Channel string
	Cells   []output.Cell
}

// columns returns the table's columns, to fit it to the page.
func (t channelTable) columns() []column {
	cols := []column{{header: "strategy", label: true}, {header: "channel", label: true}}
	for _, h := range t.Header {
		cols = append(cols, column{header: h, wrapHeader: true})
	}
	for _, g := range t.Groups {
		cols[0].cells = append(cols[0].cells, g.Strategy)
		for _, r := range g.Rows {
			cols[1].cells = append(cols[1].cells, r.Channel)
			for k, c := range r.Cells {
				if k+2 < len(cols) {
					cols[k+2].cells = append(cols[k+2].cells, c.Text)
				}
			}
		}
	}
	return cols
}

// channels groups the rows of the summary's channel grid by strategy:
// the grid holds a row for each channel each strategy uses, in that
// order.
func channels(sum *results.Summary) channelTable {
	g := output.ChannelGrid(sum)
	t := channelTable{Header: g.Header[1:]}
	rows := g.Rows
	for _, st := range sum.Strategies {
		grp := channelGroup{Strategy: st.Name}
		for c := range sum.Channels {
			if c >= len(st.On) || !st.On[c] || len(rows) == 0 {
				continue
			}
			grp.Rows = append(grp.Rows, channelRow{Channel: sum.ChannelLabel(c), Cells: rows[0][1:]})
			rows = rows[1:]
		}
		if len(grp.Rows) > 0 {
			t.Groups = append(t.Groups, grp)
		}
	}
	return t
}

// chart is a figure of the page: one chart, or, with Panels, a figure of
// small multiples, the same chart for each strategy side by side under
// one caption.
type chart struct {
	Name, Title, Subtitle string
	SVG                   template.HTML
	// Panels are the small multiples, each labelled with its Label.
	Panels []chart
	Label  string
}

// journeyFigure is one strategy's customer-journey map on the page.
type journeyFigure struct {
	Strategy string
	SVG      template.HTML
}

// JourneyMap is one strategy's customer-journey map, drawn by the caller
// (the report does not read scenarios: journeysim report draws the maps
// as journeysim chart does, and hands them over with WithJourneyMaps).
type JourneyMap struct {
	// Strategy is the strategy the map shows.
	Strategy string
	// SVG is the map, a standalone SVG document with its own title.
	SVG []byte
}

// Option changes what Build puts on a page.
type Option func(*options)

type options struct {
	maps []JourneyMap
}

// WithJourneyMaps puts the customer-journey maps of a run's strategies on
// its page, in a figure of their own: the first shown, the others folded
// under it. A sweep's page has none.
func WithJourneyMaps(maps []JourneyMap) Option {
	return func(o *options) { o.maps = maps }
}

type check struct {
	Strategy, Check, Observed string
	Pass                      bool
}

// section is a heading of the plain-words explanation and its blocks.
type section struct {
	Heading string
	Blocks  []block
}

// block is a paragraph or a list item of the explanation, at an
// indentation level from 1 to 4.
type block struct {
	Level int
	Item  bool
	// Sub marks a paragraph that heads the deeper blocks after it, such
	// as a stage of the journey or a strategy's name.
	Sub  bool
	Text string
}

// Build reads the result folder dir of a run (journeysim run --out DIR)
// or of a complete sweep (journeysim sweep --out DIR) and returns its
// report as an HTML page; describe puts the folder's scenario into words,
// and opts add what the report cannot draw itself (WithJourneyMaps).
func Build(dir string, describe Describe, opts ...Option) ([]byte, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	var d *data
	var err error
	if kind, _ := output.FolderKind(dir); kind == output.SweepFolder {
		d, err = buildSweep(dir, describe)
	} else {
		var sum *results.Summary
		d, sum, err = buildRun(dir, describe)
		if err == nil {
			d.addMaps(fullestFirst(o.maps, sum))
		}
	}
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := page.Execute(&buf, d); err != nil {
		return nil, fmt.Errorf("report of %s: %w", dir, err)
	}
	faces, err := fontFaces(buf.Bytes())
	if err != nil {
		return nil, fmt.Errorf("report of %s: %w", dir, err)
	}
	return bytes.Replace(buf.Bytes(), []byte("<style>\n"), []byte("<style>\n"+faces), 1), nil
}

// buildRun reads a run's result folder.
func buildRun(dir string, describe Describe) (*data, *results.Summary, error) {
	sum, man, err := output.ReadDir(dir)
	if err != nil {
		return nil, nil, err
	}
	cs, err := charts.Build(dir)
	if err != nil {
		return nil, nil, err
	}
	d := &data{
		Kind: "Scenario", Title: sum.Scenario, Description: sum.Description,
		Facts: fmt.Sprintf("%s · %s · %s · seed %d", text.Count(sum.Customers, "customer"), text.Count(sum.Horizon, sum.TickLabel),
			text.Count(len(sum.Seeds), "replication"), sum.Seed),
		Metrics: output.MetricsGrid(sum, true), Outcomes: markMetrics(sum, output.MetricsGrid(sum, false), false), Channels: channels(sum),
		Baseline: sum.Baseline, Comparisons: output.ComparisonGrid(sum),
		Footer: fmt.Sprintf("%s %s · scenario %s (sha256 %.12s…)", man.Tool, man.Version, man.Scenario.Source, man.Scenario.SHA256),
	}
	d.Fit = map[string]string{
		"metrics": fitClass(gridColumns(d.Metrics)), "comparison": fitClass(gridColumns(d.Comparisons)),
		"outcome-table": fitClass(d.Outcomes.columns()), "channel-table": fitClass(d.Channels.columns()),
	}
	d.Key, d.KeyNote = keyResults(sum)
	d.Fit["key-table"] = fitClass(d.Key.columns())
	if d.Business = newBusiness(sum); d.Business != nil {
		d.Fit["business-table"] = fitClass(gridColumns(d.Business.Grid))
	}
	if sum.Interrupted {
		d.Interrupted = fmt.Sprintf("The run was interrupted: only the %d of %d replications completed are shown.", len(sum.Seeds), sum.Replications)
	}
	if len(sum.Seeds) > 1 {
		d.IntervalNote = fmt.Sprintf("Each cell is the mean over %d replications ± the half-width of its 95%% confidence interval.", len(sum.Seeds))
		d.CompareNote = fmt.Sprintf("Each strategy minus %s, paired replication by replication: the difference ± the half-width of its 95%% interval, and whether it is significant.", sum.Baseline)
	} else {
		d.IntervalNote = "One replication: no confidence intervals (run with --reps 2 or more for them)."
		d.CompareNote = fmt.Sprintf("Each strategy minus %s. With one replication the differences are not tested for significance (run with --reps 2 or more to test them).", sum.Baseline)
	}
	d.CompareNotes = output.ComparisonNotes(sum)
	for _, st := range sum.Strategies {
		if st.Description != "" {
			d.Strategies = append(d.Strategies, strategyNote{st.Name, st.Description})
		}
	}
	src := []byte(man.EffectiveScenario)
	name := filepath.Join(dir, "scenario.yaml")
	if len(src) == 0 {
		if src, err = os.ReadFile(name); err != nil {
			return nil, nil, fmt.Errorf("%s: the result folder holds no scenario: %w", dir, err)
		}
	}
	sc, err := describe(dir, name, src, nil)
	if err != nil {
		return nil, nil, err
	}
	info := sc.info()
	d.Lesson, d.Explanation = info.Lesson, info.Explanation
	if err := d.addCharts(dir, cs); err != nil {
		return nil, nil, err
	}
	d.KeyChart = d.takeChart(keyChartName(sum, d.Charts))
	d.takeBusinessChart()
	d.foldFunnels()
	for _, c := range sum.Checks {
		d.Checks = append(d.Checks, check{Strategy: c.Strategy, Check: c.Check, Observed: output.CheckText(sum, c), Pass: c.Pass})
		if c.Pass {
			d.Passed++
		} else {
			d.Failed++
		}
	}
	return d, sum, nil
}

// addCharts renders the charts as inline SVG.
func (d *data) addCharts(dir string, cs []*charts.Chart) error {
	for _, c := range cs {
		c.Untitled = true // the figure's caption is its title
		svg, err := c.Render("svg")
		if err != nil {
			return fmt.Errorf("%s: %w", dir, err)
		}
		d.Charts = append(d.Charts, chart{Name: c.Name, Title: c.Title, Subtitle: c.Subtitle, SVG: inlineSVG(svg)})
	}
	return nil
}

// scenarioInfo is what the report says about a folder's scenario.
type scenarioInfo struct {
	// Explanation is the scenario in plain words, without its title and
	// lesson (the page's header shows them).
	Explanation []section
	Lesson      *lesson
	Currency    string
}

// sections parses the text of explain.Text: a line at the margin is a
// heading; indented lines are paragraphs or, starting with "- ", list
// items, wrapped onto indented continuation lines; blank lines end a
// paragraph.
func sections(text string) []section {
	var out []section
	var cur *block
	contIndent := -1 // indentation of the current block's next line
	for _, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimLeft(line, " ")
		indent := len(line) - len(trimmed)
		switch {
		case trimmed == "":
			cur, contIndent = nil, -1
			continue
		case indent == 0:
			out = append(out, section{Heading: trimmed})
			cur, contIndent = nil, -1
			continue
		}
		if len(out) == 0 {
			out = append(out, section{})
		}
		s := &out[len(out)-1]
		if cur != nil && indent == contIndent && !strings.HasPrefix(trimmed, "- ") {
			cur.Text += " " + trimmed
			continue
		}
		b := block{Level: min(4, max(1, indent/2)), Text: trimmed}
		contIndent = indent
		if rest, ok := strings.CutPrefix(trimmed, "- "); ok {
			b.Item, b.Text = true, rest
			contIndent = indent + 2
		}
		s.Blocks = append(s.Blocks, b)
		cur = &s.Blocks[len(s.Blocks)-1]
	}
	for _, s := range out {
		for i := range s.Blocks {
			b := &s.Blocks[i]
			b.Sub = !b.Item && i+1 < len(s.Blocks) && s.Blocks[i+1].Level > b.Level
		}
	}
	return out
}

// svgStart finds the <svg> element's opening tag.
var svgStart = regexp.MustCompile(`<svg[\s>]`)

// xmlns matches the namespace declarations, which HTML does not need.
var xmlns = regexp.MustCompile(`\s+xmlns(:\w+)?="[^"]*"`)

// inlineSVG makes an SVG document an element for an HTML page: without the
// XML declaration and comments before it, and without namespace
// declarations (HTML gives <svg> its namespace).
func inlineSVG(doc []byte) template.HTML {
	if i := svgStart.FindIndex(doc); i != nil {
		doc = doc[i[0]:]
	}
	end := bytes.IndexByte(doc, '>')
	if end < 0 {
		return template.HTML(doc)
	}
	open := xmlns.ReplaceAll(doc[:end], nil)
	if !bytes.Contains(open, []byte(" role=")) {
		open = append(open, ` role="img"`...)
	}
	// The chart's own markup, drawn by gonum/plot from the folder's data
	// with its text escaped by the SVG writer, is trusted.
	return template.HTML(string(open) + string(doc[end:]))
}

// Write writes the report of the result folder dir to the file path. The
// page is written beside path and renamed into place, so path never holds
// half a report.
func Write(dir, path string, describe Describe) error {
	html, err := Build(dir, describe)
	if err != nil {
		return err
	}
	return output.WriteFileAtomic(path, html)
}
