// Package scenarios reads scenario files: it parses the YAML, checks every
// key, value and reference, compiles every expression, and produces a
// sim.Model. All problems in a file are reported at once, each with its
// file, line and column. The package also holds the built-in scenario
// library, embedded in the binary.
package scenarios

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/journeysim/journeysim/sim"
	"github.com/journeysim/journeysim/sim/text"
)

// MaxFileSize is the largest scenario file accepted.
const MaxFileSize = 8 << 20

// Plugins gives a scenario's channels behaviours served by plugins. The
// plugins package implements it; without one, a scenario that names a
// plugin does not load.
type Plugins interface {
	// Spec describes the plugin called name: its parameters and ranges.
	Spec(name string) (sim.BehaviourSpec, error)
	// Configure returns channel's behaviour, served by the plugin name
	// with params and text parameters text (every parameter, defaults
	// filled in).
	Configure(name, channel string, params map[string]float64, text map[string]string) (sim.Behaviour, error)
}

// Options change how a scenario is loaded.
type Options struct {
	// Plugins serves the behaviours of channels that name a plugin.
	Plugins Plugins
	// Describe loads a scenario to be read or described, not run: a
	// channel that names a plugin that Plugins does not serve (or with no
	// Plugins) keeps the parameters the file gives it, unchecked, and its
	// behaviour fails if asked to answer.
	Describe bool
	// AllowFileOutside lets a behaviour parameter's {file: PATH} name a
	// file outside the scenario's folder (an absolute path, or one that
	// climbs out through ..); without it such a path is refused, so that
	// a scenario from someone else cannot read what it likes.
	AllowFileOutside bool
}

// Load parses and compiles a scenario. file names the source in error
// messages and is its origin. Problems in the scenario come back as an
// ErrorList.
func Load(file string, data []byte) (*Scenario, error) {
	return LoadWith(file, data, Options{})
}

// LoadWith is Load with options.
func LoadWith(file string, data []byte, opt Options) (*Scenario, error) {
	spec, e := parse(file, data)
	if len(e.list) > 0 {
		return nil, e.err()
	}
	sc := &Scenario{Source: Source{Origin: file, Data: data}}
	c := &compiler{errs: e, spec: spec, sc: sc, lines: strings.Split(string(data), "\n"), exprs: map[exprKey]exprResult{}, plugins: opt.Plugins, describe: opt.Describe, allowOutside: opt.AllowFileOutside}
	sc.Model = c.compile()
	if err := c.err(); err != nil {
		return nil, err
	}
	return sc, nil
}

// parse reads a scenario's keys and values, checked but not compiled. The
// problems found are in the returned errs.
func parse(file string, data []byte) (*scenarioSpec, errs) {
	e := errs{file: file}
	if len(data) > MaxFileSize {
		e.at(Pos{}, "file is %d bytes; at most %d are allowed", len(data), MaxFileSize)
		return nil, e
	}
	root, perr := parseOne(file, data)
	if perr != nil {
		e.list = append(e.list, perr)
		return nil, e
	}
	if root.Kind == 0 || len(root.Content) == 0 {
		e.at(Pos{Line: 1, Column: 1}, "the file is empty; a scenario needs name, population, channels, journey and strategies")
		return nil, e
	}
	var spec scenarioSpec
	d := &decoder{errs: &e, budget: max(5_000, 10*nodeCount(root))}
	d.decode(root.Content[0], reflectValue(&spec))
	return &spec, e
}

// yamlError turns a YAML syntax error ("yaml: line 3: ...") into an Error.
func yamlError(file string, err error) *Error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	var line int
	if n, _ := fmt.Sscanf(msg, "line %d:", &line); n == 1 {
		msg = strings.TrimSpace(msg[strings.Index(msg, ":")+1:])
		// yaml.v3 numbers the lines of parser errors from 0, those of
		// scanner errors from 1.
		for _, p := range parserProblems {
			if strings.HasPrefix(msg, p) {
				line++
				break
			}
		}
		return &Error{File: file, Pos: Pos{Line: line, Column: 1}, Message: "YAML syntax: " + msg}
	}
	return &Error{File: file, Pos: Pos{Line: 1, Column: 1}, Message: "YAML syntax: " + msg}
}

// parserProblems are the messages of yaml.v3's parser (not scanner) errors.
var parserProblems = []string{
	"did not find expected ',' or", "did not find expected '-' indicator",
	"did not find expected <document start>", "did not find expected key",
	"did not find expected node content", "found duplicate %", "found incompatible YAML",
	"found undefined tag handle",
}

// LoadFile reads and compiles the scenario at path.
func LoadFile(p string) (*Scenario, error) {
	data, err := ReadFile(p)
	if err != nil {
		return nil, fileError(p, err)
	}
	return Load(p, data)
}

