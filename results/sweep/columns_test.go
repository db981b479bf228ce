package sweep

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/results/output"
)

func TestParamColumn(t *testing.T) {
	for path, want := range map[string]string{
		"population.size":                     "population__size",
		"strategies.email_7pw.caps.email.max": "strategies__email_7pw__caps__email__max",
		"strategies.email-7pw.caps.0.window":  "strategies__email_7pw__caps__0__window",
		"population.personas.fan.share":       "population__personas__fan__share",
		"7up.discount":                        "p_7up__discount",
		"a.ü b":                               "a____b",
		"":                                    "p_",
	} {
		if got := ParamColumn(path); got != want {
			t.Errorf("ParamColumn(%q) = %q; want %q", path, got, want)
		}
	}
}

// Every column of a runs table has a name of its own that needs no
// quoting, and the manifest maps it to its parameter's path or its
// outcome's key and unit.
func TestColumnsNamedAndMapped(t *testing.T) {
	m := &Manifest{Experiment: "e", Strategies: []string{"a"}, Currency: "GBP",
		Params: []ParamInfo{{Path: "strategies.a-b.discount", Numeric: true}, {Path: "strategies.a_b.discount", Numeric: true},
			{Path: "strategies.a-b.discount_2"}, {Path: "strategies.a.integration"}},
		Outcomes: []Outcome{{Key: "revenue"}, {Key: "churn_rate"}, {Key: "customers"}, {Key: "nps"}, {Key: "nonsense"}}}
	var names []string
	for _, c := range m.Columns() {
		names = append(names, c.Name)
	}
	want := []string{"experiment", "run", "point", "replication", "strategy", "seed",
		"strategies__a_b__discount", "strategies__a_b__discount_2", "strategies__a_b__discount_2_2", "strategies__a__integration",
		"revenue_gbp", "churn_rate_share", "customers", "nps_points", "nonsense"}
	if !slices.Equal(names, want) {
		t.Errorf("columns\n%v; want\n%v", names, want)
	}
	plain := regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)
	for _, n := range names {
		if !plain.MatchString(n) {
			t.Errorf("column %q needs quoting", n)
		}
	}
	cols := m.namedColumns()
	if c := cols[8]; c.Param != "strategies.a-b.discount_2" || c.Outcome != "" {
		t.Errorf("column %s maps to %+v; want the parameter strategies.a-b.discount_2", c.Name, c)
	}
	if c := cols[10]; c.Outcome != "revenue" || c.Unit != "GBP" || c.Param != "" {
		t.Errorf("column %s maps to %+v; want the outcome revenue in GBP", c.Name, c)
	}
	if c := cols[11]; c.Outcome != "churn_rate" || c.Unit != "share" {
		t.Errorf("column %s maps to %+v; want the outcome churn_rate, a share", c.Name, c)
	}
	m.Currency = ""
	if got := m.Columns()[10].Name; got != "revenue_eur" {
		t.Errorf("money column without a currency: %s; want revenue_eur", got)
	}
}

// Create names the columns with the scenario's currency, and the manifest
// records them; a manifest whose map does not fit its parameters and
// outcomes is refused.
func TestManifestRecordsColumns(t *testing.T) {
	m := testManifest()
	dir := filepath.Join(t.TempDir(), "sweep")
	j, err := Create(dir, m, nil, []byte("name: s\nrun: {currency: usd}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	back, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if back.Currency != "usd" || !slices.Equal(back.RunsColumns, m.namedColumns()) {
		t.Errorf("manifest currency %q, columns %+v; want usd and %+v", back.Currency, back.RunsColumns, m.namedColumns())
	}
	header, err := os.ReadFile(filepath.Join(dir, RunsFile))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(header), ",revenue_usd") {
		t.Errorf("runs.csv header %q; want a column revenue_usd", header)
	}
	data, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ from, to, want string }{
		{`"name": "revenue_usd",`, `"name": "seed",`, `column 9 is named "seed", which is empty or taken`},
		{`"outcome": "revenue"`, `"outcome": "profit"`, `column 9 holds outcome "profit"; params and outcomes say "revenue"`},
		{`"name": "experiment"`, `"name": "exp"`, `column 1 holds identity column "exp"; params and outcomes say "experiment"`},
	} {
		if !bytes.Contains(data, []byte(tc.from)) {
			t.Fatalf("manifest lacks %s:\n%s", tc.from, data)
		}
		bad := filepath.Join(t.TempDir(), "bad")
		os.MkdirAll(bad, 0o755)
		os.WriteFile(filepath.Join(bad, ManifestFile), bytes.Replace(data, []byte(tc.from), []byte(tc.to), 1), 0o644)
		if _, err := ReadManifest(bad); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("manifest with %s: %v; want %q", tc.to, err, tc.want)
		}
	}
	var doc map[string]any
	json.Unmarshal(data, &doc)
	doc["runs_columns"] = doc["runs_columns"].([]any)[1:]
	short, _ := json.Marshal(doc)
	bad := filepath.Join(t.TempDir(), "bad")
	os.MkdirAll(bad, 0o755)
	os.WriteFile(filepath.Join(bad, ManifestFile), short, 0o644)
	if _, err := ReadManifest(bad); err == nil || !strings.Contains(err.Error(), "runs_columns lists 8 columns; 2 parameters and 1 outcome make 9") {
		t.Errorf("manifest with a column too few: %v", err)
	}
}

