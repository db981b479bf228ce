package scenarios

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/journeysim/journeysim/sim"
	"github.com/journeysim/journeysim/sim/text"
)

// Limits on what a scenario may ask for.
const (
	MaxPopulation   = 100_000_000
	MaxHorizon      = 100_000
	MaxReplications = 10_000
	MaxPerTick      = 16
)

// DefaultDiscountRate is the yearly rate NPV and CLV discount future money
// at when a scenario gives no run.discount_rate: 8%, a common cost of
// capital.
const DefaultDiscountRate = 0.08

// Defaults used where a scenario is silent; docs/scenarios.md lists them.
var (
	defaultBasket = sim.Dist{Kind: sim.LogNormal, Params: []float64{3.5, 0.6}, Min: math.NaN(), Max: math.NaN()}
)

// compiler turns a decoded scenario into a sim.Model, reporting every
// problem with its position.
type compiler struct {
	errs
	spec *scenarioSpec
	m    *sim.Model
	// sc receives what the scenario says besides the model: its lesson,
	// checks and currency.
	sc *Scenario
	// lines is the file's text, to map positions inside expressions.
	lines []string
	// exprs holds every expression compiled, by where it stands, so that a
	// trigger inherited through extends is compiled (and reported) once.
	exprs map[exprKey]exprResult
	// outbound[c] says whether channel c carries messages.
	outbound []bool
	// plugins serves plugin behaviours; nil when none are available.
	plugins Plugins
	// describe accepts plugin behaviours unchecked when plugins is nil
	// (Options.Describe).
	describe bool
	// allowOutside lets {file:} parameters name files outside the
	// scenario's folder (Options.AllowFileOutside).
	allowOutside bool
}

func (c *compiler) compile() *sim.Model {
	s := c.spec
	m := &sim.Model{}
	c.m = m
	m.Name = s.Name.Or("")
	if !s.Name.Set || strings.TrimSpace(s.Name.V) == "" {
		c.at(s.Pos, "missing name: give the scenario a name")
	}
	m.Description = s.Description.Or("")
	if l := s.Lesson; l != nil {
		c.sc.Lesson = &Lesson{Title: l.Title.V, Question: l.Question.V, Vary: l.Vary.V, Expect: l.Expect.V}
		for _, f := range []struct {
			field Field[string]
			key   string
		}{{l.Title, "title"}, {l.Question, "question"}, {l.Vary, "vary"}, {l.Expect, "expect"}} {
			if strings.TrimSpace(f.field.V) == "" {
				c.at(l.Pos, "lesson: missing %s; a lesson has a title, the question to ask, what to vary and the outcome to expect", f.key)
			}
		}
	}
	c.run(&s.Run)
	c.levers()
	c.channels()
	c.population()
	c.nodes()
	if len(m.Channels) == 0 || len(m.Population.Personas) == 0 || len(m.Nodes) == 0 {
		// Expressions are checked against channels, personas and nodes;
		// without them every expression would only add noise.
		return nil
	}
	c.channelExprs()
	c.edges()
	c.fatigue()
	c.loyalty()
	c.survey()
	c.reviews()
	c.integration()
	c.strategies()
	c.checks()
	c.key()
	c.controls()
	if len(c.list) > 0 {
		return nil
	}
	if err := m.Validate(); err != nil {
		c.at(s.Pos, "%v", err)
		return nil
	}
	return m
}

func (c *compiler) intIn(f Field[int], def, lo, hi int, what string) int {
	if !f.Set {
		return def
	}
	if f.V < lo || f.V > hi {
		c.outOfRange(f.Pos, float64(lo), float64(hi), "%s %d is out of range; allowed: %d to %d", what, f.V, lo, hi)
		return def
	}
	return f.V
}

func (c *compiler) floatIn(f Field[float64], def, lo, hi float64, what string) float64 {
	if !f.Set {
		return def
	}
	if !(f.V >= lo && f.V <= hi) || math.IsInf(f.V, 0) {
		switch {
		case math.IsInf(lo, -1) && math.IsInf(hi, 1):
			c.at(f.Pos, "%s %g is out of range; allowed: a finite number", what, f.V)
		case math.IsInf(lo, -1):
			c.outOfRange(f.Pos, lo, hi, "%s %g is out of range; allowed: %g or less", what, f.V, hi)
		case math.IsInf(hi, 1):
			c.outOfRange(f.Pos, lo, hi, "%s %g is out of range; allowed: %g or more", what, f.V, lo)
		default:
			c.outOfRange(f.Pos, lo, hi, "%s %g is out of range; allowed: %g to %g", what, f.V, lo, hi)
		}
		return def
	}
	return f.V
}

