package main

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/journeysim/journeysim/results/output"
	"github.com/olekukonko/tablewriter/pkg/twwidth"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Widths of terminal output, in columns.
const (
	// defaultWidth is the width of a terminal whose size is unknown.
	defaultWidth = 80
	// minWidth is the narrowest --width allowed: a table narrower than
	// this cannot show a label and a value side by side.
	minWidth = 40
	// widthFlagName is the flag that sets the width: --width.
	widthFlagName = "width"
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
		// A table cannot be narrower than minWidth; --width says so, and
		// a smaller COLUMNS is taken as minWidth.
		return max(minWidth, st.columnsFromEnv())
	case !st.stdoutIsTerminal:
		return 0
	}
	if st.terminalColumns != nil {
		if w := st.terminalColumns(1); w > 0 {
			return max(minWidth, w)
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

// noteWidth is the width notes and warnings on stderr are wrapped to:
// --width, else COLUMNS, else the terminal's; 0, no wrapping, when stderr
// is not a terminal, so that a log keeps each note on one line.
func (st *globalState) noteWidth() int {
	switch {
	case st.widthFlag() > 0:
		return st.widthFlag()
	case st.columnsFromEnv() > 0:
		return st.columnsFromEnv()
	case !st.stderrIsTerminal:
		return 0
	}
	return st.progressWidth()
}

// notef writes a note on stderr, "journeysim: note: " and the formatted
// text, wrapped to noteWidth with its later lines indented.
func (st *globalState) notef(format string, args ...any) {
	io.WriteString(st.stderr, output.WrapLine(fmt.Sprintf(format, args...), st.noteWidth(), "journeysim: note: ", "  "))
}

// flagWidths holds the --width of each command line while it runs, by
// its state: the root command's persistent flag is parsed (and checked,
// in its PersistentPreRunE) before a verb runs, and the verbs, which
// only see their own options, read it through their state (widthFlag).
// execute forgets it when the command line is done.
var flagWidths sync.Map // *globalState → int

// widthFlag is the --width the command line gave, 0 when none.
func (st *globalState) widthFlag() int {
	v, _ := flagWidths.Load(st)
	n, _ := v.(int)
	return n
}

// helpWidth is the width help text is wrapped to: --width when it is
// allowed, else the tables' width (tableWidth), else 80 when that is
// unbounded: help is read by people even when it is piped into a pager.
func (st *globalState) helpWidth(c *cobra.Command) int {
	flag := 0
	if f := c.Flags().Lookup(widthFlagName); f != nil {
		flag, _ = strconv.Atoi(f.Value.String())
	}
	if flag < minWidth {
		flag = 0 // refused when the command runs; help is still shown
	}
	if w := st.tableWidth(flag); w > 0 {
		return w
	}
	return defaultWidth
}

// writeHelp writes c's help as cobra does (its long description, then
// its usage), every line wrapped to width.
func writeHelp(w io.Writer, c *cobra.Command, width int) {
	about := c.Long
	if about == "" {
		about = c.Short
	}
	if about = strings.TrimRightFunc(about, unicode.IsSpace); about != "" {
		io.WriteString(w, wrapHelp(about, width)+"\n\n")
	}
	if c.Runnable() || c.HasSubCommands() {
		writeUsage(w, c, width)
	}
}

// writeUsage writes c's usage as cobra's default usage template does,
// every line wrapped to width: the usage line, examples, subcommands,
// flags and inherited flags.
func writeUsage(w io.Writer, c *cobra.Command, width int) {
	var b strings.Builder
	b.WriteString("Usage:\n")
	if c.Runnable() {
		b.WriteString(wrapCommand("  "+c.UseLine(), width))
	}
	if c.HasAvailableSubCommands() {
		b.WriteString(wrapCommand("  "+c.CommandPath()+" [command]", width))
	}
	if len(c.Aliases) > 0 {
		b.WriteString("\nAliases:\n" + output.WrapLine(c.NameAndAliases(), width, "  ", "    "))
	}
	if c.HasExample() {
		b.WriteString("\nExamples:\n")
		for line := range strings.SplitSeq(strings.TrimRightFunc(c.Example, unicode.IsSpace), "\n") {
			b.WriteString(wrapCommand(line, width))
		}
	}
	if c.HasAvailableSubCommands() {
		b.WriteString("\nAvailable Commands:\n")
		for _, sub := range c.Commands() {
			if !sub.IsAvailableCommand() && sub.Name() != "help" {
				continue
			}
			name := "  " + sub.Name() + strings.Repeat(" ", max(0, sub.NamePadding()-len(sub.Name()))) + " "
			rest := strings.Repeat(" ", len(name))
			if width-len(name) < 20 {
				rest = "      "
			}
			b.WriteString(output.WrapLine(sub.Short, width, name, rest))
		}
	}
	if c.HasAvailableLocalFlags() {
		b.WriteString("\nFlags:\n" + flagUsages(c.LocalFlags(), width))
	}
	if c.HasAvailableInheritedFlags() {
		b.WriteString("\nGlobal Flags:\n" + flagUsages(c.InheritedFlags(), width))
	}
	if c.HasAvailableSubCommands() {
		b.WriteString("\n" + output.WrapLine(fmt.Sprintf("Use %q for more information about a command.", c.CommandPath()+" [command] --help"), width, "", ""))
	}
	io.WriteString(w, b.String())
}

// flagUsages lists the flags of fs as pflag does, names in a column and
// each usage (with its default) wrapped beside them to width, a word too
// long for the column broken; when the names leave the usage too narrow a
// column, it goes under them.
func flagUsages(fs *pflag.FlagSet, width int) string {
	type entry struct{ names, usage string }
	var entries []entry
	names := 0
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		e := flagEntry(f)
		if e.names == "" {
			return
		}
		entries = append(entries, entry(e))
		names = max(names, displayWidth(e.names))
	})
	const narrowest, under = 24, "          "
	column := names + 3
	var b strings.Builder
	for _, e := range entries {
		pad := strings.Repeat(" ", column-displayWidth(e.names))
		if width-column < narrowest {
			b.WriteString(e.names + "\n" + output.WrapText(e.usage, width, under, under))
			continue
		}
		indent := strings.Repeat(" ", column)
		b.WriteString(output.WrapText(e.usage, width, e.names+pad, indent))
	}
	return b.String()
}

