package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/journeysim/journeysim/results/output"
	"github.com/journeysim/journeysim/results/sweep"
	"github.com/journeysim/journeysim/sim"
)

// testCommit is the commit testBuild records.
const testCommit = "0123456789abcdef0123456789abcdef01234567"

// testBuild is a fixed description of the program, for records that tests
// compare.
func testBuild() output.Build {
	return buildWith(testCommit)
}

// buildWith is testBuild with another commit.
func buildWith(commit string) output.Build {
	modified := false
	return output.Build{Version: sim.Version, Commit: commit, Modified: &modified, GoVersion: "go1.99.0", OS: "linux", Arch: "amd64"}
}

// machine is how a test runs the command: on which host, with which
// build, from which time on (a second later at every reading of the
// clock).
type machine struct {
	host  string
	build output.Build
	clock time.Time
}

// run runs the command on m with args, and returns its exit code, stdout
// and stderr.
func (m *machine) run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	return m.runIn(t, context.Background(), args...)
}

func (m *machine) runIn(t *testing.T, ctx context.Context, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	st := &globalState{ctx: ctx, stdout: &stdout, stderr: &stderr, args: args,
		now:      func() time.Time { m.clock = m.clock.Add(time.Second); return m.clock },
		build:    func() output.Build { return m.build },
		hostname: func() (string, error) { return m.host, nil }}
	code := execute(st, args)
	return code, stdout.String(), stderr.String()
}

func newMachine(host, commit string) *machine {
	return &machine{host: host, build: buildWith(commit), clock: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)}
}

func readManifest(t *testing.T, dir string) *sweep.Manifest {
	t.Helper()
	m, err := sweep.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// The commit is the one the linker was given, in full when the go command
// recorded the same revision; whether the tree was modified is known only
// from the go command.
func TestBuildFrom(t *testing.T) {
	full := "89abcdef0123456789abcdef0123456789abcdef"
	settings := []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: full}, {Key: "vcs.modified", Value: "true"}}
	base := output.Build{Version: "1.2.3", GoVersion: "go1.99.0", OS: "linux", Arch: "arm64"}
	for _, tc := range []struct {
		name, ldflags string
		settings      []debug.BuildSetting
		want          string
		modified      string // "true", "false" or "" for unknown
	}{
		{"linker and go command agree", full[:12], settings, full, "true"},
		{"go command alone", "", settings, full, "true"},
		{"linker alone", "abcdef012345", nil, "abcdef012345", ""},
		{"linker and go command disagree", "abcdef012345", settings, "abcdef012345", ""},
		{"neither", "", nil, "", ""},
		{"clean tree", "", []debug.BuildSetting{{Key: "vcs.revision", Value: full}, {Key: "vcs.modified", Value: "false"}}, full, "false"},
	} {
		b := base
		b.Commit = tc.ldflags
		got := buildFrom(b, tc.settings)
		modified := ""
		if got.Modified != nil {
			modified = map[bool]string{true: "true", false: "false"}[*got.Modified]
		}
		if got.Commit != tc.want || modified != tc.modified || got.Version != "1.2.3" || got.OS != "linux" {
			t.Errorf("%s: commit %q, modified %q, %+v; want %q, %q", tc.name, got.Commit, modified, got, tc.want, tc.modified)
		}
	}
	modified := true
	b := output.Build{Version: "1.2.3", Commit: full, Modified: &modified, GoVersion: "go1.99.0", OS: "linux", Arch: "arm64"}
	if got, want := describeBuild(b), "journeysim 1.2.3 (commit 89abcdef0123, modified, go1.99.0 linux/arm64)"; got != want {
		t.Errorf("describeBuild = %q; want %q", got, want)
	}
	if got, want := describeBuild(base), "journeysim 1.2.3 (unknown commit, go1.99.0 linux/arm64)"; got != want {
		t.Errorf("describeBuild = %q; want %q", got, want)
	}
}

