package sim

import (
	"errors"
	"strings"
)

// runVM evaluates an expression the closure compiler did not lower, on the
// worker's own expr virtual machine.
func (c *Ctx) runVM(e *Expr) any {
	if c.env == nil {
		c.initVM()
	}
	for _, name := range e.vars {
		if g, ok := c.getters[name]; ok {
			c.env[name] = g(c)
		}
	}
	c.vm.MemoryBudget = MemoryBudget
	out, err := c.vm.Run(e.program, c.env)
	if err != nil {
		if strings.Contains(err.Error(), errBudget) {
			err = errors.New(explainBudget(errBudget))
		}
		c.fail(e, err)
		return nil
	}
	return out
}

// initVM sets up the context's environment for the virtual machine: a
// getter for every variable, which runVM calls for the variables an
// expression reads, and the functions bound to the context. The getters
// read the state as Model.bind says, as the lowering does.
func (c *Ctx) initVM() {
	m := c.m
	c.env = m.env()
	c.getters = map[string]func(*Ctx) any{}
	for _, a := range m.Population.Attributes {
		b, _ := m.bind(a.Name, "")
		c.getters[a.Name] = b.getter()
	}
	for i := range nameTable {
		n := &nameTable[i]
		switch n.Kind {
		case NameNumber, NameBool, NameText:
			b, _ := m.bind(n.Name, "")
			c.getters[n.Name] = b.getter()
		case NameChannelNumber:
			c.getters[n.Name] = members(m, n.Name, m.channelNames(), func(b binding) numFn { return b.num })
		case NameChannelBool:
			c.getters[n.Name] = members(m, n.Name, m.channelNames(), func(b binding) boolFn { return b.flag })
		case NameLever:
			c.getters[n.Name] = members(m, n.Name, m.LeverNames(), func(b binding) numFn { return b.num })
		case NameEvent:
			c.getters[n.Name] = func(c *Ctx) any { return eventOf(c.s.events[c.i]) }
		case NameFunction:
			if n.function != nil {
				c.env[n.Name] = n.function(c)
			}
		}
	}
}

// members returns a getter of the map the virtual machine reads name.KEY
// from, for each of keys (channels or levers). The map is made once and
// filled on each call.
func members[T any, F ~func(*Ctx) T](m *Model, name string, keys []string, read func(binding) F) func(*Ctx) any {
	fns := make([]F, len(keys))
	for i, k := range keys {
		b, _ := m.bind(name, k)
		fns[i] = read(b)
	}
	vals := make(map[string]T, len(keys))
	return func(c *Ctx) any {
		for i, k := range keys {
			vals[k] = fns[i](c)
		}
		return vals
	}
}
