package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/journeysim/journeysim/results/output"
	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/sim"
	"github.com/journeysim/journeysim/sim/text"
	"github.com/spf13/cobra"
)

func newValidateCommand(st *globalState) *cobra.Command {
	flags := &pluginFlags{}
	c := &cobra.Command{
		Use:   "validate FILE...",
		Short: "Check scenario files without running them",
		Long: `Check scenario files: every key, value, reference and expression. All problems
in a file are listed at once, each as file:line:column. Exit code 2 if any
file has a problem.`,
		Example: `  journeysim validate my-scenario.yaml
  journeysim validate scenarios/*.yaml
  journeysim validate hotel.yaml --plugin-dir plugins/bin`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("%s needs at least one scenario file", c.CommandPath())
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			return runValidate(c.Context(), st, flags, args)
		},
	}
	flags.register(c.Flags())
	return c
}

func runValidate(_ context.Context, st *globalState, flags *pluginFlags, files []string) error {
	host, err := flags.host(st)
	if err != nil {
		return err
	}
	defer host.Close()
	var all []error
	for _, f := range files {
		sc, err := scenarios.OpenWith(f, flags.options(host))
		if err != nil {
			all = append(all, err)
			continue
		}
		if err := checkKeyOutcomes(sc); err != nil {
			all = append(all, err)
			continue
		}
		if _, err := compileChecks(sc, nil); err != nil {
			all = append(all, err)
			continue
		}
		fmt.Fprint(st.stdout, output.WrapLine(fmt.Sprintf("%s: ok: %s", f, scenarioFacts(sc)), st.tableWidth(st.widthFlag()), "", "  "))
		noteLateInvestments(st, sc.Model, nil)
	}
	return errors.Join(all...)
}

func scenarioFacts(sc *scenarios.Scenario) string {
	m := sc.Model
	exprs, native := 0, 0
	seen := map[*sim.Expr]bool{}
	tally := func(e *sim.Expr) {
		if e != nil && !seen[e] {
			seen[e] = true
			exprs++
			if e.Native {
				native++
			}
		}
	}
	for _, e := range m.Expressions() {
		tally(e) // a trigger inherited through extends is one expression
	}
	checks := ""
	if len(sc.Checks) > 0 {
		checks = ", " + count(len(sc.Checks), "check")
	}
	return fmt.Sprintf("scenario %s: %s, %s, %s, %s, %s (%d compiled to native code)%s",
		m.Name, count(len(m.Population.Personas), "persona"), count(len(m.Channels), "channel"),
		count(len(m.Nodes), "journey node"), count(len(m.Strategies), "strategy"), count(exprs, "expression"), native, checks)
}

// count writes n with noun, in the plural unless n is 1.
func count(n int, noun string) string {
	return fmt.Sprintf("%d %s", n, text.Noun(float64(n), noun))
}
