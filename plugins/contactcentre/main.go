// Command contactcentre is an example channel-behaviour plugin: a contact
// centre with a finite number of operators. The contacts of a tick arrive
// at random moments of its opening hours and queue first come, first
// served; each needs an operator for an exponentially distributed time,
// shorter when the strategy's integration level (cross or omni) shows the
// operator the customer's context; a customer whose wait exceeds their
// patience hangs up. Waiting lowers satisfaction and raises effort, and
// each answered contact reports its operator minutes, which the scenario
// costs with the channel's cost_per_minute. Every call reports its wait
// and whether the caller hung up, from which journeysim reports calls
// handled, abandoned share, average speed of answer and service level.
//
// The engine hands the plugin each tick's contacts of the whole population
// (up to 1,048,576 customers) in one batch, so the operators are one team.
package main

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/journeysim/journeysim/plugins"
	"github.com/journeysim/journeysim/sim"
)

func main() { plugins.Serve(centre{}) }

type centre struct{}

func (centre) Describe() plugins.Description {
	return plugins.Description{Name: "contactcentre", Version: "1.1.0",
		Doc: "a queue in front of a team of operators: waiting, abandonment, and operator time saved by customer context",
		Params: []sim.Param{
			{Name: "operators", Default: 10, Min: 1, Max: 100000, Doc: "operators on duty during the opening hours"},
			{Name: "open_minutes", Default: 480, Min: 1, Max: 1440, Doc: "opening minutes per tick, over which contacts arrive"},
			{Name: "handle_minutes", Default: 6, Min: 0.1, Max: 240, Doc: "mean operator minutes per contact without context"},
			{Name: "context_saving", Default: 0.3, Min: 0, Max: 0.9, Doc: "share of operator time saved when the operator sees the customer's context (integration cross or omni)"},
			{Name: "patience_minutes", Default: 5, Min: 0, Max: 1e6, Doc: "mean minutes a customer waits before hanging up; 0 means forever"},
			{Name: "satisfaction", Default: 4.3, Min: 1, Max: 5, Doc: "CSAT of a contact answered at once"},
			{Name: "wait_penalty", Default: 0.2, Min: 0, Max: 5, Doc: "CSAT lost per minute of waiting"},
			{Name: "effort", Default: 2, Min: 1, Max: 7, Doc: "CES of a contact answered at once; each minute of waiting adds 0.2"},
		}}
}

func (centre) Configure(_ string, params plugins.Params) (sim.Behaviour, error) {
	p := params.Numbers
	if p["operators"] != math.Trunc(p["operators"]) {
		return nil, fmt.Errorf("operators %g: give a whole number", p["operators"])
	}
	return &behaviour{p: p}, nil
}

type behaviour struct{ p map[string]float64 }

// Respond queues the batch's contacts: the first draw places each in the
// opening hours, the second gives its service time and patience.
func (b *behaviour) Respond(batch *sim.ContactBatch, out *sim.Responses) error {
	p := b.p
	handle := p["handle_minutes"]
	if batch.Integration >= sim.Cross {
		handle *= 1 - p["context_saving"]
	}
	calls := make([]call, batch.Len())
	for j := range calls {
		u2, u3 := split(batch.Rand[j][1])
		calls[j] = call{
			arrival:  batch.Rand[j][0] * p["open_minutes"],
			service:  -handle * math.Log(u2),
			patience: math.Inf(1),
		}
		if p["patience_minutes"] > 0 {
			calls[j].patience = -p["patience_minutes"] * math.Log(u3)
		}
	}
	for j, o := range serve(calls, int(p["operators"])) {
		out.Wait[j] = o.wait
		out.Abandoned[j] = o.abandoned
		if o.abandoned {
			out.Satisfaction[j] = 1.5
			out.Effort[j] = 6
			continue
		}
		out.Responded[j] = true
		out.Minutes[j] = calls[j].service
		out.Satisfaction[j] = math.Max(1, p["satisfaction"]-p["wait_penalty"]*o.wait)
		out.Effort[j] = math.Min(7, p["effort"]+0.2*o.wait)
	}
	return nil
}

// split turns one uniform draw in (0, 1) into two independent-looking
// ones, deterministically, by mixing its bits two ways.
func split(u float64) (float64, float64) {
	x := math.Float64bits(u)
	return open(sim.Mix(x ^ 0x9e3779b97f4a7c15)), open(sim.Mix(bits.RotateLeft64(x, 17) ^ 0xbf58476d1ce4e5b9))
}

func open(x uint64) float64 { return (float64(x>>11) + 0.5) / (1 << 53) }