func (c *compiler) oneOf(f Field[string], def string, allowed []string, what string) int {
	v := f.Or(def)
	i := slices.Index(allowed, v)
	if i < 0 {
		c.at(f.Pos, "unknown %s %q; allowed: %s", what, v, strings.Join(allowed, ", "))
		return max(0, slices.Index(allowed, def))
	}
	return i
}

func (c *compiler) run(r *runSpec) {
	m := c.m
	m.Horizon = c.intIn(r.Horizon, 90, 1, MaxHorizon, "horizon")
	m.TickLabel = r.Tick.Or("day")
	m.Seed = r.Seed.Or(1)
	m.Replications = c.intIn(r.Replications, 1, 1, MaxReplications, "replications")
	perYear, known := ticksPerYear[m.TickLabel]
	if !known && !r.TicksPerYear.Set {
		perYear = 365
		if r.Tick.Set {
			c.at(r.Tick.Pos, "tick %q: give run.ticks_per_year, or use one of: hour, day, week, month, quarter, year", m.TickLabel)
		}
	}
	m.TicksPerYear = c.floatIn(r.TicksPerYear, perYear, 1e-6, 1e6, "ticks_per_year")
	m.DiscountRate = c.floatIn(r.DiscountRate, DefaultDiscountRate, 0, 10, "discount_rate")
	c.sc.Currency = r.Currency.Or("EUR")
	if !currencyName.MatchString(c.sc.Currency) {
		c.at(r.Currency.Pos, "currency %q: give a short code of letters, such as EUR or USD", c.sc.Currency)
	}
}

// ticksPerYear holds the tick labels whose length is known.
var ticksPerYear = map[string]float64{"hour": 8760, "day": 365, "week": 52, "month": 12, "quarter": 4, "year": 1}

var currencyName = regexp.MustCompile(`^[A-Za-z]{1,8}$`)

// checks records the scenario's outcome checks; the results package
// compiles them against the outcome names.
func (c *compiler) checks() {
	for _, cs := range c.spec.Checks {
		if !cs.Check.Set {
			continue
		}
		src, file, lines := cs.Check, c.file, c.lines
		chk := Check{Source: cs.Check.V, Where: fmt.Sprintf("%s:%d:%d", c.file, cs.Check.Pos.Line, cs.Check.Pos.Column),
			At: func(line, column int) string {
				p := src.posIn(lines, line, column)
				return fmt.Sprintf("%s:%d:%d", file, p.Line, p.Column)
			}}
		for _, name := range cs.Strategies.Items {
			if c.m.StrategyIndex(name.V) < 0 {
				c.at(name.Pos, "check names unknown strategy %q%s", name.V, text.DidYouMean(name.V, strategyNames(c.m)))
				continue
			}
			chk.Strategies = append(chk.Strategies, name.V)
		}
		c.sc.Checks = append(c.sc.Checks, chk)
	}
}

// key records the scenario's key outcomes; the results package checks
// the names against the outcomes a run measures.
func (c *compiler) key() {
	k := c.spec.Key
	if !k.Set {
		return
	}
	if len(k.Items) == 0 || len(k.Items) > MaxKeyOutcomes {
		c.at(k.Pos, "key: %d outcomes; allowed 1 to %d, the outcomes that answer the scenario's question, such as key: [profit, churn_rate]", len(k.Items), MaxKeyOutcomes)
		return
	}
	seen := map[string]bool{}
	for _, f := range k.Items {
		name := strings.TrimSpace(f.V)
		switch {
		case name == "":
			c.at(f.Pos, "key: an empty name; name an outcome, such as profit")
		case seen[name]:
			c.at(f.Pos, "key: %s is listed twice", name)
		default:
			seen[name] = true
			c.sc.Key = append(c.sc.Key, KeyOutcome{Name: name, Where: fmt.Sprintf("%s:%d:%d", c.file, f.Pos.Line, f.Pos.Column)})
		}
	}
}

