package plugins

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/journeysim/journeysim/plugins/proto"
	"github.com/journeysim/journeysim/sim"
	"google.golang.org/grpc"
	gproto "google.golang.org/protobuf/proto"
)

// wireClient is a plugin's gRPC client without a process: each call
// crosses the wire encoding (marshalled and unmarshalled both ways) to a
// server in this process.
type wireClient struct {
	srv *server
	// respond, when set, answers in place of srv: a plugin built before
	// some columns existed, say.
	respond func(*proto.Batch) (*proto.Answers, error)
}

func roundTrip[M gproto.Message](t M, fresh M) (M, error) {
	b, err := gproto.Marshal(t)
	if err != nil {
		return fresh, err
	}
	return fresh, gproto.Unmarshal(b, fresh)
}

func (c wireClient) Describe(ctx context.Context, in *proto.DescribeRequest, _ ...grpc.CallOption) (*proto.Description, error) {
	return c.srv.Describe(ctx, in)
}

func (c wireClient) Configure(ctx context.Context, in *proto.ConfigureRequest, _ ...grpc.CallOption) (*proto.ConfigureResponse, error) {
	return c.srv.Configure(ctx, in)
}

func (c wireClient) Respond(ctx context.Context, in *proto.Batch, _ ...grpc.CallOption) (*proto.Answers, error) {
	req, err := roundTrip(in, &proto.Batch{})
	if err != nil {
		return nil, err
	}
	var ans *proto.Answers
	if c.respond != nil {
		ans, err = c.respond(req)
	} else {
		ans, err = c.srv.Respond(ctx, req)
	}
	if err != nil {
		return nil, err
	}
	return roundTrip(ans, &proto.Answers{})
}

// queueAnswers is a behaviour with a queue's answers: contact j waited j/2
// minutes; every third hung up, the others took 4 staff minutes.
type queueAnswers struct{}

func (queueAnswers) Respond(b *sim.ContactBatch, out *sim.Responses) error {
	for j := range b.Customer {
		out.Wait[j] = float64(j) / 2
		if j%3 == 2 {
			out.Abandoned[j] = true
			continue
		}
		out.Responded[j] = true
		out.Minutes[j] = 4
		out.Satisfaction[j] = 4
	}
	return nil
}

// remoteFor returns the host's side of a plugin serving beh, through
// shared memory when shared is set.
func remoteFor(t *testing.T, beh sim.Behaviour, shared bool) (*remote, *wireClient) {
	t.Helper()
	c := &wireClient{srv: &server{configs: []sim.Behaviour{beh}}}
	r := &remote{client: c, handle: 1, channel: "phone", plugin: "test", ctx: context.Background(), timeout: time.Minute}
	if shared {
		if !sharedMemory {
			t.Skip("this system cannot share memory with plugins")
		}
		r.shared = &regions{}
		t.Cleanup(r.shared.close)
	}
	return r, c
}

func serviceBatch(n int) *sim.ContactBatch {
	b := &sim.ContactBatch{Channel: "phone", Integration: sim.Omni, Personas: []string{"a"}}
	for j := range n {
		b.Customer = append(b.Customer, 100+j)
		b.Persona = append(b.Persona, 0)
		b.Affinity = append(b.Affinity, 0.5)
		b.Fatigue = append(b.Fatigue, 1)
		b.Tolerance = append(b.Tolerance, 3)
		b.Loyalty = append(b.Loyalty, 0.5)
		b.Discount = append(b.Discount, 0)
		b.Rand = append(b.Rand, [2]float64{0.5, 0.5})
	}
	return b
}

// The service answers, wait and abandoned, cross from a plugin to
// journeysim unchanged, in the message and through shared memory.
func TestServiceAnswersRoundTrip(t *testing.T) {
	for _, shared := range []bool{false, true} {
		name := map[bool]string{false: "message", true: "shared memory"}[shared]
		t.Run(name, func(t *testing.T) {
			r, _ := remoteFor(t, queueAnswers{}, shared)
			b := serviceBatch(10)
			var want sim.Responses
			want.Resize(b.Len())
			if err := (queueAnswers{}).Respond(b, &want); err != nil {
				t.Fatal(err)
			}
			for range 2 { // the second call reuses the shared memory
				var out sim.Responses
				if err := r.Respond(b, &out); err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(out.Wait, want.Wait) || !slices.Equal(out.Abandoned, want.Abandoned) ||
					!slices.Equal(out.Minutes, want.Minutes) || !slices.Equal(out.Responded, want.Responded) {
					t.Errorf("answers\n got wait %v abandoned %v minutes %v\nwant wait %v abandoned %v minutes %v",
						out.Wait, out.Abandoned, out.Minutes, want.Wait, want.Abandoned, want.Minutes)
				}
			}
			if usedShared := r.shared != nil && !r.noShared.Load(); usedShared != shared {
				t.Errorf("shared memory used: %v", usedShared)
			}
		})
	}
}

