package main

import (
	"strconv"
	"strings"
)

// Widths of terminal output, in columns.
const (
	// defaultWidth is the width of a terminal whose size is unknown.
	defaultWidth = 80
	// minWidth is the narrowest --width allowed: a table narrower than
	// this cannot show a label and a value side by side.
	minWidth = 40
)

// columnsFromEnv returns the width COLUMNS gives, or 0 when it is unset or
// not a positive number.
func (st *globalState) columnsFromEnv() int {
	n, err := strconv.Atoi(strings.TrimSpace(st.env("COLUMNS")))
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// tableWidth is the width text tables on stdout must fit: flagWidth
// (--width) when given, else COLUMNS, else the terminal's width, else 80
// on a terminal of unknown size; 0, no limit, when stdout is not a
// terminal and neither --width nor COLUMNS says otherwise.
func (st *globalState) tableWidth(flagWidth int) int {
	switch {
	case flagWidth > 0:
		return flagWidth
	case st.columnsFromEnv() > 0:
		return st.columnsFromEnv()
	case !st.stdoutIsTerminal:
		return 0
	}
	if st.terminalColumns != nil {
		if w := st.terminalColumns(1); w > 0 {
			return w
		}
	}
	return defaultWidth
}

// progressWidth is the width a progress line on stderr must fit: the
// terminal's width, else COLUMNS, else 80.
func (st *globalState) progressWidth() int {
	if st.terminalColumns != nil {
		if w := st.terminalColumns(2); w > 0 {
			return w
		}
	}
	if w := st.columnsFromEnv(); w > 0 {
		return w
	}
	return defaultWidth
}
