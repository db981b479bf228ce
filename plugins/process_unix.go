//go:build unix

package plugins

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin/runner"
	"golang.org/x/sys/unix"
)

// pipeGrace is how long journeysim keeps reading a plugin's output after
// the plugin has exited: long enough for what it wrote last, not long
// enough for a child it left behind to hold journeysim up.
const pipeGrace = 250 * time.Millisecond

// groupRunner runs a plugin in a process group of its own, so that ending
// the plugin ends every process it started, and stops reading the plugin's
// output once the plugin has exited: a child holding the output open
// cannot make journeysim wait for it.
type groupRunner struct {
	cmd            *exec.Cmd
	stdout, stderr *os.File // the reading ends
	exited         chan struct{}
	closeOnce      sync.Once
}

// newRunner returns how go-plugin starts the plugin at path.
func newRunner(path string) func(hclog.Logger, *exec.Cmd, string) (runner.Runner, error) {
	return func(_ hclog.Logger, cmd *exec.Cmd, _ string) (runner.Runner, error) {
		// go-plugin hands over exec.Command("") with the environment set.
		cmd.Path, cmd.Args, cmd.Err = path, []string{path}, nil
		cmd.Stdin = nil
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		return &groupRunner{cmd: cmd, exited: make(chan struct{})}, nil
	}
}

func (r *groupRunner) Start(context.Context) error {
	outR, outW, err := os.Pipe()
	if err != nil {
		return err
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		outR.Close()
		outW.Close()
		return err
	}
	r.cmd.Stdout, r.cmd.Stderr = outW, errW
	err = r.cmd.Start()
	outW.Close()
	errW.Close()
	if err != nil {
		outR.Close()
		errR.Close()
		return err
	}
	r.stdout, r.stderr = outR, errR
	go r.watch()
	return nil
}

// watch waits for the plugin to exit (without reaping it: Wait does),
// then ends what is left of its process group and, after a short grace,
// closes its output.
func (r *groupRunner) watch() {
	var info unix.Siginfo
	for {
		err := unix.Waitid(unix.P_PID, r.cmd.Process.Pid, &info, unix.WEXITED|unix.WNOWAIT, nil)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	r.killGroup()
	close(r.exited)
	time.AfterFunc(pipeGrace, r.closeOutput)
}

// killGroup ends every process in the plugin's group.
func (r *groupRunner) killGroup() {
	syscall.Kill(-r.cmd.Process.Pid, syscall.SIGKILL)
}

func (r *groupRunner) closeOutput() {
	r.closeOnce.Do(func() {
		r.stdout.Close()
		r.stderr.Close()
	})
}

// Wait reaps the plugin once go-plugin has read its output.
func (r *groupRunner) Wait(context.Context) error {
	err := r.cmd.Wait()
	r.closeOutput()
	return err
}

// Kill ends the plugin and every process in its group.
func (r *groupRunner) Kill(context.Context) error {
	if r.cmd.Process == nil {
		return nil
	}
	r.killGroup()
	return nil
}

func (r *groupRunner) Stdout() io.ReadCloser { return r.stdout }
func (r *groupRunner) Stderr() io.ReadCloser { return r.stderr }
func (r *groupRunner) Name() string          { return r.cmd.Path }

func (r *groupRunner) ID() string {
	if r.cmd.Process == nil {
		return ""
	}
	return strconv.Itoa(r.cmd.Process.Pid)
}

func (r *groupRunner) Diagnose(context.Context) string {
	return fmt.Sprintf("the plugin %s did not answer as a journeysim plugin: is it built for this machine, and does it print the plugin handshake (plugins.Serve does it for a Go plugin)?", r.cmd.Path)
}

func (r *groupRunner) PluginToHost(network, addr string) (string, string, error) {
	return network, addr, nil
}

func (r *groupRunner) HostToPlugin(network, addr string) (string, string, error) {
	return network, addr, nil
}
