package main

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// recordExperiment records ROMI, per-channel outcomes and the e-mail
// channel's true incremental revenue, with attribution on, and two
// per-tick series: 3 points × 2 replications × 2 strategies over 20 days.
const recordExperiment = `name: record-all
scenario: email-pressure
seed: 21
replications: 2
strategies: [email_1pw, email_7pw]
attribution: true
outcomes: [revenue, romi, channel.email.contacts, channel.web.revenue, channel.email.incremental_truth]
series: [revenue, active]
design: {kind: grid}
parameters:
  population.size: {values: [300]}
  run.horizon: {values: [20]}
  strategies.email_7pw.caps.email.max: {values: [1, 3, 7]}
`

// recordUnits, recordTicks: the experiment's (point, replication) runs and
// days.
const recordUnits, recordTicks = 6, 20

// readCSVFile reads a CSV file's records, header first.
func readCSVFile(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

// cell returns the cell of row in column name of a table with header.
func cell(t *testing.T, header, row []string, name string) string {
	t.Helper()
	for k, h := range header {
		if h == name {
			return row[k]
		}
	}
	t.Fatalf("no column %s in %v", name, header)
	return ""
}

// lookup returns column col of the first row of table whose cells in the
// columns of match equal their values.
func lookup(t *testing.T, table [][]string, match map[string]string, col string) string {
	t.Helper()
rows:
	for _, row := range table[1:] {
		for k, v := range match {
			if cell(t, table[0], row, k) != v {
				continue rows
			}
		}
		return cell(t, table[0], row, col)
	}
	t.Fatalf("no row %v", match)
	return ""
}

func sameNumber(t *testing.T, what, got, want string) {
	t.Helper()
	g, err1 := strconv.ParseFloat(got, 64)
	w, err2 := strconv.ParseFloat(want, 64)
	if err1 != nil || err2 != nil || g != w {
		t.Errorf("%s: the sweep records %q; journeysim run reports %q", what, got, want)
	}
}

// A sweep records ROMI, per-channel outcomes and true incremental revenue
// as journeysim run reports them for the same seed (the command --explain
// prints, with --out), and a long series table with a row per run, tick
// and series.
func TestSweepRecordsWhatRunReports(t *testing.T) {
	exp := writeExperiment(t, recordExperiment)
	dir := filepath.Join(t.TempDir(), "sweep")
	if code, _, stderr := runCLI(t, "sweep", exp, "--out", dir, "--quiet"); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, stderr)
	}
	runs := readCSVFile(t, filepath.Join(dir, "runs.csv"))
	wantHeader := "revenue_eur,romi_ratio,channel__email__contacts,channel__web__revenue_eur,channel__email__incremental_truth_eur"
	if h := strings.Join(runs[0], ","); !strings.HasSuffix(h, wantHeader) {
		t.Errorf("runs.csv header %s; want it to end %s", h, wantHeader)
	}
	series := readCSVFile(t, filepath.Join(dir, "series.csv"))
	if got, want := len(series)-1, recordUnits*2*recordTicks*2; got != want {
		t.Errorf("%d series rows; want %d units × 2 strategies × %d ticks × 2 series = %d", got, recordUnits, recordTicks, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "series.parquet")); err != nil {
		t.Error(err)
	}

	for _, run := range []int{3, 10} {
		row := runs[1+run]
		code, out, stderr := runCLI(t, "sweep", exp, "--explain", strconv.Itoa(run))
		if code != 0 {
			t.Fatalf("--explain: exit %d: %s", code, stderr)
		}
		line := strings.Split(strings.TrimSpace(out), "\n")[1]
		folder := filepath.Join(t.TempDir(), "run")
		args := append(strings.Fields(strings.TrimPrefix(line, "journeysim ")), "--out", folder)
		if code, _, stderr := runCLI(t, args...); code != 0 {
			t.Fatalf("%s: exit %d: %s", line, code, stderr)
		}
		strategy := cell(t, runs[0], row, "strategy")
		summary := readCSVFile(t, filepath.Join(folder, "summary.csv"))
		channels := readCSVFile(t, filepath.Join(folder, "channels.csv"))
		attribution := readCSVFile(t, filepath.Join(folder, "attribution.csv"))
		for _, c := range []struct{ column, want string }{
			{"revenue_eur", lookup(t, summary, map[string]string{"strategy": strategy, "metric": "revenue"}, "mean")},
			{"romi_ratio", lookup(t, summary, map[string]string{"strategy": strategy, "metric": "romi"}, "mean")},
			{"channel__email__contacts", lookup(t, channels, map[string]string{"strategy": strategy, "channel": "email", "metric": "contacts"}, "mean")},
			{"channel__web__revenue_eur", lookup(t, channels, map[string]string{"strategy": strategy, "channel": "web", "metric": "revenue"}, "mean")},
			{"channel__email__incremental_truth_eur", lookup(t, attribution, map[string]string{"strategy": strategy, "channel": "email", "model": "incremental_truth"}, "revenue_eur")},
		} {
			sameNumber(t, "run "+strconv.Itoa(run)+" "+c.column, cell(t, runs[0], row, c.column), c.want)
		}
		// The run's revenue series is its timeseries table's.
		timeseries := readCSVFile(t, filepath.Join(folder, "timeseries.csv"))
		for _, tick := range []string{"0", "7", "19"} {
			want := lookup(t, timeseries, map[string]string{"strategy": strategy, "tick": tick}, "revenue_eur")
			got := lookup(t, series, map[string]string{"run": strconv.Itoa(run), "tick": tick, "metric": "revenue"}, "value")
			sameNumber(t, "run "+strconv.Itoa(run)+" revenue at tick "+tick, got, want)
		}
	}
}

