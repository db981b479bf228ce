package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/journeysim/journeysim/results/output"
	"github.com/journeysim/journeysim/scenarios/experiment"
	"github.com/spf13/cobra"
)

type showOptions struct {
	format string
}

func newShowCommand(st *globalState) *cobra.Command {
	opts := &showOptions{}
	c := &cobra.Command{
		Use:   "show DIR",
		Short: "Print a saved run's tables again",
		Long: `Print the tables of a result folder written by 'journeysim run --out DIR',
with where the run came from: the scenario and its hash, the seed, the
command line and when it ran.`,
		Example: `  journeysim run retail-omnichannel --out out/retail
  journeysim show out/retail`,
		Args: argsBetween(1, 1, "a result folder"),
		RunE: func(c *cobra.Command, args []string) error {
			return runShow(c.Context(), st, opts, args[0])
		},
	}
	c.Flags().StringVar(&opts.format, "format", "table", "output format: "+strings.Join(output.Formats, ", "))
	return c
}

func runShow(_ context.Context, st *globalState, opts *showOptions, dir string) error {
	if !slices.Contains(output.Formats, opts.format) {
		return usagef("--format %q: allowed: %s", opts.format, strings.Join(output.Formats, ", "))
	}
	if _, err := checkResultFolder("show", dir, kindRun); err != nil {
		return err
	}
	sum, man, err := output.ReadDir(dir)
	if err != nil {
		return &inputError{err}
	}
	width := st.tableWidth(st.widthFlag())
	if opts.format == "table" {
		head := fmt.Sprintf("%s: %s %s, scenario %s (sha256 %.12s…), run %s for %.1f s",
			dir, man.Tool, man.Version, man.Scenario.Source, man.Scenario.SHA256, readableTime(man.Started), man.WallSeconds)
		fmt.Fprint(st.stdout, output.WrapLine(head, width, "", "  ")+output.WrapLine(commandLine(man.CommandLine), width, "  ", "    ")+"\n")
	}
	return output.WriteWidth(st.stdout, sum, opts.format, width)
}

// commandLine writes a recorded command line as it can be pasted into a
// POSIX shell: each argument that a shell would split or interpret, such
// as "profit_to_cost > 1", in single quotes.
func commandLine(args []string) string {
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = experiment.ShellQuote(a)
	}
	return strings.Join(quoted, " ")
}

// readableTime writes a recorded RFC 3339 time as people read it, to the
// second: "2026-12-05 20:03:24 UTC"; as it is when it is not one.
func readableTime(s string) string {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return s
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}
