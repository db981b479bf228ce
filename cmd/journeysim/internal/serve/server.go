// Package serve is journeysim's classroom web server: a page per lesson
// with its question, a control for each setting the lesson lets a class
// change, and the lesson's key results and key chart, rerun as the
// controls move.
//
// The server runs only the scenarios it was given (Config.Lessons): no
// path from a browser reaches the file system, and every value a request
// carries is checked against the lesson's bounds before anything runs.
// Runs share a pool of Config.Parallel slots; a run is cancelled when its
// browser goes away or sends a newer one. Every asset is embedded.
package serve

import (
	"context"
	"crypto/subtle"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/journeysim/journeysim/scenarios"
)

// Limits of a class page's runs.
const (
	// DefaultCustomers is the population a page runs unless asked for
	// more: small enough to come back within a second.
	DefaultCustomers = 5_000
	// MinCustomers is the smallest population a page may ask for.
	MinCustomers = 100
	// DefaultMaxCustomers bounds the population of one run unless
	// Config.MaxCustomers says otherwise.
	DefaultMaxCustomers = 100_000
	// MaxReplications is the most replications a page's run makes; a
	// scenario that asks for more makes this many.
	MaxReplications = 5
	// maxBody is the largest request body read, in bytes.
	maxBody = 16 << 10
)

// Lesson is a scenario served: its page and its runs.
type Lesson struct {
	// Name is the lesson's name in addresses: /lesson/NAME.
	Name string
	// Scenario is the scenario as loaded; runs apply their settings to
	// a copy.
	Scenario *scenarios.Scenario
	// Options load the scenario again with a run's settings (plugins,
	// files).
	Options scenarios.Options
}

// Title is the lesson's title, or its name for a scenario without one.
func (l *Lesson) Title() string {
	if les := l.Scenario.Lesson; les != nil && les.Title != "" {
		return les.Title
	}
	return l.Name
}

// Config is what the server serves and its limits.
type Config struct {
	// Lessons are the scenarios served, each at /lesson/NAME.
	Lessons []*Lesson
	// MaxCustomers bounds one run's population (0: DefaultMaxCustomers).
	MaxCustomers int
	// Parallel is how many runs go at once (0: one per CPU); Workers the
	// workers each uses (0: one per CPU, so that a lone run is quick).
	Parallel, Workers int
	// MaxTeams bounds the teams of a class board (0: DefaultMaxTeams).
	MaxTeams int
	// JoinCode, when set, must be given once by every browser not on
	// this machine (a class network) before it sees anything.
	JoinCode string
	// Save writes the result folder of a run of sc's strategies picked,
	// compared with baseline, into dir, as journeysim run --out does; nil:
	// pinned runs are not exported.
	Save func(ctx context.Context, sc *scenarios.Scenario, picked []int, baseline, dir string) error
	// Report returns the HTML report of the result folder dir, as
	// journeysim report makes it; nil: no report is exported.
	Report func(dir string) ([]byte, error)
	// Logf logs a line; nil logs nothing.
	Logf func(format string, args ...any)
}

// Server serves the lessons of its Config.
type Server struct {
	cfg     Config
	lessons map[string]*Lesson
	order   []string
	slots   chan struct{}
	pages   *template.Template
	// ctx ends the runs of class boards at Close.
	ctx   context.Context
	close context.CancelFunc
	// boardRuns are the class boards' runs in progress, for Close to wait
	// for.
	boardRuns sync.WaitGroup
	// guesses counts wrong class codes by device.
	guesses guessLimit
	// waiting counts the runs waiting for a slot.
	waiting atomic.Int64
	// boards are the lessons' class boards, by lesson name.
	boardsMu sync.Mutex
	boards   map[string]*board
}

//go:embed assets
var assets embed.FS

