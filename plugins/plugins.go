package plugins

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-plugin"
	"github.com/journeysim/journeysim/plugins/proto"
	"github.com/journeysim/journeysim/sim"
	"google.golang.org/grpc"
)

// ProtocolVersion is the version of the plugin protocol this build
// speaks. It changes whenever plugins/proto/behaviour.proto changes in a
// way an older plugin could not follow.
const ProtocolVersion = 1

// Handshake is what journeysim and a plugin check before they talk: a
// plugin built for another protocol version is refused with both versions
// named.
var Handshake = plugin.HandshakeConfig{
	ProtocolVersion:  ProtocolVersion,
	MagicCookieKey:   "JOURNEYSIM_PLUGIN",
	MagicCookieValue: "channel-behaviour",
}

// pluginName is the name under which the behaviour is dispensed.
const pluginName = "behaviour"

// Description says what a plugin is and which parameters it accepts.
type Description struct {
	Name    string
	Version string
	Doc     string
	Params  []sim.Param
}

// Plugin is what a plugin author implements: a description, and a
// channel behaviour for each channel's parameters. The behaviours'
// Respond may be called concurrently and must answer from the batch alone,
// using only the batch's random draws, so that runs stay reproducible.
type Plugin interface {
	Describe() Description
	// Configure returns the behaviour for one channel, or an error that
	// names the parameter, its bad value and what is allowed. Parameters
	// not given are filled in from Describe's defaults before the call.
	Configure(channel string, params Params) (sim.Behaviour, error)
}

// Params are a channel's parameter values, by name: every parameter the
// plugin describes, the scenario's values with the defaults for the rest.
type Params struct {
	Numbers map[string]float64
	// Text holds the text parameters (Param.Text), such as a table.
	Text map[string]string
}

// Serve runs p as a plugin process. A plugin's main calls it and nothing
// else; it returns when journeysim ends the process.
func Serve(p Plugin) {
	go exitWithParent(os.Getppid())
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: Handshake,
		Plugins:         plugin.PluginSet{pluginName: &grpcPlugin{impl: p}},
		GRPCServer: func(opts []grpc.ServerOption) *grpc.Server {
			return plugin.DefaultGRPCServer(append(opts, grpc.MaxRecvMsgSize(MaxMessageSize), grpc.MaxSendMsgSize(MaxMessageSize)))
		},
	})
}

// MaxMessageSize is the largest message journeysim and a plugin exchange:
// enough for a batch with a contact for each of sim.PoolSize customers.
const MaxMessageSize = 256 << 20

// exitWithParent ends the plugin process once journeysim, its parent, is
// gone, even if journeysim could not end it (killed by a second Ctrl-C or
// a closed pipe): no plugin process outlives its run.
func exitWithParent(parent int) {
	for range time.Tick(500 * time.Millisecond) {
		if os.Getppid() != parent {
			os.Exit(0)
		}
	}
}

// grpcPlugin joins the Plugin interface to go-plugin's gRPC transport.
type grpcPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	impl Plugin
}

func (g *grpcPlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	proto.RegisterChannelBehaviourServer(s, &server{impl: g.impl})
	return nil
}

func (g *grpcPlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return proto.NewChannelBehaviourClient(c), nil
}

// server answers journeysim's calls inside the plugin process.
type server struct {
	proto.UnimplementedChannelBehaviourServer
	impl    Plugin
	mu      sync.RWMutex
	configs []sim.Behaviour
}

func (s *server) Describe(context.Context, *proto.DescribeRequest) (*proto.Description, error) {
	d := s.impl.Describe()
	out := &proto.Description{Name: d.Name, Version: d.Version, Doc: d.Doc}
	for _, p := range d.Params {
		out.Params = append(out.Params, &proto.Param{Name: p.Name, Default: p.Default, Min: p.Min, Max: p.Max, Doc: p.Doc,
			Text: p.Text, DefaultText: p.DefaultText})
	}
	return out, nil
}

