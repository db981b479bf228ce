package results_test

import (
	"os"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/results"
)

// docs/metrics.md's "Metrics at a glance" lists every metric, in table
// order, with its label, wide column and whether it is a headline metric.
func TestMetricsDocTable(t *testing.T) {
	data, err := os.ReadFile("../docs/metrics.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "## Metrics at a glance")
	if !ok {
		t.Fatal(`docs/metrics.md has no section "## Metrics at a glance"`)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	type row struct{ label, column, headline string }
	documented := map[string]row{}
	var order []string
	for _, line := range strings.Split(section, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 9 || !strings.HasPrefix(strings.TrimSpace(cells[1]), "`") {
			continue
		}
		key := strings.Trim(strings.TrimSpace(cells[1]), "`")
		order = append(order, key)
		documented[key] = row{strings.TrimSpace(cells[2]), strings.Trim(strings.TrimSpace(cells[4]), "`"), strings.TrimSpace(cells[7])}
	}
	var want []string
	for _, m := range append(results.Metrics, results.ROMI) {
		want = append(want, m.Key)
		d, ok := documented[m.Key]
		if !ok {
			t.Errorf("metric %s is not in the table", m.Key)
			continue
		}
		headline := map[bool]string{true: "yes", false: "no"}[m.Headline]
		if d.label != m.Label || d.column != m.Column("EUR") || d.headline != headline {
			t.Errorf("metric %s: documented %+v, want label %q, column %q, headline %s", m.Key, d, m.Label, m.Column("EUR"), headline)
		}
	}
	if strings.Join(order, ",") != strings.Join(want, ",") {
		t.Errorf("table lists %v, want %v", order, want)
	}
}
