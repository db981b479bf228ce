package sim

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/expr-lang/expr"
)

// NameKind says what a built-in name stands for and how an expression
// reads it.
type NameKind int

// Kinds of built-in names.
const (
	// NameNumber is a number: loyalty.
	NameNumber NameKind = iota
	// NameBool is true or false: cart.
	NameBool
	// NameText is text that takes one of a fixed set of values, such as
	// the model's stages: stage == "consider".
	NameText
	// NameChannelNumber is a number per channel: fatigue.email.
	NameChannelNumber
	// NameChannelBool is true or false per channel: consent.email.
	NameChannelBool
	// NameLever is the strategy's value of each lever: lever.price_match.
	NameLever
	// NameEvent is what happened in the previous tick, one field per
	// kind of event: event.purchase.
	NameEvent
	// NameFunction is a function: contacts("email", 7).
	NameFunction
)

var nameKindNames = [...]string{"number", "boolean", "text", "number per channel",
	"boolean per channel", "number per lever", "event", "function"}

func (k NameKind) String() string {
	if k < 0 || int(k) >= len(nameKindNames) {
		return "unknown"
	}
	return nameKindNames[k]
}

// ExprName is a name an expression may use besides the model's attributes.
// No attribute may take one of these names.
type ExprName struct {
	Name string
	Kind NameKind
	// Noun says what the name stands for in a few plain words, as an
	// explanation of a formula writes it: "time since the last purchase".
	Noun string
	// Fields are the names that may follow the dot of a NameEvent
	// (event.visit). The names after fatigue., consent. and lever. are
	// the model's channels and levers instead.
	Fields []string
}

// exprName is an ExprName with what reads it. Which field is set depends on
// the kind; NameLever and NameEvent need none.
type exprName struct {
	ExprName
	// whole marks a NameNumber the type checker sees as a whole number,
	// to which % applies (tick % 7).
	whole         bool
	number        numFn                   // NameNumber
	flag          boolFn                  // NameBool
	text          func(*Model) strVal     // NameText
	channelNumber func(ch int) numFn      // NameChannelNumber
	channelFlag   func(bit uint32) boolFn // NameChannelBool
	// function returns a NameFunction that reads the customer's state,
	// bound to c, as the expr virtual machine calls it; with a nil c it
	// stands for its signature only.
	function func(c *Ctx) any
	// fn1 and fn3 are NameFunctions of numbers alone, of one and of three
	// arguments (see funcOptions). The functions expr-lang itself
	// provides (min, abs) have none of function, fn1 and fn3.
	fn1 func(float64) float64
	fn3 func(x, y, z float64) float64
}

// Event holds what happened to a customer in the previous tick; expressions
// read it as event.visit, event.purchase and so on.
type Event struct {
	Visit     bool `expr:"visit"`
	Purchase  bool `expr:"purchase"`
	Cart      bool `expr:"cart"`
	Response  bool `expr:"response"`
	Complaint bool `expr:"complaint"`
	Leak      bool `expr:"leak"`
}

// Event bits, in Event's field order.
const (
	evVisit uint8 = 1 << iota
	evPurchase
	evCart
	evResponse
	evComplaint
	evLeak
)

// eventFields names Event's fields as expressions read them, in bit order.
var eventFields = []string{"visit", "purchase", "cart", "response", "complaint", "leak"}

// eventOf returns the Event that bits stand for.
func eventOf(bits uint8) Event {
	return Event{Visit: bits&evVisit != 0, Purchase: bits&evPurchase != 0, Cart: bits&evCart != 0,
		Response: bits&evResponse != 0, Complaint: bits&evComplaint != 0, Leak: bits&evLeak != 0}
}

