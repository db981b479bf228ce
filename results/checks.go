package results

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"
	"github.com/journeysim/journeysim/sim/text"
)

// Check is a compiled pass/fail condition on a strategy's outcomes, such as
// "roi > 1.5" or "churn_rate < 0.1 && nps > 20". It reads the metrics by
// key, as mean values over the replications, in natural units (shares as
// fractions).
type Check struct {
	Source string
	// Strategies limits the check to the named strategies; empty means
	// every strategy run.
	Strategies []string
	// Where says where the check was written: a file position or a flag.
	Where   string
	program *vm.Program
	uses    []string
}

// CheckKeys returns the names a check may use: every metric's key.
func CheckKeys() []string {
	keys := make([]string, 0, len(Metrics)+1)
	for _, m := range Metrics {
		keys = append(keys, m.Key)
	}
	return append(keys, ROMI.Key)
}

// CompileCheck compiles the check source found at where (a file position
// such as "retail.yaml:40:7" or a flag such as "--check").
func CompileCheck(source, where string, strategies []string) (*Check, error) {
	return CompileCheckAt(source, where, nil, strategies)
}

// CompileCheckAt is CompileCheck for a check in a file: at, if not nil,
// maps a line and column of source to its position in the file, so that an
// error points at the very character.
func CompileCheckAt(source, where string, at func(line, column int) string, strategies []string) (*Check, error) {
	env := map[string]float64{}
	for _, k := range CheckKeys() {
		env[k] = 0
	}
	prog, err := expr.Compile(source, expr.Env(env), expr.AsBool())
	if err != nil {
		ce := &CheckError{Where: where, Source: source, Err: err}
		var fe *file.Error
		if at != nil && errors.As(err, &fe) {
			ce.Where = at(max(1, fe.Line), fe.Column+1)
		}
		return nil, ce
	}
	if strings.TrimSpace(source) == "" {
		return nil, &CheckError{Where: where, Source: source, Err: errors.New("empty check")}
	}
	c := &Check{Source: source, Strategies: strategies, Where: where, program: prog}
	ast.Find(prog.Node(), func(n ast.Node) bool {
		if id, ok := n.(*ast.IdentifierNode); ok && !slices.Contains(c.uses, id.Value) {
			c.uses = append(c.uses, id.Value)
		}
		return false
	})
	return c, nil
}

// Uses returns the metric keys the check reads.
func (c *Check) Uses() []string { return slices.Clone(c.uses) }

// CheckError is a check that does not compile.
type CheckError struct {
	Where  string
	Source string
	Err    error
}

func (e *CheckError) Error() string {
	var fe *file.Error
	msg := e.Err.Error()
	if errors.As(e.Err, &fe) {
		say := fe.Message
		switch {
		case strings.HasPrefix(say, "expected bool"):
			say = "a check must be true or false, such as roi > 1.5, not a number"
		case strings.HasPrefix(say, "unknown name "):
			name := strings.TrimSuffix(strings.TrimPrefix(say, "unknown name "), ")")
			// A suggestion may be up to a third of the name's bytes
			// away, and always two edits.
			say += text.DidYouMeanWithin(name, CheckKeys(), max(2, len(name)/3))
		}
		msg = fmt.Sprintf("%s (column %d)\n | %s\n | %s^", say, fe.Column+1, e.Source, strings.Repeat(" ", max(0, fe.Column)))
	}
	hint := ""
	if strings.Contains(e.Source, "%") {
		hint = "\nwrite shares and rates as fractions: churn_rate < 0.1, not 10%"
	}
	return fmt.Sprintf("%s: check %q: %s%s\nchecks may use: %s", e.Where, e.Source, msg, hint, strings.Join(CheckKeys(), ", "))
}

// CheckResult is one check on one strategy.
type CheckResult struct {
	Check    string `json:"check"`
	Where    string `json:"where"`
	Strategy string `json:"strategy"`
	Pass     bool   `json:"pass"`
	// Observed lists the metrics the check reads, with their estimates.
	Observed []Observation `json:"observed"`
}

// Observation is a metric's estimate as a check saw it.
type Observation struct {
	Metric string   `json:"metric"`
	Value  Estimate `json:"value"`
}

// evaluate runs the check on every strategy it applies to. A check that
// reads an undefined metric (NaN) fails.
func (c *Check) evaluate(s *Summary) []CheckResult {
	var out []CheckResult
	for k := range s.Strategies {
		st := &s.Strategies[k]
		if len(c.Strategies) > 0 && !slices.Contains(c.Strategies, st.Name) {
			continue
		}
		env := map[string]float64{}
		defined := true
		res := CheckResult{Check: c.Source, Where: c.Where, Strategy: st.Name}
		for j, met := range s.Metrics {
			env[met.Key] = st.Metrics[j].Mean
			if slices.Contains(c.uses, met.Key) {
				res.Observed = append(res.Observed, Observation{met.Key, st.Metrics[j]})
				defined = defined && !math.IsNaN(st.Metrics[j].Mean)
			}
		}
		for _, key := range c.uses {
			if _, ok := env[key]; !ok {
				env[key] = math.NaN() // romi without its counterfactual
				defined = false
				res.Observed = append(res.Observed, Observation{key, Estimate{Mean: math.NaN(), CI95: math.NaN()}})
			}
		}
		v, err := expr.Run(c.program, env)
		pass, _ := v.(bool)
		res.Pass = err == nil && pass && defined
		out = append(out, res)
	}
	return out
}
