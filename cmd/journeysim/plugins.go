package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/journeysim/journeysim/plugins"
	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/output"
	"github.com/journeysim/journeysim/scenarios"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// pluginFlags are the flags that say where plugins are and how long they
// may take.
type pluginFlags struct {
	dirs    []string
	timeout time.Duration
	// allowOutside lets a plugin parameter's {file: PATH} name a file
	// outside the scenario's folder.
	allowOutside bool
}

func (p *pluginFlags) register(f *pflag.FlagSet) {
	f.StringArrayVar(&p.dirs, "plugin-dir", nil, "folder to look for channel plugins in, before $"+plugins.PathEnv+" and "+plugins.DefaultDir+"; repeatable")
	f.DurationVar(&p.timeout, "plugin-timeout", plugins.DefaultTimeout, "longest a plugin may take to answer one call, such as 30s or 2m")
	f.BoolVar(&p.allowOutside, "allow-file-outside", false, "let a plugin parameter's {file: PATH} read a file outside the scenario's folder")
}

// options are the scenario-loading options the flags give, with the
// plugins of host.
func (p *pluginFlags) options(host scenarios.Plugins) scenarios.Options {
	return scenarios.Options{Plugins: host, AllowFileOutside: p.allowOutside}
}

// describeOptions are options for loading a scenario to be described,
// not run.
func (p *pluginFlags) describeOptions(host scenarios.Plugins) scenarios.Options {
	o := p.options(host)
	o.Describe = true
	return o
}

// host returns a plugin host for the flags; the caller closes it.
func (p *pluginFlags) host(st *globalState) (*plugins.Host, error) {
	if p.timeout <= 0 {
		return nil, usagef("--plugin-timeout %s: allowed a positive duration, such as 30s", p.timeout)
	}
	return &plugins.Host{Dirs: plugins.SearchPath(p.dirs, st.env(plugins.PathEnv)), Timeout: p.timeout, Context: st.ctx}, nil
}

func newPluginsCommand(st *globalState) *cobra.Command {
	flags := &pluginFlags{}
	c := &cobra.Command{
		Use:   "plugins",
		Short: "List the channel plugins found, their versions and parameters",
		Long: `List the channel-behaviour plugins on the plugin path: --plugin-dir folders,
then those of $` + plugins.PathEnv + `, then ` + plugins.DefaultDir + ` (where 'make plugins'
builds the examples). Each is started once to describe itself.

A scenario uses a plugin with behaviour: {plugin: NAME, params: {...}};
docs/plugins.md says how to write one.`,
		Example: `  journeysim plugins
  journeysim plugins --plugin-dir ~/my-plugins
  make plugins && journeysim plugins`,
		Args: argsBetween(0, 0, "none"),
		RunE: func(c *cobra.Command, _ []string) error {
			return runPlugins(c.Context(), st, flags)
		},
	}
	flags.register(c.Flags())
	return c
}

func runPlugins(_ context.Context, st *globalState, flags *pluginFlags) error {
	host, err := flags.host(st)
	if err != nil {
		return err
	}
	defer host.Close()
	found := host.List()
	cols := st.tableWidth(st.widthFlag())
	// line writes a line wrapped to the width, rest before each line after
	// the first.
	line := func(s, first, rest string) { fmt.Fprint(st.stdout, output.WrapLine(s, cols, first, rest)) }
	if len(found) == 0 {
		line("no plugins found in "+strings.Join(host.Dirs, ", "), "", "  ")
		return nil
	}
	for _, l := range found {
		if l.Err != nil {
			line(fmt.Sprintf("%s: cannot be used: %v", l.Path, l.Err), "", "  ")
			fmt.Fprintln(st.stdout)
			continue
		}
		d := l.Description
		line(fmt.Sprintf("%s %s (%s)", d.Name, d.Version, l.Path), "", "  ")
		line(d.Doc, "  ", "  ")
		width := 0
		for _, p := range d.Params {
			width = max(width, len(p.Name))
		}
		for _, p := range d.Params {
			name := fmt.Sprintf("  %-*s ", width, p.Name)
			if p.Text {
				def := "empty"
				if p.DefaultText != "" {
					def = strconv.Quote(p.DefaultText)
				}
				line(fmt.Sprintf("text (inline or {file: PATH}), default %s: %s", def, p.Doc), name, "    ")
				continue
			}
			line(fmt.Sprintf("default %s, %s to %s: %s",
				results.FormatNumber(p.Default, -1), results.FormatNumber(p.Min, -1), results.FormatNumber(p.Max, -1), p.Doc), name, "    ")
		}
		fmt.Fprintln(st.stdout)
	}
	return nil
}
