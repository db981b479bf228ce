package scenarios

import (
	"bytes"
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/journeysim/journeysim/sim"
	"gopkg.in/yaml.v3"
)

// Effective renders a compiled scenario back as a scenario file, in the format
// Load reads, with every default made explicit: the effective scenario after
// defaults, for recording in a run's manifest.
//
// The output is deterministic: keys stand in a fixed order, channels, nodes,
// personas and attributes in model order, and behaviour parameters sorted
// by name. Loading the output gives a model that simulates exactly like sc.Model,
// and Effective of that scenario gives the same bytes again.
//
// What the model no longer holds is written in an equivalent form:
// strategies are written resolved, without extends; edges are regrouped
// from the nodes' edge lists (an edge leaving every node is written with
// from: "*"), so their order and grouping may differ from the original file
// while every node keeps its edges in the same order. Comments, channel
// descriptions and YAML anchors are lost.
func Effective(sc *Scenario) ([]byte, error) {
	if sc == nil || sc.Model == nil {
		return nil, fmt.Errorf("effective scenario: no model")
	}
	m := sc.Model
	w := &effWriter{m: m, sc: sc}
	root := w.scenario()
	if w.err != nil {
		return nil, fmt.Errorf("effective scenario %s: %w", m.Name, w.err)
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return nil, fmt.Errorf("effective scenario %s: encoding YAML: %w", m.Name, err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("effective scenario %s: encoding YAML: %w", m.Name, err)
	}
	return buf.Bytes(), nil
}

// effWriter builds the yaml.Node tree of an effective scenario; err keeps
// the first value that cannot be written.
type effWriter struct {
	m   *sim.Model
	sc  *Scenario
	err error
}

func (w *effWriter) fail(format string, args ...any) {
	if w.err == nil {
		w.err = fmt.Errorf(format, args...)
	}
}

// lessonNode writes a lesson, or nothing (a nil node is left out).
func (w *effWriter) lessonNode(l *Lesson) *yaml.Node {
	if l == nil {
		return nil
	}
	var controls *yaml.Node
	if len(l.Controls) > 0 {
		controls = sequence(false)
		for _, c := range l.Controls {
			var lever, path, step, sw *yaml.Node
			if c.Lever != "" {
				lever = strNode(c.Lever)
			} else {
				path = strNode(c.Path)
			}
			if c.Switch {
				sw = boolNode(true)
			} else {
				step = w.num(c.Step, "control step")
			}
			controls.Content = append(controls.Content, mapping(true, "lever", lever, "path", path, "label", strNode(c.Label),
				"min", w.num(c.Min, "control min"), "max", w.num(c.Max, "control max"), "step", step, "switch", sw))
		}
	}
	return mapping(false, "title", strNode(l.Title), "question", strNode(l.Question), "vary", strNode(l.Vary), "expect", strNode(l.Expect), "controls", controls)
}

func (w *effWriter) scenario() *yaml.Node {
	m := w.m
	kv := []any{
		"name", strNode(m.Name),
		"description", strNode(m.Description),
		"lesson", w.lessonNode(w.sc.Lesson),
		"run", w.run(),
		"population", w.population(),
		"channels", w.channels(),
		"journey", w.journey(),
		"fatigue", mapping(false,
			"half_life", w.num(m.Fatigue.HalfLife, "fatigue.half_life"),
			"per_contact", w.num(m.Fatigue.PerContact, "fatigue.per_contact"),
			"spill", w.num(m.Fatigue.Spill, "fatigue.spill"),
			"optout", w.num(m.Fatigue.OptOut, "fatigue.optout")),
		"loyalty", mapping(false,
			"response_gain", w.num(m.Loyalty.ResponseGain, "loyalty.response_gain"),
			"purchase_gain", w.num(m.Loyalty.PurchaseGain, "loyalty.purchase_gain"),
			"ignored_loss", w.num(m.Loyalty.IgnoredLoss, "loyalty.ignored_loss"),
			"experience_weight", w.num(m.Loyalty.ExperienceWeight, "loyalty.experience_weight"),
			"recovery_weight", w.num(m.Loyalty.RecoveryWeight, "loyalty.recovery_weight"),
			"recovery_window", intNode(m.Loyalty.RecoveryWindow),
			"churn", exprNode(m.Loyalty.Churn),
			"referral", exprNode(m.Loyalty.Referral),
			"referral_value", w.num(m.Loyalty.ReferralValue, "loyalty.referral_value")),
		"survey", w.survey(),
		"reviews", w.reviews(),
		"integration", w.integration(),
	}
	if len(m.Levers) > 0 {
		kv = append(kv, "levers", w.levers())
	}
	kv = append(kv, "strategies", w.strategies())
	if len(w.sc.Checks) > 0 {
		kv = append(kv, "checks", w.checks())
	}
	if len(w.sc.Key) > 0 {
		var names []string
		for _, k := range w.sc.Key {
			names = append(names, k.Name)
		}
		kv = append(kv, "key", strSeq(names))
	}
	return &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{mapping(false, kv...)}}
}

