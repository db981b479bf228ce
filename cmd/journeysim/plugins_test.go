package main

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/journeysim/journeysim/plugins"
)

var (
	pluginOnce sync.Once
	pluginDir  string
	pluginErr  error
)

// buildPlugins builds the example plugins and the misbehaving test plugin
// once, into a folder of their own.
func buildPlugins(t *testing.T) string {
	t.Helper()
	pluginOnce.Do(func() {
		pluginDir, pluginErr = os.MkdirTemp("", "journeysim-plugins-")
		if pluginErr != nil {
			return
		}
		cmd := exec.Command("go", "build", "-o", pluginDir+string(filepath.Separator), "../../plugins/response", "../../plugins/contactcentre", "../../plugins/segments", "./testdata/faulty")
		out, err := cmd.CombinedOutput()
		if err != nil {
			pluginErr = err
			t.Logf("%s", out)
		}
	})
	if pluginErr != nil {
		t.Fatalf("build the example plugins: %v", pluginErr)
	}
	return pluginDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if pluginDir != "" {
		os.RemoveAll(pluginDir)
	}
	os.Exit(code)
}

// runWith runs a command line with the environment variables env.
func runWith(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	st := &globalState{ctx: context.Background(), stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return env[k] }}
	code := execute(st, args)
	return code, stdout.String(), stderr.String()
}

// A channel served by the response plugin gives the same bytes as the
// built-in response behaviour, at any number of workers: the process
// boundary changes nothing.
func TestPluginSameAsBuiltin(t *testing.T) {
	dir := buildPlugins(t)
	code, want, stderr := runCLI(t, "run", "testdata/small.yaml", "--workers", "1")
	if code != 0 {
		t.Fatalf("built-in: exit %d: %s", code, stderr)
	}
	for _, workers := range []string{"1", "3"} {
		code, got, stderr := runCLI(t, "run", "testdata/plugins/small_plugin.yaml", "--plugin-dir", dir, "--workers", workers)
		if code != 0 {
			t.Fatalf("plugin, %s workers: exit %d: %s", workers, code, stderr)
		}
		if got != want {
			t.Errorf("plugin run with %s workers differs from the built-in behaviour:\n%s\n--- want\n%s", workers, got, want)
		}
	}
	// Found through the environment as well, and listed.
	code, out, stderr := runWith(t, map[string]string{"JOURNEYSIM_PLUGIN_PATH": dir}, "plugins")
	if code != 0 || !strings.Contains(out, "response 1.0.0") || !strings.Contains(out, "offer_lift") {
		t.Errorf("plugins: exit %d, %q, %q", code, out, stderr)
	}
	// The result folder records the plugin, and its scenario.yaml runs again.
	folder := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := runCLI(t, "run", "testdata/plugins/small_plugin.yaml", "--plugin-dir", dir, "--out", folder); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	effective, _ := os.ReadFile(filepath.Join(folder, "scenario.yaml"))
	if !bytes.Contains(effective, []byte("plugin: response")) {
		t.Errorf("scenario.yaml does not name the plugin:\n%s", effective)
	}
	code, again, stderr := runCLI(t, "run", filepath.Join(folder, "scenario.yaml"), "--plugin-dir", dir, "--workers", "1")
	if code != 0 || again != want {
		t.Errorf("rerun of the recorded scenario: exit %d, %s; output differs: %v", code, stderr, again != want)
	}
}

