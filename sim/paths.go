package sim

import (
	"math"
	"slices"
)

// A touchpoint path is a customer's sequence of touches (contacts sent to
// them and visits to nodes on a channel) from the start, or from their
// previous purchase, to a purchase (a conversion) or to the end of the run,
// churn or a purchase at a competitor (no conversion). Paths without any
// touch that do not convert are not paths.

// PathSet counts the paths whose set of touched channels is one set.
type PathSet struct {
	Paths       int64
	Conversions int64
	Revenue     float64
}

// PathTotals are the statistics of touchpoint paths that attribution
// models need, gathered as the run goes: the heuristic models' credit per
// channel at once, and for the Markov and Shapley models the transitions
// between touches and the paths per set of channels.
type PathTotals struct {
	channels int

	// Per channel, the revenue each heuristic model credits it with.
	FirstTouch []float64
	LastTouch  []float64
	Linear     []float64
	TimeDecay  []float64
	Position   []float64 // 40% first, 40% last, 20% spread over the middle

	// Conversions and Revenue count converting paths and what they paid;
	// Untouched is the revenue of conversions without a touch, which no
	// channel is credited with.
	Conversions int64
	Revenue     float64
	Untouched   float64

	// Transitions[from*(C+2)+to] counts moves along paths, where C is the
	// number of channels: from a channel (0..C−1) or the start (C), to a
	// channel, conversion (C) or null (C+1).
	Transitions []float64
	// Sets maps a bit mask of touched channels to its paths.
	Sets map[uint32]PathSet
}

// An AttributionModel is a rule that credits the revenue of converting
// touchpoint paths to the channels on them.
type AttributionModel struct {
	// Key names the model in files: "position_based".
	Key string
	// Label names the model in tables: "position-based (40/20/40)".
	Label string
	// Legend names the model in chart legends: "position-based".
	Legend string
	// Credit returns, per channel, the revenue the model credits it with
	// in p, for a heuristic model credited as the run goes. It is nil for
	// a model worked out from the paths' statistics after the run, whose
	// computation the results name by Key.
	Credit func(p *PathTotals) []float64
}

// AttributionModels are the attribution models, in the order every table
// and chart lists them.
var AttributionModels = []AttributionModel{
	{Key: "first_touch", Label: "first touch", Legend: "first touch", Credit: func(p *PathTotals) []float64 { return p.FirstTouch }},
	{Key: "last_touch", Label: "last touch", Legend: "last touch", Credit: func(p *PathTotals) []float64 { return p.LastTouch }},
	{Key: "linear", Label: "linear", Legend: "linear", Credit: func(p *PathTotals) []float64 { return p.Linear }},
	{Key: "time_decay", Label: "time decay", Legend: "time decay", Credit: func(p *PathTotals) []float64 { return p.TimeDecay }},
	{Key: "position_based", Label: "position-based (40/20/40)", Legend: "position-based", Credit: func(p *PathTotals) []float64 { return p.Position }},
	{Key: "markov", Label: "markov", Legend: "Markov removal"},
	{Key: "shapley", Label: "shapley", Legend: "Shapley value"},
}

// AttributionModelIndex returns the position of the model key in
// AttributionModels, or -1.
func AttributionModelIndex(key string) int {
	return slices.IndexFunc(AttributionModels, func(m AttributionModel) bool { return m.Key == key })
}

func newPathTotals(channels int) *PathTotals {
	return &PathTotals{
		channels:    channels,
		FirstTouch:  make([]float64, channels),
		LastTouch:   make([]float64, channels),
		Linear:      make([]float64, channels),
		TimeDecay:   make([]float64, channels),
		Position:    make([]float64, channels),
		Transitions: make([]float64, (channels+1)*(channels+2)),
		Sets:        map[uint32]PathSet{},
	}
}

// Channels returns the number of channels the paths are over.
func (p *PathTotals) Channels() int { return p.channels }

// TransitionMatrix returns Transitions as rows: (C+1) rows of C+2 counts.
func (p *PathTotals) TransitionMatrix() [][]float64 {
	w := p.channels + 2
	rows := make([][]float64, p.channels+1)
	for r := range rows {
		rows[r] = slices.Clone(p.Transitions[r*w : (r+1)*w])
	}
	return rows
}

// Add adds o to p.
func (p *PathTotals) Add(o *PathTotals) {
	for c := 0; c < p.channels; c++ {
		p.FirstTouch[c] += o.FirstTouch[c]
		p.LastTouch[c] += o.LastTouch[c]
		p.Linear[c] += o.Linear[c]
		p.TimeDecay[c] += o.TimeDecay[c]
		p.Position[c] += o.Position[c]
	}
	p.Conversions += o.Conversions
	p.Revenue += o.Revenue
	p.Untouched += o.Untouched
	for k, v := range o.Transitions {
		p.Transitions[k] += v
	}
	for mask, v := range o.Sets {
		s := p.Sets[mask]
		s.Paths += v.Paths
		s.Conversions += v.Conversions
		s.Revenue += v.Revenue
		p.Sets[mask] = s
	}
}

