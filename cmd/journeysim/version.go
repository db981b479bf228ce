package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/journeysim/journeysim/sim"
	"github.com/spf13/cobra"
)

func newVersionCommand(st *globalState) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  argsBetween(0, 0, "none"),
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintln(st.stdout, versionString())
			return err
		},
	}
}

// commit is the source revision, set at build time by the Makefile
// (-ldflags "-X main.commit=…").
var commit = ""

// versionString names the engine version (which, with the scenario and the
// seed, fixes a run's results), the source revision and the toolchain.
func versionString() string {
	rev := commit
	if rev == "" {
		rev = "unknown commit"
		if info, ok := debug.ReadBuildInfo(); ok {
			for _, s := range info.Settings {
				if s.Key == "vcs.revision" && len(s.Value) >= 12 {
					rev = "commit " + s.Value[:12]
				}
			}
		}
	} else {
		rev = "commit " + rev
	}
	return fmt.Sprintf("journeysim %s (%s, %s %s/%s)", sim.Version, rev, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