// nameTable is every built-in name: what an expression may read, its type
// to the type checker (see Model.env) and how the lowering and the expr
// virtual machine read it (see Model.bind).
var nameTable = []exprName{
	{ExprName: ExprName{Name: "loyalty", Kind: NameNumber, Noun: "loyalty"},
		number: func(c *Ctx) float64 { return c.s.loyalty[c.i] }},
	{ExprName: ExprName{Name: "tolerance", Kind: NameNumber, Noun: "tolerance"},
		number: func(c *Ctx) float64 { return c.s.tolerance[c.i] }},
	{ExprName: ExprName{Name: "revenue", Kind: NameNumber, Noun: "revenue so far"},
		number: func(c *Ctx) float64 { return c.s.revenue[c.i] }},
	{ExprName: ExprName{Name: "purchases", Kind: NameNumber, Noun: "purchases so far"}, whole: true,
		number: func(c *Ctx) float64 { return float64(c.s.purchases[c.i]) }},
	{ExprName: ExprName{Name: "tick", Kind: NameNumber, Noun: "time since the start"}, whole: true,
		number: func(c *Ctx) float64 { return float64(c.tick) }},
	{ExprName: ExprName{Name: "since_purchase", Kind: NameNumber, Noun: "time since the last purchase"},
		number: func(c *Ctx) float64 { return c.sincePurchase() }},
	{ExprName: ExprName{Name: "discount", Kind: NameNumber, Noun: "the discount on offer"},
		number: func(c *Ctx) float64 { return c.discount() }},
	{ExprName: ExprName{Name: "satisfaction", Kind: NameNumber, Noun: "the last satisfaction score (CSAT)"},
		number: func(c *Ctx) float64 { return float64(c.s.satisfaction[c.i]) }},
	{ExprName: ExprName{Name: "effort", Kind: NameNumber, Noun: "the last effort score (CES)"},
		number: func(c *Ctx) float64 { return float64(c.s.effort[c.i]) }},
	{ExprName: ExprName{Name: "adopters", Kind: NameNumber, Noun: "the share of customers who have bought"},
		number: func(c *Ctx) float64 { return c.adopters }},
	{ExprName: ExprName{Name: "review_rating", Kind: NameNumber, Noun: "the mean stars of the reviews"},
		number: func(c *Ctx) float64 { return c.reviewRating }},
	{ExprName: ExprName{Name: "reviews", Kind: NameNumber, Noun: "the number of reviews"},
		number: func(c *Ctx) float64 { return c.reviews }},

	{ExprName: ExprName{Name: "cart", Kind: NameBool, Noun: "an open cart"},
		flag: func(c *Ctx) bool { return c.s.flags[c.i]&flagCart != 0 }},

	{ExprName: ExprName{Name: "stage", Kind: NameText, Noun: "the customer's stage"},
		text: func(m *Model) strVal {
			return strVal{domain: m.Stages, index: func(c *Ctx) int { return m.Nodes[c.s.node[c.i]].Stage }}
		}},
	{ExprName: ExprName{Name: "node", Kind: NameText, Noun: "the customer's node"},
		text: func(m *Model) strVal {
			names := make([]string, len(m.Nodes))
			for i, n := range m.Nodes {
				names[i] = n.Name
			}
			return strVal{domain: names, index: func(c *Ctx) int { return int(c.s.node[c.i]) }}
		}},
	{ExprName: ExprName{Name: "channel", Kind: NameText, Noun: "the customer's channel"},
		text: func(m *Model) strVal {
			names := append([]string{""}, m.channelNames()...)
			return strVal{domain: names, index: func(c *Ctx) int { return m.Nodes[c.s.node[c.i]].Channel + 1 }}
		}},
	{ExprName: ExprName{Name: "persona", Kind: NameText, Noun: "the customer's persona"},
		text: func(m *Model) strVal {
			names := make([]string, len(m.Population.Personas))
			for i, p := range m.Population.Personas {
				names[i] = p.Name
			}
			return strVal{domain: names, index: func(c *Ctx) int { return int(c.s.persona[c.i]) }}
		}},

	{ExprName: ExprName{Name: "fatigue", Kind: NameChannelNumber, Noun: "fatigue"},
		channelNumber: func(ch int) numFn { return func(c *Ctx) float64 { return c.s.fatigue[ch][c.i] } }},
	{ExprName: ExprName{Name: "affinity", Kind: NameChannelNumber, Noun: "affinity"},
		channelNumber: func(ch int) numFn { return func(c *Ctx) float64 { return float64(c.s.affinity[ch][c.i]) } }},
	{ExprName: ExprName{Name: "consent", Kind: NameChannelBool, Noun: "consent"},
		channelFlag: func(bit uint32) boolFn { return func(c *Ctx) bool { return c.s.consent[c.i]&bit != 0 } }},
	{ExprName: ExprName{Name: "opted_out", Kind: NameChannelBool, Noun: "opt-out"},
		channelFlag: func(bit uint32) boolFn { return func(c *Ctx) bool { return c.s.optedOut[c.i]&bit != 0 } }},
	{ExprName: ExprName{Name: "lever", Kind: NameLever, Noun: "the strategy's lever"}},
	{ExprName: ExprName{Name: "event", Kind: NameEvent, Noun: "what happened in the previous tick", Fields: eventFields}},

	{ExprName: ExprName{Name: "contacts", Kind: NameFunction, Noun: "contacts on a channel"},
		function: func(c *Ctx) any {
			return func(name string, window int) int {
				ch := c.m.ChannelIndex(name)
				if ch < 0 {
					c.failf("contacts(%q, %d): unknown channel", name, window)
					return 0
				}
				return popcount(c.s.bits[ch][c.i] & windowMask(max(0, window)))
			}
		}},
	{ExprName: ExprName{Name: "contacts_all", Kind: NameFunction, Noun: "contacts on all channels together"},
		function: func(c *Ctx) any {
			return func(window int) int { return c.contactsAll(windowMask(max(0, window))) }
		}},
	{ExprName: ExprName{Name: "exp", Kind: NameFunction, Noun: "the exponential"}, fn1: math.Exp},
	{ExprName: ExprName{Name: "log", Kind: NameFunction, Noun: "the natural logarithm"}, fn1: math.Log},
	{ExprName: ExprName{Name: "sqrt", Kind: NameFunction, Noun: "the square root"}, fn1: math.Sqrt},
	{ExprName: ExprName{Name: "clamp", Kind: NameFunction, Noun: "a value kept within bounds"}, fn3: clamp},
	// expr-lang's own functions that the lowering runs natively.
	{ExprName: ExprName{Name: "min", Kind: NameFunction, Noun: "the smallest"}},
	{ExprName: ExprName{Name: "max", Kind: NameFunction, Noun: "the largest"}},
	{ExprName: ExprName{Name: "abs", Kind: NameFunction, Noun: "the absolute value"}},
	{ExprName: ExprName{Name: "floor", Kind: NameFunction, Noun: "rounded down"}},
	{ExprName: ExprName{Name: "ceil", Kind: NameFunction, Noun: "rounded up"}},
	{ExprName: ExprName{Name: "round", Kind: NameFunction, Noun: "rounded to the nearest whole number"}},
}

