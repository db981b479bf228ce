package output

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/internal/fixture"
)

func summarize(t testing.TB, opt results.Options) *results.Summary {
	t.Helper()
	s, err := results.Summarize(fixture.Result(), opt)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestChecksInTheTable(t *testing.T) {
	pass, err := results.CompileCheck("profit_to_cost > 1.5 && nps >= 15", "test:1:1", []string{"a"})
	if err != nil {
		t.Fatal(err)
	}
	fail, err := results.CompileCheck("churn_rate < 0.1 and revenue > 1000", "--check", nil)
	if err != nil {
		t.Fatal(err)
	}
	s := summarize(t, results.Options{Checks: []*results.Check{pass, fail}})
	var out bytes.Buffer
	if err := WriteTable(&out, s); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"✓ a: profit_to_cost > 1.5 && nps >= 15", "✗ b: churn_rate < 0.1 and revenue > 1000   (revenue = 850 ± 635, churn_rate = 0.0)"} {
		if !strings.Contains(out.String(), line) {
			t.Errorf("table lacks %q:\n%s", line, out.String())
		}
	}
}

func TestRenderings(t *testing.T) {
	s := summarize(t, results.Options{})
	var table bytes.Buffer
	if err := WriteTable(&table, s); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"revenue (EUR)", "1,100 ± ", "a · email", "a · web", "Compared with a", "ROI (×)"} {
		if !strings.Contains(table.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, table.String())
		}
	}
	if strings.Contains(table.String(), "b · web") {
		t.Errorf("table shows a channel strategy b does not switch on")
	}
	tables := Tables(s, fixture.Result())
	names := []string{}
	for _, tb := range tables {
		names = append(names, tb.Name)
		for _, r := range tb.Rows {
			if len(r) != len(tb.Columns) {
				t.Fatalf("%s: ragged row %v", tb.Name, r)
			}
		}
	}
	if got := strings.Join(names, ","); got != "summary,replications,timeseries,channels,touchpoints,comparisons,business_case,attribution,holdouts,checks" {
		t.Errorf("tables %s", got)
	}
	if n := len(tables[0].Rows); n != 2*len(s.Metrics) {
		t.Errorf("%d summary rows, want %d", n, 2*len(s.Metrics))
	}
	if n := len(tables[1].Rows); n != 4 {
		t.Errorf("%d replication rows, want 2 strategies × 2 replications", n)
	}
	if c := tables[1].Column("revenue_eur"); c < 0 || tables[1].Rows[1][c] != "1200" {
		t.Errorf("replications.csv lacks revenue_eur = 1200 in row 2: %v", tables[1].Columns)
	}
	ts := tables[2]
	if n := len(ts.Rows); n != 2*2*2 {
		t.Errorf("%d timeseries rows, want 2 strategies × 2 replications × 2 ticks", n)
	}
	if c := ts.Column("cumulative_profit_eur"); c < 0 || ts.Rows[1][c] != "150" {
		t.Errorf("cumulative profit column %d: %v", c, ts.Rows[1])
	}
	if c := ts.Column("stage_aware_customers"); c < 0 || ts.Rows[1][c] != "99" {
		t.Errorf("stage column %d: %v", c, ts.Rows[1])
	}

	var buf bytes.Buffer
	if err := WriteJSON(&buf, s); err != nil {
		t.Fatal(err)
	}
	js := bytes.Clone(buf.Bytes())
	back, err := ReadJSON(&buf)
	if err != nil {
		t.Fatalf("read back JSON: %v", err)
	}
	var again bytes.Buffer
	if err := WriteTable(&again, back); err != nil {
		t.Fatal(err)
	}
	if again.String() != table.String() {
		t.Errorf("the table of the summary read back from JSON differs:\n%s\nwant:\n%s", again.String(), table.String())
	}
	var doc struct {
		Seed  string   `json:"seed"`
		Seeds []string `json:"replication_seeds"`
	}
	if err := json.Unmarshal(js, &doc); err != nil || doc.Seed != "9" || len(doc.Seeds) != 2 || doc.Seeds[0] != "11" {
		t.Errorf("seeds are not strings in JSON: %+v %v", doc, err)
	}
}
