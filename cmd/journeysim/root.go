package main

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"os"
	"regexp"
	"strings"

	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/scenarios/experiment"
	"github.com/spf13/cobra"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1 // the run failed
	exitUsage   = 2 // bad flags, arguments or input files
	exitChecks  = 3 // the run finished but an outcome check failed
)

// inputError marks a mistake in an input file found after it was loaded.
type inputError struct{ err error }

func (e *inputError) Error() string { return e.err.Error() }
func (e *inputError) Unwrap() error { return e.err }

// usageError marks a mistake in how the command was called.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

// Execute runs the command line of this process and returns its exit code.
func Execute() int {
	st, stop := newOSState()
	defer stop()
	return execute(st, os.Args[1:])
}

// execute runs one command line against st and maps its error to an exit
// code; errors are printed once, without usage text or stack traces.
func execute(st *globalState, args []string) int {
	root := newRootCommand(st)
	defer flagWidths.Delete(st)
	if st.args == nil {
		st.args = args
	}
	root.SetArgs(args)
	root.SetOut(st.stdout)
	root.SetErr(st.stderr)
	err := root.ExecuteContext(st.ctx)
	if err == nil {
		return exitOK
	}
	code := exitCode(err)
	if code == exitUsage && st.ctx != nil && st.ctx.Err() != nil {
		// Ctrl-C while the scenario loaded (a plugin starting, say): what
		// failed failed because of it, not because of the input.
		err, code = fmt.Errorf("interrupted before the run began; nothing was run or written (%w)", err), exitFailure
	}
	fmt.Fprintln(st.stderr, "journeysim:", strings.ReplaceAll(err.Error(), "\n", "\n  "))
	return code
}

func exitCode(err error) int {
	var (
		ue *usageError
		ie *inputError
		el scenarios.ErrorList
		nf *scenarios.NotFoundError
		cf *checkFailedError
		pe *experiment.PointError
	)
	if errors.As(err, &ue) || errors.As(err, &ie) || errors.As(err, &el) || errors.As(err, &nf) || errors.As(err, &pe) {
		return exitUsage
	}
	if errors.As(err, &cf) {
		return exitChecks
	}
	return exitFailure
}

func newRootCommand(st *globalState) *cobra.Command {
	root := &cobra.Command{
		Use:   "journeysim",
		Short: "Simulate omnichannel customer journeys and compare channel strategies",
		Long: `journeysim runs synthetic customers through a scenario's channels and journey
under each of its strategies, and prints revenue, profit, ROI, loyalty, NPS,
churn and contact pressure side by side.

  journeysim run                      the default built-in scenario
  journeysim run email-pressure       a built-in scenario by name
  journeysim run my-scenario.yaml     a scenario file
  journeysim scenarios                the built-in scenarios

The scenario format is described in docs/scenarios.md. Tables fit the
terminal (or --width); piped, or with --format csv|json, they are as wide
as their contents.`,
		Example: `  journeysim scenarios
  journeysim explain email-pressure
  journeysim run email-pressure --reps 5
  journeysim run retail-omnichannel --width 100
  journeysim run --help`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.Args = func(c *cobra.Command, args []string) error {
		if len(args) > 0 {
			var names []string
			for _, sub := range c.Commands() {
				if sub.IsAvailableCommand() {
					names = append(names, sub.Name())
				}
			}
			return usagef("unknown command %q; commands: %s (see 'journeysim --help')", args[0], strings.Join(names, ", "))
		}
		return nil
	}
	root.RunE = func(c *cobra.Command, _ []string) error { return c.Help() }
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usagef("%s (see '%s --help')", flagErrorMessage(c, err), c.CommandPath())
	})
	var width int
	root.PersistentFlags().IntVar(&width, widthFlagName, 0, fmt.Sprintf("fit tables and help to this many columns, %d or more (default: $COLUMNS, else the terminal's width; tables are as wide as their contents when output is not a terminal and $COLUMNS is unset)", minWidth))
	root.PersistentFlags().SetAnnotation(widthFlagName, "allowed", []string{fmt.Sprintf("%d or more", minWidth)})
	root.PersistentPreRunE = func(c *cobra.Command, _ []string) error {
		if c.Flags().Changed(widthFlagName) && width < minWidth {
			return usagef("--%s %d: allowed %d or more (the columns tables must fit)", widthFlagName, width, minWidth)
		}
		flagWidths.Store(st, width)
		return nil
	}
	root.SetHelpFunc(func(c *cobra.Command, _ []string) {
		writeHelp(c.OutOrStdout(), c, st.helpWidth(c))
	})
	root.SetUsageFunc(func(c *cobra.Command) error {
		writeUsage(c.OutOrStderr(), c, st.helpWidth(c))
		return nil
	})
	root.Version = versionString()
	root.SetVersionTemplate("{{.Version}}\n")
	root.AddCommand(
		newRunCommand(st),
		newValidateCommand(st),
		newScenariosCommand(st),
		newShowCommand(st),
		newExplainCommand(st),
		newPluginsCommand(st),
		newSweepCommand(st),
		newMergeCommand(st),
		newAnalyzeCommand(st),
		newChartCommand(st),
		newReportCommand(st),
		newServeCommand(st),
		newVersionCommand(st),
	)
	root.CompletionOptions.DisableDefaultCmd = true
	return root
}

// argsBetween checks the number of positional arguments.
func argsBetween(lo, hi int, what string) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if len(args) < lo || len(args) > hi {
			if lo == hi {
				return usagef("%s takes %d argument (%s), got %d", c.CommandPath(), lo, what, len(args))
			}
			return usagef("%s takes at most %d argument (%s), got %d", c.CommandPath(), hi, what, len(args))
		}
		return nil
	}
}

// badFlagValue matches pflag's message for a value that does not parse.
var badFlagValue = regexp.MustCompile(`^invalid argument "(.*)" for "(?:-\w, )?--([\w-]+)" flag: `)

// flagErrorMessage rewrites a flag parse error in the words of this tool:
// the flag, the bad value and what is allowed, without Go's parser text.
func flagErrorMessage(c *cobra.Command, err error) string {
	m := badFlagValue.FindStringSubmatch(err.Error())
	if m == nil {
		return err.Error()
	}
	value, name := m[1], m[2]
	f := c.Flags().Lookup(name)
	if f == nil {
		return err.Error()
	}
	allowed := map[string]string{
		"int":     "a whole number",
		"float64": "a number",
		"uint64":  fmt.Sprintf("a whole number from 0 to %d", uint64(math.MaxUint64)),
		"bool":    "true or false",
	}[f.Value.Type()]
	if a := f.Annotations["allowed"]; len(a) == 1 {
		allowed = cmp.Or(allowed, "a value") + "; allowed: " + a[0]
	}
	if allowed == "" {
		return err.Error()
	}
	return fmt.Sprintf("--%s %q: expected %s", name, value, allowed)
}
