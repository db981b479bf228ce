// Command response is an example channel-behaviour plugin: the built-in
// response model served from its own process. A scenario uses it with
// behaviour: {plugin: response, params: {rate: 0.05}}; it gives exactly the
// numbers of behaviour: {name: response}, so it measures what the process
// boundary costs.
package main

import (
	"github.com/journeysim/journeysim/plugins"
	"github.com/journeysim/journeysim/sim"
)

func main() { plugins.Serve(responsePlugin{}) }

type responsePlugin struct{}

func (responsePlugin) Describe() plugins.Description {
	spec, _ := sim.LookupBuiltin("response")
	return plugins.Description{Name: "response", Version: "1.0.0", Doc: spec.Doc, Params: spec.Params}
}

func (responsePlugin) Configure(_ string, params plugins.Params) (sim.Behaviour, error) {
	return sim.NewBuiltin("response", params.Numbers)
}
