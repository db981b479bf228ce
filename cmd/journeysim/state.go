package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/journeysim/journeysim/results/output"
	"golang.org/x/term"
)

// globalState is all the command's access to the operating system, so that
// tests can run commands against buffers.
type globalState struct {
	ctx    context.Context
	stdout io.Writer
	stderr io.Writer
	// stderrIsTerminal turns progress display on.
	stderrIsTerminal bool
	// stdoutIsTerminal says whether tables are read on a terminal, which
	// then bounds their width (see tableWidth).
	stdoutIsTerminal bool
	// terminalColumns returns the width in columns of the terminal on
	// stdout (fd 1) or stderr (fd 2), or 0 when unknown; nil in tests.
	terminalColumns func(fd int) int
	// args is the command line after the program's name, for the record.
	args []string
	// now tells the time, for the record of when a run started and ended.
	now func() time.Time
	// getenv reads the environment.
	getenv func(string) string
	// build, if set, describes the program for the record in place of
	// what the program itself records (readBuild), and hostname, if set,
	// names the machine in place of the system's name for it.
	build    func() output.Build
	hostname func() (string, error)
	// holdInterrupts, while a result folder is written, keeps Ctrl-C and
	// SIGTERM from killing the process half way; it returns the release.
	hold func() (release func())
}

// holdInterrupts defers interrupts until release is called.
func (st *globalState) holdInterrupts() (release func()) {
	if st.hold == nil {
		return func() {}
	}
	return st.hold()
}

// newOSState wires the real terminal; its context ends at the first Ctrl-C
// or SIGTERM (a second one kills the process as usual).
func newOSState() (*globalState, context.CancelFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // restore default handling, so a second Ctrl-C exits at once
	}()
	return &globalState{
		ctx:              ctx,
		stdout:           os.Stdout,
		stderr:           os.Stderr,
		stderrIsTerminal: term.IsTerminal(int(os.Stderr.Fd())),
		stdoutIsTerminal: term.IsTerminal(int(os.Stdout.Fd())),
		terminalColumns: func(fd int) int {
			w, _, err := term.GetSize(fd)
			if err != nil || w <= 0 {
				return 0
			}
			return w
		},
		args:   os.Args[1:],
		now:    time.Now,
		getenv: os.Getenv,
		hold: func() func() {
			ch := make(chan os.Signal, 1)
			signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
			return func() { signal.Stop(ch) }
		},
	}, stop
}

// clock returns the time, from st.now when set.
func (st *globalState) clock() time.Time {
	if st.now == nil {
		return time.Now()
	}
	return st.now()
}

// env reads the environment variable name; empty in tests unless set.
func (st *globalState) env(name string) string {
	if st.getenv == nil {
		return ""
	}
	return st.getenv(name)
}
