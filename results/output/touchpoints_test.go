package output

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/internal/fixture"
	"github.com/journeysim/journeysim/sim"
)

// touchpointSummary summarizes the fixture with a journey of a start
// node, a web page (rated) and an e-mail node; strategy b switches the
// web off.
func touchpointSummary(t *testing.T) *results.Summary {
	t.Helper()
	res := fixture.Result()
	m := res.Model
	m.Nodes = []sim.Node{{Name: "idle", Channel: -1}, {Name: "page", Channel: 1}, {Name: "mail", Channel: 0}}
	for k := range res.Totals {
		for r := range res.Totals[k] {
			tot := &res.Totals[k][r]
			tot.NodeVisits = []int64{4, 20, 5}
			tot.NodeCSAT, tot.NodeCSATCount = []float64{0, 35, 0}, []int64{0, 10, 0}
			tot.NodeCES, tot.NodeCESCount = []float64{0, 0, 0}, []int64{0, 0, 0}
			tot.StageEntries = []int64{4}
		}
	}
	s, err := results.Summarize(res, results.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The touchpoints table has one row per strategy, touchpoint on a
// switched-on channel (or on none) and touchpoint metric, with the
// touchpoint's stage and channel, and empty cells where a value is
// undefined.
func TestTouchpointsTable(t *testing.T) {
	s := touchpointSummary(t)
	tab := touchpointsTable(s)
	var cols []string
	for _, c := range tab.Columns {
		cols = append(cols, c.Name)
	}
	want := "scenario,seed,strategy,node,stage,channel,metric,unit,replications,mean,ci95_low,ci95_high"
	if got := strings.Join(cols, ","); got != want {
		t.Errorf("columns %s, want %s", got, want)
	}
	nm := len(results.TouchpointMetrics)
	// a: idle, page and mail; b: idle and mail (the web is off).
	if len(tab.Rows) != 5*nm {
		t.Errorf("%d rows, want %d", len(tab.Rows), 5*nm)
	}
	find := func(strategy, node, metric string) []string {
		for _, row := range tab.Rows {
			if row[2] == strategy && row[3] == node && row[6] == metric {
				return row
			}
		}
		return nil
	}
	if row := find("a", "idle", "entries"); row == nil || row[9] != "104" || row[5] != "" || row[4] != "aware" {
		t.Errorf("a idle entries: %q, want 4 moves and 100 starts, on no channel, in stage aware", row)
	}
	if row := find("a", "page", "csat"); row == nil || row[9] != "3.5" || row[7] != results.UnitCSAT || row[5] != "web" || row[8] != "2" {
		t.Errorf("a page csat: %q", row)
	}
	if row := find("a", "mail", "ces"); row == nil || row[8] != "0" || row[9] != "" || row[10] != "" || row[11] != "" {
		t.Errorf("a mail ces, never rated: %q, want empty cells", row)
	}
	if row := find("b", "page", "entries"); row != nil {
		t.Errorf("b switches the web off, yet its page has %q", row)
	}
	if !slices.ContainsFunc(Tables(s, nil), func(t *Table) bool { return t.Name == "touchpoints" }) {
		t.Error("Tables lists no touchpoints table")
	}
	var buf bytes.Buffer
	if err := tab.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := ReadCSV(&buf, &Table{Name: "touchpoints"})
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Rows) != len(tab.Rows) {
		t.Errorf("%d rows read back of %d", len(back.Rows), len(tab.Rows))
	}
}

// A summary without touchpoints (saved before they were counted) gives
// a table with its header and no rows; one whose strategies hold fewer
// estimates than it names touchpoints and metrics (a damaged file) gives
// the rows it can, and no panic.
func TestTouchpointsTableIncomplete(t *testing.T) {
	plain, err := results.Summarize(fixture.Result(), results.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if tab := touchpointsTable(plain); len(tab.Rows) != 0 || len(tab.Columns) != 12 {
		t.Errorf("no touchpoints: %d rows, %d columns", len(tab.Rows), len(tab.Columns))
	}
	s := touchpointSummary(t)
	s.Strategies[0].Touchpoints = s.Strategies[0].Touchpoints[:1]
	s.Strategies[0].Touchpoints[0] = s.Strategies[0].Touchpoints[0][:2]
	s.Strategies[1].On = nil
	if tab := touchpointsTable(s); len(tab.Rows) != 2+3*len(results.TouchpointMetrics) {
		t.Errorf("damaged summary: %d rows", len(tab.Rows))
	}
}
