package scenarios

import (
	"math"
	"strconv"
	"strings"

	"github.com/journeysim/journeysim/sim"
	"gopkg.in/yaml.v3"
)

// Scalar and collection node constructors for the effective scenario.

func strNode(s string) *yaml.Node {
	// The !!str tag makes the encoder quote text that would otherwise read
	// back as a number, a boolean or null.
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
}

func intNode(v int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Value: strconv.Itoa(v)}
}

func uintNode(v uint64) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Value: strconv.FormatUint(v, 10)}
}

func boolNode(v bool) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Value: strconv.FormatBool(v)}
}

// num writes a finite number so that it reads back exactly: whole numbers
// without an exponent, others in the shortest form that round-trips.
func (w *effWriter) num(v float64, what string) *yaml.Node {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		w.fail("%s is %g, which a scenario file cannot hold", what, v)
		return &yaml.Node{Kind: yaml.ScalarNode, Value: "0"}
	}
	s := strconv.FormatFloat(v, 'g', -1, 64)
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		s = strconv.FormatFloat(v, 'f', -1, 64)
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Value: s}
}

// mapping builds a mapping from alternating keys and values; a nil value
// leaves its key out.
func mapping(flow bool, kv ...any) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	if flow {
		n.Style = yaml.FlowStyle
	}
	for i := 0; i+1 < len(kv); i += 2 {
		v := kv[i+1].(*yaml.Node)
		if v == nil {
			continue
		}
		n.Content = append(n.Content, strNode(kv[i].(string)), v)
	}
	return n
}

func sequence(flow bool, items ...*yaml.Node) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: items}
	if flow {
		n.Style = yaml.FlowStyle
	}
	if n.Content == nil {
		n.Content = []*yaml.Node{}
	}
	return n
}

func strSeq(items []string) *yaml.Node {
	n := sequence(true)
	for _, s := range items {
		n.Content = append(n.Content, strNode(s))
	}
	return n
}

// exprNode writes an expression's source as a quoted string, in single
// quotes when it holds double quotes (as docs/scenarios.md advises); a nil
// expression leaves its key out.
func exprNode(e *sim.Expr) *yaml.Node {
	if e == nil {
		return nil
	}
	n := strNode(e.Source)
	n.Style = yaml.DoubleQuotedStyle
	if strings.Contains(e.Source, `"`) && !strings.ContainsAny(e.Source, "'\n") {
		n.Style = yaml.SingleQuotedStyle
	}
	return n
}

// dist writes a distribution in the scenario's syntax: a plain number for
// an unclipped constant, otherwise {family: params, min: x, max: y}.
func (w *effWriter) dist(d sim.Dist, what string) *yaml.Node {
	clipped := !math.IsNaN(d.Min) || !math.IsNaN(d.Max)
	if d.Kind == sim.Constant && len(d.Params) == 1 && !clipped {
		return w.num(d.Params[0], what)
	}
	n := mapping(true)
	var params *yaml.Node
	switch d.Kind {
	case sim.Constant:
		if len(d.Params) != 1 {
			w.fail("%s: constant with %d parameters", what, len(d.Params))
			return n
		}
		params = w.num(d.Params[0], what)
	case sim.Categorical:
		if len(d.Levels) != len(d.Weights) {
			w.fail("%s: categorical with %d levels and %d weights", what, len(d.Levels), len(d.Weights))
			return n
		}
		params = mapping(true)
		for i, l := range d.Levels {
			params.Content = append(params.Content, strNode(l), w.num(d.Weights[i], what+" weight"))
		}
	case sim.Uniform, sim.Normal, sim.Beta, sim.LogNormal:
		params = sequence(true)
		for _, p := range d.Params {
			params.Content = append(params.Content, w.num(p, what+" parameter"))
		}
	default:
		w.fail("%s: unknown distribution family %v", what, d.Kind)
		return n
	}
	n.Content = append(n.Content, strNode(d.Kind.String()), params)
	if !math.IsNaN(d.Min) {
		n.Content = append(n.Content, strNode("min"), w.num(d.Min, what+" min"))
	}
	if !math.IsNaN(d.Max) {
		n.Content = append(n.Content, strNode("max"), w.num(d.Max, what+" max"))
	}
	return n
}

func (w *effWriter) channelName(ch int, what string) string {
	if ch < 0 || ch >= len(w.m.Channels) {
		w.fail("%s: channel %d does not exist", what, ch)
		return ""
	}
	return w.m.Channels[ch].Name
}

func (w *effWriter) nodeName(k int, what string) string {
	if k < 0 || k >= len(w.m.Nodes) {
		w.fail("%s: node %d does not exist", what, k)
		return ""
	}
	return w.m.Nodes[k].Name
}
