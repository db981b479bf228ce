package charts

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/scenarios"
	"gonum.org/v1/plot/vg"
)

// barChart is a chart of bars, one per value, of the given width each,
// labelled in full and in compact form as the run charts label them.
func barChart(values []float64, barWidth float64) (*Chart, *bars) {
	var bs []bar
	for k, v := range values {
		bs = append(bs, bar{x: float64(k), width: barWidth, value: v, low: math.NaN(), high: math.NaN(),
			color: strategyColor(k), label: formatNumber(v, 0), short: compactNumber(v)})
	}
	b := newBars(bs)
	var names []string
	for k := range values {
		names = append(names, "s"+strconv.Itoa(k))
	}
	p := newPlot("", "revenue (EUR)")
	p.Add(b)
	nominalX(p, names, width-2*vg.Inch)
	roundY(p, true)
	return &Chart{Name: "bars", Title: "Bars", Subtitle: "Values.", plot: p}, b
}

// drawnLabels are the value labels the chart draws: the texts in bold at
// the value labels' size.
func drawnLabels(c *Chart) []string {
	var out []string
	for _, t := range layout(c) {
		if t.face.Font.Size == valueSize && t.face.Font.Weight != 0 && t.text != c.Title {
			out = append(out, t.text)
		}
	}
	return out
}

// Value labels are written in full when they fit, in compact form (18.6 M)
// when the full ones would run into one another, and not at all when even
// those would: the axis tells the values.
func TestValueLabelsShortenThenDrop(t *testing.T) {
	c, b := barChart([]float64{18_642_040, 18_900_376, 19_675_280}, 0.6)
	if got := drawnLabels(c); !slices.Equal(got, []string{"18,642,040", "18,900,376", "19,675,280"}) || b.labels != labelsFull {
		t.Errorf("three wide bars: labels %q; want them in full", got)
	}
	var many []float64
	for k := range 10 {
		many = append(many, 18_642_040+float64(k)*1000)
	}
	c, b = barChart(many, 0.9)
	got := drawnLabels(c)
	if b.labels != labelsShort || len(got) != len(many) || got[0] != "18.6 M" {
		t.Errorf("ten bars: labels %q (mode %d); want them compact, 18.6 M", got, b.labels)
	}
	for k := range 44 {
		many = append(many, 1_250_692+float64(k)*5000)
	}
	c, b = barChart(many, 0.9)
	if got := drawnLabels(c); b.labels != labelsNone || len(got) != 0 {
		t.Errorf("54 bars: labels %q; want none", got)
	}
	checkExtents(t, "labels", c)
}

// The labels that the retail run's channel chart ran together
// ("1,250,6921,256,335") are compact side by side, and nothing overlaps.
func TestGroupedLabelsDoNotCollide(t *testing.T) {
	sum, ts := syntheticRun(t)
	sum.Strategies = sum.Strategies[:4]
	for k := range sum.Strategies {
		for c := range sum.Channels {
			for m := range results.ChannelMetrics {
				sum.Strategies[k].Channels[c][m] = results.NewEstimate([]float64{1_250_692 + 5643*float64(k)})
			}
		}
	}
	cs, err := FromRun(sum, ts)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.Name != "channels-revenue" {
			continue
		}
		got := drawnLabels(c)
		if len(got) == 0 || slices.Contains(got, "1,250,692") {
			t.Errorf("labels %q; want compact ones", got)
		}
		checkExtents(t, "grouped", c)
	}
}

