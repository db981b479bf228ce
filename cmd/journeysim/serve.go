package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"time"

	"github.com/journeysim/journeysim/cmd/journeysim/internal/serve"
	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/output"
	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/sim"
	"github.com/journeysim/journeysim/sim/text"
	"github.com/spf13/cobra"
)

type serveOptions struct {
	listen       string
	maxCustomers int
	parallel     int
	teams        int
	plugins      pluginFlags
}

// defaultListen is where serve listens unless told: this machine only.
const defaultListen = "127.0.0.1:8080"

func newServeCommand(st *globalState) *cobra.Command {
	opts := &serveOptions{}
	c := &cobra.Command{
		Use:   "serve [NAME|FILE ...]",
		Short: "Serve the lessons as web pages with sliders, for a class",
		Long: `Start a web server with a page per lesson: its question, a slider or switch for
each setting the lesson lets a class change, a strategy to try, and the key
results and chart, rerun as the controls move (5,000 customers unless asked
for more; the full population is one click away). Open the address it prints
in a browser; Ctrl-C stops it.

With no scenario named it serves every built-in lesson that needs no plugin;
name scenarios (built-in names or files) to serve those alone. A scenario
whose channels need a plugin is served only when named.

It listens on this machine only (` + defaultListen + `). --listen 0.0.0.0:8080
opens it to the class network: it then prints a class code, which every
other device enters once before it sees a page. Everything the pages need is
built in: no internet connection is needed.`,
		Example: `  journeysim serve
  journeysim serve email-pressure cx-investment
  journeysim serve my-lesson.yaml
  journeysim serve --listen 0.0.0.0:8080
  make plugins && journeysim serve contact-centre`,
		RunE: func(c *cobra.Command, args []string) error {
			return runServe(c.Context(), st, opts, args)
		},
	}
	f := c.Flags()
	f.StringVar(&opts.listen, "listen", defaultListen, "address and port to listen on; one not on this machine (0.0.0.0:8080) opens the pages to the network behind a class code")
	f.IntVar(&opts.maxCustomers, "max-customers", serve.DefaultMaxCustomers, "largest population one run may ask for")
	f.SetAnnotation("max-customers", "allowed", []string{fmt.Sprintf("%d to %d", serve.MinCustomers, scenarios.MaxPopulation)})
	f.IntVar(&opts.parallel, "parallel", 0, "runs at once; more wait their turn (default: one per CPU)")
	f.IntVar(&opts.teams, "teams", serve.DefaultMaxTeams, "most teams a lesson's class board takes")
	f.SetAnnotation("teams", "allowed", []string{"1 to 1000"})
	opts.plugins.register(f)
	return c
}

func runServe(ctx context.Context, st *globalState, opts *serveOptions, args []string) error {
	if opts.maxCustomers < serve.MinCustomers || opts.maxCustomers > scenarios.MaxPopulation {
		return usagef("--max-customers %d: allowed %d to %d", opts.maxCustomers, serve.MinCustomers, scenarios.MaxPopulation)
	}
	if opts.teams < 1 || opts.teams > 1000 {
		return usagef("--teams %d: allowed 1 to 1000", opts.teams)
	}
	if opts.parallel < 0 {
		return usagef("--parallel %d: allowed 0 (one per CPU) or more", opts.parallel)
	}
	host, err := opts.plugins.host(st)
	if err != nil {
		return err
	}
	defer host.Close()
	lessons, err := serveLessons(args, opts.plugins.options(host))
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", opts.listen)
	if err != nil {
		return usagef("--listen %s: %v", opts.listen, err)
	}
	cfg := serve.Config{Lessons: lessons, MaxCustomers: opts.maxCustomers, Parallel: opts.parallel, MaxTeams: opts.teams,
		Logf: func(format string, args ...any) { fmt.Fprintf(st.stderr, "journeysim: serve: "+format+"\n", args...) }}
	if !loopback(ln.Addr()) {
		cfg.JoinCode = joinCode()
	}
	cfg.Save = func(ctx context.Context, sc *scenarios.Scenario, picked []int, baseline, dir string) error {
		return saveRun(ctx, st, sc, picked, baseline, dir)
	}
	cfg.Report = reportOf
	srv, err := serve.New(cfg)
	if err != nil {
		ln.Close()
		return err
	}
	defer srv.Close()
	hs := srv.HTTPServer(opts.listen)
	fmt.Fprintf(st.stdout, "journeysim serves %s at %s (Ctrl-C stops it)\n", text.Count(len(lessons), "lesson"), pageAddress(ln.Addr()))
	if cfg.JoinCode != "" {
		for _, a := range networkAddresses(ln.Addr()) {
			fmt.Fprintf(st.stdout, "on the class network: %s\n", a)
		}
		fmt.Fprintf(st.stdout, "class code: %s (every other device enters it once, at /join)\n", cfg.JoinCode)
	}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	// Ctrl-C: stop taking requests, end the runs in progress.
	srv.Close()
	stop, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(stop); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("serve: stop: %w", err)
	}
	hs.Close()
	fmt.Fprintln(st.stdout, "journeysim: stopped serving")
	return nil
}