// A run's result folder records the build, the host and the times.
func TestRunManifestProvenance(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	m := newMachine("node-3", testCommit)
	if code, _, stderr := m.run(t, "run", "testdata/small.yaml", "--reps", "1", "--out", dir); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	var man output.Manifest
	if err := json.Unmarshal(readFile(t, filepath.Join(dir, "manifest.json")), &man); err != nil {
		t.Fatal(err)
	}
	if man.Build == nil || *man.Build.Modified || man.Build.Commit != testCommit || man.Build.GoVersion != "go1.99.0" || man.Build.OS != "linux" || man.Build.Arch != "amd64" || man.Build.Version != sim.Version {
		t.Errorf("build %+v; want the machine's", man.Build)
	}
	if man.Commit != testCommit || man.Host != "node-3" {
		t.Errorf("commit %q, host %q; want %q, node-3", man.Commit, man.Host, testCommit)
	}
	if man.Started != "2026-03-04T05:06:08Z" || man.Finished <= man.Started || !strings.HasSuffix(man.Finished, "Z") {
		t.Errorf("started %q, finished %q; want UTC RFC 3339, from the clock", man.Started, man.Finished)
	}
}

// A sweep's manifest records the build, host and times of every session
// that worked on it; none of it reaches the runs tables, which stay the
// same bytes whatever the host, the time, the workers, the shards or the
// resumes.
func TestSweepProvenance(t *testing.T) {
	exp := writeExperiment(t, testExperiment)
	base := t.TempDir()

	whole := filepath.Join(base, "whole")
	a := newMachine("node-a", testCommit)
	if code, _, stderr := a.run(t, "sweep", exp, "--out", whole, "--workers", "2", "--quiet"); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, stderr)
	}
	man := readManifest(t, whole)
	if man.Commit != testCommit || len(man.Sessions) != 1 {
		t.Fatalf("commit %q, %d sessions; want %q and one", man.Commit, len(man.Sessions), testCommit)
	}
	s := man.Sessions[0]
	if s.Host != "node-a" || !reflect.DeepEqual(s.Build, a.build) || s.Started != "2026-03-04T05:06:08Z" || s.Ended != "2026-03-04T05:06:09Z" || s.Done != 24 {
		t.Errorf("session %+v; want node-a's build, from 05:06:08 to 05:06:09, 24 runs done", s)
	}
	wantCSV := readFile(t, filepath.Join(whole, "runs.csv"))
	wantParquet := readFile(t, filepath.Join(whole, "runs.parquet"))

	// The same sweep cut short, then resumed on another host: two
	// sessions, the runs tables unchanged.
	cut := filepath.Join(base, "cut")
	b := newMachine("node-b", testCommit)
	b.clock = b.clock.Add(time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	testHookSweepProgress = func(done, _ int) {
		if done == interruptAfter {
			cancel()
		}
	}
	code, _, _ := b.runIn(t, ctx, "sweep", exp, "--out", cut, "--workers", "1", "--quiet")
	testHookSweepProgress = nil
	if code != exitFailure {
		t.Fatalf("interrupted sweep: exit %d; want %d", code, exitFailure)
	}
	c := newMachine("node-c", testCommit[:12]) // a release build: the commit abbreviated
	c.clock = c.clock.Add(2 * time.Hour)
	if code, _, stderr := c.run(t, "sweep", exp, "--out", cut, "--resume", "--quiet"); code != 0 {
		t.Fatalf("resume: exit %d: %s", code, stderr)
	}
	man = readManifest(t, cut)
	if len(man.Sessions) != 2 {
		t.Fatalf("%d sessions after a resume; want 2", len(man.Sessions))
	}
	first, second := man.Sessions[0], man.Sessions[1]
	if first.Host != "node-b" || first.Done != interruptAfter || first.Started != "2026-03-04T06:06:08Z" || first.Ended != "2026-03-04T06:06:09Z" {
		t.Errorf("first session %+v; want node-b's, %d runs", first, interruptAfter)
	}
	if second.Host != "node-c" || second.Build.Commit != testCommit[:12] || second.Done != 24-interruptAfter || second.Started != "2026-03-04T07:06:08Z" || second.Ended != "2026-03-04T07:06:09Z" {
		t.Errorf("second session %+v; want node-c's, %d runs", second, 24-interruptAfter)
	}
	if man.Commit != testCommit {
		t.Errorf("commit %q after a resume; want the first session's, %q", man.Commit, testCommit)
	}
	if !bytes.Equal(readFile(t, filepath.Join(cut, "runs.csv")), wantCSV) || !bytes.Equal(readFile(t, filepath.Join(cut, "runs.parquet")), wantParquet) {
		t.Error("the resumed sweep's runs tables differ from the whole sweep's")
	}

	// Shards on two hosts, one of a build that does not know its commit,
	// merged on a third.
	var shards []string
	for i, m := range []*machine{newMachine("node-d", testCommit), newMachine("node-e", "")} {
		dir := filepath.Join(base, "shard-"+string(rune('0'+i)))
		shards = append(shards, dir)
		if code, _, stderr := m.run(t, "sweep", exp, "--out", dir, "--shard", string(rune('0'+i))+"/2", "--quiet"); code != 0 {
			t.Fatalf("shard %d: exit %d: %s", i, code, stderr)
		}
	}
	merged := filepath.Join(base, "merged")
	f := newMachine("node-f", "")
	if code, _, stderr := f.run(t, "merge", shards[1], shards[0], "--out", merged); code != 0 {
		t.Fatalf("merge: exit %d: %s", code, stderr)
	}
	man = readManifest(t, merged)
	if man.Commit != testCommit || len(man.Sessions) != 0 || man.Merge == nil || man.Merge.Host != "node-f" || man.Merge.Started != "2026-03-04T05:06:08Z" {
		t.Errorf("merged: commit %q, sessions %v, merge %+v; want the shards' commit, no sessions, node-f's merge", man.Commit, man.Sessions, man.Merge)
	}
	var hosts []string
	for k, ms := range man.MergedFrom {
		if ms.Shard != k || ms.Folder != shards[k] || len(ms.Sessions) != 1 || ms.Sessions[0].Done != 12 {
			t.Errorf("merged_from[%d] = %+v; want shard %d from %s, one session of 12 runs", k, ms, k, shards[k])
			continue
		}
		hosts = append(hosts, ms.Sessions[0].Host)
	}
	if want := []string{"node-d", "node-e"}; !slices.Equal(hosts, want) {
		t.Errorf("merged shards' hosts %v; want %v", hosts, want)
	}
	if !bytes.Equal(readFile(t, filepath.Join(merged, "runs.csv")), wantCSV) || !bytes.Equal(readFile(t, filepath.Join(merged, "runs.parquet")), wantParquet) {
		t.Error("the merged runs tables differ from the whole sweep's")
	}

	// The Parquet table says where its rows came from.
	tab, err := output.ReadParquet(bytes.NewReader(wantParquet), int64(len(wantParquet)), "runs")
	if err != nil {
		t.Fatal(err)
	}
	whole0 := readManifest(t, whole)
	want := map[string]string{
		"journeysim.experiment": "test-sweep", "journeysim.experiment_sha256": whole0.ExperimentSHA256,
		"journeysim.scenario_sha256": whole0.ScenarioSHA256, "journeysim.seed": "5",
		"journeysim.version": sim.Version, "journeysim.commit": testCommit,
	}
	for k, v := range want {
		if tab.Metadata[k] != v {
			t.Errorf("runs.parquet metadata %s = %q; want %q", k, tab.Metadata[k], v)
		}
	}
	if len(tab.Metadata) != len(want) {
		t.Errorf("runs.parquet metadata %v; want %v", tab.Metadata, want)
	}
}

