package scenarios

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/journeysim/journeysim/sim"
	"github.com/journeysim/journeysim/sim/text"
)

// resolve returns the strategy named by s.Extends merged under s, following
// the chain of extends; seen guards against cycles.
func (c *compiler) resolve(s strategySpec, seen []string) strategySpec {
	if !s.Extends.Set {
		return s
	}
	if slices.Contains(seen, s.Extends.V) {
		c.at(s.Extends.Pos, "strategy %s extends itself through %s", s.Name.V, strings.Join(append(seen, s.Extends.V), " → "))
		return s
	}
	k := slices.IndexFunc(c.spec.Strategies, func(p strategySpec) bool { return p.Name.V == s.Extends.V })
	if k < 0 {
		var names []string
		for _, p := range c.spec.Strategies {
			names = append(names, p.Name.V)
		}
		c.at(s.Extends.Pos, "strategy %s extends unknown strategy %q; strategies: %s", s.Name.V, s.Extends.V, strings.Join(names, ", "))
		return s
	}
	parent := c.resolve(c.spec.Strategies[k], append(seen, s.Extends.V))
	out := s
	pick := func(child, par Field[string]) Field[string] {
		if child.Set {
			return child
		}
		return par
	}
	out.Description = pick(s.Description, parent.Description)
	out.Integration = pick(s.Integration, parent.Integration)
	if !s.Channels.Set {
		out.Channels = parent.Channels
	}
	if !s.Discount.Set {
		out.Discount = parent.Discount
	}
	if s.Caps == nil {
		out.Caps = parent.Caps
	}
	if !s.PerTick.Set {
		out.PerTick = parent.PerTick
	}
	if !s.SuppressAbove.Set {
		out.SuppressAbove = parent.SuppressAbove
	}
	if !s.Quiet.Set {
		out.Quiet = parent.Quiet
	}
	if !s.Holdout.Set {
		out.Holdout = parent.Holdout
	}
	// Levers merge by name: the child's values win.
	out.Levers = Ordered[Field[float64]]{Pos: s.Levers.Pos, Set: s.Levers.Set || parent.Levers.Set}
	out.Levers.Entries = slices.Clone(parent.Levers.Entries)
	for _, e := range s.Levers.Entries {
		if i := slices.IndexFunc(out.Levers.Entries, func(p Entry[Field[float64]]) bool { return p.Key == e.Key }); i >= 0 {
			out.Levers.Entries[i] = e
		} else {
			out.Levers.Entries = append(out.Levers.Entries, e)
		}
	}
	// Triggers and investments merge by name: a child's replaces its
	// parent's of the same name, and new ones come after.
	out.Triggers = mergeByName(parent.Triggers, s.Triggers, func(t triggerSpec) string { return t.Name.V })
	out.Investments = mergeByName(parent.Investments, s.Investments, func(i investmentSpec) string { return i.Name.V })
	return out
}

// mergeByName returns parent's items, each replaced by child's item of the
// same name, followed by child's new ones.
func mergeByName[T any](parent, child []T, name func(T) string) []T {
	out := slices.Clone(parent)
	for _, c := range child {
		if i := slices.IndexFunc(out, func(p T) bool { return name(p) == name(c) }); i >= 0 {
			out[i] = c
		} else {
			out = append(out, c)
		}
	}
	return out
}

