package sweep

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func testManifest() *Manifest {
	return &Manifest{Experiment: "t", ExperimentSHA256: "e", ScenarioSHA256: "s", Points: 3, Replications: 2,
		Strategies: []string{"a", "b"}, Params: []ParamInfo{{Path: "x", Numeric: true}, {Path: "level", Numeric: false}},
		Outcomes: []Outcome{{Key: "revenue", Better: 1}}, Shard: Shard{Count: 1}, Units: 6}
}

func unitRows(point, rep int) []Row {
	return []Row{
		{Point: point, Replication: rep, Strategy: 0, Seed: 9, Params: []string{"1.5", "omni, with a comma"}, Outcomes: []float64{float64(point*10 + rep)}},
		{Point: point, Replication: rep, Strategy: 1, Seed: 9, Params: []string{"1.5", "omni, with a comma"}, Outcomes: []float64{float64(point*10+rep) + 0.5}},
	}
}

// Every unit belongs to exactly one shard of a set.
func TestShardsPartition(t *testing.T) {
	for _, n := range []int{1, 2, 3, 7} {
		for u := range 100 {
			owners := 0
			for i := range n {
				if (Shard{Index: i, Count: n}).Has(u) {
					owners++
				}
			}
			if owners != 1 {
				t.Errorf("unit %d belongs to %d of %d shards", u, owners, n)
			}
		}
	}
}

