package main

import (
	"math"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/journeysim/journeysim/plugins"
	"github.com/journeysim/journeysim/sim"
)

// A table with comments, spaces, quotes, a byte-order mark, Windows line
// ends, a header in capitals and empty cells parses to the rows written,
// with defaults for the empty cells.
func TestParseTable(t *testing.T) {
	text := "\ufeff# fitted to the 2024 campaigns\r\n" +
		"Persona, Channel, RATE, satisfaction, effort, purchase, minutes, optout\r\n" +
		"young,   email,   0.04, 3.5,          ,       35,       ,        0.002\r\n" +
		"# a comment between rows\r\n" +
		"\"older, retired\", ,0.08, , 1.5, 45.5, 0.5, 0\r\n" +
		"*, *, 0.03,,,,,\r\n"
	tab, err := parseTable(text)
	if err != nil {
		t.Fatal(err)
	}
	want := []row{
		{line: 3, persona: "young", channel: "email", rate: 0.04, satisfaction: 3.5, effort: 2, purchase: 35, minutes: 0, optOut: 0.002},
		{line: 5, persona: "older, retired", channel: "*", rate: 0.08, satisfaction: 4, effort: 1.5, purchase: 45.5, minutes: 0.5, optOut: 0},
		{line: 6, persona: "*", channel: "*", rate: 0.03, satisfaction: 4, effort: 2, purchase: 0, minutes: 0, optOut: 0},
	}
	if len(tab.order) != len(want) {
		t.Fatalf("%d rows, want %d", len(tab.order), len(want))
	}
	for i, w := range want {
		if got := *tab.order[i]; got != w {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, got, w)
		}
	}
	// Only persona and rate are required.
	tab, err = parseTable("rate,persona\n0.5,p\n")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := *tab.order[0], (row{line: 2, persona: "p", channel: "*", rate: 0.5, satisfaction: 4, effort: 2}); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