// New returns a server for cfg; it fails on a lesson without a name or a
// name given twice.
func New(cfg Config) (*Server, error) {
	if cfg.MaxCustomers <= 0 {
		cfg.MaxCustomers = DefaultMaxCustomers
	}
	if cfg.Parallel <= 0 {
		cfg.Parallel = runtime.NumCPU()
	}
	if cfg.Workers <= 0 {
		cfg.Workers = defaultWorkers()
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	if cfg.MaxTeams <= 0 {
		cfg.MaxTeams = DefaultMaxTeams
	}
	s := &Server{cfg: cfg, lessons: map[string]*Lesson{}, slots: make(chan struct{}, cfg.Parallel), boards: map[string]*board{}}
	s.ctx, s.close = context.WithCancel(context.Background())
	for _, l := range cfg.Lessons {
		if l.Name == "" || l.Scenario == nil {
			return nil, fmt.Errorf("a lesson without a name or a scenario")
		}
		if _, dup := s.lessons[l.Name]; dup {
			return nil, fmt.Errorf("lesson %s is given twice", l.Name)
		}
		s.lessons[l.Name] = l
		s.order = append(s.order, l.Name)
	}
	if len(s.order) == 0 {
		return nil, fmt.Errorf("no lesson to serve")
	}
	pages, err := template.ParseFS(assets, "assets/*.html")
	if err != nil {
		return nil, fmt.Errorf("page templates: %w", err)
	}
	s.pages = pages
	return s, nil
}

// Close ends the runs in progress (the requests of its HTTPServer and
// the class boards') and waits for the boards' to stop.
func (s *Server) Close() {
	s.close()
	s.boardRuns.Wait()
}

// defaultWorkers is the workers a run uses unless told: one per CPU, so
// that a lone run comes back quickly.
func defaultWorkers() int { return runtime.NumCPU() }

// Handler is the server's routes, behind the join code when there is
// one.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(assets, "assets/static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /{$}", s.index)
	mux.HandleFunc("GET /lesson/{name}", s.lessonPage)
	mux.HandleFunc("GET /api/lessons/{name}", s.lessonInfo)
	mux.HandleFunc("POST /api/lessons/{name}/run", s.run)
	mux.HandleFunc("POST /api/lessons/{name}/compare", s.compare)
	mux.HandleFunc("POST /api/lessons/{name}/submit", s.submit)
	mux.HandleFunc("POST /api/lessons/{name}/export", s.export)
	mux.HandleFunc("GET /api/lessons/{name}/board", s.boardInfo)
	mux.HandleFunc("POST /api/lessons/{name}/reveal", s.reveal)
	mux.HandleFunc("GET /board/{name}", s.boardPage)
	mux.HandleFunc("GET /join", s.joinPage)
	mux.HandleFunc("POST /join", s.join)
	return s.secure(mux)
}

// joinCookie holds a browser's join code.
const joinCookie = "journeysim_code"

// secure sets the headers every answer carries, refuses requests another
// site makes through the browser, and lets a browser from another machine
// through only with the join code (when there is one).
//
// A page of another site open in the teacher's browser could otherwise
// post to the server (it listens on this machine, where the code is not
// asked), or reach it through a name of its own that resolves here (DNS
// rebinding). So: an API call must be JSON (which another site cannot
// post without asking first), a request the browser marks as another
// site's is refused, and on this machine only alone the server answers
// only to its own names (localhost, 127.0.0.1, [::1]).
func (s *Server) secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		if s.cfg.JoinCode == "" && !loopbackHost(r.Host) {
			httpError(w, http.StatusForbidden, fmt.Sprintf("host %q: this server answers to localhost only; open it at localhost", clip(r.Host)))
			return
		}
		if site := r.Header.Get("Sec-Fetch-Site"); site == "cross-site" {
			httpError(w, http.StatusForbidden, "a request from another site")
			return
		}
		if r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/api/") {
			if ct, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";"); strings.TrimSpace(ct) != "application/json" {
				httpError(w, http.StatusUnsupportedMediaType, "send the request as application/json")
				return
			}
		}
		if s.cfg.JoinCode == "" || fromThisMachine(r) || strings.HasPrefix(r.URL.Path, "/static/") || r.URL.Path == "/join" {
			next.ServeHTTP(w, r)
			return
		}
		if c, err := r.Cookie(joinCookie); err == nil && s.codeMatches(c.Value) {
			next.ServeHTTP(w, r)
			return
		}
		if strings.HasPrefix(r.URL.Path, "/api/") {
			httpError(w, http.StatusForbidden, "enter the class code first, at /join")
			return
		}
		http.Redirect(w, r, "/join", http.StatusSeeOther)
	})
}

