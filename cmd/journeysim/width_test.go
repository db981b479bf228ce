package main

import (
	"strings"
	"testing"
)

// Tables fit --width, else COLUMNS, else the terminal, else 80 on a
// terminal of unknown size, and are unbounded when piped.
func TestTableWidth(t *testing.T) {
	tests := []struct {
		name     string
		flag     int
		columns  string
		terminal bool
		size     int
		want     int
	}{
		{"flag wins", 60, "100", true, 120, 60},
		{"COLUMNS over the terminal", 0, "100", true, 120, 100},
		{"COLUMNS when piped", 0, "90", false, 0, 90},
		{"the terminal's size", 0, "", true, 132, 132},
		{"terminal of unknown size", 0, "", true, 0, 80},
		{"piped: no limit", 0, "", false, 0, 0},
		{"bad COLUMNS ignored", 0, "wide", true, 0, 80},
		{"negative COLUMNS ignored", 0, "-5", false, 0, 0},
		{"COLUMNS below 40 taken as 40", 0, "30", true, 0, 40},
		{"a terminal below 40 taken as 40", 0, "", true, 30, 40},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := &globalState{
				stdoutIsTerminal: tt.terminal,
				getenv: func(k string) string {
					if k == "COLUMNS" {
						return tt.columns
					}
					return ""
				},
				terminalColumns: func(int) int { return tt.size },
			}
			if got := st.tableWidth(tt.flag); got != tt.want {
				t.Errorf("tableWidth(%d) = %d, want %d", tt.flag, got, tt.want)
			}
		})
	}
}

// The progress line fits the terminal it is drawn on, else COLUMNS, else
// 80.
func TestProgressWidth(t *testing.T) {
	env := func(v string) func(string) string { return func(string) string { return v } }
	for _, tt := range []struct {
		size    int
		columns string
		want    int
	}{{70, "100", 70}, {0, "100", 100}, {0, "", 80}} {
		st := &globalState{getenv: env(tt.columns), terminalColumns: func(int) int { return tt.size }}
		if got := st.progressWidth(); got != tt.want {
			t.Errorf("terminal %d, COLUMNS %q: progressWidth = %d, want %d", tt.size, tt.columns, got, tt.want)
		}
	}
}

// Notes on stderr are wrapped to a terminal's width, their later lines
// indented, and left whole when stderr is a file or a pipe.
func TestNotesWrap(t *testing.T) {
	long := "2,000 customers instead of the scenario's 20,000: fixed costs were not scaled; add --scale-fixed-costs to scale them"
	for _, tt := range []struct {
		terminal bool
		size     int
		lines    int
	}{{true, 50, 3}, {false, 0, 1}} {
		var b strings.Builder
		st := &globalState{stderr: &b, stderrIsTerminal: tt.terminal, getenv: func(string) string { return "" }, terminalColumns: func(int) int { return tt.size }}
		st.notef("%s", long)
		got := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
		if len(got) != tt.lines || !strings.HasPrefix(got[0], "journeysim: note: 2,000") {
			t.Errorf("terminal %v: %d lines, want %d:\n%s", tt.terminal, len(got), tt.lines, b.String())
		}
		for _, l := range got[1:] {
			if !strings.HasPrefix(l, "  ") || len([]rune(l)) > tt.size {
				t.Errorf("line %q is not indented or wider than %d", l, tt.size)
			}
		}
	}
}