func strategyNames(m *sim.Model) []string {
	var names []string
	for _, s := range m.Strategies {
		names = append(names, s.Name)
	}
	return names
}

// MaxNameLength is the longest name, in characters, of a channel, node,
// persona, attribute, strategy or lever.
const MaxNameLength = 64

// checkName refuses a name that is empty, too long, or holds anything but
// letters, digits, - and _: names reach tables, file columns, shell
// commands and web pages, where spaces, quotes, markup or direction marks
// would do harm.
func (c *compiler) checkName(name string, at Pos, what string) {
	if n := utf8.RuneCountInString(name); n > MaxNameLength {
		short := string([]rune(name)[:20])
		c.at(at, "%s name %q… is %d characters long; at most %d are allowed", what, short, n, MaxNameLength)
		return
	}
	ok := name != ""
	for _, r := range name {
		ok = ok && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_')
	}
	if !ok {
		c.at(at, "%s name %q: use letters, digits, - and _ only", what, name)
	}
}

func (c *compiler) dist(d *distSpec, def sim.Dist, what string, lo, hi float64) sim.Dist {
	if d == nil {
		return def
	}
	if err := d.Dist.Validate(); err != nil {
		c.at(d.paramPos, "%s: %v", what, err)
		return def
	}
	if d.Dist.Kind == sim.Categorical {
		c.at(d.Pos, "%s must be numeric, not categorical", what)
		return def
	}
	if d.Dist.Kind == sim.Constant && !(d.Dist.Params[0] >= lo && d.Dist.Params[0] <= hi) {
		c.at(d.paramPos, "%s %g is out of range; allowed: %g to %g", what, d.Dist.Params[0], lo, hi)
		return def
	}
	// A distribution none of whose values is allowed is refused as its
	// constant would be; one that strays out of range only sometimes is
	// kept as the file gives it.
	if from, to := d.Dist.Range(); to < lo || from > hi || (from == to && !(from >= lo && from <= hi)) {
		c.at(d.paramPos, "%s: a %s distribution that takes values from %g to %g, none of them allowed; allowed: %g to %g", what, d.Dist.Kind, from, to, lo, hi)
		return def
	}
	return d.Dist
}

