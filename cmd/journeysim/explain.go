package main

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/scenarios/explain"
	"github.com/spf13/cobra"
)

type explainOptions struct {
	format  string
	plugins pluginFlags
}

func newExplainCommand(st *globalState) *cobra.Command {
	opts := &explainOptions{}
	c := &cobra.Command{
		Use:   "explain FILE|NAME",
		Short: "Say in plain words what a scenario does, or draw its journey graph",
		Long: `Explain a scenario file, or a built-in scenario by name, as a teacher would:
who the customers are (personas, affinities, consent, tolerance, loyalty), the
channels and what they cost, the journey's stages, touchpoints and moves with
their chances, the fatigue and loyalty rules, and each strategy: its channels,
integration level, discount, caps, quiet times, holdout, and every trigger put
into a sentence.

--format mermaid prints the journey graph as a Mermaid flowchart (paste it into
a Markdown file or mermaid.live); --format dot prints it for Graphviz
('journeysim explain hotel-stay --format dot | dot -Tsvg > hotel.svg').

docs/explain.md shows an example.`,
		Example: `  journeysim explain hotel-stay
  journeysim explain my-scenario.yaml
  journeysim explain retail-omnichannel --format mermaid
  journeysim explain email-pressure --format dot | dot -Tpng > journey.png`,
		Args: argsBetween(1, 1, "a scenario file or a built-in scenario's name"),
		RunE: func(c *cobra.Command, args []string) error {
			return runExplain(c.Context(), st, opts, args[0])
		},
	}
	c.Flags().StringVar(&opts.format, "format", explain.Formats[0], "output format: "+strings.Join(explain.Formats, ", "))
	opts.plugins.register(c.Flags())
	return c
}

func runExplain(_ context.Context, st *globalState, opts *explainOptions, name string) error {
	if !slices.Contains(explain.Formats, opts.format) {
		return usagef("--format %q: allowed: %s", opts.format, strings.Join(explain.Formats, ", "))
	}
	host, err := opts.plugins.host(st)
	if err != nil {
		return err
	}
	defer host.Close()
	// Described, not run: a plugin that is not built is described as the
	// file configures it.
	sc, err := scenarios.OpenWith(name, opts.plugins.describeOptions(host))
	if err != nil {
		return err
	}
	// Write all or nothing: an explanation cut short would mislead.
	var buf bytes.Buffer
	if err := explain.Write(&buf, sc, opts.format); err != nil {
		return fmt.Errorf("explain %s: %w", name, err)
	}
	_, err = st.stdout.Write(buf.Bytes())
	return err
}
