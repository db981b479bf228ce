package serve

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/output"
	"github.com/journeysim/journeysim/sim"
)

// DefaultMaxTeams is how many teams a lesson's class board takes unless
// Config.MaxTeams says otherwise.
const DefaultMaxTeams = 40

// teamCookie holds a browser's token, which ties a team to the browser
// that named it.
const teamCookie = "journeysim_team"

// newToken is a fresh random token of 32 hex digits.
func newToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// maxTeamName is the longest team name, in characters.
const maxTeamName = 30

// board is a lesson's class board: each team's submitted strategy and
// its key results, all run at the page's default population and the full
// horizon with the scenario's seed, so that they compare fairly.
type board struct {
	mu       sync.Mutex
	entries  map[string]*entry
	order    []string // teams, in the order they first submitted
	revealed bool
	// columns are the lesson's key outcomes, named by a run's key
	// results; labelled says a run for their names was started.
	columns  []boardColumn
	labelled sync.Once
}

// entry is one team's submission.
type entry struct {
	team string
	// owner is the token of the browser that first submitted for the
	// team: only it may submit for the team again.
	owner    string
	settings string
	status   string // "running", "done" or "failed"
	message  string
	cells    []boardCell
	cancel   context.CancelFunc
}

// boardCell is a key outcome of a team's strategy: its text and the
// number it ranks by (NaN: not ranked).
type boardCell struct {
	Text  string  `json:"text"`
	Value float64 `json:"value"`
}

// MarshalJSON writes a cell's value as null when it is not a number.
func (c boardCell) MarshalJSON() ([]byte, error) {
	type plain struct {
		Text  string   `json:"text"`
		Value *float64 `json:"value"`
	}
	p := plain{Text: c.Text}
	if !math.IsNaN(c.Value) && !math.IsInf(c.Value, 0) {
		p.Value = &c.Value
	}
	return json.Marshal(p)
}

// boardOf is lesson l's board.
func (s *Server) boardOf(l *Lesson) *board {
	s.boardsMu.Lock()
	defer s.boardsMu.Unlock()
	b, ok := s.boards[l.Name]
	if !ok {
		b = &board{entries: map[string]*entry{}}
		s.boards[l.Name] = b
	}
	return b
}

// submitRequest is a team's strategy for the board.
type submitRequest struct {
	Team string     `json:"team"`
	Run  runRequest `json:"run"`
}

// checkTeam returns a team name cleaned of surrounding space, or why it
// is not one.
func checkTeam(name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", fmt.Errorf("give your team a name")
	case utf8.RuneCountInString(name) > maxTeamName:
		return "", fmt.Errorf("team name %q: at most %d characters", clip(name), maxTeamName)
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune(" -_'.&", r) {
			return "", fmt.Errorf("team name %q: letters, digits, spaces and - _ ' . & only", clip(name))
		}
	}
	return name, nil
}

// decodeSubmitRequest reads and checks a team's submission for lesson l:
// the team's name, and its run request as checkRunRequest checks it, at
// the board's size (the page's default population, the full horizon)
// whatever it asked for.
func (s *Server) decodeSubmitRequest(l *Lesson, body []byte) (submission, error) {
	var req submitRequest
	if err := decodeStrict(body, &req); err != nil {
		return submission{}, fmt.Errorf("the request is not a submission: %v", err)
	}
	team, err := checkTeam(req.Team)
	if err != nil {
		return submission{}, err
	}
	// The board compares like with like: every team at the page's
	// default population and the full horizon.
	req.Run.Customers, req.Run.Horizon = 0, 0
	plan, err := s.checkRunRequest(l, req.Run)
	return submission{team: team, run: req.Run, plan: plan}, err
}

// submission is a team's submission checked: its name, its run request
// and the plan it runs.
type submission struct {
	team string
	run  runRequest
	plan runPlan
}

