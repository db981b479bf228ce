//go:build !unix

package plugins

import (
	"os/exec"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin/runner"
)

// newRunner returns nil: go-plugin starts the plugin as a plain process.
func newRunner(string) func(hclog.Logger, *exec.Cmd, string) (runner.Runner, error) {
	return nil
}