// toLegacy makes the sweep folder dir look as an earlier version wrote
// it: no column map or currency in the manifest, and columns named by the
// parameters' paths and the outcomes' bare keys.
func toLegacy(t *testing.T, dir string) {
	t.Helper()
	m, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	delete(doc, "runs_columns")
	delete(doc, "currency")
	delete(doc, "sessions")
	delete(doc, "commit")
	data, _ = json.MarshalIndent(doc, "", "  ")
	if err := os.WriteFile(filepath.Join(dir, ManifestFile), data, 0o644); err != nil {
		t.Fatal(err)
	}
	var old []string
	for _, c := range identityColumns {
		old = append(old, c.Name)
	}
	for _, p := range m.Params {
		old = append(old, p.Path)
	}
	for _, o := range m.Outcomes {
		old = append(old, o.Key)
	}
	for _, name := range []string{RunsFile} {
		runs, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		_, rows, _ := bytes.Cut(runs, []byte("\n"))
		runs = append([]byte(strings.Join(old, ",")+"\n"), rows...)
		if err := os.WriteFile(filepath.Join(dir, name), runs, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// A folder of an earlier version, whose columns have no units and are
// named by path, still analyses, to the same analysis, and resumes with
// the names it has.
func TestLegacyColumns(t *testing.T) {
	dir, _ := linearSweep(t)
	a, err := Analyze(dir)
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := a.WriteText(&want); err != nil {
		t.Fatal(err)
	}
	toLegacy(t, dir)
	legacy, err := Analyze(dir)
	if err != nil {
		t.Fatalf("analysis of a folder of an earlier version: %v", err)
	}
	var got bytes.Buffer
	if err := legacy.WriteText(&got); err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() {
		t.Errorf("a folder of an earlier version analyses differently:\n%s\n--- want\n%s", got.String(), want.String())
	}

	// Half a sweep of an earlier version, resumed.
	m := testManifest()
	half := filepath.Join(t.TempDir(), "half")
	j, err := Create(half, m, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Append(unitRows(0, 0)); err != nil {
		t.Fatal(err)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	toLegacy(t, half)
	j, err = Resume(half, testManifest(), nil, nil)
	if err != nil {
		t.Fatalf("resume of a folder of an earlier version: %v", err)
	}
	for u := 1; u < m.Units; u++ {
		if err := j.Append(unitRows(u/2, u%2)); err != nil {
			t.Fatal(err)
		}
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	back, err := ReadManifest(half)
	if err != nil {
		t.Fatal(err)
	}
	if !back.Complete || back.RunsColumns != nil {
		t.Errorf("resumed folder of an earlier version: complete %v, columns %v; want complete and its own names kept", back.Complete, back.RunsColumns)
	}
	tab, err := ReadRuns(half, back)
	if err != nil {
		t.Fatal(err)
	}
	if c := tab.Columns[len(tab.Columns)-1]; c.Name != "revenue" {
		t.Errorf("resumed folder of an earlier version names its revenue column %q; want revenue", c.Name)
	}
}

// Shards whose runs tables name their columns differently are not merged.
func TestMergeRefusesOtherColumnNames(t *testing.T) {
	base := t.TempDir()
	var dirs []string
	for i := range 2 {
		m := testManifest()
		m.Shard = Shard{Index: i, Count: 2}
		m.Units = len(m.Shard.Select([]int{0, 1, 2, 3, 4, 5}))
		dir := filepath.Join(base, "shard-"+string(rune('0'+i)))
		j, err := Create(dir, m, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		for u := i; u < 6; u += 2 {
			if err := j.Append(unitRows(u/2, u%2)); err != nil {
				t.Fatal(err)
			}
		}
		if err := j.Close(); err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, dir)
	}
	if _, err := Merge(filepath.Join(base, "ok"), dirs, output.Provenance{Host: "h"}); err != nil {
		t.Fatalf("merge: %v", err)
	}
	toLegacy(t, dirs[1])
	_, err := Merge(filepath.Join(base, "mixed"), dirs, output.Provenance{Host: "h"})
	want := dirs[1] + " names column 9 of its runs table revenue, " + dirs[0] + " names it revenue_eur: shards whose runs tables differ cannot be merged"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("merge of an old and a new shard: %v; want %q", err, want)
	}
}

// The Parquet tables' metadata says where the rows came from; an unknown
// commit is left out.
func TestParquetMetadata(t *testing.T) {
	m := &Manifest{Experiment: "e", ExperimentSHA256: "ab", ScenarioSHA256: "cd", Seed: "7", Version: "1.0.0"}
	want := map[string]string{"journeysim.experiment": "e", "journeysim.experiment_sha256": "ab",
		"journeysim.scenario_sha256": "cd", "journeysim.seed": "7", "journeysim.version": "1.0.0"}
	if got := m.ParquetMetadata(); !mapsEqual(got, want) {
		t.Errorf("metadata %v; want %v", got, want)
	}
	m.Commit = "0123abcd"
	want["journeysim.commit"] = "0123abcd"
	if got := m.ParquetMetadata(); !mapsEqual(got, want) {
		t.Errorf("metadata %v; want %v", got, want)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