// survey writes the survey, or nothing when the scenario has none.
func (w *effWriter) survey() *yaml.Node {
	v := w.m.Survey
	if v.Sample == 0 {
		return nil
	}
	return mapping(false,
		"sample", w.num(v.Sample, "survey.sample"),
		"response", exprNode(v.Response),
		"recency", w.num(v.Recency, "survey.recency"))
}

// reviews writes the reviews posted before the run, or nothing when there
// were none.
func (w *effWriter) reviews() *yaml.Node {
	r := w.m.Reviews
	if r.Rating == 0 && r.Count == 0 {
		return nil
	}
	return mapping(false,
		"rating", w.num(r.Rating, "reviews.rating"),
		"count", w.num(r.Count, "reviews.count"))
}

func (w *effWriter) run() *yaml.Node {
	m := w.m
	return mapping(false,
		"horizon", intNode(m.Horizon),
		"tick", strNode(m.TickLabel),
		"seed", uintNode(m.Seed),
		"replications", intNode(m.Replications),
		"ticks_per_year", w.num(m.TicksPerYear, "run.ticks_per_year"),
		"discount_rate", w.num(m.DiscountRate, "run.discount_rate"),
		"currency", strNode(w.sc.Currency))
}

func (w *effWriter) population() *yaml.Node {
	m := w.m
	personas := sequence(false)
	for _, p := range m.Population.Personas {
		where := "persona " + p.Name
		var attrs *yaml.Node
		if len(m.Population.Attributes) > 0 {
			if len(p.Attributes) != len(m.Population.Attributes) {
				w.fail("%s: %d attributes, the population has %d", where, len(p.Attributes), len(m.Population.Attributes))
				continue
			}
			attrs = mapping(false)
			for i, a := range m.Population.Attributes {
				attrs.Content = append(attrs.Content, strNode(a.Name), w.dist(p.Attributes[i], where+" attribute "+a.Name))
			}
		}
		if len(p.Affinity) != len(m.Channels) || len(p.Consent) != len(m.Channels) {
			w.fail("%s: affinity or consent does not cover the %d channels", where, len(m.Channels))
			continue
		}
		affinity, consent := mapping(true), mapping(true)
		for ch, c := range m.Channels {
			affinity.Content = append(affinity.Content, strNode(c.Name), w.dist(p.Affinity[ch], where+" affinity."+c.Name))
			consent.Content = append(consent.Content, strNode(c.Name), w.num(p.Consent[ch], where+" consent."+c.Name))
		}
		personas.Content = append(personas.Content, mapping(false,
			"name", strNode(p.Name),
			"share", w.num(p.Share, where+" share"),
			"attributes", attrs,
			"affinity", affinity,
			"consent", consent,
			"tolerance", w.dist(p.Tolerance, where+" tolerance"),
			"loyalty", w.dist(p.Loyalty, where+" loyalty")))
	}
	return mapping(false,
		"size", intNode(m.Population.Size),
		"personas", personas)
}

