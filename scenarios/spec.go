package scenarios

import (
	"math"
	"reflect"
	"strings"

	"github.com/journeysim/journeysim/sim"
	"gopkg.in/yaml.v3"
)

// The spec types mirror the scenario file format key by key; docs/scenarios.md
// describes every key.

type scenarioSpec struct {
	Name        Field[string]            `yaml:"name"`
	Description Field[string]            `yaml:"description"`
	Lesson      *lessonSpec              `yaml:"lesson"`
	Run         runSpec                  `yaml:"run"`
	Population  populationSpec           `yaml:"population"`
	Channels    Ordered[channelSpec]     `yaml:"channels"`
	Journey     journeySpec              `yaml:"journey"`
	Fatigue     fatigueSpec              `yaml:"fatigue"`
	Loyalty     loyaltySpec              `yaml:"loyalty"`
	Survey      surveySpec               `yaml:"survey"`
	Reviews     reviewsSpec              `yaml:"reviews"`
	Integration Ordered[integrationSpec] `yaml:"integration"`
	Levers      Ordered[leverSpec]       `yaml:"levers"`
	Strategies  []strategySpec           `yaml:"strategies"`
	Checks      []checkSpec              `yaml:"checks"`
	Key         Strings                  `yaml:"key"`
	Pos         Pos                      `yaml:"-"`
}

type lessonSpec struct {
	Title    Field[string] `yaml:"title"`
	Question Field[string] `yaml:"question"`
	Vary     Field[string] `yaml:"vary"`
	Expect   Field[string] `yaml:"expect"`
	Controls []controlSpec `yaml:"controls"`
	Pos      Pos           `yaml:"-"`
}

type controlSpec struct {
	Lever  Field[string]  `yaml:"lever"`
	Path   Field[string]  `yaml:"path"`
	Label  Field[string]  `yaml:"label"`
	Min    Field[float64] `yaml:"min"`
	Max    Field[float64] `yaml:"max"`
	Step   Field[float64] `yaml:"step"`
	Switch Field[bool]    `yaml:"switch"`
	Pos    Pos            `yaml:"-"`
}

type runSpec struct {
	Horizon      Field[int]     `yaml:"horizon"`
	Tick         Field[string]  `yaml:"tick"`
	Seed         Field[uint64]  `yaml:"seed"`
	Replications Field[int]     `yaml:"replications"`
	TicksPerYear Field[float64] `yaml:"ticks_per_year"`
	DiscountRate Field[float64] `yaml:"discount_rate"`
	Currency     Field[string]  `yaml:"currency"`
	Pos          Pos            `yaml:"-"`
}

type populationSpec struct {
	Size     Field[int]    `yaml:"size"`
	Personas []personaSpec `yaml:"personas"`
	Pos      Pos           `yaml:"-"`
}

type personaSpec struct {
	Name       Field[string]           `yaml:"name"`
	Share      Field[float64]          `yaml:"share"`
	Attributes Ordered[distSpec]       `yaml:"attributes"`
	Affinity   Ordered[distSpec]       `yaml:"affinity"`
	Consent    Ordered[Field[float64]] `yaml:"consent"`
	Tolerance  *distSpec               `yaml:"tolerance"`
	Loyalty    *distSpec               `yaml:"loyalty"`
	Pos        Pos                     `yaml:"-"`
}

type channelSpec struct {
	Kind            Field[string]  `yaml:"kind"`
	Direction       Field[string]  `yaml:"direction"`
	CostPerContact  Field[float64] `yaml:"cost_per_contact"`
	CostPerMinute   Field[float64] `yaml:"cost_per_minute"`
	FixedCost       Field[float64] `yaml:"fixed_cost"`
	CostPerCustomer Field[float64] `yaml:"cost_per_customer"`
	Commission      Field[float64] `yaml:"commission"`
	Behaviour       *behaviourSpec `yaml:"behaviour"`
	OptOut          Text           `yaml:"optout"`
	// ServiceLevelSeconds is the service level's threshold: the share of
	// contacts answered within it is the channel's service level.
	ServiceLevelSeconds Field[float64] `yaml:"service_level_seconds"`
	// Noun is what the channel's contacts are called in tables and
	// charts, singular ("call").
	Noun        Field[string] `yaml:"noun"`
	Description Field[string] `yaml:"description"`
	Pos         Pos           `yaml:"-"`
}

