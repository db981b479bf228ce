package sweep

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Merge combines the complete folders of every shard of one sweep into
// the new folder out. It refuses folders of different experiments,
// shards missing or given twice, and shards not complete, saying which.
// The merged runs table equals, row for row, the one an unsharded sweep
// writes.
func Merge(out string, dirs []string) (*Manifest, error) {
	if len(dirs) == 0 {
		return nil, fmt.Errorf("no folders to merge")
	}
	var first *Manifest
	byIndex := map[int]string{}
	var manifests []*Manifest
	for _, dir := range dirs {
		m, err := ReadManifest(dir)
		if err != nil {
			return nil, err
		}
		if first == nil {
			first = m
		} else if m.ExperimentSHA256 != first.ExperimentSHA256 || m.ScenarioSHA256 != first.ScenarioSHA256 {
			return nil, fmt.Errorf("%s holds experiment %s (SHA-256 %.12s…), %s holds %s (SHA-256 %.12s…): shards of different experiments cannot be merged",
				dir, m.Experiment, m.ExperimentSHA256, dirs[0], first.Experiment, first.ExperimentSHA256)
		}
		if m.Version != first.Version {
			return nil, fmt.Errorf("%s was run by journeysim %s, %s by %s: shards of different versions may differ and cannot be merged", dir, m.Version, dirs[0], first.Version)
		}
		if m.Shard.Count != first.Shard.Count {
			return nil, fmt.Errorf("%s is shard %s, %s shard %s: the shards were cut differently", dir, m.Shard, dirs[0], first.Shard)
		}
		if other, ok := byIndex[m.Shard.Index]; ok {
			return nil, fmt.Errorf("%s and %s are both shard %s", other, dir, m.Shard)
		}
		if !m.Complete {
			return nil, fmt.Errorf("%s (shard %s) has %d of its %d runs: finish it with journeysim sweep ... --shard %s --resume",
				dir, m.Shard, m.Done, m.Units, m.Shard)
		}
		byIndex[m.Shard.Index] = dir
		manifests = append(manifests, m)
	}
	var missing []string
	for i := range max(1, first.Shard.Count) {
		if _, ok := byIndex[i]; !ok {
			missing = append(missing, fmt.Sprintf("%d/%d", i, first.Shard.Count))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("shards missing: %s; merge needs every shard of the sweep", strings.Join(missing, ", "))
	}
	merged := *first
	merged.Shard = Shard{Index: 0, Count: 1}
	merged.Shards = slices.Sorted(func(yield func(int) bool) {
		for i := range byIndex {
			if !yield(i) {
				return
			}
		}
	})
	merged.Units, merged.Done = 0, 0
	table, err := ReadRuns(dirs[0], first)
	if err != nil {
		return nil, err
	}
	table.Rows = nil
	for k, dir := range dirs {
		t, err := ReadRuns(dir, manifests[k])
		if err != nil {
			return nil, err
		}
		table.Rows = append(table.Rows, t.Rows...)
		merged.Units += manifests[k].Units
		merged.Done += manifests[k].Done
	}
	sortRuns(table)
	merged.Complete = true
	if entries, err := os.ReadDir(out); err == nil && len(entries) > 0 {
		return nil, fmt.Errorf("%s is not empty: give a new folder for the merged sweep", out)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", out, err)
	}
	for _, name := range []string{ExperimentFile, ScenarioFile} {
		data, err := os.ReadFile(filepath.Join(dirs[0], name))
		if err != nil {
			return nil, err
		}
		if err := writeAtomic(filepath.Join(out, name), data); err != nil {
			return nil, err
		}
	}
	if err := WriteRuns(out, table); err != nil {
		return nil, err
	}
	return &merged, WriteManifest(out, &merged)
}