// clamp limits x to the range lo..hi.
func clamp(x, lo, hi float64) float64 { return math.Min(hi, math.Max(lo, x)) }

// funcOptions declare the functions of numbers alone (fn1, fn3) to
// expr-lang. The type checker checks their arguments against float64
// parameters, yet the virtual machine passes a whole-number argument
// (tick) as an int: each takes its arguments as any and makes them
// float64, so that exp(tick) runs on the VM as it does lowered.
var funcOptions = func() []expr.Option {
	var opts []expr.Option
	for _, n := range nameTable {
		switch {
		case n.fn1 != nil:
			f := n.fn1
			opts = append(opts, expr.Function(n.Name, func(args ...any) (any, error) {
				x, err := argFloat(args[0])
				return f(x), err
			}, new(func(float64) float64)))
		case n.fn3 != nil:
			f := n.fn3
			opts = append(opts, expr.Function(n.Name, func(args ...any) (any, error) {
				x, err1 := argFloat(args[0])
				y, err2 := argFloat(args[1])
				z, err3 := argFloat(args[2])
				return f(x, y, z), errors.Join(err1, err2, err3)
			}, new(func(float64, float64, float64) float64)))
		}
	}
	return opts
}()

// argFloat returns a function's argument as a float64.
func argFloat(v any) (float64, error) {
	switch x := v.(type) {
	case float64:
		return x, nil
	case int:
		return float64(x), nil
	}
	if f, ok := toFloat(v); ok {
		return f, nil
	}
	return 0, fmt.Errorf("argument %v is not a number", v)
}

// ExprNames lists the names an expression may use besides the model's
// attributes, variables first, then functions.
func ExprNames() []ExprName {
	out := make([]ExprName, len(nameTable))
	for i, n := range nameTable {
		out[i] = n.ExprName
		out[i].Fields = slices.Clone(n.Fields)
	}
	return out
}

// ReservedNames lists, sorted, the names an attribute may not take: every
// built-in variable and function.
func ReservedNames() []string {
	out := make([]string, len(nameTable))
	for i, n := range nameTable {
		out[i] = n.Name
	}
	slices.Sort(out)
	return out
}

