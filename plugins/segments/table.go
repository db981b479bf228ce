package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/journeysim/journeysim/sim"
	"github.com/journeysim/journeysim/sim/text"
)

// wildcard, as a row's persona or channel, makes the row apply to every
// persona or channel without a more specific row of its own.
const wildcard = "*"

// row is one row of a table: the response model of a persona on a
// channel.
type row struct {
	line             int // 1-based, in the table text
	persona, channel string
	rate             float64 // response probability before fatigue
	satisfaction     float64 // CSAT of a response, 1 to 5
	effort           float64 // CES of a response, 1 to 7
	purchase         float64 // what a responder buys, at list price
	minutes          float64 // staff minutes per contact
	optOut           float64 // opt-out probability of a contact not responded to
}

// key identifies a row by its persona and channel, either of which may be
// the wildcard.
type key struct{ persona, channel string }

// table is a parsed table of response rates. It is read-only once parsed,
// so models that share it may answer concurrently.
type table struct {
	rows  map[key]*row
	order []*row // as in the text
}

// column is one column a table's header may name.
type column struct {
	name     string
	required bool
	number   bool
	def      float64 // the value of an empty cell, if not required
	min, max float64 // the range of a number; max may be +Inf
	field    func(*row) *float64
}

// columns are the columns a table may have, in the order listed to the
// user.
var columns = []column{
	{name: "persona", required: true},
	{name: "channel"},
	{name: "rate", required: true, number: true, min: 0, max: 1, field: func(r *row) *float64 { return &r.rate }},
	{name: "satisfaction", number: true, def: 4, min: 1, max: 5, field: func(r *row) *float64 { return &r.satisfaction }},
	{name: "effort", number: true, def: 2, min: 1, max: 7, field: func(r *row) *float64 { return &r.effort }},
	{name: "purchase", number: true, def: 0, min: 0, max: math.Inf(1), field: func(r *row) *float64 { return &r.purchase }},
	{name: "minutes", number: true, def: 0, min: 0, max: math.Inf(1), field: func(r *row) *float64 { return &r.minutes }},
	{name: "optout", number: true, def: 0, min: 0, max: 1, field: func(r *row) *float64 { return &r.optOut }},
}

// allowed says which values a number column takes.
func (c *column) allowed() string {
	if math.IsInf(c.max, 1) {
		return fmt.Sprintf("a finite number of at least %g", c.min)
	}
	return fmt.Sprintf("%g to %g", c.min, c.max)
}

// columnNames lists the names of columns, or of the required ones only.
func columnNames(requiredOnly bool) string {
	var names []string
	for _, c := range columns {
		if c.required || !requiredOnly {
			names = append(names, c.name)
		}
	}
	return strings.Join(names, ", ")
}

// parseTable reads a table from CSV text: a header row naming the
// columns, then one row per persona and channel. Spaces around values are
// ignored, as are lines that begin with #. Every error names the line
// within text, and the column or the character, of the problem.
func parseTable(text string) (*table, error) {
	text = strings.TrimPrefix(text, "\ufeff") // the byte-order mark some spreadsheets write
	r := csv.NewReader(strings.NewReader(text))
	r.Comment = '#'
	r.TrimLeadingSpace = true
	r.FieldsPerRecord = -1 // checked here, to name the column
	header, err := r.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("table: empty; give a header row naming the columns (%s at least), then one row per persona", columnNames(true))
	}
	if err != nil {
		return nil, syntaxError(text, err)
	}
	headerLine, _ := r.FieldPos(0)
	cols, err := parseHeader(header, headerLine)
	if err != nil {
		return nil, err
	}
	t := &table{rows: map[key]*row{}}
	for {
		record, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, syntaxError(text, err)
		}
		line, _ := r.FieldPos(0)
		rw, err := parseRow(record, cols, line)
		if err != nil {
			return nil, err
		}
		k := key{rw.persona, rw.channel}
		if prev, ok := t.rows[k]; ok {
			return nil, fmt.Errorf("table line %d, column persona: %s on %s repeats line %d; give one row per persona and channel",
				line, describePersona(rw.persona), describeChannel(rw.channel), prev.line)
		}
		t.rows[k] = rw
		t.order = append(t.order, rw)
	}
	if len(t.order) == 0 {
		return nil, fmt.Errorf("table line %d: a header but no rows; give one row per persona, or a row with persona *", headerLine)
	}
	return t, nil
}

