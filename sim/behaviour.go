package sim

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// ContactBatch is every contact made on one channel in one tick, for one
// strategy, replication and chunk of customers. Columns are parallel: entry
// j of each slice describes contact j. Randomness comes in with the batch so
// that a behaviour, in process or in a plugin, stays deterministic.
type ContactBatch struct {
	Channel string
	Tick    int
	// Integration is the strategy's integration level: whether whoever
	// answers on the channel sees the customer's context.
	Integration IntegrationLevel
	// Customer holds each contacted customer's index in the population.
	Customer []int
	// Persona holds each contacted customer's persona, an index into
	// Personas, the model's persona names (the same for every batch).
	Persona   []int
	Personas  []string
	Affinity  []float64
	Fatigue   []float64 // the channel's fatigue, this contact included
	Tolerance []float64
	Loyalty   []float64
	Discount  []float64 // the offer the contact carries
	// Rand holds two independent uniform draws in (0, 1) per contact.
	Rand [][2]float64
}

// Len returns the number of contacts in the batch.
func (b *ContactBatch) Len() int { return len(b.Customer) }

func (b *ContactBatch) reset(channel string, tick int) {
	b.Channel, b.Tick = channel, tick
	b.Customer = b.Customer[:0]
	b.Persona = b.Persona[:0]
	b.Affinity = b.Affinity[:0]
	b.Fatigue = b.Fatigue[:0]
	b.Tolerance = b.Tolerance[:0]
	b.Loyalty = b.Loyalty[:0]
	b.Discount = b.Discount[:0]
	b.Rand = b.Rand[:0]
}

// append appends o's contacts to b, which takes o's integration level and
// persona names.
func (b *ContactBatch) append(o *ContactBatch) {
	b.Integration, b.Personas = o.Integration, o.Personas
	b.Customer = append(b.Customer, o.Customer...)
	b.Persona = append(b.Persona, o.Persona...)
	b.Affinity = append(b.Affinity, o.Affinity...)
	b.Fatigue = append(b.Fatigue, o.Fatigue...)
	b.Tolerance = append(b.Tolerance, o.Tolerance...)
	b.Loyalty = append(b.Loyalty, o.Loyalty...)
	b.Discount = append(b.Discount, o.Discount...)
	b.Rand = append(b.Rand, o.Rand...)
}

// Responses are a behaviour's answers to a batch, one entry per contact.
type Responses struct {
	Responded []bool
	// Satisfaction (CSAT, 1 to 5) and Effort (CES, 1 to 7) of the contact;
	// NaN means the contact was not rated.
	Satisfaction []float64
	Effort       []float64
	// Minutes is the staff time the contact took (an operator's handling
	// time, say), costed at the channel's cost per minute; 0 for none.
	Minutes []float64
	// Purchase is what the customer buys in answer to the contact, at list
	// price before the contact's discount; 0 for nothing. It counts only
	// when the contact is Responded.
	Purchase []float64
	// OptOut makes the customer opt out of the channel after the contact.
	OptOut []bool
	// Wait is the minutes the contact waited in a queue for staff before
	// it was answered or its customer hung up; 0 for a contact answered
	// at once or not queued at all.
	Wait []float64
	// Abandoned says the customer hung up before staff answered.
	//
	// Wait, Abandoned and Minutes make a channel's service outcomes: a
	// contact is handled by staff when it took staff minutes or waited,
	// and was not abandoned (see ChannelTotals).
	Abandoned []bool
}

// Resize makes room for n answers, all "no response, not rated, no time,
// no purchase, no opt-out, not queued".
func (r *Responses) Resize(n int) {
	r.Responded = resize(r.Responded, n, false)
	r.Satisfaction = resize(r.Satisfaction, n, math.NaN())
	r.Effort = resize(r.Effort, n, math.NaN())
	r.Minutes = resize(r.Minutes, n, 0)
	r.Purchase = resize(r.Purchase, n, 0)
	r.OptOut = resize(r.OptOut, n, false)
	r.Wait = resize(r.Wait, n, 0)
	r.Abandoned = resize(r.Abandoned, n, false)
}

// copyFrom fills r with o's answers from offset off on.
func (r *Responses) copyFrom(o *Responses, off int) {
	n := len(r.Responded)
	copy(r.Responded, o.Responded[off:off+n])
	copy(r.Satisfaction, o.Satisfaction[off:off+n])
	copy(r.Effort, o.Effort[off:off+n])
	copy(r.Minutes, o.Minutes[off:off+n])
	copy(r.Purchase, o.Purchase[off:off+n])
	copy(r.OptOut, o.OptOut[off:off+n])
	copy(r.Wait, o.Wait[off:off+n])
	copy(r.Abandoned, o.Abandoned[off:off+n])
}