// Every kind of mistake is reported with its line, its column (or
// character) and what is allowed.
func TestParseTableErrors(t *testing.T) {
	const all = "allowed columns: persona, channel, rate, satisfaction, effort, purchase, minutes, optout"
	for _, tc := range []struct {
		name, text, want string
	}{
		{"empty", "", "table: empty; give a header row naming the columns (persona, rate at least), then one row per persona"},
		{"only comments", "# nothing yet\n\n# still nothing\n", "table: empty; give a header row naming the columns (persona, rate at least), then one row per persona"},
		{"header only", "# rates\npersona,rate\n", "table line 2: a header but no rows; give one row per persona, or a row with persona *"},
		{"unknown column", "persona,rate,colour\np,0.1,red\n", "table line 1, column colour: unknown column; " + all},
		{"unnamed column", "persona,,rate\np,x,0.1\n", "table line 1, column 2: no name; " + all},
		{"column twice", "persona,rate,Rate\np,0.1,0.2\n", "table line 1, column rate: named twice, as columns 2 and 3"},
		{"no persona", "channel,rate\nemail,0.1\n", "table line 1: no column persona; the header must name persona, rate"},
		{"no rate", "persona,channel\np,email\n", "table line 1: no column rate; the header must name persona, rate"},
		{"too many values", "persona,rate\np,0.1,9\n", `table line 2, column 3: a value ("9") beyond the header's 2 columns`},
		{"too few values", "persona,rate,effort\np,0.1\n", "table line 2, column effort: missing; the row has 2 values for the header's 3 columns (leave a value empty for its default)"},
		{"empty persona", "persona,rate\np,0.1\n ,0.2\n", "table line 3, column persona: empty; give a persona name, or * for every persona without a row of its own"},
		{"empty rate", "persona,rate\np,\n", "table line 2, column rate: empty; allowed 0 to 1"},
		{"rate not a number", "persona,rate\np,12%\n", `table line 2, column rate: "12%" is not a number; allowed 0 to 1`},
		{"rate too high", "persona,rate\n# first\np,0.1\nq,1.5\n", "table line 4, column rate: 1.5 is out of range; allowed 0 to 1"},
		{"rate negative", "persona,rate\np,-0.1\n", "table line 2, column rate: -0.1 is out of range; allowed 0 to 1"},
		{"rate NaN", "persona,rate\np,NaN\n", "table line 2, column rate: NaN is out of range; allowed 0 to 1"},
		{"satisfaction", "persona,rate,satisfaction\np,0.1,0\n", "table line 2, column satisfaction: 0 is out of range; allowed 1 to 5"},
		{"effort", "persona,rate,effort\np,0.1,8\n", "table line 2, column effort: 8 is out of range; allowed 1 to 7"},
		{"purchase negative", "persona,rate,purchase\np,0.1,-5\n", "table line 2, column purchase: -5 is out of range; allowed a finite number of at least 0"},
		{"purchase infinite", "persona,rate,purchase\np,0.1,Inf\n", "table line 2, column purchase: Inf is out of range; allowed a finite number of at least 0"},
		{"purchase overflows", "persona,rate,purchase\np,0.1,1e400\n", "table line 2, column purchase: 1e400 is out of range; allowed a finite number of at least 0"},
		{"minutes", "persona,rate,minutes\np,0.1,-1\n", "table line 2, column minutes: -1 is out of range; allowed a finite number of at least 0"},
		{"minutes not a number", "persona,rate,minutes\np,0.1,five\n", `table line 2, column minutes: "five" is not a number; allowed a finite number of at least 0`},
		{"optout", "persona,rate,optout\np,0.1,1.2\n", "table line 2, column optout: 1.2 is out of range; allowed 0 to 1"},
		{"row twice", "persona,channel,rate\np,email,0.1\nq,email,0.1\np,email,0.2\n", "table line 4, column persona: persona p on channel email repeats line 2; give one row per persona and channel"},
		{"empty and * channel", "persona,channel,rate\np,,0.1\np,*,0.2\n", "table line 3, column persona: persona p on every channel repeats line 2; give one row per persona and channel"},
		{"* twice", "persona,rate\n*,0.1\n*,0.2\n", "table line 3, column persona: persona * (every other persona) on every channel repeats line 2; give one row per persona and channel"},
		{"bare quote", "persona,rate\np,0.1\nyoung \"x\",0.2\n", `table line 3, character 7: bare " in non-quoted-field`},
		{"bare quote after accents", "persona,rate\nélève \"x\",0.2\n", `table line 2, character 7: bare " in non-quoted-field`},
		{"unclosed quote", "persona,rate\n\"p,0.1\n", `table line 2, character 7: extraneous or missing " in quoted-field`},
		{"line after a quoted line break", "persona,rate\n\"two\nlines\",0.1\nq,2\n", "table line 4, column rate: 2 is out of range; allowed 0 to 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseTable(tc.text)
			if err == nil {
				t.Fatalf("no error; want %q", tc.want)
			}
			if err.Error() != tc.want {
				t.Errorf("error\n got %q\nwant %q", err, tc.want)
			}
		})
	}
}

// The most specific row wins: persona and channel, then persona on every
// channel, then * on the channel, then * on every channel.
func TestLookup(t *testing.T) {
	tab, err := parseTable(`persona, channel, rate
a, email, 0.11
a, *,     0.12
b, ,      0.22
*, email, 0.31
*, *,     0.32
c, sms,   0.41
`)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		persona, channel string
		want             float64
	}{
		{"a", "email", 0.11}, // persona and channel
		{"a", "sms", 0.12},   // persona on every channel
		{"b", "email", 0.22}, // persona on every channel beats * on the channel
		{"c", "email", 0.31}, // * on the channel: c's only row is for sms
		{"c", "sms", 0.41},
		{"d", "email", 0.31}, // * on the channel
		{"d", "web", 0.32},   // * on every channel
	} {
		r, ok := tab.lookup(tc.persona, tc.channel)
		if !ok || r.rate != tc.want {
			t.Errorf("%s on %s: rate %v (found %v), want %v", tc.persona, tc.channel, r, ok, tc.want)
		}
	}
	tab, err = parseTable("persona,channel,rate\na,email,0.1\n")
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := tab.lookup("a", "sms"); ok {
		t.Errorf("a on sms: found %+v in a table of a on email only", r)
	}
}

