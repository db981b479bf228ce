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
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
	"github.com/journeysim/journeysim/sim"
	"github.com/journeysim/journeysim/sim/text"
)

// Check is a compiled pass/fail condition on a strategy's outcomes, such as
// "profit > 0" or "churn_rate < 0.1 && channel.sms.opt_outs < 50". It reads
// the metrics by key and each channel's outcomes as channel.CHANNEL.METRIC
// (ChannelOutcomePrefix), as mean values over the replications, in natural
// units (shares as fractions).
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

// CheckKeys returns the metric keys a check may use. A check may also
// read the outcomes of each channel of its scenario, channel.CHANNEL.METRIC
// for METRIC one of ChannelMetricKeys or Truth.
func CheckKeys() []string {
	keys := make([]string, 0, len(Metrics)+1)
	for _, m := range Metrics {
		keys = append(keys, m.Key)
	}
	return append(keys, ROMI.Key)
}

// CompileCheck compiles the check source found at where (a file position
// such as "retail.yaml:40:7" or a flag such as "--check"). It does not
// know the scenario's channels: a per-channel outcome may name any
// channel, which Measurable checks against the model.
func CompileCheck(source, where string, strategies []string) (*Check, error) {
	return CompileCheckIn(source, where, nil, strategies, nil)
}

// CompileCheckAt is CompileCheck for a check in a file: at, if not nil,
// maps a line and column of source to its position in the file, so that an
// error points at the very character.
func CompileCheckAt(source, where string, at func(line, column int) string, strategies []string) (*Check, error) {
	return CompileCheckIn(source, where, at, strategies, nil)
}