// pathState is each customer's open path, kept only when paths are
// gathered.
type pathState struct {
	count     [][]int32   // [channel][customer]: touches on the path
	decay     [][]float64 // [channel][customer]: touches weighted by age, as of decayTick
	decayTick []int32
	first     []int8 // first touch's channel, or -1
	last      []int8 // last touch's channel, or -1
	length    []int32
	mask      []uint32
	halfLife  float64
}

func newPathState(channels, n int, halfLife float64) *pathState {
	p := &pathState{
		count:     make([][]int32, channels),
		decay:     make([][]float64, channels),
		decayTick: make([]int32, n),
		first:     make([]int8, n),
		last:      make([]int8, n),
		length:    make([]int32, n),
		mask:      make([]uint32, n),
		halfLife:  halfLife,
	}
	for c := range p.count {
		p.count[c] = make([]int32, n)
		p.decay[c] = make([]float64, n)
	}
	return p
}

func (p *pathState) reset(n int) {
	for c := range p.count {
		clear(p.count[c][:n])
		clear(p.decay[c][:n])
	}
	for i := 0; i < n; i++ {
		p.first[i], p.last[i] = -1, -1
	}
	clear(p.length[:n])
	clear(p.mask[:n])
}

// age brings customer i's time-decay weights to tick t.
func (p *pathState) age(i, t int) {
	dt := t - int(p.decayTick[i])
	if dt <= 0 {
		return
	}
	f := math.Exp2(-float64(dt) / p.halfLife)
	for c := range p.decay {
		p.decay[c][i] *= f
	}
	p.decayTick[i] = int32(t)
}

// touch adds a touch on channel ch at tick t to customer i's path.
func (p *pathState) touch(tot *PathTotals, i, ch, t int) {
	from := tot.channels // the start
	if l := p.last[i]; l >= 0 {
		from = int(l)
	}
	tot.Transitions[from*(tot.channels+2)+ch]++
	if p.length[i] == 0 {
		p.first[i] = int8(ch)
		p.decayTick[i] = int32(t)
	}
	p.age(i, t)
	p.decay[ch][i]++
	p.count[ch][i]++
	p.length[i]++
	p.mask[i] |= 1 << ch
	p.last[i] = int8(ch)
}

// convert ends customer i's path with a purchase that paid revenue,
// crediting its channels under every heuristic model.
func (p *pathState) convert(tot *PathTotals, i int, revenue float64) {
	C := tot.channels
	tot.Conversions++
	tot.Revenue += revenue
	n := p.length[i]
	if n == 0 {
		tot.Untouched += revenue
		tot.Transitions[C*(C+2)+C]++
		s := tot.Sets[0]
		s.Paths++
		s.Conversions++
		s.Revenue += revenue
		tot.Sets[0] = s
		return
	}
	first, last := int(p.first[i]), int(p.last[i])
	tot.FirstTouch[first] += revenue
	tot.LastTouch[last] += revenue
	// The weights are as of the last touch, whose own weight is 1; ageing
	// them all to the purchase would scale every weight alike, change no
	// share, and underflow on a long wait.
	weights := 0.0
	for c := range p.decay {
		weights += p.decay[c][i]
	}
	switch n {
	case 1:
		tot.Position[first] += revenue
	case 2:
		tot.Position[first] += revenue / 2
		tot.Position[last] += revenue / 2
	default:
		tot.Position[first] += 0.4 * revenue
		tot.Position[last] += 0.4 * revenue
	}
	for c := range p.count {
		k := p.count[c][i]
		if k == 0 {
			continue
		}
		tot.Linear[c] += revenue * float64(k) / float64(n)
		tot.TimeDecay[c] += revenue * p.decay[c][i] / weights
		if n > 2 {
			middle := k
			if c == first {
				middle--
			}
			if c == last {
				middle--
			}
			tot.Position[c] += 0.2 * revenue * float64(middle) / float64(n-2)
		}
	}
	tot.Transitions[last*(C+2)+C]++
	s := tot.Sets[p.mask[i]]
	s.Paths++
	s.Conversions++
	s.Revenue += revenue
	tot.Sets[p.mask[i]] = s
	p.clear(i)
}

// drop ends customer i's path without a conversion.
func (p *pathState) drop(tot *PathTotals, i int) {
	if p.length[i] == 0 {
		return
	}
	C := tot.channels
	tot.Transitions[int(p.last[i])*(C+2)+C+1]++
	s := tot.Sets[p.mask[i]]
	s.Paths++
	tot.Sets[p.mask[i]] = s
	p.clear(i)
}

func (p *pathState) clear(i int) {
	for c := range p.count {
		p.count[c][i] = 0
		p.decay[c][i] = 0
	}
	p.first[i], p.last[i] = -1, -1
	p.length[i] = 0
	p.mask[i] = 0
}
