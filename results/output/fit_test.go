package output

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/results"
)

// widest returns the display width of the widest line of s.
func widest(s string) int {
	w := 0
	for line := range strings.SplitSeq(s, "\n") {
		w = max(w, displayWidth(line))
	}
	return w
}

// drawn renders rows under header fitted to width.
func drawn(t *testing.T, header []string, rows [][]string, width int) string {
	t.Helper()
	var b bytes.Buffer
	if err := RenderTableWidth(&b, header, rows, width); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// A table's width is what boxWidth says it is, in display columns, with
// symbols wider in bytes than in columns.
func TestBoxWidthMatchesTheDrawing(t *testing.T) {
	header := []string{"metric", "a · web", "b\nover two lines"}
	rows := [][]string{{"revenue (EUR)", "1,100 ± 1,271", "–"}, {"NPS (−100 to 100)", "", "-35.0 ± 63.5"}}
	tt := textTable{header: header, rows: rows}
	if got, want := widest(drawn(t, header, rows, 0)), tt.width(); got != want {
		t.Errorf("drawn %d columns wide, boxWidth says %d", got, want)
	}
}

// A table that fits is drawn as it is, whatever the width.
func TestFitKeepsATableThatFits(t *testing.T) {
	header := []string{"metric", "a", "b"}
	rows := [][]string{{"revenue (EUR)", "1,100 ± 1,271", "850 ± 635"}}
	plain := drawn(t, header, rows, 0)
	for _, width := range []int{widest(plain), 200} {
		if got := drawn(t, header, rows, width); got != plain {
			t.Errorf("width %d changed a table that fits:\n%s", width, got)
		}
	}
}

// A table with more columns than rows is transposed when that fits, the
// row labels becoming its header.
func TestFitTransposes(t *testing.T) {
	header := []string{"strategy · channel", "contacts", "responses", "response rate (%)", "visits", "purchases", "cost (EUR)"}
	rows := [][]string{
		{"omni · email", "2,234 ± 413", "171 ± 51", "7.66 ± 0.86", "0", "0", "172 ± 4"},
		{"omni · web", "0", "0", "–", "788 ± 280", "194 ± 108", "600"},
	}
	out := drawn(t, header, rows, 50)
	if w := widest(out); w > 50 {
		t.Errorf("%d columns wide, want at most 50:\n%s", w, out)
	}
	lines := strings.Split(out, "\n")
	if !strings.Contains(lines[1], "omni · email") || !strings.Contains(lines[1], "omni · web") {
		t.Errorf("the strategies are not the header:\n%s", out)
	}
	for _, h := range header[1:] {
		if !strings.Contains(out, "│ "+h) {
			t.Errorf("no row %q:\n%s", h, out)
		}
	}
}

// A table with more rows than columns is split into groups of columns,
// each repeating the labels, separated by a blank line, every value in
// exactly one group.
func TestFitSplitsIntoGroups(t *testing.T) {
	header := []string{"metric"}
	var rows [][]string
	for s := range 6 {
		header = append(header, fmt.Sprintf("strategy_%d", s))
	}
	for m := range 10 {
		row := []string{fmt.Sprintf("metric number %d (EUR)", m)}
		for s := range 6 {
			row = append(row, fmt.Sprintf("%d,%03d ± %d", m+1, s, 10*s))
		}
		rows = append(rows, row)
	}
	for _, width := range []int{40, 60, 80, 100} {
		out := drawn(t, header, rows, width)
		if w := widest(out); w > width {
			t.Errorf("width %d: %d columns wide:\n%s", width, w, out)
		}
		groups := strings.Split(out, "\n\n")
		if len(groups) < 2 {
			t.Fatalf("width %d: not split:\n%s", width, out)
		}
		for _, g := range groups {
			if strings.Count(g, "metric number 9 (EUR)") != 1 {
				t.Errorf("width %d: a group without its labels:\n%s", width, g)
			}
		}
		for s := range 6 {
			if n := strings.Count(out, fmt.Sprintf("strategy_%d", s)); n != 1 {
				t.Errorf("width %d: strategy_%d in %d groups", width, s, n)
			}
		}
		for m := range 10 {
			for s := range 6 {
				if v := fmt.Sprintf("%d,%03d ± %d", m+1, s, 10*s); !strings.Contains(out, v) {
					t.Errorf("width %d: %q is missing", width, v)
				}
			}
		}
	}
}

// Groups are as evenly wide as they go: six equal columns in two groups
// of three, not five and one.
func TestSplitColumnsBalances(t *testing.T) {
	ws := []int{10, 8, 8, 8, 8, 8, 8}
	width := 1 + 13 + 5*11 // five columns fit
	got := splitColumns(ws, 1, width)
	if want := [][]int{{1, 2, 3}, {4, 5, 6}}; !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("splitColumns = %v, want %v", got, want)
	}
	// A column too wide for the width with the labels is a group of its own.
	got = splitColumns([]int{10, 5, 60, 5}, 1, 40)
	if want := [][]int{{1}, {2}, {3}}; !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("splitColumns with a wide column = %v, want %v", got, want)
	}
}