type behaviourSpec struct {
	Name   Field[string]       `yaml:"name"`
	Plugin Field[string]       `yaml:"plugin"`
	Params Ordered[paramValue] `yaml:"params"`
	Pos    Pos                 `yaml:"-"`
}

// paramValue is a behaviour parameter's value: a number, text (a table,
// say), or {file: PATH}, a file read as text, relative to the scenario.
type paramValue struct {
	Number Field[float64]
	Text   Field[string]
	File   Field[string]
	Pos    Pos
}

func (p *paramValue) decodeYAML(d *decoder, n *yaml.Node) {
	p.Pos = posOf(n)
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	switch {
	case n.Kind == yaml.MappingNode:
		var ref struct {
			File Field[string] `yaml:"file"`
		}
		d.decode(n, reflect.ValueOf(&ref).Elem())
		if !ref.File.Set {
			d.errs.at(posOf(n), "a parameter given as a mapping must be {file: PATH}")
		}
		p.File = ref.File
	case n.Kind == yaml.ScalarNode && n.Tag == "!!str":
		p.Text.decodeYAML(d, n)
	default:
		p.Number.decodeYAML(d, n)
	}
}

type journeySpec struct {
	Start  Field[string]     `yaml:"start"`
	Basket *distSpec         `yaml:"basket"`
	Margin Field[float64]    `yaml:"margin"`
	Nodes  Ordered[nodeSpec] `yaml:"nodes"`
	Edges  []edgeSpec        `yaml:"edges"`
	Pos    Pos               `yaml:"-"`
}

type nodeSpec struct {
	Stage        Field[string] `yaml:"stage"`
	Channel      Field[string] `yaml:"channel"`
	Purchase     Field[bool]   `yaml:"purchase"`
	Competitor   Field[bool]   `yaml:"competitor"`
	Basket       *distSpec     `yaml:"basket"`
	Satisfaction Text          `yaml:"satisfaction"`
	Effort       Text          `yaml:"effort"`
	Cost         Text          `yaml:"cost"`
	Review       Text          `yaml:"review"`
	Tags         Strings       `yaml:"tags"`
	Pos          Pos           `yaml:"-"`
}

type edgeSpec struct {
	From Strings       `yaml:"from"`
	To   Field[string] `yaml:"to"`
	On   Field[string] `yaml:"on"`
	P    Text          `yaml:"p"`
	Cart Field[string] `yaml:"cart"`
	Pos  Pos           `yaml:"-"`
}

type fatigueSpec struct {
	HalfLife   Field[float64] `yaml:"half_life"`
	PerContact Field[float64] `yaml:"per_contact"`
	Spill      Field[float64] `yaml:"spill"`
	OptOut     Field[float64] `yaml:"optout"`
	Pos        Pos            `yaml:"-"`
}

type loyaltySpec struct {
	ResponseGain     Field[float64] `yaml:"response_gain"`
	PurchaseGain     Field[float64] `yaml:"purchase_gain"`
	IgnoredLoss      Field[float64] `yaml:"ignored_loss"`
	ExperienceWeight Field[float64] `yaml:"experience_weight"`
	RecoveryWeight   Field[float64] `yaml:"recovery_weight"`
	RecoveryWindow   Field[int]     `yaml:"recovery_window"`
	Churn            Text           `yaml:"churn"`
	Referral         Text           `yaml:"referral"`
	ReferralValue    Field[float64] `yaml:"referral_value"`
	Pos              Pos            `yaml:"-"`
}

type surveySpec struct {
	Sample   Field[float64] `yaml:"sample"`
	Response Text           `yaml:"response"`
	Recency  Field[float64] `yaml:"recency"`
	Pos      Pos            `yaml:"-"`
}