//go:embed *.yaml
var library embed.FS

// Default is the name of the scenario run when none is given.
const Default = "retail-omnichannel"

// Info describes a built-in scenario.
type Info struct {
	Name        string
	Description string
	// Lesson is the title of what the scenario teaches, if anything.
	Lesson string
	// Plugins names the plugins that serve the scenario's channels, in file
	// order; none for most. Such a scenario loads only where plugins are
	// available (OpenWith with Options.Plugins, as journeysim run
	// does): Builtin cannot load it.
	Plugins []string
}

// Builtins lists the built-in scenarios, by name.
func Builtins() ([]Info, error) {
	entries, err := fs.ReadDir(library, ".")
	if err != nil {
		return nil, err
	}
	var out []Info
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".yaml")
		info, err := builtinInfo(name)
		if err != nil {
			return nil, fmt.Errorf("built-in scenario %s: %w", name, err)
		}
		out = append(out, info)
	}
	return out, nil
}

// builtinInfo says what the built-in scenario name is, and which plugins
// its channels need; it is loaded to be described, so that one served by
// plugins is listed where they are not available.
func builtinInfo(name string) (Info, error) {
	data, err := BuiltinSource(name)
	if err != nil {
		return Info{}, err
	}
	sc, err := loadBuiltin(name, data, Options{Describe: true})
	if err != nil {
		return Info{}, err
	}
	info := Info{Name: name, Description: sc.Model.Description}
	if sc.Lesson != nil {
		info.Lesson = sc.Lesson.Title
	}
	for _, ch := range sc.Model.Channels {
		if p, ok := strings.CutPrefix(ch.BehaviourName, PluginPrefix); ok && !slices.Contains(info.Plugins, p) {
			info.Plugins = append(info.Plugins, p)
		}
	}
	return info, nil
}

// BuiltinSource returns the YAML text of the built-in scenario name.
func BuiltinSource(name string) ([]byte, error) {
	data, err := library.ReadFile(name + ".yaml")
	if err != nil {
		return nil, &NotFoundError{Name: name}
	}
	return data, nil
}

// Builtin compiles the built-in scenario name.
func Builtin(name string) (*Scenario, error) {
	data, err := BuiltinSource(name)
	if err != nil {
		return nil, err
	}
	return loadBuiltin(name, data, Options{})
}

// loadBuiltin compiles data as the built-in scenario name, reporting
// problems under builtin/NAME.yaml.
func loadBuiltin(name string, data []byte, opt Options) (*Scenario, error) {
	src := Source{Origin: "builtin:" + name, Data: data}
	sc, err := LoadWith(src.File(), data, opt)
	if err != nil {
		return nil, err
	}
	sc.Source = src
	return sc, nil
}

// NotFoundError says that a scenario is neither a file nor a built-in.
type NotFoundError struct{ Name string }

func (e *NotFoundError) Error() string {
	var names []string
	entries, _ := fs.ReadDir(library, ".")
	for _, en := range entries {
		names = append(names, strings.TrimSuffix(en.Name(), ".yaml"))
	}
	return fmt.Sprintf("no scenario file or built-in scenario %q; built-in: %s%s", e.Name, strings.Join(names, ", "), text.DidYouMean(e.Name, names))
}

// Open loads a scenario given as a file path or as a built-in's name. A
// path that exists wins over a built-in of the same name. The scenario's
// Source holds its text, so that a run can record exactly what it ran.
func Open(nameOrPath string) (*Scenario, error) {
	return OpenWith(nameOrPath, Options{})
}

// OpenWith is Open with options.
func OpenWith(nameOrPath string, opt Options) (*Scenario, error) {
	if _, err := os.Stat(nameOrPath); err == nil {
		data, err := ReadFile(nameOrPath)
		if err != nil {
			return nil, fileError(nameOrPath, err)
		}
		return LoadWith(nameOrPath, data, opt)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fileError(nameOrPath, err)
	}
	if strings.ContainsAny(nameOrPath, `/\`) || strings.HasSuffix(nameOrPath, ".yaml") || strings.HasSuffix(nameOrPath, ".yml") {
		return nil, ErrorList{{File: nameOrPath, Message: "no such file"}}
	}
	data, err := BuiltinSource(nameOrPath)
	if err != nil {
		return nil, err
	}
	return loadBuiltin(nameOrPath, data, opt)
}

// fileError reports a scenario file that cannot be read as an input error.
func fileError(path string, err error) error {
	msg := err.Error()
	var pe *fs.PathError
	if errors.As(err, &pe) {
		msg = pe.Err.Error()
	}
	return ErrorList{{File: path, Message: "cannot read the file: " + msg}}
}