func (c *compiler) population() {
	s, m := c.spec, c.m
	p := &s.Population
	m.Population.Size = c.intIn(p.Size, 10_000, 1, MaxPopulation, "population size")
	if len(p.Personas) == 0 {
		c.at(p.Pos, "no personas: give at least one under population.personas")
		return
	}
	if len(p.Personas) > 255 {
		c.at(p.Pos, "%d personas; at most 255 are allowed", len(p.Personas))
		return
	}
	// The first persona fixes the attributes every persona must define.
	first := &p.Personas[0]
	for _, e := range first.Attributes.Entries {
		c.checkName(e.Key, e.Pos, "attribute")
		for _, n := range sim.ExprNames() {
			if n.Name == e.Key {
				what := "variable"
				if n.Kind == sim.NameFunction {
					what = "function"
				}
				c.at(e.Pos, "attribute name %q is taken by a built-in %s; reserved: %s", e.Key, what, strings.Join(sim.ReservedNames(), ", "))
			}
		}
		a := sim.Attribute{Name: e.Key}
		if e.Value.Dist.Kind == sim.Categorical {
			a.Levels = e.Value.Dist.Levels
		}
		m.Population.Attributes = append(m.Population.Attributes, a)
	}
	sum := 0.0
	names := map[string]bool{}
	for pi := range p.Personas {
		ps := &p.Personas[pi]
		per := sim.Persona{Name: ps.Name.V}
		if !ps.Name.Set || ps.Name.V == "" {
			c.at(ps.Pos, "missing persona name")
		} else if names[ps.Name.V] {
			c.at(ps.Name.Pos, "persona %q is defined twice", ps.Name.V)
		} else {
			c.checkName(ps.Name.V, ps.Name.Pos, "persona")
		}
		names[ps.Name.V] = true
		if !ps.Share.Set {
			c.at(ps.Pos, "persona %s: missing share (its part of the population, 0 to 1)", ps.Name.V)
		}
		per.Share = c.floatIn(ps.Share, 0, 0, 1, "share")
		sum += per.Share
		for _, a := range m.Population.Attributes {
			k := slices.IndexFunc(ps.Attributes.Entries, func(e Entry[distSpec]) bool { return e.Key == a.Name })
			if k < 0 {
				c.at(ps.Attributes.Pos, "persona %s does not define attribute %s, which persona %s does; every persona must define the same attributes", ps.Name.V, a.Name, first.Name.V)
				per.Attributes = append(per.Attributes, sim.ConstantDist(0))
				continue
			}
			ds := ps.Attributes.Entries[k].Value
			d := ds.Dist
			if err := d.Validate(); err != nil {
				c.at(ds.paramPos, "attribute %s: %v", a.Name, err)
			} else if (d.Kind == sim.Categorical) != (len(a.Levels) > 0) || (len(a.Levels) > 0 && !slices.Equal(d.Levels, a.Levels)) {
				c.at(ds.Pos, "attribute %s must have the same kind and levels in every persona", a.Name)
			}
			per.Attributes = append(per.Attributes, d)
		}
		for _, e := range ps.Attributes.Entries {
			if !slices.ContainsFunc(m.Population.Attributes, func(a sim.Attribute) bool { return a.Name == e.Key }) {
				c.at(e.Pos, "persona %s defines attribute %s, which persona %s does not; every persona must define the same attributes", ps.Name.V, e.Key, first.Name.V)
			}
		}
		per.Affinity = make([]sim.Dist, len(m.Channels))
		per.Consent = make([]float64, len(m.Channels))
		for ch := range m.Channels {
			per.Affinity[ch] = sim.ConstantDist(0.5)
			per.Consent[ch] = 1
		}
		for _, e := range ps.Affinity.Entries {
			ch := c.channelRef(e.Key, e.Pos)
			if ch >= 0 {
				per.Affinity[ch] = c.dist(&e.Value, sim.ConstantDist(0.5), "affinity."+e.Key, 0, 1)
			}
		}
		for _, e := range ps.Consent.Entries {
			ch := c.channelRef(e.Key, e.Pos)
			if ch >= 0 {
				per.Consent[ch] = c.floatIn(e.Value, 1, 0, 1, "consent."+e.Key)
			}
		}
		per.Tolerance = c.dist(ps.Tolerance, sim.ConstantDist(3), "tolerance", 1e-9, math.Inf(1))
		per.Loyalty = c.dist(ps.Loyalty, sim.ConstantDist(0.3), "loyalty", 0, 1)
		m.Population.Personas = append(m.Population.Personas, per)
	}
	if math.Abs(sum-1) > 1e-6 {
		at := p.Personas[0].Pos
		if p.Personas[0].Share.Set {
			at = p.Personas[0].Share.Pos
		}
		c.at(at, "persona shares add up to %.10g; they must add up to 1", sum)
	}
}

func (c *compiler) channelRef(name string, at Pos) int {
	ch := c.m.ChannelIndex(name)
	if ch < 0 {
		c.at(at, "unknown channel %q; channels: %s%s", name, strings.Join(c.spec.Channels.Names(), ", "), text.DidYouMean(name, c.spec.Channels.Names()))
	}
	return ch
}

func (c *compiler) nodeRef(name string, at Pos) int {
	i := slices.Index(c.spec.Journey.Nodes.Names(), name)
	if i < 0 {
		c.at(at, "unknown node %q; nodes: %s%s", name, strings.Join(c.spec.Journey.Nodes.Names(), ", "), text.DidYouMean(name, c.spec.Journey.Nodes.Names()))
	}
	return i
}

