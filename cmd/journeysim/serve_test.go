package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/journeysim/journeysim/cmd/journeysim/internal/serve"
	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/sim"
)

// journeysim serve prints where it listens, serves the lessons there, and
// stops cleanly when interrupted.
func TestServeStartsAndStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	var stderr strings.Builder
	st := &globalState{ctx: ctx, stdout: pw, stderr: &stderr}
	done := make(chan int, 1)
	go func() {
		done <- execute(st, []string{"serve", "cx-investment", "word-of-mouth", "--listen", "127.0.0.1:0"})
		pw.Close()
	}()
	lines := bufio.NewScanner(pr)
	if !lines.Scan() {
		t.Fatalf("nothing printed; stderr: %s", stderr.String())
	}
	first := lines.Text()
	addr := regexp.MustCompile(`http://127\.0\.0\.1:\d+/`).FindString(first)
	if addr == "" || !strings.Contains(first, "serves 2 lessons") {
		t.Fatalf("first line %q", first)
	}
	go io.Copy(io.Discard, pr) // the rest of what it prints
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(addr)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "/lesson/word-of-mouth") || strings.Contains(string(body), "/lesson/hotel-stay") {
		t.Errorf("index: %d, serves what was named? %s", resp.StatusCode, body)
	}
	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("exit %d after Ctrl-C; stderr: %s", code, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop after Ctrl-C")
	}
}

// Bad flags and scenarios are refused with exit 2, naming the flag, the
// value and what is allowed.
func TestServeUsageErrors(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--teams", "0"}, "--teams 0: allowed 1 to 1000"},
		{[]string{"serve", "--max-customers", "5"}, "--max-customers 5: allowed 100 to"},
		{[]string{"serve", "--parallel", "-1"}, "--parallel -1: allowed 0"},
		{[]string{"serve", "no-such-lesson"}, "no-such-lesson"},
		{[]string{"serve", "cx-investment", "--listen", "nowhere"}, "--listen nowhere"},
	} {
		code, _, stderr := runCLI(t, tt.args...)
		if code != exitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", tt.args, code, stderr, tt.want)
		}
	}
}

// Pinned runs export as a result folder whose scenario reruns them, and
// as its HTML report; pins that differ in a setting of the whole scenario
// cannot be one scenario and are refused with why.
func TestServeExportsPinnedRuns(t *testing.T) {
	st := &globalState{ctx: context.Background(), stdout: io.Discard, stderr: io.Discard}
	lessons, err := serveLessons([]string{"cx-investment", "email-pressure"}, scenarios.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := serve.New(serve.Config{Lessons: lessons, Workers: 1,
		Save: func(ctx context.Context, sc *scenarios.Scenario, picked []int, baseline, dir string) error {
			return saveRun(ctx, st, sc, picked, baseline, dir)
		},
		Report: reportOf})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	post := func(path, body string) (int, []byte) {
		resp, err := http.Post(hs.URL+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, data
	}
	pins := `{"baseline":0,"pins":[{"strategy":"fixed","values":[1.5],"customers":300,"horizon":60},{"strategy":"gold_plated","customers":300,"horizon":60}]}`
	code, zipped := post("/api/lessons/cx-investment/export?as=folder", pins)
	if code != http.StatusOK {
		t.Fatalf("export folder: %d %s", code, zipped)
	}
	zr, err := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		files[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	for _, want := range []string{"cx-investment-pinned/manifest.json", "cx-investment-pinned/summary.json", "cx-investment-pinned/scenario.yaml"} {
		if _, ok := files[want]; !ok {
			t.Errorf("the folder lacks %s", want)
		}
	}
	sc, err := scenarios.Load("scenario.yaml", files["cx-investment-pinned/scenario.yaml"])
	if err != nil {
		t.Fatalf("the folder's scenario does not load: %v", err)
	}
	m := sc.Model
	p1 := m.StrategyIndex("pin1_fixed")
	if p1 < 0 || m.StrategyIndex("pin2_gold_plated") < 0 || m.Strategies[p1].Levers[m.LeverIndex("service")] != 1.5 || m.Population.Size != 300 {
		t.Errorf("the folder's scenario: strategies %v, population %d", strategyNamesOf(m), m.Population.Size)
	}
	code, page := post("/api/lessons/cx-investment/export?as=report", pins)
	if code != http.StatusOK || !strings.Contains(string(page), "pin2_gold_plated") || !strings.HasPrefix(string(page), "<!DOCTYPE html>") {
		t.Errorf("export report: %d, %d bytes", code, len(page))
	}
	code, msg := post("/api/lessons/email-pressure/export?as=folder", `{"pins":[{"strategy":"email_1pw","values":[3],"customers":300,"horizon":30},{"strategy":"email_1pw","values":[5],"customers":300,"horizon":30}]}`)
	if code != http.StatusBadRequest || !strings.Contains(string(msg), "a setting of the whole scenario") {
		t.Errorf("pins differing in a whole-scenario setting: %d %s", code, msg)
	}
	if code, _ := post("/api/lessons/cx-investment/export?as=pdf", pins); code != http.StatusBadRequest {
		t.Errorf("as=pdf: %d", code)
	}
}

func strategyNamesOf(m *sim.Model) []string {
	var names []string
	for _, s := range m.Strategies {
		names = append(names, s.Name)
	}
	return names
}
