package results

import (
	"math"
	"testing"

	"github.com/journeysim/journeysim/sim"
)

func TestUnavailable(t *testing.T) {
	plain := &sim.Model{Name: "plain", Nodes: []sim.Node{{Name: "browse"}, {Name: "buy", Purchase: true}}}
	rival := &sim.Model{Name: "rival", Nodes: []sim.Node{{Name: "buy"}, {Name: "rival", Purchase: true, Competitor: true}}}
	costly := &sim.Model{Name: "costly", Levers: []sim.Lever{{Name: "free"}, {Name: "service", CostPerTick: 10}}}
	tests := []struct {
		key         string
		m           *sim.Model
		attribution bool
		available   bool
	}{
		{"revenue", plain, false, true},
		{"romi", plain, false, false},
		{"romi", plain, true, true},
		{"share_of_wallet", plain, true, false},
		{"share_of_wallet", rival, false, true},
		{"lever_cost", plain, false, false},
		{"lever_cost", costly, false, true},
	}
	for _, tt := range tests {
		why := Unavailable(tt.key, tt.m, tt.attribution)
		if (why == "") != tt.available {
			t.Errorf("Unavailable(%s, %s, %v) = %q; want available %v", tt.key, tt.m.Name, tt.attribution, why, tt.available)
		}
	}
	// The metrics' values agree with Unavailable: NaN exactly when the
	// scenario cannot have the metric (or, for CSAT, CES and the time to
	// half the market, when nothing happened to measure).
	tot := &sim.Totals{Customers: 1, Revenue: 10, LeverCost: 3, CompetitorSpend: 5}
	for _, m := range []*sim.Model{plain, rival, costly} {
		for _, met := range Metrics {
			v := met.Value(tot, m)
			if math.IsNaN(v) && Unavailable(met.Key, m, true) == "" && met.Key != "csat" && met.Key != "ces" && met.Key != "time_to_half_market" {
				t.Errorf("%s on %s is NaN, but Unavailable says it can be measured", met.Key, m.Name)
			}
			if !math.IsNaN(v) && Unavailable(met.Key, m, true) != "" {
				t.Errorf("%s on %s is %g, but Unavailable says it cannot be measured", met.Key, m.Name, v)
			}
		}
	}
}

func TestCheckMeasurable(t *testing.T) {
	plain := &sim.Model{Name: "plain", Nodes: []sim.Node{{Name: "buy", Purchase: true}}}
	tests := []struct {
		check       string
		attribution bool
		wantErr     string
	}{
		{"profit_to_cost > 1", false, ""},
		{"romi > 1", true, ""},
		{"romi > 1", false, `here: check "romi > 1" reads romi, which needs the rerun sending no contact: add --attribution`},
		{"revenue > 0 && share_of_wallet > 0.5", true, `here: check "revenue > 0 && share_of_wallet > 0.5" reads share_of_wallet, but scenario plain has no competitor purchase node (competitor: true)`},
	}
	for _, tt := range tests {
		c, err := CompileCheck(tt.check, "here", nil)
		if err != nil {
			t.Fatal(err)
		}
		err = c.Measurable(plain, tt.attribution)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.wantErr {
			t.Errorf("%s (attribution %v): %q, want %q", tt.check, tt.attribution, got, tt.wantErr)
		}
	}
}
