package serve

import (
	"bufio"
	"context"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/journeysim/journeysim/scenarios"
)

// newTestServer serves the built-in lessons named, with small limits.
func newTestServer(t testing.TB, names ...string) *Server {
	t.Helper()
	var lessons []*Lesson
	for _, n := range names {
		sc, err := scenarios.Builtin(n)
		if err != nil {
			t.Fatal(err)
		}
		lessons = append(lessons, &Lesson{Name: n, Scenario: sc})
	}
	s, err := New(Config{Lessons: lessons, MaxCustomers: 20_000, Parallel: 2, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// A request is checked field by field against the lesson before anything
// runs; each refusal says what is allowed.
func TestDecodeRunRequest(t *testing.T) {
	s := newTestServer(t, "cx-investment", "showrooming")
	cx, show := s.lessons["cx-investment"], s.lessons["showrooming"]
	for _, tt := range []struct {
		name string
		l    *Lesson
		body string
		want string // "" for accepted
	}{
		{"defaults", cx, `{"strategy":"fixed"}`, ""},
		{"a setting", cx, `{"strategy":"fixed","values":[1.25],"customers":2000,"horizon":90}`, ""},
		{"own setting", cx, `{"strategy":"fixed","values":[null]}`, ""},
		{"switch on", show, `{"strategy":"silos","values":[1,0]}`, ""},
		{"switch half on", show, `{"strategy":"silos","values":[0.5]}`, "allowed: 0 (off) or 1 (on)"},
		{"unknown strategy", cx, `{"strategy":"platinum"}`, `strategy "platinum": allowed: thin_service, fixed, gold_plated`},
		{"out of range", cx, `{"strategy":"fixed","values":[3]}`, "out of range; allowed: 0 to 2 in steps of 0.25"},
		{"off step", cx, `{"strategy":"fixed","values":[1.1]}`, "not on a step of 0.25"},
		{"too many values", cx, `{"strategy":"fixed","values":[1,1]}`, "2 control values; allowed at most 1"},
		{"too many customers", cx, `{"strategy":"fixed","customers":20001}`, "customers 20001: allowed 100 to 20,000"},
		{"too few customers", cx, `{"strategy":"fixed","customers":5}`, "allowed 100 to 20,000"},
		{"negative customers", cx, `{"strategy":"fixed","customers":-5}`, "allowed 100"},
		{"horizon too long", cx, `{"strategy":"fixed","horizon":366}`, "horizon 366: allowed 1 to 365 days"},
		{"unknown field", cx, `{"strategy":"fixed","path":"/etc/passwd"}`, "unknown field"},
		{"not JSON", cx, `strategy=fixed`, "not a run request"},
		{"two requests", cx, `{"strategy":"fixed"}{"strategy":"fixed"}`, "more than one"},
		{"a number as text", cx, `{"strategy":"fixed","values":["1"]}`, "not a run request"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.decodeRunRequest(tt.l, []byte(tt.body))
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("error %v; want %q", err, tt.want)
			}
		})
	}
}

// Whatever a browser sends, decoding never panics, and what it accepts
// is within the lesson's limits.
func FuzzDecodeRunRequest(f *testing.F) {
	s := newTestServer(f, "cx-investment")
	l := s.lessons["cx-investment"]
	for _, seed := range []string{`{"strategy":"fixed"}`, `{"strategy":"fixed","values":[1.25],"customers":2000,"horizon":90}`,
		`{"values":[1e308]}`, `{"strategy":"fixed","values":[null,null]}`, `[]`, `{"customers":1e99}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		plan, err := s.decodeRunRequest(l, body)
		if err != nil {
			return
		}
		if plan.customers < MinCustomers || plan.customers > 20_000 || plan.horizon < 1 || plan.horizon > l.Scenario.Model.Horizon {
			t.Errorf("accepted %+v from %q", plan, body)
		}
		if l.Scenario.Model.StrategyIndex(plan.strategy) < 0 {
			t.Errorf("accepted strategy %q", plan.strategy)
		}
	})
}

// A run streams progress, then the key results of the baseline and the
// strategy tried, and the lesson's chart.
func TestRunStreamsResult(t *testing.T) {
	s := newTestServer(t, "cx-investment")
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	resp, err := http.Post(srv.URL+"/api/lessons/cx-investment/run", "application/json",
		strings.NewReader(`{"strategy":"fixed","values":[1.5],"customers":500,"horizon":60}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/x-ndjson" {
		t.Fatalf("status %d, type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var result *runResult
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 4<<20)
	for sc.Scan() {
		var line struct {
			Progress *float64   `json:"progress"`
			Result   *runResult `json:"result"`
			Error    string     `json:"error"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		if line.Error != "" {
			t.Fatal(line.Error)
		}
		if line.Progress != nil && (*line.Progress < 0 || *line.Progress > 1) {
			t.Errorf("progress %g", *line.Progress)
		}
		if line.Result != nil {
			result = line.Result
		}
	}
	if result == nil {
		t.Fatal("no result")
	}
	// The service set on the page goes to a copy of fixed, beside the
	// baseline.
	if strings.Join(result.Strategies, ",") != "thin_service,your_fixed" {
		t.Errorf("strategies %v; want the baseline and the strategy tried, as set", result.Strategies)
	}
	if !strings.Contains(result.Facts, "500 customers · 60 days") {
		t.Errorf("facts %q", result.Facts)
	}
	if len(result.Key.Rows) == 0 || len(result.Key.Header) != 3 {
		t.Errorf("key results %+v", result.Key)
	}
	if !strings.HasPrefix(result.Chart, "data:image/svg+xml;base64,") {
		t.Errorf("no chart")
	}
	if !strings.Contains(result.Note, "fixed costs are scaled") {
		t.Errorf("note %q; want it to say fixed costs are scaled", result.Note)
	}
}

// Requests the server refuses get a status and a message in JSON, and
// nothing runs.
func TestRefusals(t *testing.T) {
	s := newTestServer(t, "cx-investment")
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	for _, tt := range []struct {
		method, path, body string
		status             int
		want               string
	}{
		{"POST", "/api/lessons/cx-investment/run", `{"strategy":"fixed","values":[9]}`, 400, "out of range"},
		{"POST", "/api/lessons/cx-investment/run#plain", `{"strategy":"fixed"}`, 415, "application/json"},
		{"POST", "/api/lessons/cx-investment/run#cross", `{"strategy":"fixed"}`, 403, "another site"},
		{"POST", "/api/lessons/cx-investment/run#rebound", `{"strategy":"fixed"}`, 403, "answers to localhost only"},
		{"POST", "/api/lessons/nope/run", `{}`, 404, "lessons: cx-investment"},
		{"POST", "/api/lessons/..%2f..%2fetc%2fpasswd/run", `{}`, 404, ""},
		{"GET", "/api/lessons/nope", "", 404, "no such lesson"},
		{"POST", "/api/lessons/cx-investment/run", `{"strategy":"` + strings.Repeat("x", 20<<10) + `"}`, 413, "over 16384 bytes"},
		{"GET", "/api/lessons/cx-investment/run", "", 405, ""},
		{"GET", "/lesson/nope", "", 404, ""},
	} {
		path, how, _ := strings.Cut(tt.path, "#")
		req, _ := http.NewRequest(tt.method, srv.URL+path, strings.NewReader(tt.body))
		switch how {
		case "plain":
			req.Header.Set("Content-Type", "text/plain")
		case "cross":
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Sec-Fetch-Site", "cross-site")
		case "rebound":
			req.Header.Set("Content-Type", "application/json")
			req.Host = "attacker.example:8080"
		default:
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var msg struct{ Error string }
		json.NewDecoder(resp.Body).Decode(&msg)
		resp.Body.Close()
		if resp.StatusCode != tt.status || !strings.Contains(msg.Error, tt.want) {
			t.Errorf("%s %s: %d %q; want %d %q", tt.method, tt.path, resp.StatusCode, msg.Error, tt.status, tt.want)
		}
	}
}

// With a class code, a browser from another machine sees the join page
// until it gives the code; the teacher's own browser goes straight in.
func TestJoinCode(t *testing.T) {
	sc, err := scenarios.Builtin("cx-investment")
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{Lessons: []*Lesson{{Name: "cx-investment", Scenario: sc}}, JoinCode: "ABC234"})
	if err != nil {
		t.Fatal(err)
	}
	h := s.Handler()
	get := func(path, remote, cookie string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", path, nil)
		req.RemoteAddr = remote
		if cookie != "" {
			req.AddCookie(&http.Cookie{Name: joinCookie, Value: cookie})
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w
	}
	if w := get("/", "127.0.0.1:5000", ""); w.Code != 200 {
		t.Errorf("the teacher's browser: %d", w.Code)
	}
	if w := get("/", "192.168.1.20:5000", ""); w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/join" {
		t.Errorf("a student without the code: %d to %q", w.Code, w.Header().Get("Location"))
	}
	if w := get("/api/lessons/cx-investment", "192.168.1.20:5000", "WRONG1"); w.Code != http.StatusForbidden {
		t.Errorf("a wrong code: %d", w.Code)
	}
	if w := get("/api/lessons/cx-investment", "192.168.1.20:5000", "ABC234"); w.Code != 200 {
		t.Errorf("the right code: %d", w.Code)
	}
	join := func(code string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/join", strings.NewReader("code="+code))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.RemoteAddr = "192.168.1.20:5000"
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w
	}
	if w := join("abc234"); w.Header().Get("Location") != "/" {
		t.Errorf("the code in small letters leads to %q", w.Header().Get("Location"))
	}
	for range maxGuesses {
		if w := join("WRONG1"); w.Header().Get("Location") != "/join?wrong" {
			t.Errorf("a wrong code at /join leads to %q", w.Header().Get("Location"))
		}
	}
	if w := join("ABC234"); w.Code != http.StatusTooManyRequests {
		t.Errorf("after %d wrong codes, another try: %d", maxGuesses, w.Code)
	}
}

// A run whose browser goes away stops: the handler returns and its slot
// is free for the next.
func TestCancelledRunFreesItsSlot(t *testing.T) {
	s := newTestServer(t, "cx-investment")
	s.slots = make(chan struct{}, 1)
	ctx, cancel := context.WithCancel(context.Background())
	req := httptest.NewRequest("POST", "/api/lessons/cx-investment/run", strings.NewReader(`{"strategy":"fixed","customers":20000}`)).WithContext(ctx)
	req.RemoteAddr, req.Host = "127.0.0.1:1", "127.0.0.1:8080"
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Handler().ServeHTTP(rec, req)
	}()
	cancel()
	<-done
	if rec.Code != http.StatusOK {
		t.Fatalf("the run was refused (%d %s), not cancelled", rec.Code, rec.Body)
	}
	select {
	case s.slots <- struct{}{}:
	default:
		t.Fatal("the cancelled run still holds its slot")
	}
}

// postStream posts body to path and returns the result line of the
// stream, decoded into out.
func postStream(t *testing.T, srv *httptest.Server, path, body string, out any) {
	t.Helper()
	resp, err := http.Post(srv.URL+path, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var msg struct{ Error string }
		json.NewDecoder(resp.Body).Decode(&msg)
		t.Fatalf("%s: status %d: %s", path, resp.StatusCode, msg.Error)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 4<<20)
	for sc.Scan() {
		var line struct {
			Result json.RawMessage `json:"result"`
			Error  string          `json:"error"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		if line.Error != "" {
			t.Fatal(line.Error)
		}
		if line.Result != nil {
			if err := json.Unmarshal(line.Result, out); err != nil {
				t.Fatal(err)
			}
			return
		}
	}
	t.Fatal("no result")
}

// Pinned runs are compared replication by replication: they share their
// customers and random draws, so a pin compared with the same settings
// differs by exactly nothing, and another service level by something
// with a verdict.
func TestComparePins(t *testing.T) {
	s := newTestServer(t, "cx-investment")
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	var res compareResult
	postStream(t, srv, "/api/lessons/cx-investment/compare", `{"baseline":0,"pins":[
		{"strategy":"fixed","values":[1],"customers":500,"horizon":60},
		{"strategy":"fixed","values":[1],"customers":500,"horizon":60},
		{"strategy":"gold_plated","values":[2],"customers":500,"horizon":60}]}`, &res)
	if strings.Join(res.Names, "|") != "1: fixed|2: fixed|3: gold_plated" {
		t.Errorf("names %v", res.Names)
	}
	if len(res.Comparison.Header) != 3 || res.Comparison.Header[1] != "2: fixed" {
		t.Fatalf("comparison header %v; want the two pins other than the baseline", res.Comparison.Header)
	}
	sameZero, otherVerdict := true, false
	for _, row := range res.Comparison.Rows {
		same, other := row[1], row[2]
		if strings.Trim(strings.Fields(same.Text)[0], "+-0.,") != "" || !strings.Contains(same.Text, "± 0") {
			sameZero = false
			t.Errorf("%s: the same settings differ by %q", row[0].Text, same.Text)
		}
		if other.Verdict == "better" || other.Verdict == "worse" {
			otherVerdict = true
		}
	}
	if !sameZero || !otherVerdict {
		t.Errorf("comparison %+v", res.Comparison.Rows)
	}
	if !strings.Contains(res.Facts, "the same customers and random draws") {
		t.Errorf("facts %q", res.Facts)
	}
}

// A comparison is refused, with what is allowed, when its pins cannot be
// paired or are too many.
func TestCompareRefusals(t *testing.T) {
	s := newTestServer(t, "cx-investment")
	l := s.lessons["cx-investment"]
	pin := `{"strategy":"fixed","customers":500}`
	for _, tt := range []struct{ body, want string }{
		{`{"pins":[` + pin + `]}`, "1 pinned runs; compare 2 to 6"},
		{`{"pins":[` + strings.Repeat(pin+",", 6) + pin + `]}`, "7 pinned runs"},
		{`{"pins":[` + pin + `,{"strategy":"fixed","customers":600}]}`, "pin runs of one size"},
		{`{"pins":[` + pin + `,` + pin + `],"baseline":2}`, "baseline 2: allowed 0 to 1"},
		{`{"pins":[` + pin + `,{"strategy":"x"}]}`, "pinned run 2: strategy \"x\""},
	} {
		if _, err := s.decodeCompareRequest(l, []byte(tt.body)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v; want %q", tt.body, err, tt.want)
		}
	}
}

// A team's submission runs at the board's fixed size and appears on the
// board with its key outcomes; a resubmission replaces it; the board
// takes at most its teams; the expected outcome is revealed only from the
// teacher's machine.
func TestClassBoard(t *testing.T) {
	s := newTestServer(t, "cx-investment")
	s.cfg.MaxTeams = 2
	defer s.Close()
	h := s.Handler()
	do := func(method, path, body, remote string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.RemoteAddr, req.Host = remote, "localhost:8080"
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w
	}
	student := "192.168.1.20:4000"
	// An empty board already names the key outcomes it will rank.
	var empty boardJSON
	if err := json.Unmarshal(do("GET", "/api/lessons/cx-investment/board", "", student).Body.Bytes(), &empty); err != nil {
		t.Fatal(err)
	}
	if len(empty.Teams) != 0 || len(empty.Columns) != len(s.lessons["cx-investment"].Scenario.Key) {
		t.Errorf("an empty board has %d teams and columns %+v, want the %d key outcomes", len(empty.Teams), empty.Columns, len(s.lessons["cx-investment"].Scenario.Key))
	}
	first := do("POST", "/api/lessons/cx-investment/submit", `{"team":"Red Team","run":{"strategy":"fixed","values":[1.5],"customers":20000}}`, student)
	if first.Code != http.StatusAccepted {
		t.Fatalf("submit: %d %s", first.Code, first.Body)
	}
	// The team is the first device's: another is refused, the same one
	// (its cookie) may submit again.
	if w := do("POST", "/api/lessons/cx-investment/submit", `{"team":"Red Team","run":{"strategy":"thin_service"}}`, student); w.Code != http.StatusConflict {
		t.Errorf("another device took over a team: %d %s", w.Code, w.Body)
	}
	again := httptest.NewRequest("POST", "/api/lessons/cx-investment/submit", strings.NewReader(`{"team":"Red Team","run":{"strategy":"fixed","values":[1.5]}}`))
	again.RemoteAddr, again.Host = student, "localhost:8080"
	again.Header.Set("Content-Type", "application/json")
	for _, c := range first.Result().Cookies() {
		again.AddCookie(c)
	}
	if w := httptest.NewRecorder(); func() int { h.ServeHTTP(w, again); return w.Code }() != http.StatusAccepted {
		t.Errorf("the team's own device could not submit again")
	}
	for _, tt := range []struct{ body, want string }{
		{`{"team":"","run":{"strategy":"fixed"}}`, "give your team a name"},
		{`{"team":"<script>","run":{"strategy":"fixed"}}`, "letters, digits"},
		{`{"team":"Blue","run":{"strategy":"fixed","values":[7]}}`, "out of range"},
	} {
		if w := do("POST", "/api/lessons/cx-investment/submit", tt.body, student); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), tt.want) {
			t.Errorf("%s: %d %s; want 400 and %q", tt.body, w.Code, w.Body, tt.want)
		}
	}
	do("POST", "/api/lessons/cx-investment/submit", `{"team":"Blue","run":{"strategy":"thin_service"}}`, student)
	if w := do("POST", "/api/lessons/cx-investment/submit", `{"team":"Green","run":{"strategy":"fixed"}}`, student); w.Code != http.StatusTooManyRequests {
		t.Errorf("a third team on a board of two: %d", w.Code)
	}
	var board boardJSON
	for deadline := time.Now().Add(2 * time.Minute); ; {
		w := do("GET", "/api/lessons/cx-investment/board", "", student)
		board = boardJSON{}
		if err := json.Unmarshal(w.Body.Bytes(), &board); err != nil {
			t.Fatal(err)
		}
		if len(board.Teams) == 2 && board.Teams[0].Status == "done" && board.Teams[1].Status == "done" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the board never finished: %+v", board)
		}
		time.Sleep(50 * time.Millisecond)
	}
	red := board.Teams[0]
	if red.Team != "Red Team" || !strings.Contains(red.Settings, "fixed · service level") || len(red.Cells) != len(board.Columns) || len(board.Columns) == 0 {
		t.Errorf("red team %+v, columns %+v", red, board.Columns)
	}
	if !strings.Contains(board.Facts, "5,000 customers") {
		t.Errorf("facts %q: every team runs at the page's default size", board.Facts)
	}
	if board.Expect != "" || board.Revealed {
		t.Errorf("expected outcome shown before it was revealed")
	}
	if w := do("POST", "/api/lessons/cx-investment/reveal", "", student); w.Code != http.StatusForbidden {
		t.Errorf("a student revealed: %d", w.Code)
	}
	if w := do("POST", "/api/lessons/cx-investment/reveal", "", "127.0.0.1:4000"); w.Code != http.StatusNoContent {
		t.Errorf("the teacher's reveal: %d", w.Code)
	}
	w := do("GET", "/api/lessons/cx-investment/board", "", student)
	if !strings.Contains(w.Body.String(), "gold-plating") {
		t.Errorf("revealed board %s lacks the expected outcome", w.Body)
	}
}