type reviewsSpec struct {
	Rating Field[float64] `yaml:"rating"`
	Count  Field[float64] `yaml:"count"`
	Pos    Pos            `yaml:"-"`
}

type integrationSpec struct {
	DropOff  Field[float64] `yaml:"dropoff"`
	Effort   Field[float64] `yaml:"effort"`
	KeepCart Field[bool]    `yaml:"keep_cart"`
	Pos      Pos            `yaml:"-"`
}

// leverSpec is a setting strategies choose: a plain number (its default
// value) or {value, min, max, cost_per_tick, cost_per_customer,
// investments, description}.
type leverSpec struct {
	Value           Field[float64]
	Min, Max        Field[float64]
	CostPerTick     Field[float64]
	CostPerCustomer Field[float64]
	Investments     []investmentSpec
	Description     Field[string]
	Pos             Pos
}

// investmentSpec is a one-off cost: {name, amount, tick, life}.
type investmentSpec struct {
	Name   Field[string]  `yaml:"name"`
	Amount Field[float64] `yaml:"amount"`
	Tick   Field[int]     `yaml:"tick"`
	Life   Field[int]     `yaml:"life"`
	Pos    Pos            `yaml:"-"`
}

func (l *leverSpec) decodeYAML(d *decoder, n *yaml.Node) {
	l.Pos = posOf(n)
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Kind == yaml.ScalarNode {
		l.Value.decodeYAML(d, n)
		return
	}
	if n.Kind != yaml.MappingNode {
		d.errs.at(l.Pos, "expected a lever's default value such as 0, or {value: 0, min: 0, max: 1, cost_per_tick: 100}, got %s", describe(n))
		return
	}
	var m struct {
		Value           Field[float64]   `yaml:"value"`
		Min             Field[float64]   `yaml:"min"`
		Max             Field[float64]   `yaml:"max"`
		CostPerTick     Field[float64]   `yaml:"cost_per_tick"`
		CostPerCustomer Field[float64]   `yaml:"cost_per_customer"`
		Investments     []investmentSpec `yaml:"investments"`
		Description     Field[string]    `yaml:"description"`
	}
	d.decode(n, reflect.ValueOf(&m).Elem())
	l.Value, l.Min, l.Max, l.CostPerTick, l.CostPerCustomer, l.Investments, l.Description = m.Value, m.Min, m.Max, m.CostPerTick, m.CostPerCustomer, m.Investments, m.Description
}

type strategySpec struct {
	Name          Field[string]           `yaml:"name"`
	Description   Field[string]           `yaml:"description"`
	Extends       Field[string]           `yaml:"extends"`
	Channels      Strings                 `yaml:"channels"`
	Integration   Field[string]           `yaml:"integration"`
	Discount      Field[float64]          `yaml:"discount"`
	Caps          []capSpec               `yaml:"caps"`
	PerTick       Field[int]              `yaml:"per_tick"`
	SuppressAbove Field[float64]          `yaml:"suppress_above"`
	Quiet         Text                    `yaml:"quiet"`
	Holdout       Field[float64]          `yaml:"holdout"`
	Levers        Ordered[Field[float64]] `yaml:"levers"`
	Triggers      []triggerSpec           `yaml:"triggers"`
	Investments   []investmentSpec        `yaml:"investments"`
	Pos           Pos                     `yaml:"-"`
}

type capSpec struct {
	Channel Field[string] `yaml:"channel"`
	Max     Field[int]    `yaml:"max"`
	Window  Field[int]    `yaml:"window"`
	Pos     Pos           `yaml:"-"`
}

type triggerSpec struct {
	Name     Field[string]  `yaml:"name"`
	When     Text           `yaml:"when"`
	Channel  Field[string]  `yaml:"channel"`
	Priority Field[int]     `yaml:"priority"`
	Cooldown Field[int]     `yaml:"cooldown"`
	Delay    Field[int]     `yaml:"delay"`
	Discount Field[float64] `yaml:"discount"`
	Pos      Pos            `yaml:"-"`
}