// A journal cut off in the middle of a run's rows, as by a crash, resumes
// without that run and with every whole one; once every run is in, the
// runs table is sorted by run whatever order the runs finished in.
func TestJournalResumesAfterACutOffWrite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sweep")
	m := testManifest()
	j, err := Create(dir, m, []byte("exp"), []byte("scenario"))
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range [][2]int{{2, 1}, {0, 0}, {1, 1}} {
		if err := j.Append(unitRows(u[0], u[1])); err != nil {
			t.Fatal(err)
		}
	}
	j.f.Close()
	// A fourth run, cut off after its first row and half of its second.
	path := filepath.Join(dir, RunsFile)
	data, _ := os.ReadFile(path)
	extra := csvLine(m.Cells(unitRows(1, 0)[0])) + "t,3,1,0,b,9,1.5,"
	os.WriteFile(path, append(data, extra...), 0o644)

	j, err = Resume(dir, testManifest(), []byte("exp"), []byte("scenario"))
	if err != nil {
		t.Fatal(err)
	}
	if j.Count() != 3 || j.Done(1*2+0) || !j.Done(2*2+1) {
		t.Fatalf("resumed with %d runs; want the 3 whole ones, not the cut one", j.Count())
	}
	for _, u := range [][2]int{{1, 0}, {0, 1}, {2, 0}} {
		if err := j.Append(unitRows(u[0], u[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSpace(string(got)), "\n")
	if len(lines) != 1+12 {
		t.Fatalf("%d lines; want a header and 12 rows:\n%s", len(lines), got)
	}
	for k, line := range lines[1:] {
		if !strings.HasPrefix(line, "t,"+itoa(k)+",") {
			t.Errorf("line %d: %s; want run %d", k+1, line, k)
		}
	}
	if !strings.Contains(string(got), `"omni, with a comma"`) {
		t.Error("a text value with a comma is not quoted")
	}
	man, err := ReadManifest(dir)
	if err != nil || !man.Complete || man.Done != 6 {
		t.Errorf("manifest %+v, %v; want complete with 6 runs", man, err)
	}
	if _, err := os.Stat(filepath.Join(dir, RunsParquet)); err != nil {
		t.Error(err)
	}
	// Another experiment's folder is not resumed.
	other := testManifest()
	other.ExperimentSHA256 = "f"
	if _, err := Resume(dir, other, []byte("exp"), []byte("scenario")); err == nil || !strings.Contains(err.Error(), "holds another experiment") {
		t.Errorf("resume of another experiment: %v", err)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// Cells that span lines (a quoted newline) do not confuse a resume.
func TestJournalResumesWithMultilineCells(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sweep")
	m := testManifest()
	m.Experiment = "two\nlines"
	j, err := Create(dir, m, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range [][2]int{{0, 0}, {1, 1}} {
		if err := j.Append(unitRows(u[0], u[1])); err != nil {
			t.Fatal(err)
		}
	}
	j.f.Close()
	again := testManifest()
	again.Experiment = m.Experiment
	j, err = Resume(dir, again, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer j.f.Close()
	if j.Count() != 2 || !j.Done(0) || !j.Done(3) {
		t.Errorf("resumed with %d runs; want both", j.Count())
	}
}

// A run's result folder is not taken for a sweep that holds 0 of 0 runs:
// Analyze, merge and resume say what it is.
func TestReadManifestOfARun(t *testing.T) {
	for _, c := range []struct{ manifest, want string }{
		{`{"tool": "journeysim", "version": "1"}`, "is a run's result folder (journeysim run --out), not a sweep folder"},
		{`{"points": 3}`, "is not a sweep folder: its manifest.json names no experiment"},
	} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, ManifestFile), []byte(c.manifest), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Analyze(dir); err == nil || !strings.Contains(err.Error(), dir+" "+c.want) {
			t.Errorf("Analyze of a folder whose manifest is %s: %v; want %q", c.manifest, err, c.want)
		}
	}
}

// writeFolder makes a folder holding files (name → content).
func writeFolder(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "sweep")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// A folder that a sweep's start left unfinished, by a full disk or a
// crash at any point after its manifest, or by an earlier journeysim that
// wrote its manifest last, resumes: the files missing are written, and
// temporary files left by a cut-off write are removed. A folder without a
// manifest that holds anything else is not taken for a sweep.
func TestResumeAfterAFailedStart(t *testing.T) {
	m := testManifest()
	manifest := func() string {
		dir := t.TempDir()
		if err := WriteManifest(dir, testManifest()); err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(filepath.Join(dir, ManifestFile))
		return string(data)
	}()
	const exp, scenario = "name: t\n", "name: s\n"
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string // in the error; "" if Resume must succeed
	}{
		{"empty folder", nil, ""},
		{"manifest alone", map[string]string{ManifestFile: manifest}, ""},
		{"manifest and part of the rest", map[string]string{ManifestFile: manifest, ExperimentFile: exp, ".scenario.yaml.tmp-123": "name"}, ""},
		{"no manifest: experiment alone", map[string]string{ExperimentFile: exp}, ""},
		{"no manifest: all but it", map[string]string{ExperimentFile: exp, ScenarioFile: scenario, RunsFile: m.header(), ".manifest.json.tmp-9": "{"}, ""},
		{"no manifest: another experiment", map[string]string{ExperimentFile: "name: u\n"}, "its experiment.yaml is not this experiment's"},
		{"no manifest: runs", map[string]string{RunsFile: m.header() + "t,0,0,0,a,9,1.5,x,1\n"}, "holds runs but no manifest.json"},
		{"no manifest: another table", map[string]string{RunsFile: "a,b\n"}, "its runs.csv is not this experiment's"},
		{"no manifest: other files", map[string]string{ExperimentFile: exp, "notes.txt": "mine"}, "is not a sweep folder: it has no manifest.json, and holds notes.txt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeFolder(t, tc.files)
			j, err := Resume(dir, testManifest(), []byte(exp), []byte(scenario))
			if tc.want != "" {
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("error %v; want %q", err, tc.want)
				}
				if _, err := os.Stat(filepath.Join(dir, ManifestFile)); err == nil {
					t.Error("a manifest was written in a folder refused")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if j.Count() != 0 {
				t.Errorf("resumed with %d runs; want none", j.Count())
			}
			for _, u := range [][2]int{{0, 0}, {0, 1}, {1, 0}, {1, 1}, {2, 0}, {2, 1}} {
				if err := j.Append(unitRows(u[0], u[1])); err != nil {
					t.Fatal(err)
				}
			}
			if err := j.Close(); err != nil {
				t.Fatal(err)
			}
			if man, err := ReadManifest(dir); err != nil || !man.Complete {
				t.Errorf("manifest %+v, %v; want it complete", man, err)
			}
			list, _ := os.ReadDir(dir)
			var names []string
			for _, e := range list {
				names = append(names, e.Name())
			}
			if want := []string{ExperimentFile, ManifestFile, RunsFile, RunsParquet, ScenarioFile}; !slices.Equal(names, want) {
				t.Errorf("folder holds %v; want %v", names, want)
			}
			for name, want := range map[string]string{ExperimentFile: exp, ScenarioFile: scenario} {
				if data, _ := os.ReadFile(filepath.Join(dir, name)); string(data) != want {
					t.Errorf("%s holds %q; want %q", name, data, want)
				}
			}
		})
	}
}

// Create refuses a folder that is not empty, and says whether --resume
// would finish what it holds.
func TestCreateRefusesAFolderInUse(t *testing.T) {
	for _, tc := range []struct {
		files map[string]string
		want  string
	}{
		{map[string]string{ManifestFile: "{}"}, "holds a sweep already: add --resume to finish it, or give a new folder"},
		{map[string]string{ExperimentFile: "name: t\n"}, "holds the start of a sweep that wrote no manifest: add --resume to finish it, or give a new folder"},
		{map[string]string{"notes.txt": ""}, "is not empty and holds no sweep: give a new or empty folder"},
	} {
		dir := writeFolder(t, tc.files)
		if _, err := Create(dir, testManifest(), nil, nil); err == nil || err.Error() != dir+" "+tc.want {
			t.Errorf("Create in a folder holding %v: %v; want %q", tc.files, err, dir+" "+tc.want)
		}
	}
}

// A whole line that is not a run, with runs after it, was put there by
// hand: resuming refuses, naming the line, rather than drop every run
// after it.
func TestJournalRefusesALineThatIsNotARun(t *testing.T) {
	for name, bad := range map[string]string{
		"too few cells":      "t,3,1\n",
		"point out of range": csvLine(m0Cells(9, 0)),
		"words for a point":  "t,3,one,0,a,9,1.5,omni,10\n",
	} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "sweep")
			j, err := Create(dir, testManifest(), []byte("exp"), []byte("scenario"))
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range [][2]int{{0, 0}, {0, 1}} {
				if err := j.Append(unitRows(u[0], u[1])); err != nil {
					t.Fatal(err)
				}
			}
			j.f.Close()
			path := filepath.Join(dir, RunsFile)
			data, _ := os.ReadFile(path)
			lines := strings.SplitAfter(string(data), "\n")
			// header, the two rows of run (0, 0), the bad line, run (0, 1)
			edited := strings.Join(lines[:3], "") + bad + strings.Join(lines[3:], "")
			if err := os.WriteFile(path, []byte(edited), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err = Resume(dir, testManifest(), []byte("exp"), []byte("scenario"))
			if err == nil || !strings.Contains(err.Error(), path+" line 4 is not a run of this sweep") {
				t.Fatalf("resume: %v; want a refusal naming line 4", err)
			}
			if after, _ := os.ReadFile(path); string(after) != edited {
				t.Error("the runs table was changed")
			}
		})
	}
}

// m0Cells is the first row of run (point, rep) as the runs table holds it.
func m0Cells(point, rep int) []string { return testManifest().Cells(unitRows(point, rep)[0]) }