// configure builds the model for channel from text, with the other
// parameters at their defaults but for sensitivity.
func configure(t *testing.T, channel, text string, sensitivity float64) sim.Behaviour {
	t.Helper()
	b, err := segments{}.Configure(channel, params(text, sensitivity))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// params are the plugin's parameters, as plugins.Serve hands them over.
func params(text string, sensitivity float64) plugins.Params {
	p := plugins.Params{Numbers: map[string]float64{}, Text: map[string]string{}}
	for _, d := range (segments{}).Describe().Params {
		if d.Text {
			p.Text[d.Name] = d.DefaultText
		} else {
			p.Numbers[d.Name] = d.Default
		}
	}
	p.Text["table"] = text
	p.Numbers["fatigue_sensitivity"] = sensitivity
	return p
}

// Configure refuses a missing table, a table with no row for the channel
// and a sensitivity out of range.
func TestConfigure(t *testing.T) {
	var table *sim.Param
	for _, d := range (segments{}).Describe().Params {
		if d.Name == "table" {
			table = &d
		} else if d.Name != "fatigue_sensitivity" || d.Default != 1 || d.Min != 0 || d.Max != 10 {
			t.Errorf("parameter %+v", d)
		}
	}
	if table == nil || !table.Text || table.DefaultText != "" {
		t.Errorf("table parameter %+v; want a text parameter, empty by default", table)
	}
	for _, tc := range []struct {
		name, channel, text string
		sensitivity         float64
		want                string
	}{
		{"no table", "email", "", 1, "table: empty; give a header row naming the columns (persona, rate at least), then one row per persona"},
		{"bad table", "email", "persona,rate\np,2\n", 1, "table line 2, column rate: 2 is out of range; allowed 0 to 1"},
		{"other channels", "web", "persona,channel,rate\np,email,0.1\nq,sms,0.1\np,sms,0.1\n", 1,
			"table: no row applies to channel web; the rows name channels email, sms; add rows for web, or rows whose channel is empty or *"},
		{"sensitivity", "email", "persona,rate\np,0.1\n", 11, "fatigue_sensitivity 11 is out of range; allowed 0 to 10"},
		{"sensitivity NaN", "email", "persona,rate\np,0.1\n", math.NaN(), "fatigue_sensitivity NaN is out of range; allowed 0 to 10"},
	} {
		b, err := segments{}.Configure(tc.channel, params(tc.text, tc.sensitivity))
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: got %v, %v; want error %q", tc.name, b, err, tc.want)
		}
	}
	if _, err := (segments{}).Configure("web", params("persona,channel,rate\np,email,0.1\n*,,0.02\n", 1)); err != nil {
		t.Errorf("a * row applies to every channel: %v", err)
	}
}

// contacts builds a batch of n contacts on channel, contact j of persona
// j mod len(personas), with the given fatigue and tolerance and draws from
// a fixed seed.
func contacts(channel string, personas []string, n int, fatigue, tolerance float64, seed uint64) *sim.ContactBatch {
	rng := rand.New(rand.NewPCG(seed, 1))
	b := &sim.ContactBatch{Channel: channel, Tick: 3, Personas: personas}
	for j := range n {
		b.Customer = append(b.Customer, j)
		b.Persona = append(b.Persona, j%len(personas))
		b.Affinity = append(b.Affinity, 1)
		b.Fatigue = append(b.Fatigue, fatigue)
		b.Tolerance = append(b.Tolerance, tolerance)
		b.Loyalty = append(b.Loyalty, 0.5)
		b.Discount = append(b.Discount, 0)
		// (0, 1), as the engine draws them
		b.Rand = append(b.Rand, [2]float64{1 - rng.Float64(), 1 - rng.Float64()})
	}
	return b
}

// respond answers batch with b.
func respond(t *testing.T, b sim.Behaviour, batch *sim.ContactBatch) *sim.Responses {
	t.Helper()
	var out sim.Responses
	out.Resize(batch.Len())
	if err := b.Respond(batch, &out); err != nil {
		t.Fatal(err)
	}
	return &out
}