// loopbackHost reports whether a request's Host names this machine:
// localhost, or a loopback address, with any port.
func loopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// clientOf names the device a request comes from: its address without
// the port.
func clientOf(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

// guessLimit slows the guessing of a class code: a device that gave
// maxGuesses wrong codes within guessWindow must wait until the window
// has passed.
type guessLimit struct {
	mu     sync.Mutex
	misses map[string][]time.Time
}

// Limits of class-code guessing.
const (
	maxGuesses  = 5
	guessWindow = time.Minute
	// maxGuessers bounds the devices remembered; past it the oldest
	// records are dropped.
	maxGuessers = 10_000
)

// recent returns the wrong guesses of client within the window before
// now; the caller holds g.mu.
func (g *guessLimit) recent(client string, now time.Time) []time.Time {
	kept := g.misses[client][:0]
	for _, t := range g.misses[client] {
		if now.Sub(t) < guessWindow {
			kept = append(kept, t)
		}
	}
	if len(kept) == 0 {
		delete(g.misses, client)
		return nil
	}
	g.misses[client] = kept
	return kept
}

// allow reports whether client may try a code now.
func (g *guessLimit) allow(client string, now time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.misses == nil {
		return true
	}
	return len(g.recent(client, now)) < maxGuesses
}

// miss records a wrong code from client.
func (g *guessLimit) miss(client string, now time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.misses == nil || len(g.misses) >= maxGuessers {
		g.misses = map[string][]time.Time{}
	}
	g.misses[client] = append(g.recent(client, now), now)
}

// codeMatches reports whether code is the join code, in constant time.
func (s *Server) codeMatches(code string) bool {
	return subtle.ConstantTimeCompare([]byte(strings.ToUpper(strings.TrimSpace(code))), []byte(s.cfg.JoinCode)) == 1
}

// fromThisMachine reports whether r comes from a loopback address: the
// teacher's own browser.
func fromThisMachine(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// lessonSummary is a lesson as the index lists it.
type lessonSummary struct {
	Name, Title, Question string
}

func (s *Server) index(w http.ResponseWriter, r *http.Request) {
	var list []lessonSummary
	for _, name := range s.order {
		l := s.lessons[name]
		ls := lessonSummary{Name: name, Title: l.Title()}
		if les := l.Scenario.Lesson; les != nil {
			ls.Question = les.Question
		} else if d := l.Scenario.Model.Description; d != "" {
			ls.Question = d
		}
		list = append(list, ls)
	}
	s.page(w, "index.html", map[string]any{"Lessons": list})
}

func (s *Server) lessonPage(w http.ResponseWriter, r *http.Request) {
	l, ok := s.pageLesson(w, r)
	if !ok {
		return
	}
	s.page(w, "lesson.html", map[string]any{"Name": l.Name, "Title": l.Title()})
}

func (s *Server) joinPage(w http.ResponseWriter, r *http.Request) {
	s.page(w, "join.html", map[string]any{"Wrong": r.URL.Query().Has("wrong")})
}

func (s *Server) join(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		httpError(w, http.StatusBadRequest, "the form could not be read")
		return
	}
	client := clientOf(r)
	if !s.guesses.allow(client, time.Now()) {
		httpError(w, http.StatusTooManyRequests, "too many wrong codes from this device; wait a minute and check the teacher's screen")
		return
	}
	if s.cfg.JoinCode == "" || !s.codeMatches(r.PostForm.Get("code")) {
		s.guesses.miss(client, time.Now())
		http.Redirect(w, r, "/join?wrong", http.StatusSeeOther)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: joinCookie, Value: s.cfg.JoinCode, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// page writes the template name with data as an HTML page.
func (s *Server) page(w http.ResponseWriter, name string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := s.pages.ExecuteTemplate(w, name, data); err != nil {
		s.cfg.Logf("page %s: %v", name, err)
	}
}

// apiLesson is the lesson an API request's address names, or false once
// it has answered 404 with the lessons there are.
func (s *Server) apiLesson(w http.ResponseWriter, r *http.Request) (*Lesson, bool) {
	l, ok := s.lessons[r.PathValue("name")]
	if !ok {
		httpError(w, http.StatusNotFound, "no such lesson; lessons: "+strings.Join(s.order, ", "))
	}
	return l, ok
}

// pageLesson is the lesson a page's address names, or false once it has
// answered 404.
func (s *Server) pageLesson(w http.ResponseWriter, r *http.Request) (*Lesson, bool) {
	l, ok := s.lessons[r.PathValue("name")]
	if !ok {
		http.NotFound(w, r)
	}
	return l, ok
}

// httpError answers with status and a message in JSON: {"error": msg}.
func httpError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": msg})
}

// acquire waits for a run slot, or for ctx to end. A bounded wait is
// refused (errBusy) when maxWaiting runs a slot wait already; a class
// board's, bounded by its teams, waits its turn.
func (s *Server) acquire(ctx context.Context, bounded bool) (release func(), err error) {
	select {
	case s.slots <- struct{}{}:
		return func() { <-s.slots }, nil
	default:
	}
	if s.waiting.Add(1) > int64(maxWaiting*cap(s.slots)) && bounded {
		s.waiting.Add(-1)
		return nil, errBusy
	}
	defer s.waiting.Add(-1)
	select {
	case s.slots <- struct{}{}:
		return func() { <-s.slots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// maxWaiting is how many runs may wait for each run slot; more are told
// the server is busy.
const maxWaiting = 4

// errBusy says every run slot is taken and too many runs wait.
var errBusy = errors.New("the server is busy with other runs; try again in a moment")

// busy answers a request that found the server busy: 503, and when to
// try again.
func busy(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "5")
	httpError(w, http.StatusServiceUnavailable, errBusy.Error())
}

// HTTPServer is an http.Server for the server's handler on addr with the
// timeouts and limits a class network needs: a request's headers within 5
// seconds and its body within 10; each line a run streams, and each answer
// written whole, has its own deadline. Its requests end when the server is
// closed (Close), so that Ctrl-C stops the runs in progress at once.
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           s.Handler(),
		BaseContext:       func(net.Listener) context.Context { return s.ctx },
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		// A run streams for as long as it takes: the deadlines are set
		// write by write.
		WriteTimeout:   0,
		IdleTimeout:    60 * time.Second,
		MaxHeaderBytes: 16 << 10,
	}
}