func (c *compiler) nodes() {
	j, m := &c.spec.Journey, c.m
	m.Basket = defaultBasket
	if len(j.Nodes.Entries) == 0 {
		c.at(j.Pos, "no journey nodes: give at least one under journey.nodes")
		return
	}
	if len(j.Nodes.Entries) > math.MaxInt16 {
		c.at(j.Nodes.Pos, "%d nodes; at most %d are allowed", len(j.Nodes.Entries), math.MaxInt16)
		return
	}
	m.Margin = c.floatIn(j.Margin, 0.3, 0, 1, "margin")
	m.Basket = c.dist(j.Basket, defaultBasket, "basket", 0, math.Inf(1))
	for _, e := range j.Nodes.Entries {
		ns := e.Value
		c.checkName(e.Key, e.Pos, "node")
		n := sim.Node{Name: e.Key, Channel: -1, Purchase: ns.Purchase.Or(false), Competitor: ns.Competitor.Or(false)}
		if n.Competitor && !n.Purchase {
			c.at(ns.Competitor.Pos, "node %s is a competitor but not a purchase node; add purchase: true", e.Key)
		}
		stage := ns.Stage.Or(e.Key)
		n.Stage = slices.Index(m.Stages, stage)
		if n.Stage < 0 {
			n.Stage = len(m.Stages)
			m.Stages = append(m.Stages, stage)
		}
		if ns.Channel.Set {
			n.Channel = c.channelRef(ns.Channel.V, ns.Channel.Pos)
		}
		n.Basket = c.dist(ns.Basket, m.Basket, "basket", 0, math.Inf(1))
		for _, tag := range ns.Tags.Items {
			n.Tags = append(n.Tags, tag.V)
		}
		if ns.Basket != nil && !n.Purchase {
			c.at(ns.Basket.Pos, "node %s has a basket but is not a purchase node; add purchase: true", e.Key)
		}
		m.Nodes = append(m.Nodes, n)
	}
	m.Start = 0
	if j.Start.Set {
		m.Start = max(0, c.nodeRef(j.Start.V, j.Start.Pos))
	}
}

type exprKey struct {
	pos  Pos
	kind sim.ExprKind
}

type exprResult struct{ e *sim.Expr }

// expr compiles an expression, mapping error positions into the file.
func (c *compiler) expr(t Text, name string, kind sim.ExprKind) *sim.Expr {
	if !t.Set {
		return nil
	}
	if strings.TrimSpace(t.V) == "" {
		c.at(t.Pos, "%s: the expression is empty", name)
		return nil
	}
	key := exprKey{t.Pos, kind}
	if r, ok := c.exprs[key]; ok {
		return r.e
	}
	e, err := c.m.Compile(fmt.Sprintf("%s at %s:%d:%d", name, c.file, t.Pos.Line, t.Pos.Column), t.V, kind)
	c.exprs[key] = exprResult{e}
	if err != nil {
		var ee *sim.ExprError
		if errors.As(err, &ee) {
			hint := ""
			if unknown, ok := strings.CutPrefix(ee.Message, "unknown name "); ok {
				hint = text.DidYouMean(unknown, exprNames(c.m))
			}
			var lever string
			if _, err := fmt.Sscanf(ee.Message, "unknown lever %q", &lever); err == nil {
				hint = text.DidYouMean(lever, c.m.LeverNames())
			}
			c.at(t.posIn(c.lines, ee.Line, ee.Column), "%s: %s%s%s", name, ee.Message, hint, snippet(t.V, ee.Line, ee.Column))
		} else {
			c.at(t.Pos, "%s: %v", name, err)
		}
		return nil
	}
	return e
}

// snippet shows line of an expression with a caret under column.
func snippet(source string, line, column int) string {
	lines := strings.Split(source, "\n")
	if line < 1 || line > len(lines) {
		return ""
	}
	text := []rune(strings.ReplaceAll(lines[line-1], "\t", " "))
	column = max(1, min(column, len(text)+1))
	return "\n    | " + string(text) + "\n    | " + strings.Repeat(" ", column-1) + "^"
}

// probability compiles a number expression and checks a constant one is a
// probability.
func (c *compiler) probability(t Text, name string) *sim.Expr {
	e := c.expr(t, name, sim.Number)
	if v, ok := e.Const(); ok && !(v >= 0 && v <= 1) {
		c.outOfRange(t.Pos, 0, 1, "%s: probability %g is out of range; allowed: 0 to 1", name, v)
	}
	return e
}