const rates = `persona, channel, rate, satisfaction, effort, purchase, minutes, optout
young,   email,   0.05, 3.5,          3,      30,       0.5,     0.01
young,   *,       0.40, 5,            1,      10,       0,       0
family,  ,        0.20, 4.5,          2,      60,       1,       0.05
*,       email,   0.50, 4,            1.5,    0,        2,       0.2
`

// With many contacts, each persona's share of responses matches its rate,
// and the share of non-responders who opt out its optout, within sampling
// error; answers carry the row's ratings, purchase and minutes.
func TestRespondShares(t *testing.T) {
	b := configure(t, "email", rates, 1)
	personas := []string{"young", "family", "older"}
	const n = 300_000
	batch := contacts("email", personas, n, 0, 3, 1)
	out := respond(t, b, batch)
	want := []struct{ rate, sat, effort, purchase, minutes, optOut float64 }{
		{0.05, 3.5, 3, 30, 0.5, 0.01}, // young's email row
		{0.20, 4.5, 2, 60, 1, 0.05},   // family on every channel
		{0.50, 4, 1.5, 0, 2, 0.2},     // older: * on email
	}
	for k, w := range want {
		var contacted, responded, optedOut int
		for j := range n {
			if batch.Persona[j] != k {
				continue
			}
			contacted++
			if out.Minutes[j] != w.minutes {
				t.Fatalf("%s, contact %d: %v minutes, want %v", personas[k], j, out.Minutes[j], w.minutes)
			}
			if out.Responded[j] {
				responded++
				if out.Satisfaction[j] != w.sat || out.Effort[j] != w.effort || out.Purchase[j] != w.purchase || out.OptOut[j] {
					t.Fatalf("%s, response %d: satisfaction %v, effort %v, purchase %v, opt-out %v", personas[k], j,
						out.Satisfaction[j], out.Effort[j], out.Purchase[j], out.OptOut[j])
				}
				continue
			}
			if !math.IsNaN(out.Satisfaction[j]) || !math.IsNaN(out.Effort[j]) || out.Purchase[j] != 0 {
				t.Fatalf("%s, contact %d without response: satisfaction %v, effort %v, purchase %v", personas[k], j,
					out.Satisfaction[j], out.Effort[j], out.Purchase[j])
			}
			if out.OptOut[j] {
				optedOut++
			}
		}
		share := float64(responded) / float64(contacted)
		se := math.Sqrt(w.rate * (1 - w.rate) / float64(contacted))
		t.Logf("%s: %d of %d respond (%.4f ± %.4f, rate %v)", personas[k], responded, contacted, share, se, w.rate)
		if math.Abs(share-w.rate) > 4*se {
			t.Errorf("%s: response share %.4f ± %.4f, want %v", personas[k], share, se, w.rate)
		}
		rest := contacted - responded
		shareOut := float64(optedOut) / float64(rest)
		seOut := math.Sqrt(w.optOut * (1 - w.optOut) / float64(rest))
		if math.Abs(shareOut-w.optOut) > 4*seOut+1e-12 {
			t.Errorf("%s: %.4f ± %.4f of non-responders opt out, want %v", personas[k], shareOut, seOut, w.optOut)
		}
	}
	if err := out.Check(batch); err != nil {
		t.Errorf("answers fail the host's check: %v", err)
	}
}

// Fatigue lowers the response rate by exp(−fatigue_sensitivity × fatigue /
// tolerance); a sensitivity of 0 ignores it.
func TestRespondFatigue(t *testing.T) {
	const n = 200_000
	for _, tc := range []struct {
		sensitivity, fatigue, tolerance float64
	}{
		{1, 2, 2},
		{2, 1, 4},
		{0.5, 6, 2},
		{0, 5, 1},
		{10, 0, 1},
	} {
		b := configure(t, "email", "persona,rate\n*,0.4\n", tc.sensitivity)
		out := respond(t, b, contacts("email", []string{"p"}, n, tc.fatigue, tc.tolerance, 2))
		responded := 0
		for _, r := range out.Responded {
			if r {
				responded++
			}
		}
		want := 0.4 * math.Exp(-tc.sensitivity*tc.fatigue/tc.tolerance)
		share := float64(responded) / n
		se := math.Sqrt(want * (1 - want) / n)
		if math.Abs(share-want) > 4*se {
			t.Errorf("sensitivity %v, fatigue %v, tolerance %v: share %.4f ± %.4f, want %.4f",
				tc.sensitivity, tc.fatigue, tc.tolerance, share, se, want)
		}
	}
}