func (w *effWriter) channels() *yaml.Node {
	out := mapping(false)
	for _, c := range w.m.Channels {
		if int(c.Kind) < 0 || int(c.Kind) >= len(sim.ChannelKinds) || int(c.Direction) < 0 || int(c.Direction) >= len(sim.Directions) {
			w.fail("channel %s: unknown kind %d or direction %d", c.Name, c.Kind, c.Direction)
			continue
		}
		beh := mapping(true, "name", strNode(c.BehaviourName))
		if plugin, ok := strings.CutPrefix(c.BehaviourName, PluginPrefix); ok {
			beh = mapping(true, "plugin", strNode(plugin))
		}
		if len(c.BehaviourParams)+len(c.BehaviourText) > 0 {
			// Text parameters are written out in full, files included,
			// so that the effective scenario stands alone.
			params := mapping(false)
			keys := slices.Sorted(maps.Keys(c.BehaviourParams))
			keys = append(keys, slices.Sorted(maps.Keys(c.BehaviourText))...)
			slices.Sort(keys)
			for _, k := range keys {
				if text, ok := c.BehaviourText[k]; ok {
					v := strNode(text)
					if strings.Contains(text, "\n") {
						v.Style = yaml.LiteralStyle
					}
					params.Content = append(params.Content, strNode(k), v)
					continue
				}
				params.Content = append(params.Content, strNode(k), w.num(c.BehaviourParams[k], "channel "+c.Name+" behaviour "+k))
			}
			if len(c.BehaviourText) == 0 {
				params.Style = yaml.FlowStyle
			}
			beh.Content = append(beh.Content, strNode("params"), params)
			if len(c.BehaviourText) > 0 {
				beh.Style = 0
			}
		}
		if c.BehaviourName == "" {
			w.fail("channel %s: no behaviour name", c.Name)
		}
		out.Content = append(out.Content, strNode(c.Name), mapping(false,
			"kind", strNode(c.Kind.String()),
			"direction", strNode(c.Direction.String()),
			"noun", strNode(cmp.Or(c.Noun, DefaultNoun)),
			"cost_per_contact", w.num(c.CostPerContact, "channel "+c.Name+" cost_per_contact"),
			"cost_per_minute", w.num(c.CostPerMinute, "channel "+c.Name+" cost_per_minute"),
			"fixed_cost", w.num(c.FixedCost, "channel "+c.Name+" fixed_cost"),
			"cost_per_customer", w.num(c.CostPerCustomer, "channel "+c.Name+" cost_per_customer"),
			"commission", w.num(c.Commission, "channel "+c.Name+" commission"),
			"service_level_seconds", w.num(c.ServiceLevelSeconds, "channel "+c.Name+" service_level_seconds"),
			"behaviour", beh,
			"optout", exprNode(c.OptOut)))
	}
	return out
}

func (w *effWriter) journey() *yaml.Node {
	m := w.m
	nodes := mapping(false)
	for _, n := range m.Nodes {
		where := "node " + n.Name
		if n.Stage < 0 || n.Stage >= len(m.Stages) {
			w.fail("%s: stage %d does not exist", where, n.Stage)
			continue
		}
		var channel, basket, tags *yaml.Node
		if n.Channel >= 0 {
			channel = strNode(w.channelName(n.Channel, where))
		}
		if n.Purchase {
			basket = w.dist(n.Basket, where+" basket")
		}
		if len(n.Tags) > 0 {
			tags = strSeq(n.Tags)
		}
		nodes.Content = append(nodes.Content, strNode(n.Name), mapping(true,
			"stage", strNode(m.Stages[n.Stage]),
			"channel", channel,
			"purchase", boolNode(n.Purchase),
			"competitor", boolNode(n.Competitor),
			"basket", basket,
			"satisfaction", exprNode(n.Satisfaction),
			"effort", exprNode(n.Effort),
			"cost", exprNode(n.Cost),
			"review", exprNode(n.Review),
			"tags", tags))
	}
	edges := sequence(false)
	edges.Content = append(edges.Content, w.edges("tick", func(n *sim.Node) []sim.Edge { return n.Edges })...)
	edges.Content = append(edges.Content, w.edges("response", func(n *sim.Node) []sim.Edge { return n.ResponseEdges })...)
	return mapping(false,
		"start", strNode(w.nodeName(m.Start, "journey.start")),
		"basket", w.dist(m.Basket, "journey.basket"),
		"margin", w.num(m.Margin, "journey.margin"),
		"nodes", nodes,
		"edges", edges)
}

// edgeKey identifies an edge by what it does, whatever node it leaves.
// Two edges with the same key behave the same: their probabilities are
// compiled from the same source against the same model.
type edgeKey struct {
	to   int
	cart sim.CartEffect
	p    string
}