func (c *compiler) channelExprs() {
	for k, e := range c.spec.Channels.Entries {
		c.m.Channels[k].OptOut = c.probability(e.Value.OptOut, "channels."+e.Key+".optout")
	}
	for k, e := range c.spec.Journey.Nodes.Entries {
		n := &c.m.Nodes[k]
		n.Satisfaction = c.expr(e.Value.Satisfaction, "nodes."+e.Key+".satisfaction", sim.Number)
		n.Effort = c.expr(e.Value.Effort, "nodes."+e.Key+".effort", sim.Number)
		n.Cost = c.expr(e.Value.Cost, "nodes."+e.Key+".cost", sim.Number)
		n.Review = c.probability(e.Value.Review, "nodes."+e.Key+".review")
		if n.Review != nil && n.Satisfaction == nil {
			c.at(e.Value.Review.Pos, "nodes.%s.review: a review posts a visit's satisfaction (CSAT) as stars, and %s has no satisfaction; give it one", e.Key, e.Key)
		}
		if v, ok := n.Cost.Const(); ok && !(v >= 0) {
			c.outOfRange(e.Value.Cost.Pos, 0, math.Inf(1), "nodes.%s.cost: %g is out of range; allowed: 0 or more", e.Key, v)
		}
		if n.Cost != nil && n.Channel < 0 {
			c.at(e.Value.Cost.Pos, "nodes.%s.cost: a visit's cost is counted on the node's channel, and %s has none; give it a channel", e.Key, e.Key)
		}
	}
}

func (c *compiler) edges() {
	m := c.m
	names := c.spec.Journey.Nodes.Names()
	// written[node][0 tick, 1 response] are the edges' places in the
	// file, in the node's order of edges.
	written := make([][2][]writtenEdge, len(names))
	defer func() { c.checkEdgeSums(names, written) }()
	for k, es := range c.spec.Journey.Edges {
		where := fmt.Sprintf("journey.edges[%d]", k)
		if !es.From.Set || len(es.From.Items) == 0 {
			c.at(es.Pos, "%s: missing from (a node, a list of nodes, or \"*\" for every node)", where)
		}
		to := -1 // an edge without to keeps the customer where they are
		if es.To.Set {
			if to = c.nodeRef(es.To.V, es.To.Pos); to < 0 {
				continue
			}
		}
		on := c.oneOf(es.On, "tick", []string{"tick", "response"}, "edge event")
		cart := sim.CartEffect(c.oneOf(es.Cart, "keep", []string{"keep", "open", "clear"}, "cart effect"))
		if !es.P.Set {
			c.at(es.Pos, "%s: missing p (the probability of taking the edge)", where)
			continue
		}
		p := c.probability(es.P, where+".p")
		if p == nil {
			continue
		}
		var from []int
		for _, f := range es.From.Items {
			if f.V == "*" {
				for i := range names {
					from = append(from, i)
				}
				continue
			}
			if i := c.nodeRef(f.V, f.Pos); i >= 0 {
				from = append(from, i)
			}
		}
		for _, f := range from {
			edge := sim.Edge{To: to, P: p, Cart: cart}
			written[f][on] = append(written[f][on], writtenEdge{where: where, pos: es.P.Pos})
			if on == 1 {
				m.Nodes[f].ResponseEdges = append(m.Nodes[f].ResponseEdges, edge)
			} else {
				m.Nodes[f].Edges = append(m.Nodes[f].Edges, edge)
			}
		}
	}
}

// writtenEdge is where an edge is written: its place in journey.edges and
// the position of its probability.
type writtenEdge struct {
	where string
	pos   Pos
}

// ordinal writes 1 as "1st", 2 as "2nd" and so on.
func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return fmt.Sprintf("%d%s", n, suffix)
}

// checkEdgeSums reports an edge that can never be taken: the constant
// probabilities of the edges before it, from the same node and on the same
// event, already add up to 1. A computed probability before it only adds
// to that (it is never below 0). (Edges are tried in order, and the last
// may take the rest: "p: 1" after others means "otherwise".)
func (c *compiler) checkEdgeSums(names []string, written [][2][]writtenEdge) {
	for k, n := range c.m.Nodes {
		for on, set := range []struct {
			edges []sim.Edge
			what  string
		}{{n.Edges, "tick"}, {n.ResponseEdges, "response"}} {
			sum, computed := 0.0, false
			for i, e := range set.edges {
				if sum >= 1 {
					before := "the probabilities of the edges before it already add up to"
					if computed {
						before = "the fixed probabilities of the edges before it already add up to"
					}
					w := written[k][on][i]
					c.at(w.pos, "%s: from node %s, this %s edge (its %s) can never be taken: %s %.10g; drop it, or lower a probability before it",
						w.where, names[k], set.what, ordinal(i+1), before, sum)
					break
				}
				if v, ok := e.P.Const(); ok {
					sum += v
				} else {
					computed = true
				}
			}
		}
	}
}

