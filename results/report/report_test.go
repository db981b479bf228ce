package report

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/charts"
	"github.com/journeysim/journeysim/results/output"
	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/scenarios/explain"
	"github.com/journeysim/journeysim/sim"
	"golang.org/x/net/html"
)

// evilName is a strategy name that must come out escaped.
const evilName = `<script>alert("x")</script>`

// runDir writes the result folder of a small run of the built-in
// email-pressure scenario, its second strategy renamed to evilName, with
// a check, and returns it.
func runDir(t *testing.T) string {
	t.Helper()
	return runDirWith(t, true, true, 2)
}

// runDirWith writes the result folder of a small run of email-pressure,
// with or without its lesson, with or without a check, and with reps
// replications.
func runDirWith(t *testing.T, withLesson, withCheck bool, reps int) string {
	t.Helper()
	sc, err := scenarios.Open("email-pressure")
	if err != nil {
		t.Fatal(err)
	}
	m, src := sc.Model, sc.Source
	m.Population.Size, m.Horizon, m.Replications = 200, 20, reps
	effective := src.Data
	if !withLesson {
		sc.Lesson = nil
		if effective, err = scenarios.Effective(sc); err != nil {
			t.Fatal(err)
		}
	}
	m.Strategies[1].Name = evilName
	var opt results.Options
	if withCheck {
		check, err := results.CompileCheck("profit_to_cost > 0", "--check", nil)
		if err != nil {
			t.Fatal(err)
		}
		opt.Checks = []*results.Check{check}
	}
	dir, _ := writeRunDir(t, sc, effective, opt)
	return dir
}

// writeRunDir runs sc's model, summarizes the run with opt (in sc's
// currency) and writes its result folder, with effective as the effective
// scenario; it returns the folder and the summary.
func writeRunDir(t *testing.T, sc *scenarios.Scenario, effective []byte, opt results.Options) (string, *results.Summary) {
	t.Helper()
	res, err := sim.Run(context.Background(), sc.Model, sim.Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	opt.Currency = sc.Currency
	for _, k := range sc.Key {
		opt.Key = append(opt.Key, k.Name)
	}
	sum, err := results.Summarize(res, opt)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	files, err := output.Files(sum, res, output.RunInfo{ScenarioSource: sc.Source.Origin, ScenarioBytes: sc.Source.Data, Effective: effective, Started: at, Ended: at})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "run")
	if err := output.WriteDir(dir, files); err != nil {
		t.Fatal(err)
	}
	return dir, sum
}