// CompileCheckIn is CompileCheckAt for a scenario whose channels are
// known: a per-channel outcome, channel.CHANNEL.METRIC, must name one of
// channels (nil accepts any, as CompileCheck does) and one of the channel
// metrics, or the error points at the name, with the likely one meant.
func CompileCheckIn(source, where string, at func(line, column int) string, strategies, channels []string) (*Check, error) {
	fail := func(err error) error {
		ce := &CheckError{Where: where, Source: source, Err: err, Channels: channels}
		var fe *file.Error
		if at != nil && errors.As(err, &fe) {
			ce.Where = at(max(1, fe.Line), fe.Column+1)
		}
		return ce
	}
	env := map[string]float64{}
	for _, k := range CheckKeys() {
		env[k] = 0
	}
	for _, b := range BusinessMeasures {
		env[b.Key] = 0
	}
	if tree, err := parser.Parse(source); err == nil {
		refs, err := channelRefs(tree.Node, source, channels)
		if err != nil {
			return nil, fail(err)
		}
		for _, o := range refs {
			env[o.Name()] = 0
		}
	}
	prog, err := expr.Compile(source, expr.Env(env), expr.AsBool(), expr.Patch(channelPatch{}))
	if err != nil {
		return nil, fail(err)
	}
	if strings.TrimSpace(source) == "" {
		return nil, &CheckError{Where: where, Source: source, Err: errors.New("empty check"), Channels: channels}
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

// channelIdent is the name a check reads channels by: channel.sms.opt_outs.
const channelIdent = "channel"

// channelRef returns the per-channel outcome n reads, if n is
// channel.CHANNEL.METRIC (or channel["CHANNEL"]["METRIC"]), with the nodes
// of its parts.
func channelRef(n ast.Node) (o ChannelOutcome, id *ast.IdentifierNode, ch, met *ast.StringNode, ok bool) {
	outer, ok1 := n.(*ast.MemberNode)
	if !ok1 {
		return
	}
	inner, ok2 := outer.Node.(*ast.MemberNode)
	if !ok2 {
		return
	}
	id, ok3 := inner.Node.(*ast.IdentifierNode)
	ch, ok4 := inner.Property.(*ast.StringNode)
	met, ok5 := outer.Property.(*ast.StringNode)
	if !ok3 || !ok4 || !ok5 || id.Value != channelIdent {
		return ChannelOutcome{}, nil, nil, nil, false
	}
	return ChannelOutcome{Channel: ch.Value, Metric: met.Value}, id, ch, met, true
}

// channelPatch turns every per-channel outcome a check reads into one
// name, channel.CHANNEL.METRIC, which the check's environment holds.
type channelPatch struct{}

func (channelPatch) Visit(n *ast.Node) {
	if o, _, _, _, ok := channelRef(*n); ok {
		ast.Patch(n, &ast.IdentifierNode{Value: o.Name()})
	}
}

// channelRefs returns the per-channel outcomes the parsed check root
// reads, each once, or an error placed at the first name that is not one:
// an unknown metric or channel, or "channel" not followed by a channel and
// a metric.
func channelRefs(root ast.Node, source string, channels []string) ([]ChannelOutcome, error) {
	var refs []ChannelOutcome
	var bad []*file.Error
	used := map[*ast.IdentifierNode]bool{}
	var idents []*ast.IdentifierNode
	scope := ChannelScope{Channels: channels, Attribution: "--attribution"}
	visit := func(n ast.Node) {
		if id, ok := n.(*ast.IdentifierNode); ok && id.Value == channelIdent {
			idents = append(idents, id)
		}
		o, id, ch, met, ok := channelRef(n)
		if !ok {
			return
		}
		used[id] = true
		if err := scope.Resolve(o); err != nil {
			var ce *ChannelOutcomeError
			errors.As(err, &ce)
			ce.Spell = CheckSpelling
			at := ast.Node(met)
			if ce.UnknownChannel {
				at = ch
			}
			bad = append(bad, &file.Error{Location: at.Location(), Message: err.Error()})
			return
		}
		if !slices.Contains(refs, o) {
			refs = append(refs, o)
		}
	}
	ast.Walk(&root, visitor(visit))
	for _, id := range idents {
		if !used[id] {
			example := ChannelOutcome{Channel: "email", Metric: "opt_outs"}
			if len(channels) > 0 {
				example.Channel = channels[0]
			}
			bad = append(bad, &file.Error{Location: id.Location(), Message: fmt.Sprintf(
				"%s needs a channel and a metric: write channel.CHANNEL.METRIC, such as %s (a channel whose name is not a plain word goes in brackets: channel[\"web-shop\"].visits)",
				channelIdent, CheckSpelling(example))})
		}
	}
	if len(bad) == 0 {
		return refs, nil
	}
	first := slices.MinFunc(bad, func(a, b *file.Error) int { return a.From - b.From })
	return nil, first.Bind(file.NewSource(source))
}

// visitor adapts a function to ast.Visitor.
type visitor func(ast.Node)

func (v visitor) Visit(n *ast.Node) { v(*n) }

// CheckSpelling writes a per-channel outcome as a check reads it:
// channel.email.opt_outs, or channel["web-shop"].visits for a channel whose
// name is not an identifier.
func CheckSpelling(o ChannelOutcome) string {
	plain := o.Channel != ""
	for i, r := range o.Channel {
		plain = plain && (r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9')
	}
	if plain {
		return o.Name()
	}
	return fmt.Sprintf("%s[%q].%s", channelIdent, o.Channel, o.Metric)
}

// Uses returns the outcomes the check reads: metric keys and per-channel
// outcomes, channel.CHANNEL.METRIC.
func (c *Check) Uses() []string { return slices.Clone(c.uses) }

// CheckError is a check that does not compile.
type CheckError struct {
	Where  string
	Source string
	Err    error
	// Channels are the scenario's channels, which the message lists;
	// nil when they are not known.
	Channels []string
}

func (e *CheckError) Error() string {
	var fe *file.Error
	msg := e.Err.Error()
	if errors.As(e.Err, &fe) {
		say := fe.Message
		switch {
		case strings.HasPrefix(say, "expected bool"):
			say = "a check must be true or false, such as profit > 0, not a number"
		case strings.HasPrefix(say, "unknown name "):
			name := strings.TrimSuffix(strings.TrimPrefix(say, "unknown name "), ")")
			say += e.unknownNameHint(name)
		}
		msg = fmt.Sprintf("%s (column %d)\n | %s\n | %s^", say, fe.Column+1, e.Source, strings.Repeat(" ", max(0, fe.Column)))
	}
	hint := ""
	if strings.Contains(e.Source, "%") {
		hint = "\nwrite shares and rates as fractions: churn_rate < 0.1, not 10%"
	}
	channels := "CHANNEL a channel of the scenario"
	if len(e.Channels) > 0 {
		channels = "CHANNEL one of " + strings.Join(e.Channels, ", ")
	}
	var business []string
	for _, b := range BusinessMeasures {
		business = append(business, b.Key)
	}
	return fmt.Sprintf("%s: check %q: %s%s\nchecks may use: %s;\nagainst the baseline (the business case): %s;\nand per channel: channel.CHANNEL.METRIC, for %s and METRIC one of %s, and %s (with --attribution)",
		e.Where, e.Source, msg, hint, strings.Join(CheckKeys(), ", "), strings.Join(business, ", "), channels, strings.Join(ChannelMetricKeys(), ", "), Truth)
}

// unknownNameHint says what an unknown name in a check likely meant: a
// metric's key spelt wrong, or a channel or channel metric written
// without channel.CHANNEL.METRIC around it.
func (e *CheckError) unknownNameHint(name string) string {
	example := func(o ChannelOutcome) string {
		if len(e.Channels) > 0 && o.Channel == "" {
			o.Channel = e.Channels[0]
		}
		if o.Channel == "" {
			o.Channel = "email"
		}
		return CheckSpelling(o)
	}
	if hint := RenamedHint(name); hint != "" {
		return hint
	}
	switch {
	case slices.Contains(e.Channels, name):
		return fmt.Sprintf("; %s is a channel: write channel.%s.METRIC, such as %s", name, name, example(ChannelOutcome{Channel: name, Metric: ChannelMetrics[0].Key}))
	case ChannelMetricIndex(name) >= 0 || name == Truth:
		return fmt.Sprintf("; %s is measured per channel: write channel.CHANNEL.%s, such as %s", name, name, example(ChannelOutcome{Metric: name}))
	}
	// A suggestion may be up to a third of the name's bytes away, and
	// always two edits; else a key the name begins (churn: churn_rate).
	if hint := text.DidYouMeanWithin(name, CheckKeys(), max(2, len(name)/3)); hint != "" {
		return hint
	}
	var longer []string
	for _, k := range CheckKeys() {
		if strings.HasPrefix(k, name+"_") {
			longer = append(longer, k)
		}
	}
	if len(longer) == 1 {
		return fmt.Sprintf("; did you mean %q?", longer[0])
	}
	return ""
}

// CheckResult is one check on one strategy.
type CheckResult struct {
	Check    string `json:"check"`
	Where    string `json:"where"`
	Strategy string `json:"strategy"`
	Pass     bool   `json:"pass"`
	// Observed lists the outcomes the check reads, with their estimates.
	Observed []Observation `json:"observed"`
}

// Observation is an outcome's estimate as a check saw it: a metric's key
// or a per-channel outcome, channel.CHANNEL.METRIC.
type Observation struct {
	Metric string   `json:"metric"`
	Value  Estimate `json:"value"`
	// Why says why the value is undefined, when the run cannot say by
	// the metric alone: "sms is off in multichannel".
	Why string `json:"why,omitempty"`
}

// evaluate runs the check on every strategy it applies to. A check that
// reads an undefined outcome (NaN) fails: a metric the run did not
// measure, or a channel the strategy switches off.
func (c *Check) evaluate(s *Summary) []CheckResult {
	var out []CheckResult
	for k := range s.Strategies {
		st := &s.Strategies[k]
		if len(c.Strategies) > 0 && !slices.Contains(c.Strategies, st.Name) {
			continue
		}
		bc := s.businessCase(st.Name)
		if st.Name == s.Baseline && len(s.Strategies) > 1 && c.readsBusinessCase() {
			continue // the baseline has no business case against itself
		}
		env := map[string]float64{}
		defined := true
		res := CheckResult{Check: c.Source, Where: c.Where, Strategy: st.Name}
		observe := func(o Observation) {
			env[o.Metric] = o.Value.Mean
			res.Observed = append(res.Observed, o)
			defined = defined && !math.IsNaN(o.Value.Mean)
		}
		for j, met := range s.Metrics {
			if slices.Contains(c.uses, met.Key) {
				observe(Observation{Metric: met.Key, Value: st.Metrics[j]})
			} else {
				env[met.Key] = st.Metrics[j].Mean
			}
		}
		for _, key := range c.uses {
			if _, ok := env[key]; ok {
				continue
			}
			o := Observation{Metric: key, Value: Estimate{Mean: math.NaN(), CI95: math.NaN()}} // romi without its counterfactual
			if co, ok := SplitChannelOutcome(key); ok {
				o.Value, o.Why = s.channelEstimate(st, co)
			}
			if b, ok := businessMeasure(key); ok && bc == nil {
				o.Why = "it is measured against a baseline, and the run has no other strategy"
			} else if ok {
				o.Value = b.value(bc)
				if key == "payback" && bc.PaidBack < len(bc.Payback.Values) {
					o.Value, o.Why = Estimate{Mean: math.NaN(), CI95: math.NaN()}, "it does not pay back within the horizon in every replication"
				}
			}
			observe(o)
		}
		v, err := expr.Run(c.program, env)
		pass, _ := v.(bool)
		res.Pass = err == nil && pass && defined
		out = append(out, res)
	}
	return out
}

// readsBusinessCase reports whether the check reads a measure of the
// business case, which only strategies other than the baseline have.
func (c *Check) readsBusinessCase() bool {
	return slices.ContainsFunc(c.uses, func(key string) bool {
		_, ok := businessMeasure(key)
		return ok
	})
}

// businessCase returns the business case of the strategy called name
// against the baseline; nil for the baseline.
func (s *Summary) businessCase(name string) *BusinessCase {
	for k := range s.BusinessCases {
		if s.BusinessCases[k].Strategy == name {
			return &s.BusinessCases[k]
		}
	}
	return nil
}

// channelEstimate returns the strategy's estimate of a per-channel
// outcome, or NaN and why it is undefined: the channel is not in the run,
// the strategy switches it off, or the run measured no truth.
func (s *Summary) channelEstimate(st *StrategySummary, o ChannelOutcome) (Estimate, string) {
	none := Estimate{Mean: math.NaN(), CI95: math.NaN()}
	c := slices.Index(s.Channels, o.Channel)
	switch {
	case c < 0:
		return none, fmt.Sprintf("scenario %s has no channel %s", s.Scenario, o.Channel)
	case c < len(st.On) && !st.On[c]:
		return none, fmt.Sprintf("%s does not use %s", st.Name, o.Channel)
	case o.IsTruth():
		for _, a := range s.Attribution {
			if i := slices.Index(a.Channels, o.Channel); a.Strategy == st.Name && i >= 0 && i < len(a.Truth) {
				return a.Truth[i], ""
			}
		}
		return none, "it needs --attribution"
	}
	if k := o.Index(); c < len(st.Channels) && k >= 0 && k < len(st.Channels[c]) {
		return st.Channels[c][k], ""
	}
	return none, ""
}

// channelsMeasurable returns an error if c reads a per-channel outcome
// that runs of m cannot measure: a channel m does not have (a check
// compiled without its scenario's channels), or a channel's true
// incremental revenue without the reruns of attribution.
func (c *Check) channelsMeasurable(m *sim.Model, measuresCounterfactuals bool) error {
	names := make([]string, len(m.Channels))
	for k := range m.Channels {
		names[k] = m.Channels[k].Name
	}
	scope := ChannelScope{Scenario: m.Name, Channels: names, Attribution: "--attribution"}
	for _, key := range c.uses {
		o, ok := SplitChannelOutcome(key)
		if !ok {
			continue
		}
		if err := scope.Resolve(o); err != nil {
			var ce *ChannelOutcomeError
			if errors.As(err, &ce) {
				ce.Spell = CheckSpelling
			}
			return fmt.Errorf("%s: check %q reads %s: %w", c.Where, c.Source, CheckSpelling(o), err)
		}
		if o.IsTruth() && !measuresCounterfactuals {
			return fmt.Errorf("%s: check %q reads %s, which needs the reruns with each channel switched off: add --attribution", c.Where, c.Source, CheckSpelling(o))
		}
	}
	return nil
}