// A swept parameter is named in words: a lever by its description, a
// field by what it is, anything else by the end of its path; never by the
// raw path where a description exists.
func TestDescribeParam(t *testing.T) {
	parse := func(text string) *scenarioText {
		sc, ok := parseScenarioText([]byte(text))
		if !ok {
			t.Fatalf("cannot read %q", text)
		}
		return sc
	}
	// As the built-in cx-investment, email-pressure and showrooming
	// declare them.
	cx := parse(`
levers:
  service: {value: 0, min: 0, max: 2, cost_per_tick: 150,
    description: "the service level: 0 a thin team, 1 staffed, trained and empowered to fix problems at the first contact, 2 gold-plated"}
`)
	email := parse(`
run: {tick: day}
strategies:
  - {name: email_1pw, caps: [{channel: email, max: 1, window: 7}]}
  - {name: email_7pw, extends: email_1pw}
`)
	shop := parse(`
levers:
  price_match: {value: 0, min: 0, max: 1,
    description: "the shop matches the lowest online price, so a showroomer has no reason to leave; its cost is the strategy's discount on every purchase"}
`)
	for _, tc := range []struct {
		path       string
		sc         *scenarioText
		strategies []string
		axis, name string
		about      string
	}{
		{"strategies.fixed.levers.service", cx, []string{"fixed"}, "the service level (0 = a thin team, 2 = gold-plated)", "the service level",
			"The service level: 0 a thin team, 1 staffed, trained and empowered to fix problems at the first contact, 2 gold-plated."},
		{"strategies.fixed.levers.service", cx, []string{"fixed", "thin_service"}, "the service level (0 = a thin team, 2 = gold-plated)", "the service level",
			"The service level: 0 a thin team, 1 staffed, trained and empowered to fix problems at the first contact, 2 gold-plated. Set for fixed only."},
		{"strategies.price_match.levers.price_match", shop, []string{"price_match"}, "the shop matches the lowest online price (0 to 1)", "the shop matches the lowest online price",
			"The shop matches the lowest online price, so a showroomer has no reason to leave; its cost is the strategy's discount on every purchase."},
		{"strategies.x.levers.nosuch", cx, []string{"x"}, "nosuch", "nosuch", ""},
		{"strategies.email_7pw.caps.email.max", email, []string{"email_7pw"}, "most email contacts in 7 days", "most email contacts in 7 days", ""},
		{"strategies.email_7pw.caps.0.window", email, []string{"email_7pw"}, "window of the email cap (days)", "window of the email cap", ""},
		{"strategies.email_1pw.caps.sms.max", email, []string{"email_1pw"}, "most sms contacts in the cap's window", "most sms contacts in the cap's window", ""},
		{"strategies.email_7pw.discount", email, []string{"email_1pw", "email_7pw"}, "discount on every purchase (share of the price)", "discount on every purchase", "Set for email_7pw only."},
		{`strategies.omni.triggers."v1.2".cooldown`, nil, []string{"omni"}, "cooldown of the v1.2 trigger (ticks)", "cooldown of the v1.2 trigger", ""},
		{"population.size", email, nil, "customers", "the number of customers", ""},
		{"run.horizon", email, nil, "horizon (days)", "the horizon", ""},
		{"channels.email.cost_per_contact", email, nil, "cost per contact on email (EUR)", "cost per contact on email", ""},
		{"channels.email.behaviour.params.rate", email, nil, "rate on email", "rate on email", ""},
		{"journey.edges.3.p", email, nil, "edges 3 p", "edges 3 p", ""},
		{"loyalty.purchase_gain", email, nil, "purchase gain", "purchase gain", ""},
	} {
		got := describeParam(tc.path, tc.sc, tc.strategies, "EUR")
		if got.axis != tc.axis || got.name != tc.name || got.about != tc.about {
			t.Errorf("%s: %+v; want axis %q, name %q, about %q", tc.path, got, tc.axis, tc.name, tc.about)
		}
		if strings.Contains(got.axis+got.name+got.about, "strategies.") {
			t.Errorf("%s: a path in %+v", tc.path, got)
		}
	}
	// Every lever of every built-in scenario is named by its
	// description, and its axis title fits.
	info, err := scenarios.Builtins()
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range info {
		data, err := scenarios.BuiltinSource(in.Name)
		if err != nil {
			t.Fatal(err)
		}
		sc, ok := parseScenarioText(data)
		if !ok {
			t.Fatalf("%s: cannot read", in.Name)
		}
		for name, l := range sc.Levers {
			got := describeParam("strategies.s.levers."+name, sc, []string{"s"}, "EUR")
			if l.Description == "" || !strings.Contains(l.Description, got.name) || textStyle(labelSize, false, inkColor).Width(got.axis) > axisRoom {
				t.Errorf("%s: lever %s (%q) named %+v", in.Name, name, l.Description, got)
			}
		}
	}
}