var cartEffects = []string{"keep", "open", "clear"}

// edges writes the edges of one kind (on: tick or on: response) of every
// node. The model keeps them per node, in order; the file lists them once,
// each from one or more nodes, and a node's edges are the entries that
// leave it, in file order. edges rebuilds such a list: each entry takes the
// next edge of every node whose next edge has the entry's key. It prefers
// a key that is next at every node still to take it, so that an edge the
// scenario gave for several nodes is written once. The result depends only
// on the nodes' edge lists, which loading it reproduces, so writing the
// reloaded model gives the same list.
func (w *effWriter) edges(on string, of func(*sim.Node) []sim.Edge) []*yaml.Node {
	m := w.m
	lists := make([][]edgeKey, len(m.Nodes))
	remaining := map[edgeKey]int{}
	for k := range m.Nodes {
		for i, e := range of(&m.Nodes[k]) {
			if e.P == nil {
				w.fail("node %s: %s edge %d has no probability", m.Nodes[k].Name, on, i+1)
				return nil
			}
			if e.To < -1 || e.To >= len(m.Nodes) {
				w.fail("node %s: %s edge %d leads to node %d, which does not exist", m.Nodes[k].Name, on, i+1, e.To)
				return nil
			}
			if int(e.Cart) < 0 || int(e.Cart) >= len(cartEffects) {
				w.fail("node %s: %s edge %d has unknown cart effect %d", m.Nodes[k].Name, on, i+1, e.Cart)
				return nil
			}
			key := edgeKey{to: e.To, cart: e.Cart, p: e.P.Source}
			lists[k] = append(lists[k], key)
			remaining[key]++
		}
	}
	next := make([]int, len(m.Nodes))
	var out []*yaml.Node
	for {
		heads := map[edgeKey]int{}
		first := -1
		for k, l := range lists {
			if next[k] < len(l) {
				heads[l[next[k]]]++
				if first < 0 {
					first = k
				}
			}
		}
		if first < 0 {
			break
		}
		pick := lists[first][next[first]]
		for k, l := range lists {
			if next[k] < len(l) && heads[l[next[k]]] == remaining[l[next[k]]] {
				pick = l[next[k]]
				break
			}
		}
		var from []string
		for k, l := range lists {
			if next[k] < len(l) && l[next[k]] == pick {
				from = append(from, m.Nodes[k].Name)
				next[k]++
			}
		}
		remaining[pick] -= len(from)
		var fromNode, to *yaml.Node
		switch {
		case len(from) == len(m.Nodes):
			fromNode = strNode("*")
		case len(from) == 1:
			fromNode = strNode(from[0])
		default:
			fromNode = strSeq(from)
		}
		if pick.to >= 0 {
			to = strNode(m.Nodes[pick.to].Name)
		}
		out = append(out, mapping(true,
			"from", fromNode,
			"to", to,
			"on", strNode(on),
			"p", exprNode(&sim.Expr{Source: pick.p}),
			"cart", strNode(cartEffects[pick.cart])))
	}
	return out
}

func (w *effWriter) integration() *yaml.Node {
	out := mapping(false)
	for lvl, in := range w.m.Integration {
		name := sim.IntegrationLevels[lvl]
		out.Content = append(out.Content, strNode(name), mapping(true,
			"dropoff", w.num(in.DropOff, "integration."+name+".dropoff"),
			"effort", w.num(in.Effort, "integration."+name+".effort"),
			"keep_cart", boolNode(in.KeepCart)))
	}
	return out
}

func (w *effWriter) levers() *yaml.Node {
	out := mapping(false)
	for _, l := range w.m.Levers {
		var desc *yaml.Node
		if l.Description != "" {
			desc = strNode(l.Description)
		}
		var lo, hi *yaml.Node
		if !math.IsInf(l.Min, 0) && l.Min < l.Max {
			lo = w.num(l.Min, "lever "+l.Name+" min")
		}
		if !math.IsInf(l.Max, 0) && l.Min < l.Max {
			hi = w.num(l.Max, "lever "+l.Name+" max")
		}
		out.Content = append(out.Content, strNode(l.Name), mapping(true,
			"value", w.num(l.Default, "lever "+l.Name+" value"),
			"min", lo,
			"max", hi,
			"cost_per_tick", w.num(l.CostPerTick, "lever "+l.Name+" cost_per_tick"),
			"cost_per_customer", w.num(l.CostPerCustomer, "lever "+l.Name+" cost_per_customer"),
			"investments", w.investments(l.Investments, "lever "+l.Name),
			"description", desc))
	}
	return out
}