func (c *compiler) strategies() {
	m := c.m
	if len(c.spec.Strategies) == 0 {
		c.at(c.spec.Pos, "no strategies: give at least one under strategies")
		return
	}
	names := map[string]bool{}
	for _, raw := range c.spec.Strategies {
		if !raw.Name.Set || raw.Name.V == "" {
			c.at(raw.Pos, "missing strategy name")
			continue
		}
		c.checkName(raw.Name.V, raw.Name.Pos, "strategy")
		if names[raw.Name.V] {
			c.at(raw.Name.Pos, "strategy %q is defined twice", raw.Name.V)
			continue
		}
		names[raw.Name.V] = true
		s := c.resolve(raw, []string{raw.Name.V})
		where := "strategies." + s.Name.V
		st := sim.Strategy{Name: s.Name.V, Description: s.Description.V}
		st.Channels = make([]bool, len(m.Channels))
		if s.Channels.Set {
			for _, f := range s.Channels.Items {
				if ch := c.channelRef(f.V, f.Pos); ch >= 0 {
					st.Channels[ch] = true
				}
			}
		} else {
			for ch := range st.Channels {
				st.Channels[ch] = true
			}
		}
		st.Integration = sim.IntegrationLevel(c.oneOf(s.Integration, "multi", sim.IntegrationLevels, "integration level"))
		st.Discount = c.floatIn(s.Discount, 0, 0, 0.99, "discount")
		st.PerTick = c.intIn(s.PerTick, 1, 1, MaxPerTick, "per_tick")
		st.Holdout = c.floatIn(s.Holdout, 0, 0, 0.9, "holdout")
		st.SuppressAbove = c.floatIn(s.SuppressAbove, 0, 0, 1e6, "suppress_above")
		st.Levers = make([]float64, len(m.Levers))
		for k, l := range m.Levers {
			st.Levers[k] = l.Default
		}
		for _, e := range s.Levers.Entries {
			k := m.LeverIndex(e.Key)
			if k < 0 {
				// Reported once, by the strategy that wrote it, not by
				// each strategy inheriting it.
				own := slices.ContainsFunc(raw.Levers.Entries, func(r Entry[Field[float64]]) bool { return r.Pos == e.Pos })
				if own {
					c.at(e.Pos, "%s: unknown lever %q%s; %s", where, e.Key, text.DidYouMean(e.Key, m.LeverNames()), m.LeverList())
				}
				continue
			}
			l := m.Levers[k]
			st.Levers[k] = c.floatIn(e.Value, l.Default, l.Min, l.Max, "lever "+e.Key)
		}
		for _, cs := range s.Caps {
			cp := sim.Cap{Channel: -1}
			if cs.Channel.Set {
				cp.Channel = c.channelRef(cs.Channel.V, cs.Channel.Pos)
			}
			if !cs.Max.Set {
				c.at(cs.Pos, "%s: a cap needs max (the most contacts in the window)", where)
			}
			cp.Max = c.intIn(cs.Max, 0, 0, sim.MaxWindow*MaxPerTick*32, "cap max")
			if !cs.Window.Set {
				c.at(cs.Pos, "%s: a cap needs window (its length in ticks, 1 to %d)", where, sim.MaxWindow)
			}
			cp.Window = c.intIn(cs.Window, 1, 1, sim.MaxWindow, "cap window")
			st.Caps = append(st.Caps, cp)
		}
		if s.Quiet.Set {
			st.Quiet = c.expr(s.Quiet, where+".quiet", sim.Bool)
			if st.Quiet != nil && !st.Quiet.UsesOnly("tick") {
				c.at(s.Quiet.Pos, "%s.quiet may use only tick (it holds for every customer at once), got %q", where, s.Quiet.V)
			}
		}
		seen := map[string]bool{}
		for _, ts := range s.Triggers {
			tr := sim.Trigger{Name: ts.Name.V}
			if !ts.Name.Set || ts.Name.V == "" {
				c.at(ts.Pos, "%s: missing trigger name", where)
			} else if seen[ts.Name.V] {
				c.at(ts.Name.Pos, "%s: trigger %q is defined twice", where, ts.Name.V)
			}
			seen[ts.Name.V] = true
			tw := fmt.Sprintf("%s.triggers.%s", where, ts.Name.V)
			if !ts.When.Set {
				c.at(ts.Pos, "%s: missing when (the condition that fires the trigger)", tw)
			}
			tr.When = c.expr(ts.When, tw+".when", sim.Bool)
			if !ts.Channel.Set {
				c.at(ts.Pos, "%s: missing channel (the channel the contact goes out on)", tw)
				continue
			}
			tr.Channel = c.channelRef(ts.Channel.V, ts.Channel.Pos)
			if tr.Channel >= 0 {
				switch {
				case !c.outbound[tr.Channel]:
					c.at(ts.Channel.Pos, "%s: channel %s is inbound; a trigger can only send on an outbound channel", tw, ts.Channel.V)
				case !st.Channels[tr.Channel]:
					c.at(ts.Channel.Pos, "%s: channel %s is not switched on in strategy %s; its channels: %s", tw, ts.Channel.V, s.Name.V, strings.Join(onNames(m, st.Channels), ", "))
				}
			}
			tr.Priority = ts.Priority.Or(0)
			tr.Cooldown = c.intIn(ts.Cooldown, 0, 0, MaxHorizon, "cooldown")
			tr.Delay = c.intIn(ts.Delay, 0, 0, MaxHorizon, "delay")
			tr.Discount = c.floatIn(ts.Discount, 0, 0, 0.99, "discount")
			st.Triggers = append(st.Triggers, tr)
		}
		slices.SortStableFunc(st.Triggers, func(a, b sim.Trigger) int { return b.Priority - a.Priority })
		st.Investments = c.investments(s.Investments, raw.Investments, where)
		m.Strategies = append(m.Strategies, st)
	}
}