// When the labels and one column are too wide together, the labels are
// wrapped within their cells, then the values, never the table's lines.
func TestFitWrapsCellsAsALastResort(t *testing.T) {
	header := []string{"metric", "omni"}
	rows := [][]string{
		{"CLV over the horizon (EUR)", "+376 ± 892  no significant difference"},
		{"mean CES (1–7)", "-0.205 ± 0.084  better"},
	}
	for _, width := range []int{60, 50, 40} {
		out := drawn(t, header, rows, width)
		if w := widest(out); w > width {
			t.Errorf("width %d: %d columns wide:\n%s", width, w, out)
		}
		if strings.Count(out, "┌") != 1 {
			t.Errorf("width %d: one column split:\n%s", width, out)
		}
	}
	// Of the ways to share the width, the one with the fewest lines.
	for width, want := range map[int][]string{
		60: {"│ CLV over the horizon (EUR) │", "│ no significant difference │"},
		50: {"│ CLV over the ", "│ horizon (EUR) ", "│ no significant difference │", "-0.205 ± 0.084  better │"},
		40: {"│ no significant │", " better │"},
	} {
		out := drawn(t, header, rows, width)
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("width %d lacks %q:\n%s", width, w, out)
			}
		}
	}
}

// A little wrapping of the labels keeps the columns side by side rather
// than splitting the table.
func TestFitWrapsLabelsToKeepColumnsTogether(t *testing.T) {
	header := []string{"metric", "multi", "omni"}
	rows := [][]string{{"CLV over the horizon (EUR)", "8.77 ± 2.99", "8.05 ± 2.19"}, {"customers", "600", "600"}}
	width := textTable{header: header, rows: rows}.width() - 4
	out := drawn(t, header, rows, width)
	if strings.Count(out, "┌") != 1 || !strings.Contains(out, "multi") || !strings.Contains(out, "omni") || widest(out) > width {
		t.Errorf("width %d:\n%s", width, out)
	}
}

// One long label is wrapped over lines rather than leaving one column to
// each group: at 60 columns, three strategies go in two groups, not three.
func TestFitWrapsALongLabelToGroupFewer(t *testing.T) {
	header := []string{"metric", "monochannel", "multichannel", "omnichannel"}
	rows := [][]string{
		{"customers", "30,000", "30,000", "30,000"},
		{"profit (EUR)", "991,789", "1,007,916", "1,031,792"},
		{"journey steps lost when switching channel", "0", "0", "0"},
	}
	// Not transposed: more rows than columns.
	for range 3 {
		rows = append(rows, []string{"mean CSAT (1–5)", "4.08", "4.09", "4.13"})
	}
	out := drawn(t, header, rows, 60)
	if n := strings.Count(out, "┌"); n != 2 || widest(out) > 60 {
		t.Errorf("%d groups, %d wide, want 2 groups within 60:\n%s", n, widest(out), out)
	}
	if !strings.Contains(out, "│ journey steps lost") || !strings.Contains(out, "│ when switching") {
		t.Errorf("the long label is not wrapped in its cell:\n%s", out)
	}
}

func TestWrapCell(t *testing.T) {
	for _, tc := range []struct {
		in    string
		width int
		want  string
	}{
		{"+376 ± 892  no significant difference", 30, "+376 ± 892\nno significant difference"},
		{"+376 ± 892  better", 30, "+376 ± 892  better"},
		{"+376 ± 892  no significant difference", 12, "+376 ± 892\nno\nsignificant\ndifference"},
		{"revenue on the channel (EUR)", 13, "revenue on\nthe channel\n(EUR)"},
		{"strategies.omni.levers.service", 12, "strategies.\nomni.levers.\nservice"},
		{"a_very_long_identifier", 10, "a_very_\nlong_\nidentifier"},
		{"abcdefghijklmnop", 10, "abcdefghij\nklmnop"},
		{"position-based\n(40/20/40)", 14, "position-based\n(40/20/40)"},
	} {
		if got := wrapCell(tc.in, tc.width); got != tc.want {
			t.Errorf("wrapCell(%q, %d) = %q, want %q", tc.in, tc.width, got, tc.want)
		}
		for line := range strings.SplitSeq(wrapCell(tc.in, tc.width), "\n") {
			if displayWidth(line) > tc.width {
				t.Errorf("wrapCell(%q, %d): %q is too wide", tc.in, tc.width, line)
			}
		}
	}
}

