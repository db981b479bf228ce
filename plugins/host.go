package plugins

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/go-plugin/runner"
	"github.com/journeysim/journeysim/plugins/proto"
	"github.com/journeysim/journeysim/sim"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// PathEnv names the environment variable that lists plugin folders,
// separated like PATH.
const PathEnv = "JOURNEYSIM_PLUGIN_PATH"

// DefaultDir is the folder searched last: where `make plugins` puts the
// example plugins.
const DefaultDir = "plugins/bin"

// DefaultTimeout is how long a plugin may take to answer one call.
const DefaultTimeout = 30 * time.Second

// SearchPath returns the plugin folders in the order they are searched:
// dirs (from --plugin-dir), then the folders of env (the value of PathEnv),
// then DefaultDir.
func SearchPath(dirs []string, env string) []string {
	out := slices.Clone(dirs)
	for _, d := range filepath.SplitList(env) {
		if d != "" {
			out = append(out, d)
		}
	}
	return append(out, DefaultDir)
}

// Host starts plugin processes, and ends them all on Close.
type Host struct {
	// Dirs are searched in order for a plugin's executable, named after
	// the plugin.
	Dirs []string
	// Timeout bounds every call to a plugin; 0 means DefaultTimeout.
	Timeout time.Duration
	// NoSharedMemory sends every batch in the gRPC message, even to a
	// plugin that could read it from shared memory.
	NoSharedMemory bool
	// Context, when set, ends every call to a plugin as soon as it is
	// done: a cancelled run does not wait for a plugin's answer.
	Context context.Context

	mu      sync.Mutex
	clients map[string]*Client
}

// Client is one running plugin.
type Client struct {
	Name        string
	Path        string
	Description Description
	host        *Host
	proc        *plugin.Client
	rpc         proto.ChannelBehaviourClient
	stderr      *tail
	// shared lends shared memory for batches, or is nil when the plugin
	// cannot take them that way.
	shared *regions
	// configured keeps each configuration's behaviour, so that loading a
	// scenario again (each point of a sweep does) configures nothing new
	// in the plugin.
	mu         sync.Mutex
	configured map[string]sim.Behaviour
}

