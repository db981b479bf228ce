package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReportCommand(t *testing.T) {
	dir := chartRunDir(t)
	out := filepath.Join(t.TempDir(), "report.html")
	code, stdout, stderr := runCLI(t, "report", dir, "-o", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, out) {
		t.Errorf("stdout %q does not name %s", stdout, out)
	}
	page, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<!DOCTYPE html>", `id="key-table"`, "Strategies compared", "<svg", `id="comparison"`, `id="headline"`, `id="business"`, `id="chart-business-payback"`,
		// The run's journey maps, drawn by the command and handed over.
		`<section id="journey">`, "the customer journey map"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("report lacks %q", want)
		}
	}
	code, stdout, _ = runCLI(t, "report", dir, "-o", "-")
	if code != 0 || stdout != string(page) {
		t.Errorf("report -o - (exit %d) printed other bytes than it wrote", code)
	}
	code, _, _ = runCLI(t, "report", dir)
	if _, err := os.Stat(filepath.Join(dir, "report.html")); code != 0 || err != nil {
		t.Errorf("report DIR: exit %d, %v; want DIR/report.html", code, err)
	}
}

// The report of the hand-computed business case says each strategy's
// payback and net present value, as docs/metrics.md works them out, at
// the head of a section of their own with its table and chart.
func TestReportBusinessCase(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	if code, _, stderr := runCLI(t, "run", "testdata/business_case.yaml", "--out", dir, "-q"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	code, page, stderr := runCLI(t, "report", dir, "-o", "-")
	if code != 0 {
		t.Fatalf("report: exit %d: %s", code, stderr)
	}
	_, headline, ok := strings.Cut(page, `<section id="business">`)
	headline, _, _ = strings.Cut(headline, "</div>")
	if !ok || !strings.Contains(headline, `<div class="headline" id="headline">`) {
		t.Fatal("the business section does not open with the headline")
	}
	// html/template writes a plus sign as &#43;.
	for _, want := range []string{
		"The business case: what each strategy adds to keep over 365 days (the mean of 3 replications",
		`<span class="case">replace <span class="better">pays back in 100 days</span></span>`,
		`net present value (NPV) <strong class="better">&#43;25,135 EUR</strong>`,
		`extra profit <strong>&#43;26,500 EUR</strong>`, "incremental ROI none: it spends no more than keep",
		`<span class="case">gold_plate <span class="worse">does not pay back within the 365-day horizon</span></span>`,
		`net present value (NPV) <strong class="worse">-5,000 EUR</strong>`, `incremental ROI <strong>-1.00</strong>`,
		"discounted to today at 8% a year",
	} {
		if !strings.Contains(headline, want) {
			t.Errorf("the headline lacks %q", want)
		}
	}
	section := page[strings.Index(page, `<section id="business">`):strings.Index(page, `<section id="charts">`)]
	for _, want := range []string{"<h2>The business case</h2>", `<th scope="row">payback</th><td>100 days</td><td>not within the horizon</td>`,
		`<figure id="chart-business-payback">`, "replace pays back: day 100", "gold_plate: no payback within 365 days"} {
		if !strings.Contains(section, want) {
			t.Errorf("the business section lacks %q", want)
		}
	}
}

func TestReportInputErrors(t *testing.T) {
	tmp := t.TempDir()
	dir := chartRunDir(t)
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no folder", []string{"report", filepath.Join(tmp, "nosuch"), "-o", filepath.Join(tmp, "r.html")}, "nosuch does not exist"},
		{"not a result folder", []string{"report", tmp, "-o", filepath.Join(tmp, "r.html")}, "not a result folder"},
		{"output is a folder", []string{"report", dir, "-o", tmp}, "is a folder"},
		{"output folder missing", []string{"report", dir, "-o", filepath.Join(tmp, "no", "r.html")}, "does not exist"},
		{"a file of the folder", []string{"report", filepath.Join(dir, "summary.csv")}, "give the folder that holds it, " + dir},
		{"no argument", []string{"report"}, "takes 1 argument"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, c.args...)
			if code != exitUsage || !strings.Contains(stderr, c.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, exitUsage, c.want)
			}
		})
	}
}

// TestGoldenFolderErrors: report, show and analyze given a folder they do
// not read, or no folder at all, say what it is and what to give, with
// exit code 2. Temporary folders are written as RUN and SWEEP.
func TestGoldenFolderErrors(t *testing.T) {
	run := chartRunDir(t)
	sweepDir := writeSweep(t, -1)
	holder := t.TempDir()
	for _, name := range []string{"a", "b", "c"} {
		if err := os.MkdirAll(filepath.Join(holder, name), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"a", "c"} {
		if err := os.WriteFile(filepath.Join(holder, name, "manifest.json"), []byte(`{"tool": "journeysim"}`), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mask := strings.NewReplacer(run, "RUN", sweepDir, "SWEEP", holder, "HOLDER")
	cases := []struct {
		name string
		args []string
	}{
		{"folder_report_not_a_result_folder", []string{"report", "testdata"}},
		{"folder_report_holds_result_folders", []string{"report", holder}},
		{"folder_report_does_not_exist", []string{"report", "testdata/nosuch"}},
		{"folder_report_a_file", []string{"report", "testdata/small.yaml"}},
		{"folder_report_a_file_of_a_run", []string{"report", filepath.Join(run, "summary.csv"), "-o", filepath.Join(holder, "page.html")}},
		{"folder_show_not_a_result_folder", []string{"show", "testdata"}},
		{"folder_show_does_not_exist", []string{"show", "testdata/nosuch"}},
		{"folder_show_a_sweep", []string{"show", sweepDir}},
		{"folder_analyze_a_run", []string{"analyze", run}},
		{"folder_analyze_not_a_result_folder", []string{"analyze", "testdata"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tc.args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			golden(t, tc.name, mask.Replace(transcript(code, stdout, stderr)))
		})
	}
	if _, err := os.Stat(filepath.Join(holder, "page.html")); err == nil {
		t.Error("a refused report wrote its page")
	}
}
