package plugins

import (
	"context"
	"errors"
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
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// ProtocolVersion is the version of the plugin protocol this build
// speaks. It changes whenever plugins/proto/behaviour.proto changes in a
// way an older plugin could not follow.
const ProtocolVersion = 2

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
			return plugin.DefaultGRPCServer(append(opts, grpc.MaxRecvMsgSize(MaxMessageSize), grpc.MaxSendMsgSize(MaxMessageSize),
				grpc.InitialWindowSize(windowSize), grpc.InitialConnWindowSize(windowSize)))
		},
	})
}

// MaxMessageSize is the largest message journeysim and a plugin exchange:
// enough for a batch with a contact for each of sim.PoolSize customers.
const MaxMessageSize = 256 << 20

// windowSize is the HTTP/2 flow-control window of the connection and of
// each call: large, so that a big batch crosses without waiting for the
// other side to acknowledge every 64 KiB.
const windowSize = 64 << 20

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
	shared  mappings
}

func (s *server) Describe(context.Context, *proto.DescribeRequest) (*proto.Description, error) {
	d := s.impl.Describe()
	out := &proto.Description{Name: d.Name, Version: d.Version, Doc: d.Doc, SharedMemory: sharedMemory}
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
	if req.Shared != nil {
		return s.respondShared(b, req)
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
	if out.Len() != batch.Len() {
		return nil, fmt.Errorf("answered %d responses for %d contacts; it must answer every contact once", len(out.Responded), batch.Len())
	}
	// The answer's columns share out's memory; out is not used again.
	ans := &proto.Answers{
		Responded:    flagBytes(out.Responded),
		Satisfaction: floatBytes(out.Satisfaction),
		Effort:       floatBytes(out.Effort),
	}
	if slices.ContainsFunc(out.Minutes, func(v float64) bool { return v != 0 }) {
		ans.Minutes = floatBytes(out.Minutes)
	}
	if slices.ContainsFunc(out.Purchase, func(v float64) bool { return v != 0 }) {
		ans.Purchase = floatBytes(out.Purchase)
	}
	if slices.Contains(out.OptOut, true) {
		ans.OptOut = flagBytes(out.OptOut)
	}
	if slices.ContainsFunc(out.Wait, func(v float64) bool { return v != 0 }) {
		ans.Wait = floatBytes(out.Wait)
	}
	if slices.Contains(out.Abandoned, true) {
		ans.Abandoned = flagBytes(out.Abandoned)
	}
	return ans, nil
}

// respondShared answers a batch whose columns are in shared memory, and
// writes the answers there. A plugin that cannot map the memory says so
// with FailedPrecondition, and journeysim sends the batch in the message.
func (s *server) respondShared(b sim.Behaviour, req *proto.Batch) (*proto.Answers, error) {
	n := int(req.Count)
	l := layoutFor(n)
	if req.Shared.Size < uint64(l.legacy) || req.Shared.Size > 1<<40 {
		return nil, fmt.Errorf("malformed batch: shared memory of %d bytes for %d contacts; want at least %d", req.Shared.Size, n, l.legacy)
	}
	// A journeysim from before the service answers may leave no room for
	// them; it does not read them either.
	service := req.Shared.Size >= uint64(l.size)
	data, err := s.shared.get(req.Shared.Path, int(req.Shared.Size))
	if err != nil {
		return nil, status.Error(codes.FailedPrecondition, err.Error())
	}
	level := slices.Index(sim.IntegrationLevels, req.Integration)
	if level < 0 {
		return nil, fmt.Errorf("malformed batch: integration level %q; allowed: %s", req.Integration, strings.Join(sim.IntegrationLevels, ", "))
	}
	batch := &sim.ContactBatch{Channel: req.Channel, Tick: int(req.Tick), Integration: sim.IntegrationLevel(level), Personas: req.Personas}
	if err := readBatch(data, l, batch, len(req.Personas)); err != nil {
		return nil, err
	}
	views := answerViews(data, l, service)
	out := views
	out.Resize(n)
	if err := b.Respond(batch, &out); err != nil {
		return nil, err
	}
	if out.Len() != n {
		return nil, fmt.Errorf("answered %d responses for %d contacts; it must answer every contact once", len(out.Responded), n)
	}
	keepIn(&views, &out)
	return &proto.Answers{Shared: true}, nil
}

// fromProto turns a request into the batch a behaviour answers, checking
// that its columns agree.
func fromProto(req *proto.Batch) (*sim.ContactBatch, error) {
	n := int(req.Count)
	level := slices.Index(sim.IntegrationLevels, req.Integration)
	if level < 0 {
		return nil, fmt.Errorf("malformed batch: integration level %q; allowed: %s", req.Integration, strings.Join(sim.IntegrationLevels, ", "))
	}
	batch := &sim.ContactBatch{Channel: req.Channel, Tick: int(req.Tick), Integration: sim.IntegrationLevel(level), Personas: req.Personas}
	var err error
	if batch.Customer, err = readInts(req.Customer, n, "customer"); err != nil {
		return nil, fmt.Errorf("malformed batch: %w", err)
	}
	if len(req.Persona) != n {
		return nil, fmt.Errorf("malformed batch: column persona holds %d bytes for %d contacts", len(req.Persona), n)
	}
	batch.Persona = make([]int, n)
	for j, p := range req.Persona {
		if int(p) >= len(req.Personas) {
			return nil, fmt.Errorf("malformed batch: persona %d of %d", p, len(req.Personas))
		}
		batch.Persona[j] = int(p)
	}
	for _, col := range []struct {
		dst  *[]float64
		src  []byte
		name string
	}{
		{&batch.Affinity, req.Affinity, "affinity"}, {&batch.Fatigue, req.Fatigue, "fatigue"},
		{&batch.Tolerance, req.Tolerance, "tolerance"}, {&batch.Loyalty, req.Loyalty, "loyalty"},
		{&batch.Discount, req.Discount, "discount"},
	} {
		if *col.dst, err = viewFloats(col.src, n, col.name); err != nil {
			return nil, fmt.Errorf("malformed batch: %w", err)
		}
	}
	if batch.Rand, err = viewPairs(req.Rand, n, "rand"); err != nil {
		return nil, fmt.Errorf("malformed batch: %w", err)
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
	// ctx ends calls early (Ctrl-C); timeout bounds each.
	ctx     context.Context
	timeout time.Duration
	calls   atomic.Int64
	// shared lends shared memory for batches while it is not nil and
	// noShared is unset.
	shared   *regions
	noShared atomic.Bool
}

// Pooled asks the engine for one batch per channel per tick: a call to
// another process costs far more than answering a contact.
func (r *remote) Pooled() bool { return true }

// Respond sends the batch to the plugin and checks every answer: one per
// contact, ratings inside their scales or NaN, minutes and purchases
// finite and not negative.
func (r *remote) Respond(b *sim.ContactBatch, out *sim.Responses) error {
	r.calls.Add(1)
	if r.shared != nil && !r.noShared.Load() {
		err := r.respondShared(b, out)
		if !errors.Is(err, errNoSharedMemory) {
			return err
		}
		r.noShared.Store(true) // and send it in the message
	}
	req := toProto(b)
	req.Handle = r.handle
	ans, err := r.call(req)
	if err != nil {
		return err
	}
	if err := fromAnswers(ans, b, out); err != nil {
		return &CallError{Plugin: r.plugin, Channel: r.channel, Err: err}
	}
	return nil
}

// call sends one batch within the time limit.
func (r *remote) call(req *proto.Batch) (*proto.Answers, error) {
	ctx, cancel := context.WithTimeout(r.ctx, r.timeout)
	defer cancel()
	ans, err := r.client.Respond(ctx, req)
	if err != nil {
		if status.Code(err) == codes.FailedPrecondition && req.Shared != nil {
			return nil, fmt.Errorf("%w: %v", errNoSharedMemory, err)
		}
		return nil, &CallError{Plugin: r.plugin, Channel: r.channel, Err: describeCallError(ctx, err)}
	}
	return ans, nil
}

// respondShared sends the batch through shared memory; errNoSharedMemory
// means it could not, and nothing was answered.
func (r *remote) respondShared(b *sim.ContactBatch, out *sim.Responses) error {
	l := layoutFor(b.Len())
	reg, err := r.shared.get(l.size)
	if err != nil {
		return err
	}
	writeBatch(reg.data, l, b)
	clearService(reg.data, l)
	req := &proto.Batch{Handle: r.handle, Channel: b.Channel, Tick: int64(b.Tick), Integration: b.Integration.String(),
		Personas: b.Personas, Count: uint32(b.Len()), Shared: &proto.Shared{Path: reg.path, Size: uint64(len(reg.data))}}
	ans, err := r.call(req)
	if err != nil {
		// After a failed call the plugin may still be writing its answers
		// there: the region is not lent again (nor closed, so that its
		// file is not mistaken for a new one) until the host closes.
		return err
	}
	defer r.shared.put(reg)
	if !ans.Shared {
		err = fromAnswers(ans, b, out)
	} else if err = readAnswers(reg.data, l, out); err == nil {
		err = out.Check(b)
	}
	if err != nil {
		return &CallError{Plugin: r.plugin, Channel: r.channel, Err: err}
	}
	return nil
}

// toProto packs a batch's columns for the wire. The request shares the
// batch's memory until it is sent.
func toProto(b *sim.ContactBatch) *proto.Batch {
	persona := make([]byte, b.Len())
	for j, p := range b.Persona {
		persona[j] = byte(p)
	}
	return &proto.Batch{Channel: b.Channel, Tick: int64(b.Tick), Integration: b.Integration.String(),
		Personas: b.Personas, Count: uint32(b.Len()), Customer: intBytes(b.Customer), Persona: persona,
		Affinity: floatBytes(b.Affinity), Fatigue: floatBytes(b.Fatigue), Tolerance: floatBytes(b.Tolerance),
		Loyalty: floatBytes(b.Loyalty), Discount: floatBytes(b.Discount), Rand: pairBytes(b.Rand)}
}

// fromAnswers unpacks a plugin's answers into out and checks them: one per
// contact, ratings inside their scales or NaN, minutes, purchases and
// waits finite and not negative.
func fromAnswers(ans *proto.Answers, b *sim.ContactBatch, out *sim.Responses) error {
	n := b.Len()
	if len(ans.Responded) != n || len(ans.Satisfaction) != 8*n || len(ans.Effort) != 8*n {
		return fmt.Errorf("answered %d responses, %d satisfaction and %d effort ratings for %d contacts; it must answer every contact once",
			len(ans.Responded), len(ans.Satisfaction)/8, len(ans.Effort)/8, n)
	}
	out.Resize(n)
	for _, err := range []error{
		copyFlags(out.Responded, ans.Responded, n, "responded", false),
		copyFloats(out.Satisfaction, ans.Satisfaction, n, "satisfaction", false),
		copyFloats(out.Effort, ans.Effort, n, "effort", false),
		copyFloats(out.Minutes, ans.Minutes, n, "minutes", true),
		copyFloats(out.Purchase, ans.Purchase, n, "purchase", true),
		copyFlags(out.OptOut, ans.OptOut, n, "opt_out", true),
		copyFloats(out.Wait, ans.Wait, n, "wait", true),
		copyFlags(out.Abandoned, ans.Abandoned, n, "abandoned", true),
	} {
		if err != nil {
			return err
		}
	}
	return out.Check(b)
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