// flagEntry is the flag f as pflag lists it: its names ("  -q, --quiet",
// "      --seed uint") and its usage with its default, taken from pflag's
// own listing of it so that the default reads as pflag writes it.
func flagEntry(f *pflag.Flag) (e struct{ names, usage string }) {
	one := pflag.NewFlagSet("", pflag.ContinueOnError)
	one.AddFlag(f)
	line := strings.TrimRightFunc(one.FlagUsagesWrapped(0), unicode.IsSpace)
	body := strings.TrimLeft(line, " ")
	end := strings.Index(body, "   ")
	if end < 0 {
		return e
	}
	e.names = line[:len(line)-len(body)+end]
	e.usage = strings.Join(strings.Fields(body[end:]), " ")
	return e
}

// wrapCommand writes a command line of an example: as it is when it fits
// width, else broken at spaces into lines continued with a backslash, as
// a shell reads them.
func wrapCommand(line string, width int) string {
	if displayWidth(line) <= width {
		return line + "\n"
	}
	body := strings.TrimLeft(line, " ")
	indent := line[:len(line)-len(body)]
	lines := strings.Split(strings.TrimSuffix(output.WrapLine(body, width-2, indent, indent+"    "), "\n"), "\n")
	return strings.Join(lines, " \\\n") + "\n"
}

// wrapHelp wraps a command's long description to width: each block of
// lines (between blank lines) that has a line too wide is reflowed,
// paragraphs as paragraphs, and indented lines and list items ("- ") each
// with its own indentation; a block that fits is kept as written.
func wrapHelp(s string, width int) string {
	var out []string
	for block := range strings.SplitSeq(s, "\n\n") {
		lines := strings.Split(block, "\n")
		if !slices.ContainsFunc(lines, func(l string) bool { return displayWidth(l) > width }) {
			out = append(out, block)
			continue
		}
		var b strings.Builder
		var base, first, rest string // the item's indentation, and its lines'
		var words []string
		flush := func() {
			if len(words) > 0 {
				b.WriteString(output.WrapLine(strings.Join(words, " "), width, first, rest))
			}
			words = nil
		}
		for _, l := range lines {
			body := strings.TrimLeft(l, " ")
			indent := l[:len(l)-len(body)]
			item := strings.HasPrefix(body, "- ") || strings.HasPrefix(body, "* ")
			// A line goes on with the item before it when it is indented
			// deeper (a list item's second line), or when both are flush
			// left (a paragraph).
			continues := len(words) > 0 && !item && (base == "" && indent == "" || base != "" && len(indent) > len(base))
			if !continues {
				flush()
				base, first, rest = indent, indent, indent+"  "
				if item {
					first, rest = indent+body[:2], indent+"  "
					body = body[2:]
				} else if indent == "" {
					rest = ""
				}
			}
			words = append(words, body)
		}
		flush()
		out = append(out, strings.TrimSuffix(b.String(), "\n"))
	}
	return strings.Join(out, "\n\n")
}

// displayWidth is the columns s takes on a terminal.
func displayWidth(s string) int { return twwidth.Width(s) }