func (s *Server) submit(w http.ResponseWriter, r *http.Request) {
	l, ok := s.apiLesson(w, r)
	if !ok {
		return
	}
	sub, ok := decodeBody(w, r, func(b []byte) (submission, error) { return s.decodeSubmitRequest(l, b) })
	if !ok {
		return
	}
	team, plan := sub.team, sub.plan
	// A browser holds a token of its own, given with its first
	// submission; a team belongs to the token that first named it.
	token := ""
	if c, err := r.Cookie(teamCookie); err == nil && len(c.Value) == 32 {
		token = c.Value
	}
	if token == "" {
		token = newToken()
		http.SetCookie(w, &http.Cookie{Name: teamCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
	}
	b := s.boardOf(l)
	b.mu.Lock()
	e, known := b.entries[team]
	if known && e.owner != token {
		b.mu.Unlock()
		httpError(w, http.StatusConflict, fmt.Sprintf("team %q is another device's; choose another name", team))
		return
	}
	if !known && len(b.order) >= s.cfg.MaxTeams {
		b.mu.Unlock()
		httpError(w, http.StatusTooManyRequests, fmt.Sprintf("the board is full: %d teams; ask your teacher", s.cfg.MaxTeams))
		return
	}
	if known && e.cancel != nil {
		e.cancel() // a newer submission replaces one still running
	}
	ctx, cancel := context.WithCancel(s.ctx)
	e = &entry{team: team, owner: token, settings: s.describe(l, sub.run), status: "running", cancel: cancel}
	b.entries[team] = e
	if !known {
		b.order = append(b.order, team)
	}
	b.mu.Unlock()

	s.boardRuns.Add(1)
	go func() {
		defer s.boardRuns.Done()
		defer cancel()
		cells, err := s.runForBoard(ctx, l, plan)
		b.mu.Lock()
		defer b.mu.Unlock()
		if b.entries[team] != e {
			return // replaced meanwhile
		}
		e.cancel = nil
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			e.status, e.message = "failed", err.Error()
			s.cfg.Logf("lesson %s, team %s: %v", l.Name, team, err)
			return
		}
		e.status, e.cells = "done", cells
	}()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	json.NewEncoder(w).Encode(map[string]string{"team": team, "status": "running"})
}

// labelColumns names board b's columns before any team's run ends, so
// that an empty board already shows what it will rank: it runs the
// lesson's first two strategies with one customer for one tick, and keeps
// only the key results' names. If that fails, the first team's run names
// them.
func (s *Server) labelColumns(ctx context.Context, l *Lesson, b *board) {
	p, err := prepare(l, runPlan{strategy: l.Scenario.Model.Strategies[0].Name, customers: 1, horizon: 1})
	if err != nil {
		return
	}
	sc, m := p.sc, p.sc.Model
	m.Replications = 1
	picked := []int{0}
	if len(m.Strategies) > 1 {
		picked = append(picked, 1)
	}
	sum, _, err := results.Run(ctx, m, results.RunOptions{
		Sim:     sim.Options{Workers: 1, Strategies: picked},
		Summary: results.Options{Baseline: m.Strategies[0].Name, Currency: sc.Currency, Key: keyNames(sc)},
	})
	if err != nil {
		s.cfg.Logf("lesson %s: naming the board's columns: %v", l.Name, err)
		return
	}
	b.setColumns(sum, output.KeyGrid(sum))
}

// runForBoard runs a team's plan, when a run slot is free, and returns
// the key outcomes of its strategy.
func (s *Server) runForBoard(ctx context.Context, l *Lesson, plan runPlan) ([]boardCell, error) {
	release, err := s.acquire(ctx, false)
	if err != nil {
		return nil, err
	}
	defer release()
	p, err := prepare(l, plan)
	if err != nil {
		return nil, err
	}
	sc, m := p.sc, p.sc.Model
	tried := p.tried
	picked := []int{0}
	if tried != 0 {
		picked = append(picked, tried)
	}
	sum, _, err := results.Run(ctx, m, results.RunOptions{
		Sim:     sim.Options{Workers: s.cfg.Workers, Strategies: picked},
		Summary: results.Options{Baseline: m.Strategies[0].Name, Currency: sc.Currency, Key: keyNames(sc)},
	})
	if err != nil {
		return nil, err
	}
	col := slices.IndexFunc(sum.Strategies, func(st results.StrategySummary) bool { return st.Name == m.Strategies[tried].Name })
	g := output.KeyGrid(sum)
	s.boardOf(l).setColumns(sum, g)
	var cells []boardCell
	for i, row := range g.Rows {
		c := boardCell{Text: row[col+1].Text, Value: math.NaN()}
		if i < len(sum.Key) && col < len(sum.Key[i].Values) {
			c.Value = sum.Key[i].Values[col].Mean
		}
		cells = append(cells, c)
	}
	return cells, nil
}

// boardJSON is a board as its page draws it.
type boardJSON struct {
	Title   string        `json:"title"`
	Columns []boardColumn `json:"columns"`
	Teams   []teamJSON    `json:"teams"`
	// Expect is the lesson's expected outcome, once revealed.
	Expect   string `json:"expect,omitempty"`
	Revealed bool   `json:"revealed"`
	Facts    string `json:"facts"`
}

type boardColumn struct {
	Label string `json:"label"`
	// Better is "higher", "lower" or "" (no better side).
	Better string `json:"better"`
}

type teamJSON struct {
	Team     string      `json:"team"`
	Settings string      `json:"settings"`
	Status   string      `json:"status"`
	Message  string      `json:"message,omitempty"`
	Cells    []boardCell `json:"cells,omitempty"`
}

// setColumns sets the board's columns, the lesson's key outcomes as the
// key results g of a run's summary sum name them, once.
func (b *board) setColumns(sum *results.Summary, g output.Grid) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.columns != nil {
		return
	}
	for i, row := range g.Rows {
		c := boardColumn{Label: row[0].Text}
		if i >= len(sum.Key) {
			b.columns = append(b.columns, c)
			continue
		}
		switch sum.Key[i].Better {
		case results.HigherIsBetter:
			c.Better = "higher"
		case results.LowerIsBetter:
			c.Better = "lower"
		}
		b.columns = append(b.columns, c)
	}
}