// A sweep recording series, killed (SIGKILL) after some units and left
// with part of a unit's series, resumes to the same runs and series
// tables, byte for byte, as a sweep never interrupted; its shards, merged,
// give the same bytes too.
func TestSweepSeriesResumeAndMerge(t *testing.T) {
	exp := writeExperiment(t, recordExperiment)
	base := t.TempDir()
	whole := filepath.Join(base, "whole")
	if code, _, stderr := runCLI(t, "sweep", exp, "--out", whole, "--quiet", "--workers", "2"); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, stderr)
	}
	files := []string{"runs.csv", "runs.parquet", "series.csv", "series.parquet"}
	same := func(t *testing.T, dir, what string) {
		t.Helper()
		for _, name := range files {
			if !bytes.Equal(readFile(t, filepath.Join(dir, name)), readFile(t, filepath.Join(whole, name))) {
				t.Errorf("%s: %s differs from the whole sweep's", what, name)
			}
		}
	}

	t.Run("resume after SIGKILL", func(t *testing.T) {
		dir := filepath.Join(base, "crashed")
		sweepKilled(t, exp, dir)
		series := readCSVFile(t, filepath.Join(dir, "series.csv"))
		if got, want := len(series)-1, interruptAfter*2*recordTicks*2; got != want {
			t.Errorf("%d series rows kept; want those of the %d units finished, %d", got, interruptAfter, want)
		}
		// A crash in the middle of the next unit's series: part of them,
		// and no runs row.
		done := map[string]bool{}
		for _, row := range readCSVFile(t, filepath.Join(dir, "runs.csv"))[1:] {
			done[row[2]+","+row[3]] = true
		}
		var next []byte
		for _, line := range strings.SplitAfter(string(readFile(t, filepath.Join(whole, "series.csv"))), "\n")[1:] {
			if cells := strings.Split(line, ","); len(cells) > 3 && !done[cells[1]+","+cells[2]] {
				next = append(next, line...)
			}
		}
		if len(next) == 0 {
			t.Fatal("every unit is in the crashed sweep")
		}
		f, err := os.OpenFile(filepath.Join(dir, "series.csv"), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write(next[:len(next)/3]); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		if code, _, stderr := runCLI(t, "sweep", exp, "--out", dir, "--resume", "--quiet"); code != 0 {
			t.Fatalf("resume: exit %d: %s", code, stderr)
		}
		same(t, dir, "resumed")
	})

	t.Run("merge", func(t *testing.T) {
		var shards []string
		for i := range 3 {
			dir := filepath.Join(base, "shard-"+strconv.Itoa(i))
			shards = append(shards, dir)
			if code, _, stderr := runCLI(t, "sweep", exp, "--out", dir, "--shard", strconv.Itoa(i)+"/3", "--quiet"); code != 0 {
				t.Fatalf("shard %d: exit %d: %s", i, code, stderr)
			}
		}
		merged := filepath.Join(base, "merged")
		if code, _, stderr := runCLI(t, "merge", shards[1], shards[2], shards[0], "--out", merged); code != 0 {
			t.Fatalf("merge: exit %d: %s", code, stderr)
		}
		same(t, merged, "merged")
	})
}

// A sweep records the business case against the experiment's first
// strategy: nothing for that strategy, and for the other, at each point
// and replication, the extra profit is its profit less the first's.
func TestSweepRecordsBusinessCase(t *testing.T) {
	exp := writeExperiment(t, `name: business
scenario: email-pressure
seed: 5
replications: 2
strategies: [email_1pw, email_3pw]
outcomes: [profit, incremental_profit, npv, payback]
design: {kind: grid}
parameters:
  population.size: {values: [300]}
  run.horizon: {values: [20, 30]}
`)
	dir := filepath.Join(t.TempDir(), "sweep")
	if code, _, stderr := runCLI(t, "sweep", exp, "--out", dir, "--quiet"); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, stderr)
	}
	runs := readCSVFile(t, filepath.Join(dir, "runs.csv"))
	profit := map[string]float64{} // by point, replication and strategy
	for _, row := range runs[1:] {
		v, err := strconv.ParseFloat(cell(t, runs[0], row, "profit_eur"), 64)
		if err != nil {
			t.Fatal(err)
		}
		profit[cell(t, runs[0], row, "point")+"/"+cell(t, runs[0], row, "replication")+"/"+cell(t, runs[0], row, "strategy")] = v
	}
	for _, row := range runs[1:] {
		point, rep, strategy := cell(t, runs[0], row, "point"), cell(t, runs[0], row, "replication"), cell(t, runs[0], row, "strategy")
		extra, npv := cell(t, runs[0], row, "incremental_profit_eur"), cell(t, runs[0], row, "npv_eur")
		if strategy == "email_1pw" {
			if extra != "" || npv != "" {
				t.Errorf("the baseline records a business case against itself: %q, %q", extra, npv)
			}
			continue
		}
		got, err := strconv.ParseFloat(extra, 64)
		if err != nil {
			t.Fatalf("point %s replication %s: extra profit %q: %v", point, rep, extra, err)
		}
		want := profit[point+"/"+rep+"/email_3pw"] - profit[point+"/"+rep+"/email_1pw"]
		if math.Abs(got-want) > 1e-6*math.Max(1, math.Abs(want)) {
			t.Errorf("point %s replication %s: extra profit %v, want %v", point, rep, got, want)
		}
	}
}
