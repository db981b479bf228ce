package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
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