// The draws decide as documented: the first against the response
// probability, the second against the opt-out of a non-responder; answers
// left in out from an earlier batch are overwritten.
func TestRespondDraws(t *testing.T) {
	b := configure(t, "email", "persona,rate,optout,minutes\np,0.3,0.5,2\n", 0)
	batch := contacts("email", []string{"p"}, 4, 0, 1, 3)
	batch.Rand = [][2]float64{{0.29, 0.1}, {0.31, 0.49}, {0.31, 0.51}, {0.3, 0.01}}
	var out sim.Responses
	out.Resize(4)
	for j := range 4 { // leftovers
		out.Responded[j], out.Satisfaction[j], out.Effort[j], out.Purchase[j], out.OptOut[j] = true, 5, 7, 99, true
	}
	if err := b.Respond(batch, &out); err != nil {
		t.Fatal(err)
	}
	wantResp := []bool{true, false, false, false}
	wantOpt := []bool{false, true, false, true}
	for j := range 4 {
		if out.Responded[j] != wantResp[j] || out.OptOut[j] != wantOpt[j] || out.Minutes[j] != 2 {
			t.Errorf("contact %d, draws %v: responded %v, opt-out %v, minutes %v; want %v, %v, 2",
				j, batch.Rand[j], out.Responded[j], out.OptOut[j], out.Minutes[j], wantResp[j], wantOpt[j])
		}
		if !out.Responded[j] && (!math.IsNaN(out.Satisfaction[j]) || !math.IsNaN(out.Effort[j]) || out.Purchase[j] != 0) {
			t.Errorf("contact %d without response: satisfaction %v, effort %v, purchase %v", j, out.Satisfaction[j], out.Effort[j], out.Purchase[j])
		}
	}
}