// levers compiles the scenario's levers; it runs before any expression is
// compiled, since expressions may read them.
func (c *compiler) levers() {
	for _, e := range c.spec.Levers.Entries {
		c.checkName(e.Key, e.Pos, "lever")
		if strings.Contains(e.Key, "-") {
			c.at(e.Pos, "lever name %q: use letters, digits and _ only (it is read as lever.%s in expressions)", e.Key, e.Key)
		}
		v := e.Value
		if !v.Value.Set && !v.Min.Set && !v.Max.Set && !v.CostPerTick.Set && !v.CostPerCustomer.Set && v.Investments == nil && !v.Description.Set {
			c.at(e.Pos, "lever %s: give its default value, such as %s: 0", e.Key, e.Key)
		}
		l := sim.Lever{
			Name:            e.Key,
			Description:     v.Description.V,
			CostPerTick:     c.floatIn(v.CostPerTick, 0, 0, math.Inf(1), "lever "+e.Key+" cost_per_tick"),
			CostPerCustomer: c.floatIn(v.CostPerCustomer, 0, 0, math.Inf(1), "lever "+e.Key+" cost_per_customer"),
			Investments:     c.investments(v.Investments, v.Investments, "levers."+e.Key),
			Min:             math.Inf(-1),
			Max:             math.Inf(1),
		}
		if l.CostPerTick > 0 || l.CostPerCustomer > 0 || len(l.Investments) > 0 {
			l.Min = 0 // a negative amount of a costed lever would pay
		}
		l.Min = c.floatIn(v.Min, l.Min, l.Min, math.Inf(1), "lever "+e.Key+" min")
		l.Max = c.floatIn(v.Max, l.Max, l.Min, math.Inf(1), "lever "+e.Key+" max")
		l.Default = c.floatIn(v.Value, max(0, l.Min), l.Min, l.Max, "lever "+e.Key+" value")
		if l.Default > l.Max {
			c.at(e.Pos, "lever %s: without a value its default is 0, above max %g; give value", e.Key, l.Max)
		}
		c.m.Levers = append(c.m.Levers, l)
	}
}

// MaxInvestment is the largest amount one investment may have, and
// MaxInvestments the most investments one strategy or lever may list.
const (
	MaxInvestment  = 1e15
	MaxInvestments = 100
)

// investments compiles a strategy's or lever's investments; own are those
// written under it rather than inherited, so that a mistake in an
// inherited one is reported once, where it was written.
func (c *compiler) investments(specs, own []investmentSpec, where string) []sim.Investment {
	var out []sim.Investment
	if len(specs) > MaxInvestments {
		at := specs[MaxInvestments].Pos
		if len(own) > 0 {
			at = own[len(own)-1].Pos
		}
		c.at(at, "%s.investments: %d investments, those inherited through extends included; at most %d are allowed (add up the small ones)", where, len(specs), MaxInvestments)
		return nil
	}
	named := map[string]bool{}
	for _, s := range own {
		if s.Name.Set && named[s.Name.V] {
			c.at(s.Name.Pos, "%s.investments: investment %q is given twice", where, s.Name.V)
		}
		named[s.Name.V] = true
	}
	seen := map[string]bool{}
	for _, s := range specs {
		written := slices.ContainsFunc(own, func(o investmentSpec) bool { return o.Pos == s.Pos })
		at := func(p Pos, format string, args ...any) {
			if written {
				c.at(p, format, args...)
			}
		}
		if !s.Name.Set || s.Name.V == "" {
			at(s.Pos, "%s.investments: an investment needs a name, such as {name: crm, amount: 250000}", where)
			continue
		}
		if seen[s.Name.V] {
			continue // reported above
		}
		seen[s.Name.V] = true
		iw := where + ".investments." + s.Name.V
		if !s.Amount.Set {
			at(s.Pos, "%s: missing amount (what it costs, once, in the scenario's currency)", iw)
		}
		inv := sim.Investment{Name: s.Name.V}
		if written {
			inv.Amount = c.floatIn(s.Amount, 0, 0, MaxInvestment, iw+" amount")
			inv.Tick = c.intIn(s.Tick, 0, 0, MaxHorizon-1, iw+" tick")
			inv.Life = c.intIn(s.Life, 0, 0, 100*MaxHorizon, iw+" life")
		} else {
			inv.Amount = s.Amount.V
			inv.Tick = s.Tick.V
			inv.Life = s.Life.V
		}
		out = append(out, inv)
	}
	return out
}

func onNames(m *sim.Model, on []bool) []string {
	var out []string
	for ch, ok := range on {
		if ok {
			out = append(out, m.Channels[ch].Name)
		}
	}
	return out
}