// checkSpec is a pass/fail condition on outcomes: an expression, or a
// mapping {check: EXPR, strategies: [NAME...]} that limits it to some
// strategies.
type checkSpec struct {
	Check      Text
	Strategies Strings
	Pos        Pos
}

func (s *checkSpec) decodeYAML(d *decoder, n *yaml.Node) {
	s.Pos = posOf(n)
	if n.Kind == yaml.ScalarNode {
		s.Check.decodeYAML(d, n)
		return
	}
	var m struct {
		Check      Text    `yaml:"check"`
		Strategies Strings `yaml:"strategies"`
	}
	if n.Kind != yaml.MappingNode {
		d.errs.at(s.Pos, "expected a check such as \"profit > 0\" or {check: \"profit > 0\", strategies: [NAME]}, got %s", describe(n))
		return
	}
	d.decode(n, reflect.ValueOf(&m).Elem())
	s.Check, s.Strategies = m.Check, m.Strategies
	if !s.Check.Set {
		d.errs.at(s.Pos, "missing check: give the condition, such as check: \"profit > 0\"")
	}
}

// distSpec is a distribution: a plain number (a constant) or a mapping with
// one family key and optional min and max clips, such as
// {beta: [2, 5]} or {normal: [35, 10], min: 18}.
type distSpec struct {
	Dist sim.Dist
	Pos  Pos
	// paramPos is where the family's parameters stand.
	paramPos Pos
}

var distFamilies = []string{"constant", "uniform", "normal", "beta", "lognormal", "categorical"}

func (s *distSpec) decodeYAML(d *decoder, n *yaml.Node) {
	s.Pos = posOf(n)
	s.Dist = sim.Dist{Min: math.NaN(), Max: math.NaN()}
	if n.Kind == yaml.ScalarNode {
		var v float64
		before := len(d.errs.list)
		d.decode(n, reflect.ValueOf(&v).Elem())
		if len(d.errs.list) > before {
			d.errs.list[len(d.errs.list)-1].Message = "expected a number or a distribution such as {uniform: [0, 1]}, got " + describe(n)
		}
		s.Dist = sim.ConstantDist(v)
		s.paramPos = s.Pos
		return
	}
	if n.Kind != yaml.MappingNode {
		d.errs.at(s.Pos, "expected a number or a distribution such as {uniform: [0, 1]}, got %s", describe(n))
		return
	}
	family := ""
	for k := 0; k+1 < len(n.Content); k += 2 {
		kn, vn := n.Content[k], n.Content[k+1]
		switch key := kn.Value; key {
		case "min", "max":
			var v float64
			d.decode(vn, reflect.ValueOf(&v).Elem())
			if key == "min" {
				s.Dist.Min = v
			} else {
				s.Dist.Max = v
			}
		case "constant", "uniform", "normal", "beta", "lognormal", "categorical":
			if family != "" {
				d.errs.at(posOf(kn), "a distribution has one family, got %s and %s", family, key)
				continue
			}
			family = key
			s.paramPos = posOf(vn)
			for i, f := range distFamilies {
				if f == key {
					s.Dist.Kind = sim.DistKind(i)
				}
			}
			switch key {
			case "constant":
				var v float64
				d.decode(vn, reflect.ValueOf(&v).Elem())
				s.Dist.Params = []float64{v}
			case "categorical":
				var levels Ordered[Field[float64]]
				levels.decodeYAML(d, vn)
				for _, e := range levels.Entries {
					s.Dist.Levels = append(s.Dist.Levels, e.Key)
					s.Dist.Weights = append(s.Dist.Weights, e.Value.V)
				}
			default:
				d.decode(vn, reflect.ValueOf(&s.Dist.Params).Elem())
			}
		default:
			d.errs.at(posOf(kn), "unknown key %q in a distribution; allowed: %s, min, max", key, strings.Join(distFamilies, ", "))
		}
	}
	if family == "" {
		d.errs.at(s.Pos, "a distribution needs one of %s", strings.Join(distFamilies, ", "))
	}
}
