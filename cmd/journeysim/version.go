package main

import (
	"fmt"
	"runtime"

	"github.com/journeysim/journeysim/sim"
	"github.com/spf13/cobra"
)

func newVersionCommand(st *globalState) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  argsBetween(0, 0, "none"),
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintf(st.stdout, "journeysim %s (%s %s/%s)\n", sim.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return err
		},
	}
}