// A sweep is finished, and its shards merged, only by builds of one
// commit; a build that does not know its commit may do either.
func TestSweepRefusesOtherCommits(t *testing.T) {
	exp := writeExperiment(t, testExperiment)
	base := t.TempDir()
	other := strings.Repeat("f", 40)
	dir := filepath.Join(base, "sweep")
	a := newMachine("node-a", testCommit)
	if code, _, stderr := a.run(t, "sweep", exp, "--out", dir, "--quiet"); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, stderr)
	}
	code, _, stderr := newMachine("node-b", other).run(t, "sweep", exp, "--out", dir, "--resume", "--quiet")
	if code != exitUsage || !strings.Contains(stderr, "built from commit "+testCommit) || !strings.Contains(stderr, "built from commit "+other) {
		t.Errorf("resume by a build of another commit: exit %d, %q; want %d naming both commits", code, stderr, exitUsage)
	}
	if code, _, stderr := newMachine("node-c", "").run(t, "sweep", exp, "--out", dir, "--resume", "--quiet"); code != 0 {
		t.Errorf("resume by a build of an unknown commit: exit %d, %s", code, stderr)
	}
	if got := readManifest(t, dir); got.Commit != testCommit || len(got.Sessions) != 2 || got.Sessions[1].Build.Commit != "" || got.Sessions[1].Done != 0 {
		t.Errorf("after a resume of a complete sweep: commit %q, sessions %+v; want %q and a second session adding nothing", got.Commit, got.Sessions, testCommit)
	}

	var shards []string
	for i, commit := range []string{testCommit, other} {
		dir := filepath.Join(base, "shard-"+string(rune('0'+i)))
		shards = append(shards, dir)
		if code, _, stderr := newMachine("node", commit).run(t, "sweep", exp, "--out", dir, "--shard", string(rune('0'+i))+"/2", "--quiet"); code != 0 {
			t.Fatalf("shard %d: exit %d: %s", i, code, stderr)
		}
	}
	code, _, stderr = newMachine("node", testCommit).run(t, "merge", shards[0], shards[1], "--out", filepath.Join(base, "merged"))
	want := shards[1] + " was run by journeysim built from commit " + other + ", " + shards[0] + " by one built from commit " + testCommit
	if code != exitUsage || !strings.Contains(stderr, want) {
		t.Errorf("merge of shards of two commits: exit %d, %q; want %d and %q", code, stderr, exitUsage, want)
	}
	if _, err := os.Stat(filepath.Join(base, "merged")); err == nil {
		t.Error("a refused merge made its folder")
	}
}

