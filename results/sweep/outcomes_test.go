package sweep

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/attribution"
	"github.com/journeysim/journeysim/results/output"
	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/sim"
)

// emailPressure compiles the built-in email-pressure scenario, shrunk to
// customers over ticks days.
func emailPressure(t *testing.T, customers, ticks int) *sim.Model {
	t.Helper()
	sc, err := scenarios.Open("email-pressure")
	if err != nil {
		t.Fatal(err)
	}
	data, err := scenarios.Apply(sc.Source.Data, []scenarios.Override{
		{Path: "population.size", Value: scenarios.ParseValue(fmt.Sprint(customers))},
		{Path: "run.horizon", Value: scenarios.ParseValue(fmt.Sprint(ticks))}})
	if err != nil {
		t.Fatal(err)
	}
	small, err := scenarios.Load("email-pressure.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	return small.Model
}

// CheckOutcome takes every metric a run reports, ROMI and the channels'
// true incremental revenue only with attribution, and per-channel outcomes
// of the scenario's channels; what it refuses it says why, with what is
// allowed and the likely name meant.
func TestCheckOutcome(t *testing.T) {
	m := emailPressure(t, 100, 10)
	tests := []struct {
		key         string
		attribution bool
		want        []string // parts of the error; none: accepted
	}{
		{"revenue", false, nil},
		{"opt_out_rate", false, nil},
		{results.ROMI.Key, true, nil},
		{results.ROMI.Key, false, []string{`outcome "romi" needs the counterfactual reruns of attribution`, "add attribution: true to the experiment"}},
		{"channel.email.contacts", false, nil},
		{"channel.web.revenue", false, nil},
		{"channel.email.staff_minutes", false, nil},
		{"channel.email.incremental_truth", true, nil},
		{"channel.email.incremental_truth", false, []string{"needs the counterfactual reruns of attribution", "attribution: true"}},
		{"channel.emial.contacts", false, []string{`no channel "emial" in scenario email-pressure; it has: email, web`, `did you mean "channel.email.contacts"?`}},
		{"channel.email.contact", false, []string{`no channel metric "contact"; allowed: contacts, responses,`, "incremental_truth (with attribution: true)", `did you mean "channel.email.contacts"?`}},
		{"channel..revenue", false, []string{"not a metric of this scenario", "channel.CHANNEL.METRIC"}},
		{"revnue", false, []string{`outcome "revnue": not a metric of this scenario; allowed: customers,`, "with attribution: true, romi",
			"channel.CHANNEL.METRIC for CHANNEL one of email, web", `did you mean "revenue"?`}},
		{"romy", false, []string{`did you mean "romi"?`}},
		{"share_of_wallet", false, []string{"runs of scenario email-pressure cannot measure it", "no competitor purchase node"}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s,attribution=%v", tt.key, tt.attribution), func(t *testing.T) {
			err := CheckOutcome(m, tt.key, tt.attribution)
			if len(tt.want) == 0 {
				if err != nil {
					t.Errorf("refused: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("accepted; want an error with %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\nlacks %q", err, w)
				}
			}
		})
	}
}

// The runs table names ROMI's and per-channel outcomes' columns as the
// other outcomes, with their unit, dots written as two underscores; the
// manifest maps each back to its outcome, and says which way it improves.
func TestOutcomeColumns(t *testing.T) {
	m := testManifest()
	m.Currency = "GBP"
	m.Outcomes = OutcomesOf([]string{"revenue", results.ROMI.Key, "channel.email.contacts", "channel.web-shop.revenue",
		"channel.email.response_rate", "channel.email.staff_minutes", "channel.email." + results.Truth})
	tests := []struct {
		name, unit string
		better     int
	}{
		{"revenue_gbp", "GBP", 1},
		{"romi_ratio", "ratio", 1},
		{"channel__email__contacts", "", 0},
		{"channel__web_shop__revenue_gbp", "GBP", 0},
		{"channel__email__response_rate_share", "share", 0},
		{"channel__email__staff_minutes", "minutes", 0},
		{"channel__email__incremental_truth_gbp", "GBP", 1},
	}
	cols := m.namedColumns()[len(identityColumns)+len(m.Params):]
	for k, tt := range tests {
		if c := cols[k]; c.Name != tt.name || c.Unit != tt.unit || c.Outcome != m.Outcomes[k].Key {
			t.Errorf("outcome %s: column %+v; want %s in %q", m.Outcomes[k].Key, c, tt.name, tt.unit)
		}
		if got := m.Outcomes[k].Better; got != tt.better {
			t.Errorf("outcome %s improves %d; want %d", m.Outcomes[k].Key, got, tt.better)
		}
	}
	if f := FormatOutcome("channel.email.response_rate", "GBP", 0.1234); f.Heading() != "email: response rate (%)" {
		t.Errorf("heading %q", f.Heading())
	}
}

// ROMI, per-channel outcomes and the channels' true incremental revenue,
// recorded for a sweep's run, equal what journeysim run reports for the
// same seed and strategies (results.Run with attribution: its summary's
// ROMI, channel table and attribution table); series equal its
// timeseries. Without attribution, ROMI and the truth are left empty and
// every other outcome is unchanged.
func TestRunOutcomesEqualRun(t *testing.T) {
	m := emailPressure(t, 300, 20)
	m.Seed, m.Replications = 77, 1
	picked := []int{m.StrategyIndex("email_1pw"), m.StrategyIndex("email_7pw")}
	sum, _, err := results.Run(context.Background(), m, results.RunOptions{Sim: sim.Options{Workers: 1, Strategies: picked}, Attribution: true})
	if err != nil {
		t.Fatal(err)
	}
	keys := []string{"revenue", "profit", results.ROMI.Key, "channel.email.contacts", "channel.web.revenue", "channel.email.response_rate",
		"channel.email." + results.Truth, "channel.web." + results.Truth}
	man := &Manifest{Strategies: []string{"email_1pw", "email_7pw"}, Replications: 1, Outcomes: OutcomesOf(keys),
		Series: []string{"revenue", "active", "cumulative_profit", "stage.buy"}}
	plan := attribution.NewPlan(m, picked)
	res, err := sim.Run(context.Background(), plan.Model, sim.Options{Workers: 1, Strategies: plan.Run})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := sim.Run(context.Background(), m, sim.Options{Workers: 1, Strategies: picked})
	if err != nil {
		t.Fatal(err)
	}
	metric := func(ss results.StrategySummary, key string) float64 {
		k := slices.IndexFunc(sum.Metrics, func(met results.Metric) bool { return met.Key == key })
		return ss.Metrics[k].Mean
	}
	channel := func(ss results.StrategySummary, ch, key string) float64 {
		return ss.Channels[slices.Index(sum.Channels, ch)][results.ChannelMetricIndex(key)].Mean
	}
	truth := func(k int, ch string) float64 {
		a := sum.Attribution[k]
		return a.Truth[slices.Index(a.Channels, ch)].Mean
	}
	for k, ss := range sum.Strategies {
		want := []float64{metric(ss, "revenue"), metric(ss, "profit"), metric(ss, results.ROMI.Key), channel(ss, "email", "contacts"),
			channel(ss, "web", "revenue"), channel(ss, "email", "response_rate"), truth(k, "email"), truth(k, "web")}
		got := man.RunOutcomes(res, plan, k)
		if !slices.Equal(got, want) {
			t.Errorf("%s: recorded %v; run reports %v", ss.Name, got, want)
		}
		without := man.RunOutcomes(plain, nil, k)
		for i, key := range keys {
			needs := key == results.ROMI.Key || strings.HasSuffix(key, results.Truth)
			if needs && !math.IsNaN(without[i]) || !needs && without[i] != want[i] {
				t.Errorf("%s without attribution: %s = %v; want %v", ss.Name, key, without[i], map[bool]any{true: "empty", false: want[i]}[needs])
			}
		}
		// The series are the timeseries table's columns.
		series := man.RunSeries(res, k)
		ticks := len(res.Totals[k][0].Series)
		if len(series) != len(man.Series)*ticks {
			t.Fatalf("%d series values; want %d series × %d ticks", len(series), len(man.Series), ticks)
		}
		tot := &res.Totals[k][0]
		cum := 0.0
		fixed := plan.Model.Strategies[res.Strategies[k]].FixedCostPerTick(plan.Model)
		buy := slices.Index(m.Stages, "buy")
		for tick, x := range tot.Series {
			cum += x.Contribution - fixed
			want := []float64{x.Revenue, float64(x.Active), cum, float64(tot.Stages[tick*len(m.Stages)+buy])}
			for s := range want {
				if got := series[s*ticks+tick]; got != want[s] {
					t.Errorf("%s: %s at tick %d is %v; want %v", ss.Name, man.Series[s], tick, got, want[s])
				}
			}
		}
	}
	// Filling a series allocates nothing, nor does formatting its rows
	// once the journal's buffer has grown.
	tot, st := &res.Totals[1][0], &plan.Model.Strategies[res.Strategies[1]]
	out := make([]float64, len(tot.Series))
	for k := range results.TickMetrics {
		if n := testing.AllocsPerRun(10, func() { results.TickMetrics[k].Series(out, tot, plan.Model, st) }); n != 0 {
			t.Errorf("series %s allocates %v times a run", results.TickMetrics[k].Key, n)
		}
	}
	man.Replications, man.Points = 1, 1
	rows := []Row{{Strategy: 1, Series: man.RunSeries(res, 1)}}
	w := newSeriesWriter(man)
	w.format(rows)
	if n := testing.AllocsPerRun(10, func() { w.format(rows) }); n != 0 {
		t.Errorf("formatting a run's series rows allocates %v times", n)
	}
}

// seriesManifest is testManifest recording two series over three ticks.
func seriesManifest() *Manifest {
	m := testManifest()
	m.Series = []string{"revenue", "active"}
	return m
}

// seriesRows are unitRows with their series: three ticks of revenue and
// active customers, distinct for each run.
func seriesRows(point, rep int) []Row {
	rows := unitRows(point, rep)
	for k := range rows {
		base := float64(100*point + 10*rep + k)
		rows[k].Series = []float64{base + 0.25, base + 1.25, math.NaN(), 300, 299, 298}
	}
	return rows
}

// runSeriesJournal appends the units of the folder's shard, in the order
// given, to a journal of dir, and closes it.
func runSeriesJournal(t *testing.T, dir string, m *Manifest, units [][2]int, resume bool) {
	t.Helper()
	open := Create
	if resume {
		open = Resume
	}
	j, err := open(dir, m, []byte("exp"), []byte("scenario"))
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range units {
		if !j.Done(u[0]*m.Replications+u[1]) && m.Shard.Has(u[0]*m.Replications+u[1]) {
			if err := j.Append(seriesRows(u[0], u[1])); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// The series table holds a row per run, tick and series, sorted by run
// whatever order the runs finished in; a sweep cut short while writing a
// unit's series, or after its series and before its runs, resumes to the
// same bytes; and its shards merge to the same bytes.
func TestSeriesJournal(t *testing.T) {
	all := [][2]int{{2, 1}, {0, 0}, {1, 1}, {1, 0}, {0, 1}, {2, 0}}
	base := t.TempDir()
	whole := filepath.Join(base, "whole")
	runSeriesJournal(t, whole, seriesManifest(), all, false)
	wantCSV, wantPQ := readFile(t, filepath.Join(whole, SeriesFile)), readFile(t, filepath.Join(whole, SeriesParquet))
	lines := strings.Split(strings.TrimSuffix(string(wantCSV), "\n"), "\n")
	if units, strategies, ticks, series := 6, 2, 3, 2; len(lines) != 1+units*strategies*ticks*series {
		t.Fatalf("%d lines; want a header and %d units × %d strategies × %d ticks × %d series", len(lines), units, strategies, ticks, series)
	}
	for k, want := range map[int]string{
		0:  "run,point,replication,strategy,tick,metric,unit,value",
		1:  "0,0,0,a,0,revenue,EUR,0.25",
		2:  "0,0,0,a,0,active,,300",
		5:  "0,0,0,a,2,revenue,EUR,",
		19: "3,0,1,b,0,revenue,EUR,11.25",
		24: "3,0,1,b,2,active,,298",
	} {
		if lines[k] != want {
			t.Errorf("line %d: %q; want %q", k, lines[k], want)
		}
	}
	meta, err := ReadManifest(whole)
	if err != nil {
		t.Fatal(err)
	}
	if !meta.Complete || !slices.Equal(meta.Series, []string{"revenue", "active"}) {
		t.Errorf("manifest: complete %v, series %v", meta.Complete, meta.Series)
	}

	crashes := []struct {
		name string
		// tail is what the crash left after the first three units' series.
		tail func(m *Manifest) string
	}{
		{"series cut short", func(m *Manifest) string {
			s := string(newSeriesWriter(m).format(seriesRows(1, 0)))
			return s[:len(s)/2]
		}},
		{"series whole, runs not written", func(m *Manifest) string {
			return string(newSeriesWriter(m).format(seriesRows(1, 0)))
		}},
	}
	for _, tc := range crashes {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "sweep")
			m := seriesManifest()
			j, err := Create(dir, m, []byte("exp"), []byte("scenario"))
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range all[:3] {
				if err := j.Append(seriesRows(u[0], u[1])); err != nil {
					t.Fatal(err)
				}
			}
			j.f.Close()
			j.series.Close()
			f, err := os.OpenFile(filepath.Join(dir, SeriesFile), os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.WriteString(tc.tail(m))
			f.Close()
			runSeriesJournal(t, dir, seriesManifest(), all, true)
			if got := readFile(t, filepath.Join(dir, SeriesFile)); !bytes.Equal(got, wantCSV) {
				t.Errorf("resumed series.csv differs:\n%s\n--- want\n%s", got, wantCSV)
			}
			if got := readFile(t, filepath.Join(dir, SeriesParquet)); !bytes.Equal(got, wantPQ) {
				t.Error("resumed series.parquet differs from the uninterrupted one")
			}
		})
	}

	t.Run("journals disagree", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "sweep")
		m := seriesManifest()
		j, err := Create(dir, m, []byte("exp"), []byte("scenario"))
		if err != nil {
			t.Fatal(err)
		}
		if err := j.Append(seriesRows(0, 0)); err != nil {
			t.Fatal(err)
		}
		j.f.Close()
		j.series.Close()
		os.WriteFile(filepath.Join(dir, SeriesFile), []byte(seriesHeader()), 0o644)
		_, err = Resume(dir, seriesManifest(), []byte("exp"), []byte("scenario"))
		if err == nil || !strings.Contains(err.Error(), "lacks the series of point 0, replication 0, whose runs runs.csv holds") {
			t.Errorf("resume with series missing: %v", err)
		}
	})

	t.Run("merge", func(t *testing.T) {
		var dirs []string
		for i := range 3 {
			dir := filepath.Join(t.TempDir(), fmt.Sprint("shard-", i))
			m := seriesManifest()
			m.Shard = Shard{Index: i, Count: 3}
			m.Units = 2
			runSeriesJournal(t, dir, m, all, false)
			dirs = append(dirs, dir)
		}
		out := filepath.Join(t.TempDir(), "merged")
		if _, err := Merge(out, []string{dirs[2], dirs[0], dirs[1]}, output.Provenance{Host: "h"}); err != nil {
			t.Fatal(err)
		}
		if got := readFile(t, filepath.Join(out, SeriesFile)); !bytes.Equal(got, wantCSV) {
			t.Errorf("merged series.csv differs:\n%s\n--- want\n%s", got, wantCSV)
		}
		if got := readFile(t, filepath.Join(out, SeriesParquet)); !bytes.Equal(got, wantPQ) {
			t.Error("merged series.parquet differs from the unsharded one")
		}
	})
}