// serveLessons loads the lessons to serve: the scenarios named, or every
// built-in lesson that needs no plugin.
func serveLessons(args []string, opt scenarios.Options) ([]*serve.Lesson, error) {
	if len(args) == 0 {
		infos, err := scenarios.Builtins()
		if err != nil {
			return nil, err
		}
		for _, in := range infos {
			if in.Lesson != "" && len(in.Plugins) == 0 {
				args = append(args, in.Name)
			}
		}
	}
	var out []*serve.Lesson
	seen := map[string]string{}
	for _, a := range args {
		sc, err := scenarios.OpenWith(a, opt)
		if err != nil {
			return nil, err
		}
		if err := checkKeyOutcomes(sc); err != nil {
			return nil, err
		}
		name := strings.TrimSuffix(filepath.Base(a), filepath.Ext(a))
		if prev, dup := seen[name]; dup {
			return nil, usagef("%s and %s would both be served as /lesson/%s; rename one", prev, a, name)
		}
		seen[name] = a
		out = append(out, &serve.Lesson{Name: name, Scenario: sc, Options: opt})
	}
	return out, nil
}

// loopback reports whether addr is on this machine only.
func loopback(addr net.Addr) bool {
	ta, ok := addr.(*net.TCPAddr)
	return ok && ta.IP.IsLoopback()
}

// pageAddress is the address a browser opens for a listener on addr: a
// listener on every interface is shown as this machine's.
func pageAddress(addr net.Addr) string {
	ta, ok := addr.(*net.TCPAddr)
	if !ok {
		return "http://" + addr.String() + "/"
	}
	host := ta.IP.String()
	if ta.IP.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, fmt.Sprint(ta.Port)) + "/"
}

// networkAddresses are the addresses other devices open for a listener
// on addr: its own, or, on every interface, each of this machine's
// addresses on a network (IPv4, not loopback).
func networkAddresses(addr net.Addr) []string {
	ta, ok := addr.(*net.TCPAddr)
	if !ok || !ta.IP.IsUnspecified() {
		return nil
	}
	ifaces, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var out []string
	for _, a := range ifaces {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil && !n.IP.IsLoopback() {
			out = append(out, "http://"+net.JoinHostPort(n.IP.String(), fmt.Sprint(ta.Port))+"/")
		}
	}
	return out
}

// joinCode is a fresh class code: six letters and digits that cannot be
// mistaken for one another when read off a projector.
func joinCode() string {
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 6)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// saveRun runs sc's strategies picked, compared with baseline, and writes
// the result folder dir, as journeysim run --out does: the pinned runs of
// a class page, made one scenario, exported.
func saveRun(ctx context.Context, st *globalState, sc *scenarios.Scenario, picked []int, baseline, dir string) error {
	started := st.clock()
	sum, res, err := results.Run(ctx, sc.Model, results.RunOptions{
		Sim:     sim.Options{Strategies: picked},
		Summary: results.Options{Baseline: baseline, Currency: sc.Currency, Key: keyNames(sc)},
	})
	if err != nil {
		return err
	}
	effective, err := scenarios.Effective(sc)
	if err != nil {
		return fmt.Errorf("record the effective scenario: %w", err)
	}
	files, err := st.resultFiles(sc, effective, sum, res, started, output.RunInfo{Workers: workersUsed(0), DecayHalfLife: sim.DefaultDecayHalfLife})
	if err != nil {
		return err
	}
	return output.WriteDir(dir, files)
}
