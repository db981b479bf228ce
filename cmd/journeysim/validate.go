package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/sim"
	"github.com/spf13/cobra"
)

func newValidateCommand(st *globalState) *cobra.Command {
	return &cobra.Command{
		Use:   "validate FILE...",
		Short: "Check scenario files without running them",
		Long: `Check scenario files: every key, value, reference and expression. All problems
in a file are listed at once, each as file:line:column. Exit code 2 if any
file has a problem.`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("%s needs at least one scenario file", c.CommandPath())
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			return runValidate(c.Context(), st, args)
		},
	}
}

func runValidate(_ context.Context, st *globalState, files []string) error {
	var all []error
	for _, f := range files {
		m, err := scenarios.Open(f)
		if err != nil {
			all = append(all, err)
			continue
		}
		fmt.Fprintf(st.stdout, "%s: ok: %s\n", f, describeModel(m))
	}
	return errors.Join(all...)
}

func describeModel(m *sim.Model) string {
	exprs, native := 0, 0
	count := func(e *sim.Expr) {
		if e != nil {
			exprs++
			if e.Native {
				native++
			}
		}
	}
	for _, ch := range m.Channels {
		count(ch.OptOut)
	}
	seen := map[*sim.Expr]bool{}
	for _, n := range m.Nodes {
		count(n.Satisfaction)
		count(n.Effort)
		for _, e := range append(append([]sim.Edge{}, n.Edges...), n.ResponseEdges...) {
			if !seen[e.P] {
				seen[e.P] = true
				count(e.P)
			}
		}
	}
	count(m.Loyalty.Churn)
	count(m.Loyalty.Referral)
	for _, s := range m.Strategies {
		count(s.Quiet)
		for _, t := range s.Triggers {
			count(t.When)
		}
	}
	return fmt.Sprintf("scenario %s: %d personas, %d channels, %d journey nodes, %d strategies, %d expressions (%d compiled to native code)",
		m.Name, len(m.Population.Personas), len(m.Channels), len(m.Nodes), len(m.Strategies), exprs, native)
}