func (s *server) Configure(_ context.Context, req *proto.ConfigureRequest) (*proto.ConfigureResponse, error) {
	d := s.impl.Describe()
	params := Params{Numbers: map[string]float64{}, Text: map[string]string{}}
	for _, p := range d.Params {
		if p.Text {
			params.Text[p.Name] = p.DefaultText
		} else {
			params.Numbers[p.Name] = p.Default
		}
	}
	for k, v := range req.Params {
		params.Numbers[k] = v
	}
	for k, v := range req.Text {
		params.Text[k] = v
	}
	b, err := s.impl.Configure(req.Channel, params)
	if err != nil {
		return &proto.ConfigureResponse{Error: err.Error()}, nil
	}
	if b == nil {
		return &proto.ConfigureResponse{Error: "the plugin returned no behaviour"}, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.configs = append(s.configs, b)
	return &proto.ConfigureResponse{Handle: uint64(len(s.configs))}, nil
}

func (s *server) Respond(_ context.Context, req *proto.Batch) (*proto.Answers, error) {
	s.mu.RLock()
	var b sim.Behaviour
	if req.Handle >= 1 && req.Handle <= uint64(len(s.configs)) {
		b = s.configs[req.Handle-1]
	}
	s.mu.RUnlock()
	if b == nil {
		return nil, fmt.Errorf("unknown configuration handle %d", req.Handle)
	}
	batch, err := fromProto(req)
	if err != nil {
		return nil, err
	}
	var out sim.Responses
	out.Resize(batch.Len())
	if err := b.Respond(batch, &out); err != nil {
		return nil, err
	}
	return &proto.Answers{Responded: out.Responded, Satisfaction: out.Satisfaction, Effort: out.Effort,
		Minutes: out.Minutes, Purchase: out.Purchase, OptOut: out.OptOut}, nil
}

// fromProto turns a request into the batch a behaviour answers, checking
// that its columns agree.
func fromProto(req *proto.Batch) (*sim.ContactBatch, error) {
	n := len(req.Customer)
	level := slices.Index(sim.IntegrationLevels, req.Integration)
	if level < 0 {
		return nil, fmt.Errorf("malformed batch: integration level %q; allowed: %s", req.Integration, strings.Join(sim.IntegrationLevels, ", "))
	}
	for _, col := range [][]float64{req.Affinity, req.Fatigue, req.Tolerance, req.Loyalty, req.Discount, req.Rand1, req.Rand2} {
		if len(col) != n {
			return nil, fmt.Errorf("malformed batch: a column of %d values for %d contacts", len(col), n)
		}
	}
	if len(req.Persona) != n {
		return nil, fmt.Errorf("malformed batch: %d personas for %d contacts", len(req.Persona), n)
	}
	batch := &sim.ContactBatch{Channel: req.Channel, Tick: int(req.Tick), Integration: sim.IntegrationLevel(level),
		Customer: make([]int, n), Persona: make([]int, n), Personas: req.Personas,
		Affinity: req.Affinity, Fatigue: req.Fatigue, Tolerance: req.Tolerance, Loyalty: req.Loyalty,
		Discount: req.Discount, Rand: make([][2]float64, n)}
	for j := range n {
		if int(req.Persona[j]) >= len(req.Personas) {
			return nil, fmt.Errorf("malformed batch: persona %d of %d", req.Persona[j], len(req.Personas))
		}
		batch.Customer[j] = int(req.Customer[j])
		batch.Persona[j] = int(req.Persona[j])
		batch.Rand[j] = [2]float64{req.Rand1[j], req.Rand2[j]}
	}
	return batch, nil
}

// remote is a channel's behaviour served by a plugin process: each Respond
// is one gRPC call with the whole batch. It is pooled, so that the engine
// sends each tick's contacts of the whole population in one call.
type remote struct {
	client  proto.ChannelBehaviourClient
	handle  uint64
	channel string
	plugin  string
	timeout time.Duration
	calls   atomic.Int64
}

// Pooled asks the engine for one batch per channel per tick: a call to
// another process costs far more than answering a contact.
func (r *remote) Pooled() bool { return true }

// Respond sends the batch to the plugin and checks every answer: one per
// contact, ratings inside their scales or NaN, minutes and purchases
// finite and not negative.
func (r *remote) Respond(b *sim.ContactBatch, out *sim.Responses) error {
	n := b.Len()
	req := &proto.Batch{Handle: r.handle, Channel: b.Channel, Tick: int64(b.Tick), Integration: b.Integration.String(),
		Customer: make([]int64, n), Persona: make([]uint32, n), Personas: b.Personas,
		Affinity: b.Affinity, Fatigue: b.Fatigue, Tolerance: b.Tolerance, Loyalty: b.Loyalty, Discount: b.Discount,
		Rand1: make([]float64, n), Rand2: make([]float64, n)}
	for j := range n {
		req.Customer[j] = int64(b.Customer[j])
		req.Persona[j] = uint32(b.Persona[j])
		req.Rand1[j], req.Rand2[j] = b.Rand[j][0], b.Rand[j][1]
	}
	ctx, cancel := context.WithTimeout(context.Background(), r.timeout)
	defer cancel()
	r.calls.Add(1)
	ans, err := r.client.Respond(ctx, req)
	if err != nil {
		return &CallError{Plugin: r.plugin, Channel: r.channel, Err: describeCallError(ctx, err)}
	}
	bad := func(err error) error { return &CallError{Plugin: r.plugin, Channel: r.channel, Err: err} }
	if len(ans.Responded) != n || len(ans.Satisfaction) != n || len(ans.Effort) != n {
		return bad(fmt.Errorf("answered %d responses, %d satisfaction and %d effort ratings for %d contacts; it must answer every contact once",
			len(ans.Responded), len(ans.Satisfaction), len(ans.Effort), n))
	}
	for _, col := range []struct {
		name string
		len  int
	}{{"minutes", len(ans.Minutes)}, {"purchase", len(ans.Purchase)}, {"opt_out", len(ans.OptOut)}} {
		if col.len != 0 && col.len != n {
			return bad(fmt.Errorf("answered %d %s for %d contacts; give one per contact, or none", col.len, col.name, n))
		}
	}
	copy(out.Responded, ans.Responded)
	copy(out.Satisfaction, ans.Satisfaction)
	copy(out.Effort, ans.Effort)
	copy(out.Minutes, ans.Minutes)
	copy(out.Purchase, ans.Purchase)
	copy(out.OptOut, ans.OptOut)
	if err := out.Check(b); err != nil {
		return bad(err)
	}
	return nil
}

// CallError is a plugin call that failed. Its message names the plugin;
// the engine's or the loader's wrapping names the channel (and tick).
type CallError struct {
	Plugin  string
	Channel string
	Err     error
}

func (e *CallError) Error() string {
	return fmt.Sprintf("plugin %s: %v", e.Plugin, e.Err)
}

func (e *CallError) Unwrap() error { return e.Err }
