// Command segments is an example channel-behaviour plugin: a response
// model read from a CSV table of response rates by persona and channel,
// such as a model fitted to an agency's own campaign data. Each row gives
// a persona's response rate on a channel, and optionally the CSAT, CES and
// purchase of a response, the staff minutes of a contact and the chance
// that a contact not responded to makes the customer opt out. A customer
// responds with probability rate × exp(−fatigue_sensitivity × fatigue /
// tolerance).
//
// A scenario gives the table inline or from a file next to it:
//
//	behaviour: {plugin: segments, params: {table: {file: rates.csv}}}
//
// docs/plugins-segments.md describes the table's format.
package main

import (
	"fmt"
	"strings"

	"github.com/journeysim/journeysim/plugins"
	"github.com/journeysim/journeysim/sim"
)

func main() { plugins.Serve(segments{}) }

// segments is the plugin: it describes its parameters and builds a
// channel's model from its table.
type segments struct{}

// Describe lists the plugin's two parameters: the table, as text, and how
// strongly fatigue lowers response.
func (segments) Describe() plugins.Description {
	return plugins.Description{Name: "segments", Version: "1.0.0",
		Doc: "responds at a rate read from a CSV table by persona and channel, lowered by fatigue: " +
			"rate × exp(−fatigue_sensitivity × fatigue / tolerance); the table also sets the CSAT, CES and purchase " +
			"of a response, the staff minutes of a contact and the opt-out chance of a contact not responded to",
		Params: []sim.Param{
			{Name: "table", Text: true, DefaultText: "",
				Doc: "CSV text with a header row; columns persona and rate, and optionally channel, satisfaction, effort, purchase, minutes and optout"},
			{Name: "fatigue_sensitivity", Default: 1, Min: 0, Max: 10,
				Doc: "how strongly fatigue lowers response: the rate is multiplied by exp(−fatigue_sensitivity × fatigue / tolerance); 0 ignores fatigue"},
		}}
}

// Configure parses the channel's table and checks that some row of it
// applies to the channel.
func (segments) Configure(channel string, params plugins.Params) (sim.Behaviour, error) {
	s := params.Numbers["fatigue_sensitivity"]
	if !(s >= 0 && s <= 10) {
		return nil, fmt.Errorf("fatigue_sensitivity %g is out of range; allowed 0 to 10", s)
	}
	t, err := parseTable(params.Text["table"])
	if err != nil {
		return nil, err
	}
	if !t.appliesTo(channel) {
		return nil, fmt.Errorf("table: no row applies to channel %s; the rows name channels %s; add rows for %s, or rows whose channel is empty or *",
			channel, strings.Join(t.channels(), ", "), channel)
	}
	return &model{table: t, sensitivity: s}, nil
}
