package sweep

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/journeysim/journeysim/results/output"
)

// Merge combines the complete folders of every shard of one sweep into
// the new folder out. It refuses, naming the folders and both values,
// shards of different experiments (by name, seed, or the SHA-256 of the
// experiment file or of the scenario), shards run by different versions
// of journeysim or by builds of different commits (a shard whose commit
// is unknown merges with any: output.SameCommit), shards whose runs
// tables name their columns differently, shards cut differently, missing
// or given twice, and shards not complete. The merged runs table, and
// series table if the sweep records series, equal, row for row, those an
// unsharded sweep writes.
//
// The merged manifest keeps the shards' version and their commit (the
// one those that know it record), lists each shard's folder and sessions
// in MergedFrom, and records by, the merge's own build, host and start,
// in Merge.
func Merge(out string, dirs []string, by output.Provenance) (*Manifest, error) {
	if len(dirs) == 0 {
		return nil, fmt.Errorf("no folders to merge")
	}
	var first *Manifest
	commit, commitDir := "", "" // the first known commit, and its shard's folder
	byIndex := map[int]string{}
	var manifests []*Manifest
	for _, dir := range dirs {
		m, err := ReadManifest(dir)
		if err != nil {
			return nil, err
		}
		if first == nil {
			first = m
		} else if err := sameSweep(dir, m, dirs[0], first); err != nil {
			return nil, err
		}
		if !output.SameCommit(m.Commit, commit) {
			return nil, fmt.Errorf("%s was run by journeysim built from commit %s, %s by one built from commit %s: shards of different builds may differ and cannot be merged (a shard whose commit is unknown merges with any)",
				dir, m.Commit, commitDir, commit)
		}
		if commit == "" && m.Commit != "" {
			commit, commitDir = m.Commit, dir
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
	merged.Commit = commit
	merged.Shard = Shard{Index: 0, Count: 1}
	merged.Shards = slices.Sorted(func(yield func(int) bool) {
		for i := range byIndex {
			if !yield(i) {
				return
			}
		}
	})
	merged.Sessions = nil
	merged.MergedFrom = nil
	for k, m := range manifests {
		merged.MergedFrom = append(merged.MergedFrom, MergedShard{Shard: m.Shard.Index, Folder: dirs[k], Commit: m.Commit, Sessions: m.Sessions})
	}
	slices.SortFunc(merged.MergedFrom, func(a, b MergedShard) int { return a.Shard - b.Shard })
	merged.Merge = &by
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
	table.Metadata = merged.ParquetMetadata()
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
	if len(merged.Series) > 0 {
		if err := mergeSeries(out, dirs, table.Metadata); err != nil {
			return nil, err
		}
	}
	return &merged, WriteManifest(out, &merged)
}

// sameSweep checks that the shard in dir, described by m, belongs with
// the shard in firstDir, described by first: the same experiment, seed,
// scenario, version of journeysim, runs table columns and cut into
// shards. Its error names what differs, with both values.
func sameSweep(dir string, m *Manifest, firstDir string, first *Manifest) error {
	const refuse = "shards of different experiments cannot be merged"
	switch {
	case m.Experiment != first.Experiment:
		return fmt.Errorf("%s holds experiment %s, %s holds %s: %s", dir, m.Experiment, firstDir, first.Experiment, refuse)
	case m.Seed != first.Seed:
		return fmt.Errorf("%s holds experiment %s with seed %s, %s with seed %s: %s", dir, m.Experiment, m.Seed, firstDir, first.Seed, refuse)
	case m.ExperimentSHA256 != first.ExperimentSHA256:
		return fmt.Errorf("%s holds experiment %s from a file with SHA-256 %.12s…, %s from one with SHA-256 %.12s…: %s",
			dir, m.Experiment, m.ExperimentSHA256, firstDir, first.ExperimentSHA256, refuse)
	case m.ScenarioSHA256 != first.ScenarioSHA256:
		return fmt.Errorf("%s holds experiment %s on a scenario with SHA-256 %.12s…, %s on one with SHA-256 %.12s…: %s",
			dir, m.Experiment, m.ScenarioSHA256, firstDir, first.ScenarioSHA256, refuse)
	case m.Version != first.Version:
		return fmt.Errorf("%s was run by journeysim %s, %s by %s: shards of different versions may differ and cannot be merged", dir, m.Version, firstDir, first.Version)
	case m.Shard.Count != first.Shard.Count:
		return fmt.Errorf("%s is shard %s, %s shard %s: the shards were cut differently", dir, m.Shard, firstDir, first.Shard)
	}
	a, b := m.Columns(), first.Columns()
	for k := range min(len(a), len(b)) {
		if a[k].Name != b[k].Name {
			return fmt.Errorf("%s names column %d of its runs table %s, %s names it %s: shards whose runs tables differ cannot be merged", dir, k+1, a[k].Name, firstDir, b[k].Name)
		}
	}
	if len(a) != len(b) {
		return fmt.Errorf("%s has %d columns in its runs table, %s %d: shards whose runs tables differ cannot be merged", dir, len(a), firstDir, len(b))
	}
	return nil
}

// mergeSeries writes into out the series tables of the shards in dirs,
// combined and sorted by run, with the Parquet metadata meta.
func mergeSeries(out string, dirs []string, meta map[string]string) error {
	var all *output.Table
	for _, dir := range dirs {
		t, err := ReadSeries(dir)
		if err != nil {
			return err
		}
		if all == nil {
			all = t
			continue
		}
		all.Rows = append(all.Rows, t.Rows...)
	}
	sortRuns(all)
	all.Metadata = meta
	return WriteSeries(out, all)
}