// parseHeader maps each field of the header to its column.
func parseHeader(header []string, line int) ([]*column, error) {
	cols := make([]*column, len(header))
	seen := map[string]int{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		k := slices.IndexFunc(columns, func(c column) bool { return c.name == name })
		if k < 0 {
			if name == "" {
				return nil, fmt.Errorf("table line %d, column %d: no name; allowed columns: %s", line, i+1, columnNames(false))
			}
			return nil, fmt.Errorf("table line %d, column %s: unknown column; allowed columns: %s", line, text.Excerpt(strings.TrimSpace(h), cellChars), columnNames(false))
		}
		if prev, ok := seen[name]; ok {
			return nil, fmt.Errorf("table line %d, column %s: named twice, as columns %d and %d", line, name, prev+1, i+1)
		}
		seen[name] = i
		cols[i] = &columns[k]
	}
	for _, c := range columns {
		if _, ok := seen[c.name]; c.required && !ok {
			return nil, fmt.Errorf("table line %d: no column %s; the header must name %s", line, c.name, columnNames(true))
		}
	}
	return cols, nil
}

// cellChars is the most of a cell a message quotes: enough to find it,
// never a whole line of a file that is not a table.
const cellChars = 32

// parseRow reads one row of values, in the order of the header's columns.
func parseRow(record []string, cols []*column, line int) (*row, error) {
	if len(record) > len(cols) {
		return nil, fmt.Errorf("table line %d, column %d: a value (%s) beyond the header's %d columns",
			line, len(cols)+1, text.Quote(strings.TrimSpace(record[len(cols)]), cellChars), len(cols))
	}
	if len(record) < len(cols) {
		return nil, fmt.Errorf("table line %d, column %s: missing; the row has %d values for the header's %d columns (leave a value empty for its default)",
			line, cols[len(record)].name, len(record), len(cols))
	}
	rw := &row{line: line, channel: wildcard}
	for _, c := range columns {
		if c.number {
			*c.field(rw) = c.def
		}
	}
	for i, c := range cols {
		v := strings.TrimSpace(record[i])
		switch {
		case c.name == "persona":
			if v == "" {
				return nil, fmt.Errorf("table line %d, column persona: empty; give a persona name, or * for every persona without a row of its own", line)
			}
			rw.persona = v
		case c.name == "channel":
			if v != "" {
				rw.channel = v
			}
		case v == "" && c.required:
			return nil, fmt.Errorf("table line %d, column %s: empty; allowed %s", line, c.name, c.allowed())
		case v == "":
			// the default, set above
		default:
			x, err := strconv.ParseFloat(v, 64)
			if err != nil && !errors.Is(err, strconv.ErrRange) {
				return nil, fmt.Errorf("table line %d, column %s: %s is not a number; allowed %s", line, c.name, text.Quote(v, cellChars), c.allowed())
			}
			if !(x >= c.min && x <= c.max) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("table line %d, column %s: %s is out of range; allowed %s", line, c.name, text.Excerpt(v, cellChars), c.allowed())
			}
			*c.field(rw) = x
		}
	}
	return rw, nil
}

// syntaxError turns an error of the CSV reader into one that names the
// line and the character, counted in characters rather than bytes.
func syntaxError(text string, err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return fmt.Errorf("table: %w", err)
	}
	char := pe.Column
	if lines := strings.Split(text, "\n"); pe.Line >= 1 && pe.Line <= len(lines) && pe.Column >= 1 {
		l := strings.TrimSuffix(lines[pe.Line-1], "\r")
		// At most just past the line's end, where a missing quote is.
		char = utf8.RuneCountInString(l[:min(pe.Column-1, len(l))]) + 1
	}
	return fmt.Errorf("table line %d, character %d: %w", pe.Line, char, pe.Err)
}

// describePersona and describeChannel name a row's persona and channel in
// messages.
func describePersona(p string) string {
	if p == wildcard {
		return "persona * (every other persona)"
	}
	return "persona " + text.Excerpt(p, cellChars)
}

func describeChannel(c string) string {
	if c == wildcard {
		return "every channel"
	}
	return "channel " + text.Excerpt(c, cellChars)
}

// lookup returns the row for persona on channel, the most specific that
// applies: the persona's row for the channel, then the persona's row for
// every channel, then the row of persona * for the channel, then the row
// of persona * for every channel.
func (t *table) lookup(persona, channel string) (*row, bool) {
	for _, k := range [...]key{{persona, channel}, {persona, wildcard}, {wildcard, channel}, {wildcard, wildcard}} {
		if r, ok := t.rows[k]; ok {
			return r, true
		}
	}
	return nil, false
}