// Whatever a browser sends as pinned runs to compare, decoding never
// panics, and what it accepts is paired and within bounds.
func FuzzDecodeCompareRequest(f *testing.F) {
	s := newTestServer(f, "cx-investment")
	l := s.lessons["cx-investment"]
	f.Add([]byte(`{"baseline":1,"pins":[{"strategy":"fixed"},{"strategy":"gold_plated","values":[2]}]}`))
	f.Add([]byte(`{"pins":[{"strategy":"fixed","customers":500},{"strategy":"fixed","customers":600}]}`))
	f.Add([]byte(`{"baseline":-1,"pins":[]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		plan, err := s.decodeCompareRequest(l, body)
		if err != nil {
			return
		}
		if len(plan.pins) < 2 || len(plan.pins) > MaxPins || plan.baseline < 0 || plan.baseline >= len(plan.pins) {
			t.Errorf("accepted %+v from %q", plan, body)
		}
		for _, p := range plan.pins {
			if p.customers != plan.pins[0].customers || p.horizon != plan.pins[0].horizon {
				t.Errorf("accepted unpaired pins from %q", body)
			}
		}
	})
}

// Whatever a team sends, decoding never panics, and what it accepts has a
// proper team name and runs at the board's size.
func FuzzDecodeSubmitRequest(f *testing.F) {
	s := newTestServer(f, "cx-investment")
	l := s.lessons["cx-investment"]
	f.Add([]byte(`{"team":"Red","run":{"strategy":"fixed","values":[1.5]}}`))
	f.Add([]byte(`{"team":"  ","run":{}}`))
	f.Add([]byte(`{"team":"a\u0000b","run":{"strategy":"fixed"}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		sub, err := s.decodeSubmitRequest(l, body)
		if err != nil {
			return
		}
		team, plan := sub.team, sub.plan
		if _, err := checkTeam(team); err != nil || team != strings.TrimSpace(team) {
			t.Errorf("accepted team %q from %q", team, body)
		}
		if plan.customers != DefaultCustomers || plan.horizon != l.Scenario.Model.Horizon {
			t.Errorf("a submission at %d customers, %d days, not the board's size", plan.customers, plan.horizon)
		}
	})
}

// A scenario without a lesson (a file of the teacher's own) is served
// too: its page has the strategy picker and no controls.
func TestScenarioWithoutLesson(t *testing.T) {
	s := newTestServer(t, "reference")
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/api/lessons/reference")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var info map[string]any
	json.NewDecoder(resp.Body).Decode(&info)
	if c, ok := info["controls"].([]any); !ok || len(c) != 0 || info["title"] != "reference" {
		t.Errorf("lesson info %v; want an empty list of controls and the scenario's name", info)
	}
}

// A smaller page population is a smaller copy of the same market: its
// fixed costs and the reviews from before the run shrink with it, so
// that the earlier reviews weigh against the run's as at full size.
func TestSizeScalesTheMarket(t *testing.T) {
	sc, err := scenarios.Builtin("moments-of-truth")
	if err != nil {
		t.Fatal(err)
	}
	m := sc.Model
	full, reviews := m.Population.Size, m.Reviews.Count
	if reviews == 0 {
		t.Fatal("moments-of-truth has no earlier reviews to scale")
	}
	written := size(m, full/4, 30)
	if written != full || m.Population.Size != full/4 || m.Horizon != 30 {
		t.Fatalf("size: written %d, population %d, horizon %d", written, m.Population.Size, m.Horizon)
	}
	if want := reviews * float64(full/4) / float64(full); math.Abs(m.Reviews.Count-want) > 1e-9 {
		t.Errorf("earlier reviews %g at a quarter of the population, want %g", m.Reviews.Count, want)
	}
}

// A page starts on the strategy after the baseline (trying the baseline
// compares it with itself), and says which controls belong to the whole
// scenario rather than to the strategy tried.
func TestLessonInfoStartsAfterTheBaseline(t *testing.T) {
	s := newTestServer(t, "survey-metrics")
	defer s.Close()
	info, err := s.info(s.lessons["survey-metrics"])
	if err != nil {
		t.Fatal(err)
	}
	if info.Baseline != "as_is" || info.Try != "check_ins" {
		t.Errorf("baseline %q, tried first %q; want as_is and check_ins", info.Baseline, info.Try)
	}
	scenarioWide := map[string]bool{}
	for _, c := range info.Controls {
		scenarioWide[c.Label] = c.Scenario
	}
	var wide, own int
	for _, w := range scenarioWide {
		if w {
			wide++
		} else {
			own++
		}
	}
	if wide != 2 || own != 1 {
		t.Errorf("controls %v: want the survey's two scenario-wide and the check-ins lever the strategy's", scenarioWide)
	}
}
