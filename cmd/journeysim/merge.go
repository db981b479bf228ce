package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/journeysim/journeysim/results/sweep"
	"github.com/spf13/cobra"
)

func newMergeCommand(st *globalState) *cobra.Command {
	var out string
	c := &cobra.Command{
		Use:   "merge DIR... --out DIR",
		Short: "Combine the folders of a sweep's shards into one",
		Long: `Combine the result folders of every shard of one sweep (journeysim sweep
--shard I/N) into a new folder. The shards must come from the same
experiment file (name, seed and text) and scenario, and from the same
version of journeysim built from the same commit (a shard whose commit is
unknown merges with any); they must be complete, and cover 0/N to N-1/N
once each. merge says which are missing or do not belong, and what
differs. The merged runs table equals, row for row, the one a sweep
without shards writes; the merged manifest records each shard's sessions.`,
		Example: `  journeysim merge sweeps/freq/shard-* --out sweeps/freq-all`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("%s takes the shards' folders, at least one", c.CommandPath())
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			return runMerge(c.Context(), st, out, args)
		},
	}
	c.Flags().StringVar(&out, "out", "", "folder for the merged sweep (required; new or empty)")
	return c
}

func runMerge(_ context.Context, st *globalState, out string, dirs []string) error {
	if out == "" {
		return usagef("--out is required: a new folder for the merged sweep")
	}
	release := st.holdInterrupts()
	m, err := sweep.Merge(out, dirs, st.provenance(st.clock()))
	release()
	if err != nil {
		var we *sweep.WriteError
		if errors.As(err, &we) {
			return err // the disk, not the shards: a run failure
		}
		return &inputError{err}
	}
	fmt.Fprintf(st.stdout, "merged %d shards of %s: %d runs in %s\nnext: journeysim analyze %s\n", len(m.Shards), m.Experiment, m.Done*len(m.Strategies), out, out)
	return nil
}