// appliesTo reports whether any row applies to channel.
func (t *table) appliesTo(channel string) bool {
	return slices.ContainsFunc(t.order, func(r *row) bool { return r.channel == wildcard || r.channel == channel })
}

// channels lists the channels the rows name, in the order of the text,
// with * for rows that apply to every channel.
func (t *table) channels() []string {
	var out []string
	for _, r := range t.order {
		if !slices.Contains(out, r.channel) {
			out = append(out, r.channel)
		}
	}
	return out
}

// personasOn lists the personas, other than *, that have a row applying
// to channel, in the order of the text.
func (t *table) personasOn(channel string) []string {
	var out []string
	for _, r := range t.order {
		if r.persona != wildcard && (r.channel == wildcard || r.channel == channel) && !slices.Contains(out, r.persona) {
			out = append(out, r.persona)
		}
	}
	return out
}

// model is one channel's behaviour: a table and how strongly fatigue
// lowers response. It is read-only, so Respond may run concurrently.
type model struct {
	table       *table
	sensitivity float64
}

// Respond answers each contact from its persona's row. The contact is a
// response when its first draw is below rate × exp(−sensitivity ×
// fatigue / tolerance); a response is rated with the row's satisfaction
// and effort and buys its purchase. A contact that is not a response opts
// out when its second draw is below the row's optout. Every contact takes
// the row's minutes.
func (m *model) Respond(batch *sim.ContactBatch, out *sim.Responses) error {
	n := batch.Len()
	if len(batch.Persona) != n || len(batch.Fatigue) != n || len(batch.Tolerance) != n || len(batch.Rand) != n {
		return fmt.Errorf("malformed batch: %d contacts with %d personas, %d fatigues, %d tolerances and %d draws",
			n, len(batch.Persona), len(batch.Fatigue), len(batch.Tolerance), len(batch.Rand))
	}
	if out.Len() != n {
		return fmt.Errorf("answers sized for %d contacts, not %d", out.Len(), n)
	}
	rows := make([]*row, len(batch.Personas)) // each persona's row, once looked up
	for j := range n {
		k := batch.Persona[j]
		if k < 0 || k >= len(batch.Personas) {
			return fmt.Errorf("contact %d (customer %d): persona %d; the batch names %d personas", j, batch.Customer[j], k, len(batch.Personas))
		}
		r := rows[k]
		if r == nil {
			var ok bool
			if r, ok = m.table.lookup(batch.Personas[k], batch.Channel); !ok {
				return m.missing(batch.Personas[k], batch.Channel)
			}
			rows[k] = r
		}
		p := r.rate
		if m.sensitivity > 0 {
			f, tol := batch.Fatigue[j], batch.Tolerance[j]
			if !(f >= 0) || !(tol > 0) || math.IsInf(tol, 0) {
				return fmt.Errorf("contact %d (customer %d): fatigue %g, tolerance %g; the model needs a fatigue of at least 0 and a finite, positive tolerance",
					j, batch.Customer[j], f, tol)
			}
			p *= math.Exp(-m.sensitivity * f / tol)
		}
		responded := batch.Rand[j][0] < p
		out.Responded[j] = responded
		out.Minutes[j] = r.minutes
		if responded {
			out.Satisfaction[j], out.Effort[j], out.Purchase[j] = r.satisfaction, r.effort, r.purchase
			out.OptOut[j] = false
		} else {
			out.Satisfaction[j], out.Effort[j], out.Purchase[j] = math.NaN(), math.NaN(), 0
			out.OptOut[j] = batch.Rand[j][1] < r.optOut
		}
	}
	return nil
}

// missing is the error for a persona the table has no row for on channel.
func (m *model) missing(persona, channel string) error {
	has := "no rows on channel " + channel
	if names := m.table.personasOn(channel); len(names) > 0 {
		for i, name := range names {
			names[i] = text.Excerpt(name, cellChars)
		}
		has = fmt.Sprintf("rows on channel %s for personas %s", channel, strings.Join(names, ", "))
	}
	return fmt.Errorf("table: no row for persona %s on channel %s; the table has %s; add a row for %s, or one with persona *",
		persona, channel, has, persona)
}
