package results

import (
	"strings"
	"testing"

	"github.com/journeysim/journeysim/results/internal/fixture"
)

// FuzzCompileCheck: any check text either compiles or is an error that
// names where it was written; a compiled check evaluates without panicking.
func FuzzCompileCheck(f *testing.F) {
	for _, seed := range []string{"profit_to_cost > 1.5", "churn_rate < 0.1 && nps >= 20", "romi > 0", "revenue >", "profit_to_cost(1)", `"a" == "b"`, "1/0 > 0", "[1,2][5] > 0"} {
		f.Add(seed)
	}
	res := fixture.Result()
	f.Fuzz(func(t *testing.T, src string) {
		c, err := CompileCheck(src, "f.yaml:1:1", nil)
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
