package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/journeysim/journeysim/results/output"

	"github.com/journeysim/journeysim/scenarios"
	"github.com/spf13/cobra"
)

func newScenariosCommand(st *globalState) *cobra.Command {
	return &cobra.Command{
		Use:   "scenarios [NAME]",
		Short: "List the built-in scenarios, or print one's source",
		Long: `Without an argument, list the built-in scenarios with a line on each. With a
name, print that scenario's YAML source: a starting point for your own.`,
		Example: `  journeysim scenarios
  journeysim scenarios email-pressure > my-pressure.yaml`,
		Args: argsBetween(0, 1, "a built-in scenario's name"),
		RunE: func(c *cobra.Command, args []string) error {
			return runScenarios(c.Context(), st, args)
		},
	}
}

func runScenarios(_ context.Context, st *globalState, args []string) error {
	if len(args) == 1 {
		src, err := scenarios.BuiltinSource(args[0])
		if err != nil {
			return err
		}
		_, err = st.stdout.Write(src)
		return err
	}
	list, err := scenarios.Builtins()
	if err != nil {
		return err
	}
	width := 0
	for _, s := range list {
		width = max(width, len(s.Name))
	}
	// Descriptions wrap within the terminal beside the names, or under
	// them when the terminal leaves too little room beside.
	page := st.tableWidth(st.widthFlag())
	indent := strings.Repeat(" ", width+4)
	under := page > 0 && page-len(indent) < 30
	for _, s := range list {
		mark := " "
		if s.Name == scenarios.Default {
			mark = "*"
		}
		if under {
			fmt.Fprintf(st.stdout, "%s %s\n", mark, s.Name)
			io.WriteString(st.stdout, output.WrapLine(s.Description, page, "    ", "    "))
			if s.Lesson != "" {
				io.WriteString(st.stdout, output.WrapLine("lesson: "+s.Lesson, page, "    ", "      "))
			}
			continue
		}
		io.WriteString(st.stdout, output.WrapLine(s.Description, page, fmt.Sprintf("%s %-*s  ", mark, width, s.Name), indent))
		if s.Lesson != "" {
			io.WriteString(st.stdout, output.WrapLine("lesson: "+s.Lesson, page, indent, indent+"  "))
		}
	}
	fmt.Fprintf(st.stdout, "\n* runs when 'journeysim run' is given no scenario\n")
	return nil
}