// Find returns the path of the plugin called name.
func (h *Host) Find(name string) (string, error) {
	if name == "" || strings.ContainsAny(name, `/\`) || name == "." || name == ".." {
		return "", fmt.Errorf("plugin name %q: give the name of an executable in a plugin folder, without a path", name)
	}
	for _, d := range h.Dirs {
		p := filepath.Join(d, name)
		info, err := os.Stat(p)
		if err != nil {
			continue
		}
		if info.IsDir() || info.Mode().Perm()&0o111 == 0 {
			return "", fmt.Errorf("plugin %s at %s is not an executable file (chmod +x it, or rebuild it with make plugins)", name, p)
		}
		return p, nil
	}
	build := ""
	if slices.Contains(ExamplePlugins, name) {
		build = "; it is one of journeysim's example plugins: build them with make plugins in journeysim's source folder"
	}
	return "", fmt.Errorf("plugin %s not found in %s (plugin folders: --plugin-dir, then $%s, then %s; 'journeysim plugins' lists what is found)%s",
		name, strings.Join(h.Dirs, ", "), PathEnv, DefaultDir, build)
}

// ExamplePlugins are the channel plugins whose source comes with
// journeysim (plugins/NAME), built into plugins/bin by make plugins.
var ExamplePlugins = []string{"contactcentre", "response", "segments"}

// Open starts the plugin called name, or returns it if already started.
func (h *Host) Open(name string) (*Client, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if c, ok := h.clients[name]; ok {
		return c, nil
	}
	path, err := h.Find(name)
	if err != nil {
		return nil, err
	}
	c, err := h.start(name, path)
	if err != nil {
		return nil, err
	}
	if h.clients == nil {
		h.clients = map[string]*Client{}
	}
	h.clients[name] = c
	return c, nil
}

func (h *Host) start(name, path string) (*Client, error) {
	stderr := &tail{}
	config := &plugin.ClientConfig{
		HandshakeConfig:  Handshake,
		Plugins:          plugin.PluginSet{pluginName: &grpcPlugin{}},
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		GRPCDialOptions: []grpc.DialOption{
			grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(MaxMessageSize), grpc.MaxCallSendMsgSize(MaxMessageSize)),
			grpc.WithInitialWindowSize(windowSize), grpc.WithInitialConnWindowSize(windowSize),
		},
		Logger:       hclog.New(&hclog.LoggerOptions{Output: io.Discard, Level: hclog.Off}),
		Stderr:       stderr,
		StartTimeout: h.timeout(),
	}
	// The runner is kept so that Ctrl-C can end a plugin that is still
	// starting: go-plugin's own Kill waits until the start is over.
	var started atomic.Pointer[runner.Runner]
	if run := newRunner(path); run != nil {
		config.RunnerFunc = func(l hclog.Logger, cmd *exec.Cmd, dir string) (runner.Runner, error) {
			r, err := run(l, cmd, dir)
			if err == nil {
				started.Store(&r)
			}
			return r, err
		}
	} else {
		config.Cmd = exec.Command(path)
	}
	proc := plugin.NewClient(config)
	fail := func(err error) (*Client, error) {
		proc.Kill()
		msg := err.Error()
		if strings.Contains(strings.ToLower(msg), "incompatible api version") {
			msg = fmt.Sprintf("%s; this journeysim speaks plugin protocol %d: rebuild the plugin against this version's plugins package", msg, ProtocolVersion)
		}
		if s := stderr.String(); s != "" {
			msg += "\nplugin output: " + s
		}
		return nil, fmt.Errorf("start plugin %s (%s): %s", name, path, msg)
	}
	ctx := h.context()
	if ctx.Err() != nil {
		return nil, fmt.Errorf("start plugin %s (%s): not started: %w", name, path, ctx.Err())
	}
	// Ctrl-C while the plugin starts ends it rather than waiting for
	// its handshake's time limit.
	stop := context.AfterFunc(ctx, func() {
		if r := started.Load(); r != nil {
			(*r).Kill(context.Background())
		}
	})
	defer stop()
	rpcClient, err := proc.Client()
	if err != nil {
		if h.context().Err() != nil {
			return fail(fmt.Errorf("stopped while starting: %w", h.context().Err()))
		}
		return fail(err)
	}
	raw, err := rpcClient.Dispense(pluginName)
	if err != nil {
		return fail(err)
	}
	c := &Client{Name: name, Path: path, host: h, proc: proc, rpc: raw.(proto.ChannelBehaviourClient), stderr: stderr}
	ctx, cancel := context.WithTimeout(ctx, h.timeout())
	defer cancel()
	d, err := c.rpc.Describe(ctx, &proto.DescribeRequest{})
	if err != nil {
		return fail(fmt.Errorf("describe: %w", describeCallError(ctx, err)))
	}
	c.Description = Description{Name: d.Name, Version: d.Version, Doc: d.Doc}
	if d.SharedMemory && sharedMemory && !h.NoSharedMemory {
		c.shared = &regions{}
	}
	for _, p := range d.Params {
		c.Description.Params = append(c.Description.Params, sim.Param{Name: p.Name, Default: p.Default, Min: p.Min, Max: p.Max, Doc: p.Doc,
			Text: p.Text, DefaultText: p.DefaultText})
	}
	return c, nil
}

// context returns the context calls are made under.
func (h *Host) context() context.Context {
	if h.Context == nil {
		return context.Background()
	}
	return h.Context
}

func (h *Host) timeout() time.Duration {
	if h.Timeout > 0 {
		return h.Timeout
	}
	return DefaultTimeout
}

// Close ends every plugin process the host started.
func (h *Host) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, c := range h.clients {
		c.proc.Kill()
		if c.shared != nil {
			c.shared.close()
		}
	}
	h.clients = nil
}

// Spec describes the plugin as a behaviour: its parameters with their
// ranges, so a scenario's parameters are checked before the run.
func (c *Client) Spec() sim.BehaviourSpec {
	return sim.BehaviourSpec{Name: c.Name, Doc: c.Description.Doc, Params: c.Description.Params}
}

// Configure gives the plugin a channel's parameters and returns the
// channel's behaviour, or the plugin's reason for refusing them. text
// holds the values of text parameters.
func (c *Client) Configure(channel string, params map[string]float64, text map[string]string) (sim.Behaviour, error) {
	key := configKey(channel, params, text)
	c.mu.Lock()
	defer c.mu.Unlock()
	if b, ok := c.configured[key]; ok {
		return b, nil
	}
	b, err := c.configure(channel, params, text)
	if err != nil {
		return nil, err
	}
	if c.configured == nil {
		c.configured = map[string]sim.Behaviour{}
	}
	c.configured[key] = b
	return b, nil
}

// configKey identifies a configuration: the channel and every parameter.
func configKey(channel string, params map[string]float64, text map[string]string) string {
	var b strings.Builder
	b.WriteString(strconv.Quote(channel))
	for _, k := range slices.Sorted(maps.Keys(params)) {
		fmt.Fprintf(&b, " %q=%x", k, math.Float64bits(params[k]))
	}
	for _, k := range slices.Sorted(maps.Keys(text)) {
		fmt.Fprintf(&b, " %q:%q", k, text[k])
	}
	return b.String()
}

func (c *Client) configure(channel string, params map[string]float64, text map[string]string) (sim.Behaviour, error) {
	ctx, cancel := context.WithTimeout(c.host.context(), c.host.timeout())
	defer cancel()
	resp, err := c.rpc.Configure(ctx, &proto.ConfigureRequest{Channel: channel, Params: params, Text: text})
	if err != nil {
		return nil, &CallError{Plugin: c.Name, Channel: channel, Err: describeCallError(ctx, err)}
	}
	if resp.Error != "" {
		return nil, &CallError{Plugin: c.Name, Channel: channel, Err: errors.New("parameters refused: " + resp.Error)}
	}
	timeout := c.host.timeout()
	return &remote{client: c.rpc, handle: resp.Handle, channel: channel, plugin: c.Name, ctx: c.host.context(), timeout: timeout, shared: c.shared}, nil
}

// describeCallError says in plain words why a call failed.
func describeCallError(ctx context.Context, err error) error {
	if errors.Is(ctx.Err(), context.Canceled) || status.Code(err) == codes.Canceled {
		return fmt.Errorf("call stopped: %w", context.Canceled)
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) || status.Code(err) == codes.DeadlineExceeded {
		return fmt.Errorf("no answer within the time limit (--plugin-timeout)")
	}
	if status.Code(err) == codes.Unavailable {
		return fmt.Errorf("the plugin process stopped or crashed (%s)", status.Convert(err).Message())
	}
	if s, ok := status.FromError(err); ok {
		return errors.New(s.Message())
	}
	return err
}

// Listed is a plugin found on the search path.
type Listed struct {
	Path        string
	Description Description
	Err         error
}

// List starts every executable in the host's folders once, asks it to
// describe itself and ends it. A name found in several folders is listed
// from the first.
func (h *Host) List() []Listed {
	var out []Listed
	seen := map[string]bool{}
	for _, d := range h.Dirs {
		entries, err := os.ReadDir(d)
		if err != nil {
			continue
		}
		for _, e := range entries {
			info, err := os.Stat(filepath.Join(d, e.Name())) // follows symbolic links, as Find does
			if err != nil || !info.Mode().IsRegular() || info.Mode().Perm()&0o111 == 0 || seen[e.Name()] {
				continue
			}
			seen[e.Name()] = true
			path := filepath.Join(d, e.Name())
			c, err := h.start(e.Name(), path)
			l := Listed{Path: path, Err: err}
			if err == nil {
				l.Description = c.Description
				c.proc.Kill()
			}
			out = append(out, l)
		}
	}
	return out
}

// tail keeps the last few hundred bytes a plugin wrote to its stderr, for
// error messages.
type tail struct {
	mu  sync.Mutex
	buf []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, line := range strings.SplitAfter(string(p), "\n") {
		if !strings.HasPrefix(line, `{"@level"`) { // go-plugin's own log lines
			t.buf = append(t.buf, line...)
		}
	}
	if len(t.buf) > 600 {
		t.buf = t.buf[len(t.buf)-600:]
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.TrimSpace(string(t.buf))
}

// Spec starts the plugin called name if needed and describes it; with
// Configure, a Host serves a scenario's plugin behaviours.
func (h *Host) Spec(name string) (sim.BehaviourSpec, error) {
	c, err := h.Open(name)
	if err != nil {
		return sim.BehaviourSpec{}, err
	}
	return c.Spec(), nil
}

// Configure returns channel's behaviour, served by the plugin called name,
// with number params and text parameters text.
func (h *Host) Configure(name, channel string, params map[string]float64, text map[string]string) (sim.Behaviour, error) {
	c, err := h.Open(name)
	if err != nil {
		return nil, err
	}
	return c.Configure(channel, params, text)
}