// A persona the table has no row for stops the answer with an error
// naming it and the personas the table has; so does a malformed batch.
func TestRespondErrors(t *testing.T) {
	b := configure(t, "email", "persona,channel,rate\nyoung,email,0.1\nfamily,,0.2\nolder,sms,0.3\n", 1)
	batch := contacts("email", []string{"young", "family", "students"}, 6, 0, 1, 4)
	var out sim.Responses
	out.Resize(batch.Len())
	err := b.Respond(batch, &out)
	want := "table: no row for persona students on channel email; the table has rows on channel email for personas young, family; add a row for students, or one with persona *"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
	// Without contacts of students, the batch is answered.
	batch = contacts("email", []string{"young", "family", "students"}, 6, 0, 1, 4)
	for j := range batch.Persona {
		batch.Persona[j] %= 2
	}
	respond(t, b, batch)

	for _, tc := range []struct {
		name  string
		spoil func(*sim.ContactBatch, *sim.Responses)
		want  string
	}{
		{"short column", func(b *sim.ContactBatch, _ *sim.Responses) { b.Rand = b.Rand[:3] },
			"malformed batch: 6 contacts with 6 personas, 6 fatigues, 6 tolerances and 3 draws"},
		{"persona index", func(b *sim.ContactBatch, _ *sim.Responses) { b.Persona[2] = 7 },
			"contact 2 (customer 2): persona 7; the batch names 2 personas"},
		{"tolerance", func(b *sim.ContactBatch, _ *sim.Responses) { b.Tolerance[1] = 0 },
			"contact 1 (customer 1): fatigue 0, tolerance 0; the model needs a fatigue of at least 0 and a finite, positive tolerance"},
		{"answers", func(_ *sim.ContactBatch, out *sim.Responses) { out.Resize(5) },
			"answers sized for 5 contacts, not 6"},
	} {
		batch := contacts("email", []string{"young", "family"}, 6, 0, 1, 4)
		var out sim.Responses
		out.Resize(batch.Len())
		tc.spoil(batch, &out)
		if err := b.Respond(batch, &out); err == nil || err.Error() != tc.want {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
	}
}

// Answers depend on the batch alone: the same batch gets the same answers,
// a contact gets the same answer in any batch, and concurrent calls do not
// disturb one another.
func TestRespondDeterministic(t *testing.T) {
	b := configure(t, "email", rates, 1.5)
	personas := []string{"young", "family", "older"}
	batch := contacts("email", personas, 10_000, 1, 2, 5)
	first := respond(t, b, batch)
	same := func(what string, j int, a, b *sim.Responses, i int) {
		t.Helper()
		eq := func(x, y float64) bool { return x == y || math.IsNaN(x) && math.IsNaN(y) }
		if a.Responded[j] != b.Responded[i] || !eq(a.Satisfaction[j], b.Satisfaction[i]) || !eq(a.Effort[j], b.Effort[i]) ||
			a.Purchase[j] != b.Purchase[i] || a.Minutes[j] != b.Minutes[i] || a.OptOut[j] != b.OptOut[i] {
			t.Fatalf("%s: contact %d answered differently", what, j)
		}
	}
	again := respond(t, b, batch)
	for j := range batch.Customer {
		same("the same batch again", j, first, again, j)
	}

	// The second half on its own.
	half := batch.Len() / 2
	part := &sim.ContactBatch{Channel: batch.Channel, Tick: batch.Tick, Personas: personas,
		Customer: batch.Customer[half:], Persona: batch.Persona[half:], Affinity: batch.Affinity[half:],
		Fatigue: batch.Fatigue[half:], Tolerance: batch.Tolerance[half:], Loyalty: batch.Loyalty[half:],
		Discount: batch.Discount[half:], Rand: batch.Rand[half:]}
	second := respond(t, b, part)
	for i := range part.Customer {
		same("half a batch", half+i, first, second, i)
	}

	var wg sync.WaitGroup
	answers := make([]*sim.Responses, 8)
	for g := range answers {
		wg.Go(func() {
			var out sim.Responses
			out.Resize(batch.Len())
			if err := b.Respond(batch, &out); err != nil {
				t.Error(err)
			}
			answers[g] = &out
		})
	}
	wg.Wait()
	for _, a := range answers {
		for j := range batch.Customer {
			same("concurrent calls", j, first, a, j)
		}
	}
}

// The built plugin, through the host journeysim uses: the table travels as
// text, and the host's checks accept the answers.
func TestProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the plugin")
	}
	dir := t.TempDir()
	if out, err := exec.Command("go", "build", "-o", filepath.Join(dir, "segments"), ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	host := &plugins.Host{Dirs: []string{dir}}
	defer host.Close()
	spec, err := host.Spec("segments")
	if err != nil {
		t.Fatal(err)
	}
	if len(spec.Params) != 2 || !spec.Params[0].Text {
		t.Fatalf("parameters %+v", spec.Params)
	}
	_, err = host.Configure("segments", "email", map[string]float64{}, map[string]string{"table": "persona,rate\np,7\n"})
	if err == nil || !strings.Contains(err.Error(), "parameters refused: table line 2, column rate: 7 is out of range; allowed 0 to 1") {
		t.Errorf("a bad table: %v", err)
	}
	remote, err := host.Configure("segments", "email", map[string]float64{"fatigue_sensitivity": 1.5}, map[string]string{"table": rates})
	if err != nil {
		t.Fatal(err)
	}
	batch := contacts("email", []string{"young", "family", "older"}, 3000, 1, 2, 6)
	got := respond(t, remote, batch)
	want := respond(t, configure(t, "email", rates, 1.5), batch)
	for j := range batch.Customer {
		if got.Responded[j] != want.Responded[j] || got.OptOut[j] != want.OptOut[j] || got.Minutes[j] != want.Minutes[j] ||
			got.Purchase[j] != want.Purchase[j] {
			t.Fatalf("contact %d: the plugin process answers differently from the model in process", j)
		}
	}
}
