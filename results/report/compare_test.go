package report

import (
	"html"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/output"
	"github.com/journeysim/journeysim/scenarios"
)

// The report's comparison uses the text table's verdicts, units and the
// notes under it, smallest differences that matter included.
func TestReportComparisonNotes(t *testing.T) {
	sc, err := scenarios.Open("email-pressure")
	if err != nil {
		t.Fatal(err)
	}
	m := sc.Model
	m.Population.Size, m.Horizon, m.Replications = 200, 20, 3
	effects, err := results.ParseMinEffects([]string{"revenue=1000%,churn_rate=50pp,opt_out_rate=50pp"})
	if err != nil {
		t.Fatal(err)
	}
	dir, sum := writeRunDir(t, sc, sc.Source.Data, results.Options{MinEffects: effects})
	page, err := Build(dir, describe)
	if err != nil {
		t.Fatal(err)
	}
	text := html.UnescapeString(string(page))
	_, section, _ := strings.Cut(text, `id="comparison"`)
	section, _, _ = strings.Cut(section, "</section>")
	for _, want := range append(output.ComparisonNotes(sum), "churn (pp)", `<span class="verdict same">`+results.NoDifferenceThatMatters+"</span>") {
		if !strings.Contains(section, want) {
			t.Errorf("the report's comparison lacks %q", want)
		}
	}
	if strings.Contains(section, "churn (%)") {
		t.Error("the report labels a difference of churn rates %")
	}
}