// A missing or unusable plugin is an input error naming the channel and
// the plugin.
func TestPluginNotFound(t *testing.T) {
	empty := t.TempDir()
	code, _, stderr := runCLI(t, "run", "testdata/plugins/small_plugin.yaml", "--plugin-dir", empty)
	if code != exitUsage || !strings.Contains(stderr, "channel email: plugin response not found in "+empty) {
		t.Errorf("missing plugin: exit %d, %q", code, stderr)
	}
	if err := os.WriteFile(filepath.Join(empty, "response"), []byte("not a program"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = runCLI(t, "run", "testdata/plugins/small_plugin.yaml", "--plugin-dir", empty)
	if code != exitUsage || !strings.Contains(stderr, "is not an executable file") {
		t.Errorf("plugin not executable: exit %d, %q", code, stderr)
	}
	code, _, stderr = runCLI(t, "run", "testdata/plugins/small_plugin.yaml", "--plugin-timeout", "0s")
	if code != exitUsage || !strings.Contains(stderr, "--plugin-timeout 0s") {
		t.Errorf("bad timeout: exit %d, %q", code, stderr)
	}
}

// buildFaulty returns the path of the misbehaving test plugin.
func buildFaulty(t *testing.T) string {
	t.Helper()
	return filepath.Join(buildPlugins(t), "faulty")
}

// running counts the processes running the executable at path.
func running(t *testing.T, path string) int {
	t.Helper()
	procs, _ := filepath.Glob("/proc/[0-9]*/exe")
	n := 0
	for _, p := range procs {
		if exe, err := os.Readlink(p); err == nil && exe == path {
			n++
		}
	}
	return n
}

// withArgument counts the processes with arg among their arguments.
func withArgument(t *testing.T, arg string) int {
	t.Helper()
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	n := 0
	for _, p := range procs {
		if b, err := os.ReadFile(p); err == nil && slices.Contains(strings.Split(string(b), "\x00"), arg) {
			n++
		}
	}
	return n
}

// faultyScenario writes small.yaml with its email channel served by the
// faulty plugin in mode, from tick 5 on.
func faultyScenario(t *testing.T, mode int) string {
	t.Helper()
	src, err := os.ReadFile("testdata/plugins/small_plugin.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(src), "behaviour: {plugin: response, params: {rate: 0.2}}",
		"behaviour: {plugin: faulty, params: {mode: "+strconv.Itoa(mode)+", at: 5}}", 1)
	path := filepath.Join(t.TempDir(), "faulty.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// A plugin that goes wrong stops the run with an error naming the channel
// and the plugin; no result folder is written and no plugin process is
// left behind.
func TestPluginFaults(t *testing.T) {
	exe := buildFaulty(t)
	dir := filepath.Dir(exe)
	for _, tc := range []struct {
		name  string
		mode  int
		extra []string
		code  int
		want  string // a regular expression
	}{
		{"works", 0, nil, exitOK, ""},
		{"crashes", 1, nil, exitFailure, regexp.QuoteMeta("the plugin process stopped or crashed")},
		{"hangs", 2, []string{"--plugin-timeout", "1s"}, exitFailure, regexp.QuoteMeta("no answer within the time limit (--plugin-timeout)")},
		// Which strategy's batch fails first, and so its size, depends on
		// the scheduling; that the answers are one short does not.
		{"wrong count", 3, nil, exitFailure, `answered (\d+) responses for (\d+) contacts; it must answer every contact once`},
		{"out of range", 4, nil, exitFailure, regexp.QuoteMeta("satisfaction 9")},
		{"error", 5, nil, exitFailure, regexp.QuoteMeta("the model's data file is gone")},
		{"refuses parameters", 6, nil, exitUsage, regexp.QuoteMeta("parameters refused: mode 6")},
		// Sealed, the shared memory cannot be truncated under journeysim.
		{"truncates shared memory", 7, nil, exitOK, ""},
		// The child is ended with the plugin, and its open output does not
		// keep journeysim waiting.
		{"leaves a child", 8, nil, exitOK, ""},
		{"infinite revenue", 9, nil, exitFailure, `at tick \d+ for customer \d+: revenue is no longer a finite number: a purchase of 1\.79\d*e\+308 \(answered on channel email by behaviour plugin:faulty\)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			args := append([]string{"run", faultyScenario(t, tc.mode), "--plugin-dir", dir, "--out", out, "--reps", "1"}, tc.extra...)
			code, _, stderr := runCLI(t, args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d: %s", code, tc.code, stderr)
			}
			if n := running(t, exe); n != 0 {
				t.Errorf("%d plugin processes left running", n)
			}
			if n := withArgument(t, "600.0625"); n != 0 {
				t.Errorf("%d processes the plugin started left running", n)
			}
			if tc.code == exitOK {
				return
			}
			said := regexp.MustCompile(tc.want).FindStringSubmatch(stderr)
			if !strings.Contains(stderr, "channel email") || !strings.Contains(stderr, "plugin faulty: ") && tc.mode != 9 || said == nil {
				t.Errorf("stderr %q does not name the channel and plugin and say %q", stderr, tc.want)
			}
			if tc.mode == 3 && said != nil {
				// The plugin drops the last answer of the batch.
				answers, _ := strconv.Atoi(said[1])
				contacts, _ := strconv.Atoi(said[2])
				if answers != contacts-1 {
					t.Errorf("stderr %q: %d answers for %d contacts, but the plugin answers one contact too few", stderr, answers, contacts)
				}
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("a failed run wrote %s", out)
			}
		})
	}
}

// A plugin built for another protocol version is refused, saying which
// version each side speaks.
func TestPluginHandshakeMismatch(t *testing.T) {
	exe := buildFaulty(t)
	t.Setenv("FAULTY_PROTOCOL", "7")
	code, _, stderr := runCLI(t, "validate", faultyScenario(t, 0), "--plugin-dir", filepath.Dir(exe))
	if code != exitUsage || !strings.Contains(stderr, "Plugin version: 7") || !strings.Contains(stderr, fmt.Sprintf("plugin protocol %d", plugins.ProtocolVersion)) {
		t.Errorf("exit %d, %q", code, stderr)
	}
	if n := running(t, exe); n != 0 {
		t.Errorf("%d plugin processes left running", n)
	}
}

// The contact-centre plugin serves a scenario end to end: omnichannel
// operators, who see the customer's context, answer more calls with higher
// satisfaction than multichannel ones from the same queue.
func TestContactCentrePlugin(t *testing.T) {
	dir := buildPlugins(t)
	folder := filepath.Join(t.TempDir(), "res")
	code, out, stderr := runCLI(t, "run", "testdata/plugins/contact_centre.yaml", "--plugin-dir", dir, "--format", "csv", "--out", folder)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	value := func(strategy, metric string) float64 {
		for _, line := range strings.Split(out, "\n") {
			f := strings.Split(line, ",")
			if len(f) > 6 && f[2] == strategy && f[3] == metric {
				v, err := strconv.ParseFloat(f[6], 64)
				if err != nil {
					t.Fatalf("%s %s: %v", strategy, metric, err)
				}
				return v
			}
		}
		t.Fatalf("no %s for %s in:\n%s", metric, strategy, out)
		return 0
	}
	if m, o := value("multichannel", "csat"), value("omnichannel", "csat"); o <= m {
		t.Errorf("CSAT omnichannel %.3f, multichannel %.3f; context should shorten the queue", o, m)
	}
	if m, o := value("multichannel", "purchases"), value("omnichannel", "purchases"); o < m {
		t.Errorf("purchases omnichannel %v, multichannel %v; more answered calls should not sell less", o, m)
	}
	// Operators report their minutes, which cost_per_minute prices: an
	// answered call takes less operator time when the operator sees the
	// customer's context.
	channels, err := os.ReadFile(filepath.Join(folder, "channels.csv"))
	if err != nil {
		t.Fatal(err)
	}
	phone := func(strategy, metric string) float64 {
		for _, line := range strings.Split(string(channels), "\n") {
			f := strings.Split(line, ",")
			if len(f) > 7 && f[2] == strategy && f[3] == "phone" && f[4] == metric {
				v, err := strconv.ParseFloat(f[7], 64)
				if err != nil {
					t.Fatalf("%s %s: %v", strategy, metric, err)
				}
				return v
			}
		}
		t.Fatalf("no phone %s for %s in:\n%s", metric, strategy, channels)
		return 0
	}
	perCall := func(strategy string) float64 {
		minutes, answered := phone(strategy, "staff_minutes"), phone(strategy, "responses")
		if minutes <= 0 || answered <= 0 {
			t.Fatalf("%s: %g staff minutes for %g answered calls", strategy, minutes, answered)
		}
		if cost, contacts := phone(strategy, "cost"), phone(strategy, "contacts"); math.Abs(cost-(1.5*contacts+0.5*minutes)) > 1e-6*cost {
			t.Errorf("%s: phone cost %g; want 1.5 per call and 0.5 per minute = %g", strategy, cost, 1.5*contacts+0.5*minutes)
		}
		return minutes / answered
	}
	if m, o := perCall("multichannel"), perCall("omnichannel"); o >= m {
		t.Errorf("operator minutes per answered call: omnichannel %.2f, multichannel %.2f; context should save time", o, m)
	}
	// The plugin's waits and hang-ups give the phone's service outcomes in
	// the result files: every answered call is handled, every other one
	// abandoned; context shortens the queue, so more calls are answered in
	// time and sooner. (Ratios are means over the replications, so they
	// differ a little from the ratio of the mean counts.)
	for _, st := range []string{"multichannel", "omnichannel"} {
		contacts, answered, handled := phone(st, "contacts"), phone(st, "responses"), phone(st, "handled")
		if handled != answered {
			t.Errorf("%s: %g calls handled, %g answered", st, handled, answered)
		}
		if got, want := phone(st, "abandoned_share"), 1-answered/contacts; math.Abs(got-want) > 0.01*want {
			t.Errorf("%s: abandoned share %g; want the calls not answered, %g", st, got, want)
		}
		if got, want := phone(st, "minutes_per_handled"), perCall(st); math.Abs(got-want) > 0.01*want {
			t.Errorf("%s: %g minutes per handled call; want staff minutes ÷ handled = %g", st, got, want)
		}
		if sl := phone(st, "service_level"); !(sl > 0 && sl < 1-phone(st, "abandoned_share")+1e-9) {
			t.Errorf("%s: service level %g; want above 0 and at most the share answered", st, sl)
		}
	}
	if m, o := phone("multichannel", "service_level"), phone("omnichannel", "service_level"); o <= m {
		t.Errorf("service level omnichannel %g, multichannel %g; context should answer more calls in time", o, m)
	}
	if m, o := phone("multichannel", "average_speed_of_answer_seconds"), phone("omnichannel", "average_speed_of_answer_seconds"); !(o < m) {
		t.Errorf("speed of answer omnichannel %g s, multichannel %g s; context should answer sooner", o, m)
	}
	// The channel's noun names the calls in the tables.
	tables, err := os.ReadFile(filepath.Join(folder, "summary.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(tables), "omnichannel · phone (calls)") {
		t.Errorf("the channel table does not call the phone's contacts calls:\n%s", tables)
	}
}

// The segments plugin answers from a table read from a file next to the
// scenario and from one given inline: the run is the same at any worker
// count, and the result folder's scenario holds both tables in full, so it
// reruns to the same numbers without the file.
func TestSegmentsPlugin(t *testing.T) {
	dir := buildPlugins(t)
	code, want, stderr := runCLI(t, "run", "testdata/plugins/segments.yaml", "--plugin-dir", dir, "--workers", "1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(want, "email_sms · sms") {
		t.Fatalf("no SMS results:\n%s", want)
	}
	out := filepath.Join(t.TempDir(), "res")
	code, got, stderr := runCLI(t, "run", "testdata/plugins/segments.yaml", "--plugin-dir", dir, "--workers", "3", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got != want {
		t.Errorf("3 workers differ from 1:\n%s\n--- want\n%s", got, want)
	}
	effective, err := os.ReadFile(filepath.Join(out, "scenario.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range []string{"older,   email,   0.045", "family,  0.05, 40,       0.005"} {
		if !strings.Contains(string(effective), row) {
			t.Errorf("the folder's scenario.yaml lacks the table row %q:\n%s", row, effective)
		}
	}
	moved := filepath.Join(t.TempDir(), "scenario.yaml") // away from rates.csv
	if err := os.WriteFile(moved, effective, 0o644); err != nil {
		t.Fatal(err)
	}
	code, again, stderr := runCLI(t, "run", moved, "--plugin-dir", dir)
	if code != 0 {
		t.Fatalf("rerun of the folder's scenario: exit %d: %s", code, stderr)
	}
	if strings.ReplaceAll(again, moved, "") != strings.ReplaceAll(want, "testdata/plugins/segments.yaml", "") {
		t.Errorf("the folder's scenario reruns differently:\n%s\n--- want\n%s", again, want)
	}
}

// A table the segments plugin refuses, or a table file that is missing,
// stops the scenario from loading, with the file, line and column of the
// behaviour, the channel, the plugin and what is wrong.
func TestSegmentsPluginBadTable(t *testing.T) {
	dir := buildPlugins(t)
	src, err := os.ReadFile("testdata/plugins/segments.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, from, to string
		want           []string
	}{
		{"rate out of range", "young,   0.08, 20,", "young,   1.5, 20,",
			[]string{"segments.yaml:40:7:", "channel sms", "plugin segments", "table line 3, column rate: 1.5 is out of range; allowed 0 to 1"}},
		{"missing file", "{file: rates.csv}", "{file: nowhere.csv}",
			[]string{"segments.yaml:35:64:", "channel email behaviour parameter table: cannot read", "nowhere.csv: no such file or directory"}},
		{"text for a number", "fatigue_sensitivity: 0.5", "fatigue_sensitivity: high",
			[]string{"segments.yaml:42:30:", "parameter fatigue_sensitivity takes a number (0 to 10), not text"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(string(src), tc.from) {
				t.Fatalf("the scenario has no %q", tc.from)
			}
			tmp := t.TempDir()
			path := filepath.Join(tmp, "segments.yaml")
			if err := os.WriteFile(path, []byte(strings.Replace(string(src), tc.from, tc.to, 1)), 0o644); err != nil {
				t.Fatal(err)
			}
			csv, err := os.ReadFile("testdata/plugins/rates.csv")
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(tmp, "rates.csv"), csv, 0o644); err != nil {
				t.Fatal(err)
			}
			code, _, stderr := runCLI(t, "validate", path, "--plugin-dir", dir)
			if code != exitUsage {
				t.Errorf("exit %d; want %d", code, exitUsage)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
		})
	}
}

// A {file: PATH} parameter reads only inside the scenario's folder, unless
// --allow-file-outside says otherwise: a scenario from someone else cannot
// read any file it names, through an absolute path, .. or a link.
func TestParamFileStaysInTheScenarioFolder(t *testing.T) {
	dir := buildPlugins(t)
	src, err := os.ReadFile("testdata/plugins/segments.yaml")
	if err != nil {
		t.Fatal(err)
	}
	csv, err := os.ReadFile("testdata/plugins/rates.csv")
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	folder := filepath.Join(root, "scenario")
	if err := os.Mkdir(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(root, "rates.csv")
	if err := os.WriteFile(outside, csv, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(folder, "link.csv")); err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{"../rates.csv", outside, "link.csv"} {
		t.Run(ref, func(t *testing.T) {
			path := filepath.Join(folder, "segments.yaml")
			text := strings.Replace(string(src), "{file: rates.csv}", "{file: "+ref+"}", 1)
			if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			code, _, stderr := runCLI(t, "validate", path, "--plugin-dir", dir)
			if code != exitUsage || !strings.Contains(stderr, "is outside the scenario's folder") || !strings.Contains(stderr, "--allow-file-outside") {
				t.Errorf("exit %d; want %d and a message that the file is outside the folder:\n%s", code, exitUsage, stderr)
			}
			if code, _, stderr := runCLI(t, "validate", path, "--plugin-dir", dir, "--allow-file-outside"); code != exitOK {
				t.Errorf("with --allow-file-outside: exit %d\n%s", code, stderr)
			}
		})
	}
}