// A sweep's charts name the varied lever by its description, in the axis
// title, the title and the subtitle; the path is left to the file name.
func TestSweepChartsInWords(t *testing.T) {
	cs, err := Build(serviceSweep(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if strings.Contains(c.Title+c.Subtitle+c.plot.X.Label.Text, "strategies.") {
			t.Errorf("%s: a configuration path in %q / %q / %q", c.Name, c.Title, c.Subtitle, c.plot.X.Label.Text)
		}
	}
	// The built-in cx-investment scenario describes its lever as "the
	// service level: 0 a thin team, …, 2 gold-plated".
	c := cs[0]
	if c.Name != "sweep-profit-vs-strategies.fixed.levers.service" || c.Title != "Profit against the service level, by strategy" ||
		!strings.HasPrefix(c.plot.X.Label.Text, "the service level (0 = ") {
		t.Errorf("%s: title %q, axis %q", c.Name, c.Title, c.plot.X.Label.Text)
	}
	if !strings.Contains(c.Subtitle, "over every setting of discount on every purchase") || !strings.Contains(c.Subtitle, "The service level: 0 ") ||
		!strings.Contains(c.Subtitle, "Set for fixed only.") {
		t.Errorf("subtitle %q", c.Subtitle)
	}
}

// The word-of-mouth lesson's adoption curves, for both strategies, are on
// one chart, with the time each takes to half the market.
func TestWordOfMouthAdoptionChart(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the word-of-mouth scenario")
	}
	cs := smallRun(t, "word-of-mouth", false)
	i := slices.IndexFunc(cs, func(c *Chart) bool { return c.Name == AdoptionChart })
	if i < 0 {
		t.Fatalf("no %s chart", AdoptionChart)
	}
	c := cs[i]
	var labels []string
	for _, e := range c.legend {
		labels = append(labels, e.label)
	}
	if !slices.Equal(labels, []string{"light_ads", "heavy_ads", "half the market"}) {
		t.Errorf("legend %q; want both strategies and half the market", labels)
	}
	if !strings.Contains(c.Subtitle, "(light_ads)") || !strings.Contains(c.Subtitle, "(heavy_ads)") || !strings.Contains(c.Subtitle, "Half the market reached after") {
		t.Errorf("subtitle %q does not give each strategy's time to half the market", c.Subtitle)
	}
	// NPS is zero for every strategy of this lesson: no chart of empty
	// bars, while revenue, which differs, keeps its chart.
	if slices.ContainsFunc(cs, func(c *Chart) bool { return c.Name == "outcome-nps" }) {
		t.Errorf("an outcome-nps chart of bars all zero")
	}
	if !slices.ContainsFunc(cs, func(c *Chart) bool { return c.Name == "outcome-revenue" }) {
		t.Errorf("no outcome-revenue chart")
	}
	// Other scenarios do not model word of mouth: no adoption chart.
	for _, c := range smallRun(t, "hotel-stay", false) {
		if c.Name == AdoptionChart {
			t.Errorf("hotel-stay has an adoption chart")
		}
	}
}

// A legend of more strategies than the chart's height holds ends with a
// line saying how many more there are, inside the canvas.
func TestLongLegend(t *testing.T) {
	sum, ts := syntheticRun(t)
	base := sum.Strategies[9]
	for k := 10; k < 40; k++ {
		st := base
		st.Name = "s" + strconv.Itoa(k)
		sum.Strategies = append(sum.Strategies, st)
		for tick := range sum.Horizon {
			ts.Add(st.Name, "0", strconv.Itoa(tick), "100", "0.5", "100", "90", "10")
		}
	}
	cs, err := FromRun(sum, ts)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.Name != "timeseries-revenue" {
			continue
		}
		checkExtents(t, "40 strategies", c)
		found := false
		for _, x := range layout(c) {
			found = found || strings.HasPrefix(x.text, "and ") && strings.HasSuffix(x.text, " more")
		}
		if !found {
			t.Errorf("no “and N more” in the legend of 40 strategies")
		}
	}
}