// Len returns the number of answers, or -1 if the columns differ in length.
func (r *Responses) Len() int {
	n := len(r.Responded)
	if len(r.Satisfaction) != n || len(r.Effort) != n || len(r.Minutes) != n || len(r.Purchase) != n || len(r.OptOut) != n ||
		len(r.Wait) != n || len(r.Abandoned) != n {
		return -1
	}
	return n
}

// Check reports the first answer outside its scale: a CSAT outside 1 to
// 5, a CES outside 1 to 7 (NaN is allowed for both), or minutes, a
// purchase or a wait that are negative or not finite.
func (r *Responses) Check(b *ContactBatch) error {
	for j := range r.Responded {
		s, e := r.Satisfaction[j], r.Effort[j]
		if !math.IsNaN(s) && !(s >= 1 && s <= 5) || !math.IsNaN(e) && !(e >= 1 && e <= 7) {
			return fmt.Errorf("contact %d (customer %d): satisfaction %g, effort %g; allowed 1 to 5 and 1 to 7, or NaN for not rated", j, b.Customer[j], s, e)
		}
		if v := r.Minutes[j]; !(v >= 0) || math.IsInf(v, 0) {
			return fmt.Errorf("contact %d (customer %d): minutes %g; allowed a finite number of at least 0", j, b.Customer[j], v)
		}
		if v := r.Purchase[j]; !(v >= 0) || math.IsInf(v, 0) {
			return fmt.Errorf("contact %d (customer %d): purchase %g; allowed a finite amount of at least 0", j, b.Customer[j], v)
		}
		if v := r.Wait[j]; !(v >= 0) || math.IsInf(v, 0) {
			return fmt.Errorf("contact %d (customer %d): wait %g minutes; allowed a finite number of at least 0", j, b.Customer[j], v)
		}
	}
	return nil
}

func resize[T any](s []T, n int, v T) []T {
	s = slices.Grow(s[:0], n)[:n]
	for j := range s {
		s[j] = v
	}
	return s
}

// Behaviour decides how customers answer a channel's contacts. The engine
// calls Respond once per channel per tick with all of that tick's contacts
// for a group of customers; out has been resized to the batch's length.
// Respond may be called from several goroutines at once, each with its own
// batch, and must answer from the batch alone so that runs are
// reproducible.
type Behaviour interface {
	Respond(batch *ContactBatch, out *Responses) error
}

// Pooled is implemented by a behaviour that wants each tick's contacts of
// the whole population in one batch: one whose answers depend on the other
// contacts of the tick (a queue for a team of operators, a budget, a
// network), or whose calls are costly (a plugin in another process). When
// any channel's behaviour is pooled, the engine advances up to PoolSize
// customers together, tick by tick, and calls Respond once per channel per
// tick for all of them. Results are the same as in chunks for behaviours
// that answer each contact on its own.
type Pooled interface {
	Behaviour
	Pooled() bool
}

// PoolSize is the most customers whose contacts share one batch of a
// pooled behaviour; larger populations are simulated in pools of this
// size, one after the other.
const PoolSize = 512 * ChunkSize

// pooled reports whether any channel of m has a pooled behaviour, or
// whether m is coupled.
func pooled(m *Model) bool {
	if m.Coupled() {
		return true
	}
	for _, ch := range m.Channels {
		if p, ok := ch.Behaviour.(Pooled); ok && p.Pooled() {
			return true
		}
	}
	return false
}

// Param describes one parameter of a behaviour.
type Param struct {
	Name     string
	Default  float64
	Min, Max float64
	Doc      string
	// Text marks a parameter whose value is text (a table, say) rather
	// than a number; DefaultText is its value when none is given, and
	// Default, Min and Max do not apply.
	Text        bool
	DefaultText string
}

// BehaviourSpec describes a built-in behaviour: its parameters and how to
// build it.
type BehaviourSpec struct {
	Name   string
	Doc    string
	Params []Param
	New    func(params map[string]float64) Behaviour
}