// A plugin built before the service answers leaves them out, in the
// message and in shared memory: journeysim reads "none queued", even from
// a shared memory file in which the call before wrote waits.
func TestServiceAnswersFromOlderPlugin(t *testing.T) {
	for _, shared := range []bool{false, true} {
		name := map[bool]string{false: "message", true: "shared memory"}[shared]
		t.Run(name, func(t *testing.T) {
			r, c := remoteFor(t, queueAnswers{}, shared)
			b := serviceBatch(9)
			var out sim.Responses
			if err := r.Respond(b, &out); err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(out.Abandoned, true) {
				t.Fatal("the first call answered no hang-up: the test would prove nothing")
			}
			// An older plugin: the same answers, without the service columns.
			c.respond = func(req *proto.Batch) (*proto.Answers, error) {
				if req.Shared == nil {
					ans, err := c.srv.Respond(context.Background(), req)
					if ans != nil {
						ans.Wait, ans.Abandoned = nil, nil
					}
					return ans, err
				}
				// Answer, then put back what the file held before the call
				// in the service columns: an older plugin does not touch them.
				l := layoutFor(int(req.Count))
				data, err := c.srv.shared.get(req.Shared.Path, int(req.Shared.Size))
				if err != nil {
					return nil, err
				}
				before := slices.Clone(data[l.legacy:l.size])
				ans, err := c.srv.Respond(context.Background(), req)
				copy(data[l.legacy:l.size], before)
				return ans, err
			}
			// The shared memory file still holds the first call's waits.
			out = sim.Responses{}
			if err := r.Respond(b, &out); err != nil {
				t.Fatal(err)
			}
			if slices.ContainsFunc(out.Wait, func(v float64) bool { return v != 0 }) || slices.Contains(out.Abandoned, true) {
				t.Errorf("an older plugin's answers read as waits %v, abandoned %v; want none queued", out.Wait, out.Abandoned)
			}
			if !slices.Equal(out.Minutes[:3], []float64{4, 4, 0}) {
				t.Errorf("minutes %v; want the plugin's", out.Minutes)
			}
		})
	}
}

// Clearing before each call is what makes an older plugin's silence read
// as none queued: the host zeroes the service columns it will read.
func TestClearService(t *testing.T) {
	l := layoutFor(5)
	data := make([]byte, l.size+8)
	for j := range data {
		data[j] = 0xff
	}
	clearService(data, l)
	for j, v := range data {
		inService := j >= l.legacy && j < l.size
		if inService != (v == 0) {
			t.Fatalf("byte %d (service columns %d to %d) is %#x after clearing", j, l.legacy, l.size, v)
		}
	}
	if l.wait%8 != 0 || l.wait < l.legacy || l.abandoned != l.wait+8*l.n || l.size != l.abandoned+l.n {
		t.Errorf("layout %+v: wait not aligned, or the service columns not after the others", l)
	}
}

// A journeysim from before the service answers sends a shared memory file
// with no room for them: the plugin answers the other columns and writes
// nothing past them.
func TestServiceAnswersToOlderHost(t *testing.T) {
	if !sharedMemory {
		t.Skip("this system cannot share memory with plugins")
	}
	b := serviceBatch(7)
	l := layoutFor(b.Len())
	reg, err := newRegion()
	if err != nil {
		t.Skip(err)
	}
	defer reg.close()
	if err := reg.grow(l.size + 64); err != nil {
		t.Fatal(err)
	}
	writeBatch(reg.data, l, b)
	for j := l.legacy; j < len(reg.data); j++ {
		reg.data[j] = 0xab
	}
	srv := &server{configs: []sim.Behaviour{queueAnswers{}}}
	req := toProto(b)
	req.Handle = 1
	req.Customer, req.Persona, req.Affinity, req.Fatigue, req.Tolerance, req.Loyalty, req.Discount, req.Rand = nil, nil, nil, nil, nil, nil, nil, nil
	req.Shared = &proto.Shared{Path: reg.path, Size: uint64(l.legacy)}
	ans, err := srv.Respond(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if !ans.Shared {
		t.Fatal("the plugin did not answer in shared memory")
	}
	responded := flagsAt(reg.data, l.responded, l.n)
	if minutes := floatsAt(reg.data, l.minutes, l.n); !slices.Equal(minutes, []float64{4, 4, 0, 4, 4, 0, 4}) || !responded[0] || responded[2] {
		t.Errorf("minutes %v, responded %v: the older columns were not answered", minutes, responded)
	}
	for j := l.legacy; j < len(reg.data); j++ {
		if reg.data[j] != 0xab {
			t.Fatalf("the plugin wrote byte %d, past the %d bytes the older host gave", j, l.legacy)
		}
	}
}

// Service answers outside their scales are refused with the contact named.
func TestServiceAnswersRefused(t *testing.T) {
	b := &sim.ContactBatch{Customer: []int{10, 11}}
	for _, tc := range []struct {
		name string
		edit func(a *proto.Answers)
		want string
	}{
		{"negative wait", func(a *proto.Answers) { a.Wait = floatBytes([]float64{0, -1}) }, "contact 1 (customer 11): wait -1 minutes; allowed a finite number of at least 0"},
		{"infinite wait", func(a *proto.Answers) { a.Wait = floatBytes([]float64{math.Inf(1), 0}) }, "contact 0 (customer 10): wait +Inf minutes"},
		{"NaN wait", func(a *proto.Answers) { a.Wait = floatBytes([]float64{math.NaN(), 0}) }, "wait NaN minutes"},
		{"wait short", func(a *proto.Answers) { a.Wait = floatBytes([]float64{1}) }, "column wait holds 8 bytes for 2 contacts"},
		{"abandoned not 0 or 1", func(a *proto.Answers) { a.Abandoned = []byte{0, 2} }, "column abandoned: contact 1 holds 2; allowed 0 or 1"},
		{"abandoned short", func(a *proto.Answers) { a.Abandoned = []byte{1} }, "column abandoned holds 1 bytes for 2 contacts"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := &proto.Answers{Responded: []byte{1, 0}, Satisfaction: floatBytes([]float64{4, math.NaN()}), Effort: floatBytes([]float64{2, math.NaN()})}
			tc.edit(a)
			var out sim.Responses
			err := fromAnswers(a, b, &out)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v; want one saying %q", err, tc.want)
			}
		})
	}
}
