package results

import (
	"testing"

	"github.com/journeysim/journeysim/sim"
)

// Each attribution model is computed in one place: sim credits it as the
// run goes, or pathModels works it out afterwards; never both, never
// neither, and pathModels holds no model the table lacks.
func TestEveryAttributionModelIsComputed(t *testing.T) {
	for _, m := range sim.AttributionModels {
		_, afterwards := pathModels[m.Key]
		switch {
		case m.Credit != nil && afterwards:
			t.Errorf("model %s is credited both by sim and by pathModels", m.Key)
		case m.Credit == nil && !afterwards:
			t.Errorf("model %s is credited by neither sim nor pathModels", m.Key)
		}
	}
	for key := range pathModels {
		if sim.AttributionModelIndex(key) < 0 {
			t.Errorf("pathModels computes %q, which is not in sim.AttributionModels", key)
		}
	}
}

// Tables name each model by its label, and the truth by TruthLabel.
func TestDescribeModel(t *testing.T) {
	if got := ModelLabel(Truth); got != TruthLabel {
		t.Errorf("ModelLabel(Truth) = %q", got)
	}
	for _, m := range sim.AttributionModels {
		if got := ModelLabel(m.Key); got != m.Label {
			t.Errorf("ModelLabel(%q) = %q, want %q", m.Key, got, m.Label)
		}
	}
}