// Builtins lists the built-in behaviours.
var Builtins = []BehaviourSpec{
	{
		Name: "response",
		Doc: "responds with probability rate × affinity × exp(−fatigue / tolerance) × (1 + offer_lift × discount); " +
			"a response is rated with a CSAT drawn around satisfaction and a CES of effort",
		Params: []Param{
			{Name: "rate", Default: 0.05, Min: 0, Max: 1, Doc: "response probability of a fully affine, unfatigued customer"},
			{Name: "offer_lift", Default: 0, Min: 0, Max: 100, Doc: "relative rise in response per unit of discount"},
			{Name: "satisfaction", Default: 4, Min: 1, Max: 5, Doc: "mean CSAT of a response (1 to 5)"},
			{Name: "satisfaction_sd", Default: 0.7, Min: 0, Max: 4, Doc: "spread of the CSAT of a response"},
			{Name: "effort", Default: 2, Min: 1, Max: 7, Doc: "CES of a response (1 to 7)"},
		},
		New: func(p map[string]float64) Behaviour {
			return &responseBehaviour{rate: p["rate"], lift: p["offer_lift"], sat: p["satisfaction"],
				satSD: p["satisfaction_sd"], effort: p["effort"]}
		},
	},
	{
		Name:   "silent",
		Doc:    "never responds (a channel that only carries awareness, or a control group)",
		Params: nil,
		New:    func(map[string]float64) Behaviour { return silentBehaviour{} },
	},
}

// BuiltinNames returns the names of the built-in behaviours.
func BuiltinNames() []string {
	out := make([]string, len(Builtins))
	for i, b := range Builtins {
		out[i] = b.Name
	}
	return out
}

// LookupBuiltin returns the built-in behaviour called name.
func LookupBuiltin(name string) (BehaviourSpec, error) {
	for _, spec := range Builtins {
		if spec.Name == name {
			return spec, nil
		}
	}
	return BehaviourSpec{}, fmt.Errorf("unknown behaviour %q; built-in: %s", name, strings.Join(BuiltinNames(), ", "))
}

// CheckParam reports whether the behaviour takes a number parameter called
// name and whether v is in its range.
func (spec BehaviourSpec) CheckParam(name string, v float64) error {
	p, err := spec.param(name)
	if err != nil {
		return err
	}
	if p.Text {
		return fmt.Errorf("behaviour %s parameter %s takes text, not the number %g", spec.Name, name, v)
	}
	if !(v >= p.Min && v <= p.Max) {
		return fmt.Errorf("behaviour %s parameter %s = %g is out of range; allowed: %g to %g", spec.Name, name, v, p.Min, p.Max)
	}
	return nil
}

// CheckText reports whether the behaviour takes a text parameter called
// name.
func (spec BehaviourSpec) CheckText(name string) error {
	p, err := spec.param(name)
	if err != nil {
		return err
	}
	if !p.Text {
		return fmt.Errorf("behaviour %s parameter %s takes a number (%g to %g), not text", spec.Name, name, p.Min, p.Max)
	}
	return nil
}

func (spec BehaviourSpec) param(name string) (Param, error) {
	i := slices.IndexFunc(spec.Params, func(p Param) bool { return p.Name == name })
	if i < 0 {
		names := make([]string, len(spec.Params))
		for k, p := range spec.Params {
			names[k] = p.Name
		}
		allowed := "none"
		if len(names) > 0 {
			allowed = strings.Join(names, ", ")
		}
		return Param{}, fmt.Errorf("behaviour %s has no parameter %q; allowed: %s", spec.Name, name, allowed)
	}
	return spec.Params[i], nil
}

// NewBuiltin builds the built-in behaviour called name with params, filling
// in defaults and checking each value's range.
func NewBuiltin(name string, params map[string]float64) (Behaviour, error) {
	spec, err := LookupBuiltin(name)
	if err != nil {
		return nil, err
	}
	full := map[string]float64{}
	for _, p := range spec.Params {
		full[p.Name] = p.Default
	}
	for k, v := range params {
		if err := spec.CheckParam(k, v); err != nil {
			return nil, err
		}
		full[k] = v
	}
	return spec.New(full), nil
}

type responseBehaviour struct {
	rate, lift, sat, satSD, effort float64
}

func (r *responseBehaviour) Respond(b *ContactBatch, out *Responses) error {
	for j := range b.Customer {
		p := r.rate * b.Affinity[j] * math.Exp(-b.Fatigue[j]/b.Tolerance[j]) * (1 + r.lift*b.Discount[j])
		if b.Rand[j][0] < p {
			out.Responded[j] = true
			// A symmetric triangular spread around the mean, from the second draw.
			u := b.Rand[j][1]
			var z float64
			if u < 0.5 {
				z = math.Sqrt(2*u) - 1
			} else {
				z = 1 - math.Sqrt(2*(1-u))
			}
			out.Satisfaction[j] = math.Min(5, math.Max(1, r.sat+z*r.satSD*math.Sqrt(6)))
			out.Effort[j] = r.effort
		}
	}
	return nil
}

type silentBehaviour struct{}

func (silentBehaviour) Respond(*ContactBatch, *Responses) error { return nil }