// merge names the seeds of shards of the same experiment with other seeds.
func TestMergeRefusesOtherSeeds(t *testing.T) {
	base := t.TempDir()
	var shards []string
	for i, seed := range []string{"5", "6"} {
		exp := writeExperiment(t, strings.Replace(testExperiment, "seed: 5", "seed: "+seed, 1))
		dir := filepath.Join(base, "shard-"+seed)
		shards = append(shards, dir)
		if code, _, stderr := newMachine("node", testCommit).run(t, "sweep", exp, "--out", dir, "--shard", string(rune('0'+i))+"/2", "--quiet"); code != 0 {
			t.Fatalf("shard %d: exit %d: %s", i, code, stderr)
		}
	}
	code, _, stderr := newMachine("node", testCommit).run(t, "merge", shards[0], shards[1], "--out", filepath.Join(base, "merged"))
	want := shards[1] + " holds experiment test-sweep with seed 6, " + shards[0] + " with seed 5: shards of different experiments cannot be merged"
	if code != exitUsage || !strings.Contains(stderr, want) {
		t.Errorf("merge of shards of two seeds: exit %d, %q; want %d and %q", code, stderr, exitUsage, want)
	}
}

// The runs table's columns are named to be used unquoted in R, pandas and
// SQL, with units on the outcomes; the manifest maps them back.
func TestSweepColumnNames(t *testing.T) {
	exp := writeExperiment(t, testExperiment)
	dir := filepath.Join(t.TempDir(), "sweep")
	if code, _, stderr := newMachine("node", testCommit).run(t, "sweep", exp, "--out", dir, "--quiet"); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, stderr)
	}
	header, _, _ := strings.Cut(string(readFile(t, filepath.Join(dir, "runs.csv"))), "\n")
	var b strings.Builder
	b.WriteString(header + "\n")
	for _, c := range readManifest(t, dir).RunsColumns {
		switch {
		case c.Param != "":
			b.WriteString(c.Name + " = parameter " + c.Param + "\n")
		case c.Outcome != "":
			b.WriteString(c.Name + " = outcome " + c.Outcome + " in " + c.Unit + "\n")
		default:
			b.WriteString(c.Name + "\n")
		}
	}
	golden(t, "sweep_columns", b.String())
}
