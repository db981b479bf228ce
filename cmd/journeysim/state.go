package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"

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
	}, stop
}