func (c *compiler) fatigue() {
	f := &c.spec.Fatigue
	c.m.Fatigue = sim.Fatigue{
		HalfLife:   c.floatIn(f.HalfLife, 3, 0, math.Inf(1), "half_life"),
		PerContact: c.floatIn(f.PerContact, 1, 0, math.Inf(1), "per_contact"),
		Spill:      c.floatIn(f.Spill, 0, 0, 1, "spill"),
		OptOut:     c.floatIn(f.OptOut, 0.01, 0, 1, "fatigue.optout"),
	}
}

func (c *compiler) loyalty() {
	l := &c.spec.Loyalty
	c.m.Loyalty = sim.Loyalty{
		ResponseGain:     c.floatIn(l.ResponseGain, 0.02, 0, 1, "response_gain"),
		PurchaseGain:     c.floatIn(l.PurchaseGain, 0.05, 0, 1, "purchase_gain"),
		IgnoredLoss:      c.floatIn(l.IgnoredLoss, 0.01, 0, 1, "ignored_loss"),
		ExperienceWeight: c.floatIn(l.ExperienceWeight, 0, 0, 1, "experience_weight"),
		RecoveryWeight:   c.floatIn(l.RecoveryWeight, 1, 0, sim.MaxRecoveryWeight, "recovery_weight"),
		RecoveryWindow:   c.intIn(l.RecoveryWindow, 7, 0, MaxHorizon, "recovery_window"),
		Churn:            c.probability(l.Churn, "loyalty.churn"),
		Referral:         c.probability(l.Referral, "loyalty.referral"),
		ReferralValue:    c.floatIn(l.ReferralValue, c.m.Basket.Mean(), 0, math.Inf(1), "referral_value"),
	}
}

func (c *compiler) survey() {
	v := &c.spec.Survey
	c.m.Survey = sim.Survey{
		Sample:   c.floatIn(v.Sample, 0, 0, 1, "survey.sample"),
		Response: c.probability(v.Response, "survey.response"),
		Recency:  c.floatIn(v.Recency, 0.3, 0, 1, "survey.recency"),
	}
}

func (c *compiler) reviews() {
	r := &c.spec.Reviews
	c.m.Reviews = sim.Reviews{
		Rating: c.floatIn(r.Rating, 0, 0, 5, "reviews.rating"),
		Count:  c.floatIn(r.Count, 0, 0, math.Inf(1), "reviews.count"),
	}
	if v := c.m.Reviews; v.Rating < 1 && (v.Rating != 0 || v.Count > 0) && !(r.Rating.Set && (r.Rating.V > 5 || r.Rating.V < 0)) {
		at := r.Rating.Pos
		if !r.Rating.Set {
			at = r.Count.Pos
		}
		c.at(at, "reviews.rating %g: the mean stars of %g earlier reviews must be 1 to 5", v.Rating, v.Count)
	}
}

func (c *compiler) integration() {
	c.m.Integration = sim.DefaultIntegration
	for _, e := range c.spec.Integration.Entries {
		lvl := slices.Index(sim.IntegrationLevels, e.Key)
		if lvl < 0 {
			c.at(e.Pos, "unknown integration level %q; allowed: %s", e.Key, strings.Join(sim.IntegrationLevels, ", "))
			continue
		}
		in := &c.m.Integration[lvl]
		in.DropOff = c.floatIn(e.Value.DropOff, in.DropOff, 0, 1, "dropoff")
		in.Effort = c.floatIn(e.Value.Effort, in.Effort, 0, 6, "effort")
		in.KeepCart = e.Value.KeepCart.Or(in.KeepCart)
	}
}