func (w *effWriter) strategies() *yaml.Node {
	m := w.m
	out := sequence(false)
	for _, s := range m.Strategies {
		where := "strategy " + s.Name
		if len(s.Channels) != len(m.Channels) {
			w.fail("%s: channel switches cover %d of %d channels", where, len(s.Channels), len(m.Channels))
			continue
		}
		if int(s.Integration) < 0 || int(s.Integration) >= len(sim.IntegrationLevels) {
			w.fail("%s: unknown integration level %d", where, s.Integration)
			continue
		}
		var on []string
		for ch, ok := range s.Channels {
			if ok {
				on = append(on, m.Channels[ch].Name)
			}
		}
		caps := sequence(true)
		for _, c := range s.Caps {
			// A cap on all channels together is written without channel.
			var ch *yaml.Node
			if c.Channel >= 0 {
				ch = strNode(w.channelName(c.Channel, where+" cap"))
			}
			caps.Content = append(caps.Content, mapping(true,
				"channel", ch,
				"max", intNode(c.Max),
				"window", intNode(c.Window)))
		}
		triggers := sequence(false)
		// The model holds triggers sorted by priority, stably; written in
		// that order, they load back in the same order.
		for _, t := range s.Triggers {
			tw := where + " trigger " + t.Name
			triggers.Content = append(triggers.Content, mapping(true,
				"name", strNode(t.Name),
				"when", exprNode(t.When),
				"channel", strNode(w.channelName(t.Channel, tw)),
				"priority", intNode(t.Priority),
				"cooldown", intNode(t.Cooldown),
				"delay", intNode(t.Delay),
				"discount", w.num(t.Discount, tw+" discount")))
		}
		if len(triggers.Content) == 0 {
			triggers.Style = yaml.FlowStyle
		}
		var levers *yaml.Node
		if len(m.Levers) > 0 {
			if len(s.Levers) != len(m.Levers) {
				w.fail("%s: %d lever values for %d levers", where, len(s.Levers), len(m.Levers))
				continue
			}
			levers = mapping(true)
			for k, v := range s.Levers {
				levers.Content = append(levers.Content, strNode(m.Levers[k].Name), w.num(v, where+" lever "+m.Levers[k].Name))
			}
		}
		out.Content = append(out.Content, mapping(false,
			"name", strNode(s.Name),
			"description", strNode(s.Description),
			"channels", strSeq(on),
			"integration", strNode(s.Integration.String()),
			"discount", w.num(s.Discount, where+" discount"),
			"caps", caps,
			"per_tick", intNode(s.PerTick),
			"suppress_above", w.num(s.SuppressAbove, where+" suppress_above"),
			"quiet", exprNode(s.Quiet),
			"holdout", w.num(s.Holdout, where+" holdout"),
			"levers", levers,
			"triggers", triggers,
			"investments", w.investments(s.Investments, where)))
	}
	return out
}

// investments writes a list of investments, or nil (no key) for none.
func (w *effWriter) investments(invs []sim.Investment, where string) *yaml.Node {
	if len(invs) == 0 {
		return nil
	}
	out := sequence(false)
	for _, inv := range invs {
		iw := where + " investment " + inv.Name
		out.Content = append(out.Content, mapping(true,
			"name", strNode(inv.Name),
			"amount", w.num(inv.Amount, iw+" amount"),
			"tick", intNode(inv.Tick),
			"life", intNode(inv.Life)))
	}
	return out
}

func (w *effWriter) checks() *yaml.Node {
	out := sequence(false)
	for _, c := range w.sc.Checks {
		check := exprNode(&sim.Expr{Source: c.Source})
		if len(c.Strategies) == 0 {
			out.Content = append(out.Content, check)
			continue
		}
		out.Content = append(out.Content, mapping(true,
			"check", check,
			"strategies", strSeq(c.Strategies)))
	}
	return out
}