// lookupName returns the built-in called name.
func lookupName(name string) (*exprName, bool) {
	for i := range nameTable {
		if nameTable[i].Name == name {
			return &nameTable[i], true
		}
	}
	return nil, false
}

// sample returns a value of the type the type checker gives n, or nil for
// a function declared by funcOptions or provided by expr-lang.
func (n *exprName) sample() any {
	switch n.Kind {
	case NameNumber:
		if n.whole {
			return 0
		}
		return 0.0
	case NameBool:
		return false
	case NameText:
		return ""
	case NameChannelNumber, NameLever:
		return map[string]float64{}
	case NameChannelBool:
		return map[string]bool{}
	case NameEvent:
		return Event{}
	case NameFunction:
		if n.function != nil {
			return n.function(nil)
		}
	}
	return nil
}

// env returns the typed environment expressions are checked against: the
// model's attributes (numbers, or text for categorical ones) and every
// built-in but the functions funcOptions declares and those expr-lang
// provides itself.
func (m *Model) env() map[string]any {
	env := map[string]any{}
	for _, a := range m.Population.Attributes {
		if len(a.Levels) > 0 {
			env[a.Name] = ""
		} else {
			env[a.Name] = 0.0
		}
	}
	for i := range nameTable {
		if v := nameTable[i].sample(); v != nil {
			env[nameTable[i].Name] = v
		}
	}
	return env
}

// binding is how an expression reads one variable of a model: exactly one
// of num, flag and text is set.
type binding struct {
	num numFn
	// whole reports whether num is a whole number to the type checker.
	whole bool
	flag  boolFn
	text  *strVal
}

// bind returns how an expression of m reads the variable name, or the
// member name.prop when prop is not empty (fatigue.email, event.visit,
// lever.price_match). It is the one place that binds a name to the state
// it reads, for the lowering and for the expr virtual machine alike. It
// reports false for a function, an unknown name or an unknown member.
func (m *Model) bind(name, prop string) (binding, bool) {
	if prop == "" {
		for k, a := range m.Population.Attributes {
			if a.Name != name {
				continue
			}
			if len(a.Levels) > 0 {
				return binding{text: &strVal{domain: a.Levels, index: func(c *Ctx) int { return int(c.s.attr[k][c.i]) }}}, true
			}
			return binding{num: func(c *Ctx) float64 { return c.s.attr[k][c.i] }}, true
		}
	}
	n, ok := lookupName(name)
	if !ok {
		return binding{}, false
	}
	switch k := n.Kind; {
	case prop == "" && k == NameNumber:
		return binding{num: n.number, whole: n.whole}, true
	case prop == "" && k == NameBool:
		return binding{flag: n.flag}, true
	case prop == "" && k == NameText:
		sv := n.text(m)
		return binding{text: &sv}, true
	case prop == "":
		return binding{}, false
	case k == NameChannelNumber || k == NameChannelBool:
		ch := m.ChannelIndex(prop)
		if ch < 0 {
			return binding{}, false
		}
		if k == NameChannelBool {
			return binding{flag: n.channelFlag(uint32(1) << ch)}, true
		}
		return binding{num: n.channelNumber(ch)}, true
	case k == NameLever:
		lv := m.LeverIndex(prop)
		if lv < 0 {
			return binding{}, false
		}
		return binding{num: func(c *Ctx) float64 { return c.lever(lv) }}, true
	case k == NameEvent:
		f := slices.Index(n.Fields, prop)
		if f < 0 {
			return binding{}, false
		}
		bit := uint8(1) << f
		return binding{flag: func(c *Ctx) bool { return c.s.events[c.i]&bit != 0 }}, true
	}
	return binding{}, false
}

// getter returns what reads b for the expr virtual machine: a float64 (an
// int for a whole number), a bool or a string.
func (b binding) getter() func(*Ctx) any {
	switch f := b.num; {
	case f != nil && b.whole:
		return func(c *Ctx) any { return int(f(c)) }
	case f != nil:
		return func(c *Ctx) any { return f(c) }
	}
	if f := b.flag; f != nil {
		return func(c *Ctx) any { return f(c) }
	}
	sv := b.text
	return func(c *Ctx) any { return sv.domain[sv.index(c)] }
}

func (m *Model) channelNames() []string {
	out := make([]string, len(m.Channels))
	for i, c := range m.Channels {
		out[i] = c.Name
	}
	return out
}
