package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/journeysim/journeysim/results/output"
	"github.com/journeysim/journeysim/sim"
	"github.com/spf13/cobra"
)

func newVersionCommand(st *globalState) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Long: `Print the engine's version (which, with the scenario and the seed, fixes a
run's results), the source revision it was built from and the toolchain.`,
		Example: `  journeysim version
  journeysim --version`,
		Args: argsBetween(0, 0, "none"),
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintln(st.stdout, describeBuild(st.buildInfo()))
			return err
		},
	}
}

// commit is the source revision, and treeModified "true" when the working
// tree held changes not in it ("false" when it held none), both set at
// build time by the Makefile (-ldflags "-X main.commit=… -X
// main.treeModified=…") for builds where the go command records neither.
var (
	commit       = ""
	treeModified = ""
)

// readBuild describes this program: the engine's version, the commit it
// was built from, whether its tree was modified, and the toolchain and
// platform. The commit is the one the linker was given (commit) or, in
// full, the revision the go command recorded when it agrees with it or
// none was given; a program built outside a repository, or by go run or
// go test, knows none.
func readBuild() output.Build {
	b := output.Build{Version: sim.Version, Commit: commit, GoVersion: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}
	if commit != "" && (treeModified == "true" || treeModified == "false") {
		m := treeModified == "true"
		b.Modified = &m
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return b
	}
	return buildFrom(b, info.Settings)
}

// buildFrom completes b, whose Commit is the one the linker was given,
// from the go command's build settings.
func buildFrom(b output.Build, settings []debug.BuildSetting) output.Build {
	var rev, modified string
	for _, s := range settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev == "" || !output.SameCommit(b.Commit, rev) {
		return b // a commit given to the linker, for a tree the go command did not see
	}
	b.Commit = rev
	if modified == "true" || modified == "false" {
		m := modified == "true"
		b.Modified = &m
	}
	return b
}

// buildInfo describes the program for the record: st.build's, or else
// readBuild's.
func (st *globalState) buildInfo() output.Build {
	if st.build != nil {
		return st.build()
	}
	return readBuild()
}

// provenance is the record of work that started at started on this
// machine, by this program; a host whose name cannot be read is "".
func (st *globalState) provenance(started time.Time) output.Provenance {
	name := os.Hostname
	if st.hostname != nil {
		name = st.hostname
	}
	host, _ := name()
	return output.Provenance{Build: st.buildInfo(), Host: host, Started: output.Timestamp(started)}
}

// versionString names this program's engine version (which, with the
// scenario and the seed, fixes a run's results), source revision and
// toolchain.
func versionString() string { return describeBuild(readBuild()) }

// describeBuild names b's engine version, source revision (and whether
// the tree was modified) and toolchain, as journeysim version prints them.
func describeBuild(b output.Build) string {
	rev := "unknown commit"
	if b.Commit != "" {
		rev = "commit " + b.Commit[:min(12, len(b.Commit))]
		if b.Modified != nil && *b.Modified {
			rev += ", modified"
		}
	}
	return fmt.Sprintf("journeysim %s (%s, %s %s/%s)", b.Version, rev, b.GoVersion, b.OS, b.Arch)
}
