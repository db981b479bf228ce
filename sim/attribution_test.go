package sim_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/sim"
)

// Every attribution model has a key, a label and a legend of its own, and
// AttributionModelIndex finds it by its key.
func TestAttributionModelsTable(t *testing.T) {
	if len(sim.AttributionModels) == 0 {
		t.Fatal("no attribution model")
	}
	key := regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	seen := map[string]string{}
	for j, m := range sim.AttributionModels {
		if !key.MatchString(m.Key) {
			t.Errorf("model %d: key %q is not snake_case", j, m.Key)
		}
		if m.Label == "" || m.Legend == "" {
			t.Errorf("model %s: label %q, legend %q", m.Key, m.Label, m.Legend)
		}
		for what, name := range map[string]string{"key": m.Key, "label": m.Label, "legend": m.Legend} {
			if prev, ok := seen[what+" "+name]; ok {
				t.Errorf("models %s and %s have the same %s %q", prev, m.Key, what, name)
			}
			seen[what+" "+name] = m.Key
		}
		if got := sim.AttributionModelIndex(m.Key); got != j {
			t.Errorf("AttributionModelIndex(%q) = %d, want %d", m.Key, got, j)
		}
	}
	if got := sim.AttributionModelIndex("incremental_truth"); got != -1 {
		t.Errorf("AttributionModelIndex of a key that is no model = %d", got)
	}
}

// docs/metrics.md describes every attribution model, in the order of the
// table, and counts them right.
func TestAttributionModelsDocumented(t *testing.T) {
	data, err := os.ReadFile("../docs/metrics.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	_, section, ok := strings.Cut(doc, "\n### The models\n")
	if !ok {
		t.Fatal(`docs/metrics.md has no section "### The models"`)
	}
	section, _, _ = strings.Cut(section, "\n### ")
	var documented []string
	for _, row := range regexp.MustCompile("(?m)^\\| `([a-z0-9_]+)` \\|").FindAllStringSubmatch(section, -1) {
		documented = append(documented, row[1])
	}
	var keys []string
	for _, m := range sim.AttributionModels {
		keys = append(keys, m.Key)
	}
	if !slices.Equal(documented, keys) {
		t.Errorf("docs/metrics.md's table of models lists %v, want %v", documented, keys)
	}
	words := []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"}
	if len(keys) >= len(words) {
		t.Fatalf("%d models: give the test the word for the number", len(keys))
	}
	counts := regexp.MustCompile(`\b(\w+)\s+(?:attribution\s+)?models\b`).FindAllStringSubmatch(doc, -1)
	n := 0
	for _, c := range counts {
		if i := slices.Index(words, c[1]); i >= 0 {
			n++
			if i != len(keys) {
				t.Errorf("docs/metrics.md says %q; there are %d models", c[0], len(keys))
			}
		}
	}
	if n == 0 {
		t.Errorf("docs/metrics.md never says how many attribution models there are")
	}
}