func TestReport(t *testing.T) {
	dir := runDir(t)
	page, err := Build(dir, describe)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := charts.Build(dir)
	if err != nil {
		t.Fatal(err)
	}

	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatalf("not HTML: %v", err)
	}
	count := map[string]int{}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			count[n.Data]++
			for _, a := range n.Attr {
				if v := strings.ToLower(a.Val); strings.Contains(v, "http://") || strings.Contains(v, "https://") {
					t.Errorf("<%s %s=%q> refers to the network", n.Data, a.Key, a.Val)
				}
			}
			if n.Data == "script" {
				t.Errorf("the page has a <script> element")
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	for _, el := range []string{"html", "head", "title", "style", "body", "h1", "table"} {
		if count[el] == 0 {
			t.Errorf("no <%s> element", el)
		}
	}
	// One figure per chart, but the journey funnels, one per strategy,
	// are one figure of small multiples under one caption.
	funnels := 0
	for _, c := range cs {
		if strings.HasPrefix(c.Name, "funnel-") {
			funnels++
		}
	}
	if figures := len(cs) - funnels + 1; funnels < 2 || count["svg"] != len(cs) || count["figure"] != figures || count["figcaption"] != figures {
		t.Errorf("%d <svg>, %d <figure>, %d <figcaption>; want %d charts in %d figures, the %d funnels in one", count["svg"], count["figure"], count["figcaption"], len(cs), figures, funnels)
	}
	for _, bad := range []string{"<link", "@import", "<script"} {
		if bytes.Contains(page, []byte(bad)) {
			t.Errorf("the page holds %q", bad)
		}
	}
	// The only url()s are the embedded fonts' data.
	if n, fonts := bytes.Count(page, []byte("url(")), bytes.Count(page, []byte("url(data:font/woff;base64,")); n != 2 || fonts != 2 {
		t.Errorf("the page holds %d url()s, %d of them fonts' data; want the 2 fonts, regular and bold", n, fonts)
	}
	text := string(page)
	for _, c := range cs {
		if strings.HasPrefix(c.Name, "funnel-") {
			label := strings.TrimPrefix(c.Title, "Where the customers are in the journey: ")
			if !strings.Contains(text, `<div class="panel" id="chart-`+c.Name+`">`+"\n"+`<p class="panel-label">`+html.EscapeString(label)+"</p>") {
				t.Errorf("no panel of %s labelled %q", c.Name, label)
			}
			continue
		}
		if !strings.Contains(text, "<figcaption>"+html.EscapeString(c.Title)) {
			t.Errorf("no caption %q", c.Title)
		}
	}
	// One title per chart: the caption's, not the chart's own again.
	for _, svg := range strings.Split(text, "<svg")[1:] {
		svg, _, _ = strings.Cut(svg, "</svg>")
		for _, c := range cs {
			if strings.Contains(svg, ">"+html.EscapeString(c.Title)+"<") {
				t.Errorf("the chart %s draws its title %q under its caption", c.Name, c.Title)
			}
		}
	}
	if !strings.Contains(text, `<figure id="chart-funnels" class="multiples">`+"\n"+`<figcaption>Where the customers are in the journey, strategy by strategy<span>Customers at each journey stage`) {
		t.Error("the funnels' figure has not its one caption")
	}
	for _, want := range []string{
		"The scenario in plain words", "Strategies compared", "Charts", "<h2>Thresholds: the checks</h2>",
		`id="key-table"`, `id="comparison"`, "no significant difference", "profit_to_cost &gt; 0",
		"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;", "font-size: 22px",
		// The lesson is the headline, the scenario's name under it.
		"<h1>Contact pressure and fatigue</h1>", `<p class="question">How many newsletters a week earn the most?</p>`,
		"<strong>What to vary:</strong> the newsletters a week", "<strong>Scenario email-pressure</strong>",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if i, j := strings.Index(text, "<h1>"), strings.Index(text, `class="expect"`); i < 0 || j < i || j > strings.Index(text, `id="scenario"`) {
		t.Error("the lesson does not open the page")
	}
	// The results come first, the scenario in plain words last, as
	// reference; the page's contents link to each section.
	last := 0
	// The story: the key results with the lesson's chart (the key
	// outcomes start with revenue), the comparison, the business case,
	// the other charts, then the full tables.
	for _, id := range []string{"key", "key-table", "chart-outcome-revenue", "strategies", "comparison", "business", "headline", "business-table", "chart-business-payback",
		"charts", "chart-outcome-profit", "chart-funnels", "outcomes", "outcome-table", "channels", "channel-table", "checks", "scenario"} {
		i := strings.Index(text, `id="`+id+`"`)
		if i < last {
			t.Errorf("id=%q is not after the sections before it", id)
		}
		last = i
	}
	for _, id := range []string{"key", "strategies", "business", "outcomes", "channels", "charts", "checks", "scenario"} {
		if !strings.Contains(text, `<a href="#`+id+`">`) {
			t.Errorf("the contents do not link to %s", id)
		}
	}
	// Every outcome, such as contacts per customer and complaints, and
	// each strategy's channels: the e-mail rows of the channel table.
	for _, want := range []string{
		`<th scope="row">contacts per customer</th>`, `<th scope="row">complaints</th>`, `<th scope="row">opt-out rate (%)</th>`,
		`<th scope="col">response rate (%)</th>`, `<th scope="col"><span class="word">opt-outs</span></th>`,
		`<tr><th scope="rowgroup" rowspan="2">email_<wbr>1pw</th><th scope="row">email</th><td>`,
		`<th scope="row">web</th>`,
		// Seven strategies do not fit a projector in the usual type.
		`<table id="outcome-table" class="wider stack`,
		// The key results: the scenario's key outcomes.
		`<caption>Key results by strategy</caption>`, `<th scope="row">revenue (EUR)</th>`, `<th scope="row">contacts per customer</th>`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	// The headline: each strategy's payback and net present value, at
	// the head of the business case's section, with its chart, not again
	// among the charts.
	if i, j := strings.Index(text, `id="headline"`), strings.Index(text, `<section id="business">`); i < 0 || j < 0 || i < j || i > strings.Index(text, `id="business-table"`) {
		t.Error("the business case's headline does not open its section")
	}
	for _, want := range []string{
		`<span class="case">email_3pw <span class="`, "net present value (NPV) <strong", " EUR</strong>", "extra profit <strong", "incremental ROI <strong",
		"Payback: how long until the extra cash earned covers the extra spent", "at 8% a year",
		`<table id="business-table"`, "<caption>What each strategy adds to email_1pw</caption>", `<th scope="row">extra profit (EUR)</th>`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if n := strings.Count(text, `id="chart-business-payback"`); n != 1 {
		t.Errorf("the business chart is on the page %d times; want once", n)
	}
	checkExpect(t, doc, "An inverted U: revenue rises")
	if strings.Contains(text, "The lesson:") {
		t.Error("the explanation repeats the lesson the page opens with")
	}

	again, err := Build(dir, describe)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(page, again) {
		t.Error("two reports of the same folder differ")
	}

	out := filepath.Join(t.TempDir(), "report.html")
	if err := Write(dir, out, describe); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(out); err != nil || !bytes.Equal(got, page) {
		t.Errorf("Write wrote other bytes than Build returned (%v)", err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(out)); len(entries) != 1 {
		t.Errorf("Write left %d files, want only the report", len(entries))
	}
}

// checkExpect checks that the page's "What to expect" is a closed
// <details> element, so that the class can guess first, whose summary says
// so and whose paragraph starts with expect.
func checkExpect(t *testing.T, doc *html.Node, expect string) {
	t.Helper()
	var box *html.Node
	var find func(n *html.Node)
	find = func(n *html.Node) {
		for _, a := range n.Attr {
			if a.Key == "id" && a.Val == "expect" {
				box = n
			}
		}
		for c := n.FirstChild; c != nil && box == nil; c = c.NextSibling {
			find(c)
		}
	}
	find(doc)
	if box == nil || box.Data != "details" {
		t.Fatalf("what to expect is %+v; want a <details id=\"expect\">", box)
	}
	for _, a := range box.Attr {
		if a.Key == "open" {
			t.Error("what to expect is open before the class has guessed")
		}
	}
	var text func(n *html.Node) string
	text = func(n *html.Node) string {
		if n.Type == html.TextNode {
			return n.Data
		}
		var s string
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			s += text(c)
		}
		return s
	}
	var summary, body string
	for c := box.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type != html.ElementNode:
		case c.Data == "summary":
			summary = text(c)
		case c.Data == "p":
			body += text(c)
		}
	}
	if box.FirstChild == nil || summary != "What to expect (reveal after the class has guessed)" {
		t.Errorf("the summary is %q", summary)
	}
	if !strings.HasPrefix(body, expect) {
		t.Errorf("what to expect says %q; want it to start %q", body, expect)
	}
}

// Without a lesson, the scenario's name is the headline; without checks,
// the thresholds section says there are none.
func TestReportNoLessonNoChecks(t *testing.T) {
	page, err := Build(runDirWith(t, false, false, 2), describe)
	if err != nil {
		t.Fatal(err)
	}
	text := string(page)
	for _, want := range []string{"<h1>email-pressure</h1>\n<p class=\"lead\">One to seven newsletters", "<h2>Thresholds: the checks</h2>", "This run had no checks"} {
		if !strings.Contains(text, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	for _, bad := range []string{`class="expect"`, `class="question"`, "Lesson", `id="check-table"`} {
		if strings.Contains(text, bad) {
			t.Errorf("the page holds %q", bad)
		}
	}
}

// With one replication, the note above the comparison says once that
// nothing is tested; the cells show the differences alone.
func TestReportOneReplication(t *testing.T) {
	page, err := Build(runDirWith(t, true, false, 1), describe)
	if err != nil {
		t.Fatal(err)
	}
	text := string(page)
	if strings.Contains(text, results.NotTested) || strings.Contains(text, `class="verdict`) {
		t.Errorf("the comparison's cells repeat %q", results.NotTested)
	}
	for _, want := range []string{"With one replication the differences are not tested for significance", `id="comparison"`} {
		if n := strings.Count(text, want); n != 1 {
			t.Errorf("the page says %q %d times; want once", want, n)
		}
	}
	if strings.Contains(text, "±") {
		t.Error("one replication, yet the page shows an interval")
	}
}

// The channel table groups the channel grid's rows by strategy, each
// strategy with the channels it uses.
func TestChannels(t *testing.T) {
	sum, _, err := output.ReadDir(runDirWith(t, false, false, 1))
	if err != nil {
		t.Fatal(err)
	}
	sum.Strategies[0].On[0] = false // the first strategy without the first channel
	ct := channels(sum)
	g := output.ChannelGrid(sum)
	if len(ct.Groups) != len(sum.Strategies) || len(ct.Header) != len(g.Header)-1 {
		t.Fatalf("%d groups, %d columns; want %d and %d", len(ct.Groups), len(ct.Header), len(sum.Strategies), len(g.Header)-1)
	}
	row := 0
	for k, grp := range ct.Groups {
		if grp.Strategy != sum.Strategies[k].Name {
			t.Errorf("group %d is %s; want %s", k, grp.Strategy, sum.Strategies[k].Name)
		}
		for _, r := range grp.Rows {
			if want := grp.Strategy + " · " + r.Channel; g.Rows[row][0].Text != want {
				t.Errorf("row %d is %q; the grid's is %q", row, want, g.Rows[row][0].Text)
			}
			row++
		}
	}
	if row != len(g.Rows) || len(ct.Groups[0].Rows) != len(ct.Groups[1].Rows)-1 {
		t.Errorf("%d rows of %d; the first strategy has %d channels, the second %d", row, len(g.Rows), len(ct.Groups[0].Rows), len(ct.Groups[1].Rows))
	}
}

// A table is set in the page's usual type when it fits a projector, and
// in smaller type, with its intervals under the means, when it would not.
func TestFitClass(t *testing.T) {
	grid := func(strategies int, cell string) output.Grid {
		g := output.Grid{Header: []string{"metric"}}
		row := []output.Cell{{Text: "CLV over the horizon (EUR)"}}
		for k := range strategies {
			g.Header = append(g.Header, "strategy_"+string(rune('a'+k)))
			row = append(row, output.Cell{Text: cell})
		}
		g.Rows = [][]output.Cell{row}
		return g
	}
	for _, c := range []struct {
		strategies int
		cell, want string
	}{
		{2, "1,234", ""},
		{3, "1,234,567 ± 12,345", "n-wide n-stack"},
		{4, "1,234", "n-wide"},
		{4, "1,234,567 ± 12,345", "wide n-wide n-stack"},
		{5, "1,234,567 ± 12,345", "wide stack n-wider n-stack"},
		{7, "1,234,567", "wider stack"},
		{20, "1,234,567 ± 12,345", "tiny stack"},
	} {
		if got := fitClass(gridColumns(grid(c.strategies, c.cell))); got != c.want {
			t.Errorf("%d strategies of %q: class %q; want %q", c.strategies, c.cell, got, c.want)
		}
	}
}

func TestReportNotAResultFolder(t *testing.T) {
	dir := t.TempDir()
	_, err := Build(dir, describe)
	if err == nil || !strings.Contains(err.Error(), dir) {
		t.Errorf("Build(empty folder) = %v; want an error naming the folder", err)
	}
}

func TestSections(t *testing.T) {
	text := "Scenario x\n  A shop.\n\nThe customers\n  2 personas:\n  - young: like\n    e-mails\n    - nested\n"
	got := sections(text)
	if len(got) != 2 || got[0].Heading != "Scenario x" || got[1].Heading != "The customers" {
		t.Fatalf("sections = %+v", got)
	}
	b := got[1].Blocks
	if len(b) != 3 || b[1].Text != "young: like e-mails" || !b[1].Item || b[1].Level != 1 || b[2].Level != 2 {
		t.Errorf("blocks = %+v", b)
	}
}

// A scenario that needs plugins is not explained, and says why, rather
// than fail the report.
func TestExplanationWithoutPlugins(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "plugin.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// A scenario served by plugins is explained without them: its channels
	// say which plugin answers, with the parameters the file gives.
	sc, err := describe(t.TempDir(), "scenario.yaml", src, nil)
	if err != nil {
		t.Fatal(err)
	}
	info := sc.info()
	var text strings.Builder
	for _, s := range info.Explanation {
		for _, b := range s.Blocks {
			text.WriteString(b.Text + "\n")
		}
	}
	if !strings.Contains(text.String(), "plugin response says, with rate 0.2") {
		t.Errorf("the explanation does not name the plugin and its parameters:\n%s", text.String())
	}
	if l := info.Lesson; l == nil || l.Title != "Plugins" || l.Expect != "Nothing to see." || info.Currency != "EUR" {
		t.Errorf("lesson %+v, currency %q; want the lesson of plugin.yaml and EUR", l, info.Currency)
	}
	_, err = describe("some/run", "scenario.yaml", []byte("name: [broken"), nil)
	if err == nil || !strings.Contains(err.Error(), "some/run") {
		t.Errorf("a broken scenario: %v; want an error naming the folder", err)
	}
}

// describe puts a folder's scenario into words as journeysim report does,
// with the scenarios packages, which only a test of the report may import.
func describe(dir, name string, src []byte, run *SweepRun) (Scenario, error) {
	var as *explain.AsRun
	if run != nil {
		as = &explain.AsRun{Replications: run.Replications, Strategies: run.Strategies}
		for _, f := range run.Fixed {
			as.Fixed = append(as.Fixed, scenarios.Override{Path: f.Path, Value: scenarios.ParseValue(f.Value)})
		}
		if seed, err := strconv.ParseUint(run.Seed, 10, 64); err == nil {
			as.Seed, as.SeedSet = seed, true
		}
	}
	d, err := explain.Describe(name, src, as)
	if err != nil {
		return Scenario{}, fmt.Errorf("%s: its scenario does not load: %w", dir, err)
	}
	sc := Scenario{Name: d.Scenario.Model.Name, Currency: d.Scenario.Currency, Explanation: d.Text,
		Strategies: d.Strategies, Left: d.Left, Applied: d.Applied}
	if l := d.Scenario.Lesson; l != nil {
		sc.Lesson = &Lesson{Title: l.Title, Question: l.Question, Vary: l.Vary, Expect: l.Expect}
	}
	return sc, nil
}
