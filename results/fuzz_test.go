package results

import (
	"strings"
	"testing"

	"github.com/journeysim/journeysim/results/internal/fixture"
)

// FuzzCompileCheck: any check text either compiles or is an error that
// names where it was written; a compiled check evaluates without panicking.
func FuzzCompileCheck(f *testing.F) {
	for _, seed := range []string{"profit_to_cost > 1.5", "churn_rate < 0.1 && nps >= 20", "romi > 0", "revenue >", "profit_to_cost(1)", `"a" == "b"`, "1/0 > 0", "[1,2][5] > 0",
		"channel.email.contacts > 10", `channel["web"]["cost"] < 30`, "channel?.email?.opt_outs == 0", "channel.emial.visits > 0", "channel.email.visit > 0",
		"channel.email > 0", "channel > 0", "channel.email.incremental_truth > 0", "channel.web.response_rate > 0 || channel.web-shop.visits > 0", `channel[""].x > 0`} {
		f.Add(seed)
	}
	res := fixture.Result()
	channels := []string{"email", "web"}
	f.Fuzz(func(t *testing.T, src string) {
		if _, err := CompileCheck(src, "f.yaml:1:1", nil); err != nil && !strings.HasPrefix(err.Error(), "f.yaml:1:1: check") {
			t.Fatalf("error does not say where: %v", err)
		}
		c, err := CompileCheckIn(src, "f.yaml:1:1", nil, nil, channels)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.yaml:1:1: check") {
				t.Fatalf("error does not say where: %v", err)
			}
			return
		}
		s, err := Summarize(res, Options{Checks: []*Check{c}})
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Checks) != len(s.Strategies) {
			t.Fatalf("%d results for %d strategies", len(s.Checks), len(s.Strategies))
		}
	})
}