func (s *Server) boardInfo(w http.ResponseWriter, r *http.Request) {
	l, ok := s.apiLesson(w, r)
	if !ok {
		return
	}
	b := s.boardOf(l)
	b.labelled.Do(func() { s.labelColumns(r.Context(), l, b) })
	out := boardJSON{Title: l.Title(), Teams: []teamJSON{}, Columns: []boardColumn{}}
	cr := s.customerRange(l)
	out.Facts = fmt.Sprintf("Every team's strategy at %s customers over the scenario's full horizon, with the same seed: the same customers and random draws for all.", formatInt(cr.Default))
	b.mu.Lock()
	for _, team := range b.order {
		e := b.entries[team]
		out.Teams = append(out.Teams, teamJSON{Team: e.team, Settings: e.settings, Status: e.status, Message: e.message, Cells: e.cells})
	}
	out.Revealed = b.revealed
	if b.columns != nil {
		out.Columns = b.columns
	}
	b.mu.Unlock()
	if out.Revealed && l.Scenario.Lesson != nil {
		out.Expect = l.Scenario.Lesson.Expect
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(out)
}

// reveal shows the lesson's expected outcome on the board; only the
// teacher's own browser may.
func (s *Server) reveal(w http.ResponseWriter, r *http.Request) {
	l, ok := s.apiLesson(w, r)
	if !ok {
		return
	}
	if !fromThisMachine(r) {
		httpError(w, http.StatusForbidden, "only the teacher's machine reveals the expected outcome")
		return
	}
	b := s.boardOf(l)
	b.mu.Lock()
	b.revealed = true
	b.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) boardPage(w http.ResponseWriter, r *http.Request) {
	l, ok := s.pageLesson(w, r)
	if !ok {
		return
	}
	s.page(w, "board.html", map[string]any{"Name": l.Name, "Title": l.Title(), "Teacher": fromThisMachine(r)})
}

// describe says what a run request tries, in words: the strategy and the
// controls it sets other than to the strategy's own values.
func (s *Server) describe(l *Lesson, req runRequest) string {
	parts := []string{req.Strategy}
	for i, c := range controls(l.Scenario) {
		if i >= len(req.Values) || req.Values[i] == nil {
			continue
		}
		v := *req.Values[i]
		if own, err := c.Value(l.Scenario, req.Strategy); err == nil && own == v {
			continue
		}
		switch {
		case c.Switch && v == c.Max:
			parts = append(parts, c.Label+": on")
		case c.Switch:
			parts = append(parts, c.Label+": off")
		default:
			parts = append(parts, fmt.Sprintf("%s: %s", c.Label, results.FormatNumber(v, -1)))
		}
	}
	return strings.Join(parts, " · ")
}

// formatInt writes n with thousands separators.
func formatInt(n int) string { return results.FormatNumber(float64(n), 0) }
