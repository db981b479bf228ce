package sim

import (
	"testing"
)

// benchModel is a small model for timing expression evaluation.
func benchModel() *Model {
	m := &Model{
		Population: Population{Attributes: []Attribute{{Name: "price_sensitivity"}}},
		Channels:   []Channel{{Name: "email"}, {Name: "sms"}},
		Stages:     []string{"aware", "considering"},
		Nodes:      []Node{{Name: "aware", Stage: 0, Channel: -1}, {Name: "considering", Stage: 1, Channel: -1}},
	}
	m.Population.Personas = []Persona{{Name: "all", Share: 1}}
	m.Levers = []Lever{{Name: "price_match"}}
	m.Strategies = []Strategy{{Name: "s", Levers: []float64{1}}}
	return m
}

// BenchmarkExpr measures what one expression evaluation costs, natively
// lowered and on the expr VM (the fallback for constructs the lowering does
// not cover).
func BenchmarkExpr(b *testing.B) {
	m := benchModel()
	s := newState(m, 1)
	s.n = 1
	s.reset(m)
	s.attr[0][0] = 0.4
	s.loyalty[0] = 0.3
	cases := []struct {
		name, src string
		kind      ExprKind
	}{
		{"purchase-probability", `0.002 + 0.01 * loyalty + (stage == "considering" || cart ? 0.02 * (1 - price_sensitivity * (1 - discount)) : 0)`, Number},
		{"trigger", `since_purchase > 30 && loyalty < 0.5`, Bool},
		{"contacts", `contacts("email", 7) < 2 && fatigue.email < tolerance`, Bool},
		{"lever", `0.12 * price_sensitivity * (1 - lever.price_match)`, Number},
	}
	for _, tc := range cases {
		e, err := m.Compile(tc.name, tc.src, tc.kind)
		if err != nil {
			b.Fatal(err)
		}
		for _, native := range []bool{true, false} {
			name := tc.name + "/native"
			ex := *e
			if !native {
				name = tc.name + "/vm"
				ex.num, ex.boolean = nil, nil
			}
			b.Run(name, func(b *testing.B) {
				c := newCtx(m)
				c.s = s
				c.strat = &m.Strategies[0]
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					if tc.kind == Bool {
						ex.Bool(c)
					} else {
						ex.Number(c)
					}
				}
				if c.err != nil {
					b.Fatal(c.err)
				}
			})
		}
	}
}