func TestWrapLine(t *testing.T) {
	long := "Compared with multi, paired replication by replication (difference ± half-width of its 95% interval):"
	if got := WrapLine(long, 0, "", "  "); got != long+"\n" {
		t.Errorf("no limit: %q", got)
	}
	if got := WrapLine("  a   b", 10, "", ""); got != "  a   b\n" {
		t.Errorf("a line that fits changed: %q", got)
	}
	got := WrapLine(long, 40, "", "  ")
	want := "Compared with multi, paired replication\n  by replication (difference ±\n  half-width of its 95% interval):\n"
	if got != want {
		t.Errorf("WrapLine at 40 = %q, want %q", got, want)
	}
	if got := WrapLine("strategies.email_7pw.caps.email.max", 20, "  ", "  "); got != "  strategies.\n  email_7pw.caps.\n  email.max\n" {
		t.Errorf("a long path: %q", got)
	}
	if got := WrapLine("abcdefghijklmnopqrstuvwxyz", 10, "  ", "  "); got != "  abcdefgh\n  ijklmnop\n  qrstuvwx\n  yz\n" {
		t.Errorf("a long word: %q", got)
	}
}

// The summary's text fits any width from 40: its tables and its lines of
// text; with no limit it is what WriteTable writes.
func TestWriteTableWidth(t *testing.T) {
	pass, err := results.CompileCheck("profit_to_cost > 1.5 && nps >= 15", "test:1:1", []string{"a"})
	if err != nil {
		t.Fatal(err)
	}
	effects, err := results.ParseMinEffects([]string{"revenue=100%,churn_rate=1pp"})
	if err != nil {
		t.Fatal(err)
	}
	s := summarize(t, results.Options{Checks: []*results.Check{pass}, MinEffects: effects})
	var plain, unlimited bytes.Buffer
	if err := WriteTable(&plain, s); err != nil {
		t.Fatal(err)
	}
	if err := Write(&unlimited, s, "table"); err != nil {
		t.Fatal(err)
	}
	if plain.String() != unlimited.String() {
		t.Errorf("Write differs from WriteTable")
	}
	for width := 40; width <= 130; width += 5 {
		var b bytes.Buffer
		if err := WriteWidth(&b, s, "table", width); err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(b.String(), "\n") {
			if displayWidth(line) > width {
				t.Errorf("width %d, line %d is %d columns: %s", width, i+1, displayWidth(line), line)
			}
		}
		for _, want := range []string{"1,100 ± 1,271", "email", "✓ a:", "no difference"} {
			if !strings.Contains(b.String(), want) {
				t.Errorf("width %d lacks %q:\n%s", width, want, b.String())
			}
		}
	}
}

// A table whose first columns together label its rows repeats them all
// in each group of columns.
func TestFitRepeatsSeveralLabelColumns(t *testing.T) {
	header := []string{"strategy", "rank", "point", "strategies.email_7pw.caps.email.max", "strategies.email_7pw.discount", "revenue"}
	var rows [][]string
	for r := range 5 {
		rows = append(rows, []string{"email_7pw", fmt.Sprint(r + 1), fmt.Sprint(10 * r), "7", "0.06666666666666667", "163,424"})
	}
	var b bytes.Buffer
	if err := RenderTableLabelled(&b, header, rows, 60, 3); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	groups := strings.Split(out, "\n\n")
	if len(groups) < 2 || widest(out) > 60 {
		t.Fatalf("not split to fit 60 columns:\n%s", out)
	}
	for _, g := range groups {
		if !strings.Contains(g, "│ strategy  │ rank │ point │") || !strings.Contains(g, "│ email_7pw │    5 │    40 │") {
			t.Errorf("a group does not repeat the strategy, the rank and the point:\n%s", g)
		}
	}
}

// A grid drawn transposed names its corner: the strategies that were its
// columns are now its rows.
func TestTransposedCornerNamesTheRows(t *testing.T) {
	tab := textTable{header: []string{"key results", "a", "b"}, rows: [][]string{{"x", "1", "2"}}, labels: 1, across: "strategy"}
	tr := tab.transpose()
	if tr.header[0] != "strategy" || tr.rows[0][0] != "a" {
		t.Errorf("transposed: header %q, rows %q", tr.header, tr.rows)
	}
	if back := tr.transpose(); back.header[0] != "key results" {
		t.Errorf("transposed twice: corner %q, want %q", back.header[0], "key results")
	}
}
