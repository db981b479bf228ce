package output

import (
	"bytes"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// parquetRoundTrip writes t as Parquet and reads it back.
func parquetRoundTrip(t *testing.T, tab *Table) (*Table, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := tab.WriteParquet(&buf); err != nil {
		t.Fatalf("WriteParquet: %v", err)
	}
	got, err := ReadParquet(bytes.NewReader(buf.Bytes()), int64(buf.Len()), tab.Name)
	if err != nil {
		t.Fatalf("ReadParquet: %v", err)
	}
	return got, buf.Bytes()
}

// fmtFloat formats a float cell as the results package does.
func fmtFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func TestParquetRoundTrip(t *testing.T) {
	tests := []*Table{
		{
			Name:    "empty",
			Columns: []Column{{"s", String}, {"i", Int}, {"x", Float}},
		},
		{
			Name: "mixed",
			// Names out of alphabetical order: the column order must be kept.
			Columns: []Column{{"zeta", String}, {"count", Int}, {"mean_s", Float}, {"alpha", String}},
			Rows: [][]string{
				{"a", "1", "1.5", ""},
				{"", "", "", "x"},
				{"b", "-7", "-0.25", "y"},
			},
		},
		{
			Name:    "extremes",
			Columns: []Column{{"i", Int}, {"x", Float}},
			Rows: [][]string{
				{fmtInt(math.MaxInt64), fmtFloat(1e300)},
				{fmtInt(math.MinInt64), fmtFloat(-1e300)},
				{"0", fmtFloat(5e-324)},
				{"-1", fmtFloat(math.Copysign(0, -1))},
				{"", fmtFloat(math.MaxFloat64)},
				{"42", fmtFloat(math.Inf(1))},
				{"43", fmtFloat(math.Inf(-1))},
				{"44", fmtFloat(math.NaN())},
				{"45", fmtFloat(0.1 + 0.2)},
			},
		},
		{
			Name:    "seeds",
			Columns: []Column{{"seed", String}, {"run", Int}},
			Rows: [][]string{
				{strconv.FormatUint(math.MaxUint64, 10), "0"},
				{"0", "1"},
				{"9223372036854775808", "2"},
			},
		},
		{
			Name:     "metadata",
			Columns:  []Column{{"x", Float}},
			Rows:     [][]string{{"1"}},
			Metadata: map[string]string{"journeysim.seed": "7", "journeysim.commit": "", "note": "héllo\nwörld"},
		},
		{
			Name:    "unicode",
			Columns: []Column{{"név", String}, {"距離_m", Float}},
			Rows: [][]string{
				{"héllo, wörld", "1"},
				{"日本語 🚆", "2.5"},
				{"line\nbreak \"quoted\" \x00", ""},
			},
		},
	}
	for _, tab := range tests {
		t.Run(tab.Name, func(t *testing.T) {
			got, _ := parquetRoundTrip(t, tab)
			if !reflect.DeepEqual(got, tab) {
				t.Errorf("round trip:\n got %#v\nwant %#v", got, tab)
			}
		})
	}
}

func TestParquetZeroRowsNil(t *testing.T) {
	tab := &Table{Name: "z", Columns: []Column{{"x", Float}}, Rows: [][]string{}}
	got, _ := parquetRoundTrip(t, tab)
	if got.Rows != nil {
		t.Errorf("Rows = %#v, want nil", got.Rows)
	}
}

func TestParquetDeterministic(t *testing.T) {
	tab := &Table{Name: "d", Columns: []Column{{"s", String}, {"i", Int}, {"x", Float}}}
	for i := range 10000 {
		x := ""
		if i%7 != 0 {
			x = fmtFloat(float64(i) / 3)
		}
		tab.Add("run-"+strconv.Itoa(i%13), fmtInt(int64(i)), x)
	}
	got, a := parquetRoundTrip(t, tab)
	if !reflect.DeepEqual(got, tab) {
		t.Fatal("round trip of 10k rows differs")
	}
	_, b := parquetRoundTrip(t, tab)
	if !bytes.Equal(a, b) {
		t.Errorf("same table gave different bytes (%d and %d)", len(a), len(b))
	}
	t.Logf("10000 rows, 3 columns: %d bytes", len(a))
}

// The table's metadata is the file's key-value metadata, as other readers
// see it, sorted by key whatever order the map was filled in.
func TestParquetMetadata(t *testing.T) {
	tab := &Table{Name: "m", Columns: []Column{{"x", Float}}, Rows: [][]string{{"1"}},
		Metadata: map[string]string{"b": "2", "a": "1", "journeysim.version": "0.1.0"}}
	var buf bytes.Buffer
	if err := tab.WriteParquet(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := parquet.OpenFile(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, kv := range f.Metadata().KeyValueMetadata {
		keys = append(keys, kv.Key)
		if kv.Value != tab.Metadata[kv.Key] {
			t.Errorf("metadata %s = %q; want %q", kv.Key, kv.Value, tab.Metadata[kv.Key])
		}
	}
	if want := []string{"a", "b", "journeysim.version"}; !slices.Equal(keys, want) {
		t.Errorf("metadata keys %v; want %v", keys, want)
	}
	for range 20 { // a map's order varies from one range to the next
		again := *tab
		again.Metadata = maps.Clone(tab.Metadata)
		var b bytes.Buffer
		if err := again.WriteParquet(&b); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b.Bytes(), buf.Bytes()) {
			t.Fatal("the same metadata gave different bytes")
		}
	}
	plain := &Table{Name: "m", Columns: tab.Columns, Rows: tab.Rows}
	var b bytes.Buffer
	if err := plain.WriteParquet(&b); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(b.Bytes(), buf.Bytes()) {
		t.Error("a table with metadata gave the bytes of one without")
	}
}

func TestParquetWriteErrors(t *testing.T) {
	tests := []struct {
		name string
		tab  *Table
		want []string // substrings of the error
	}{
		{"bad int", &Table{Name: "bad", Columns: []Column{{"s", String}, {"n", Int}}, Rows: [][]string{{"a", "1"}, {"b", "1.5"}}},
			[]string{"bad.parquet", "column n", "row 1"}},
		{"bad float", &Table{Name: "bad", Columns: []Column{{"x", Float}}, Rows: [][]string{{"x"}}},
			[]string{"bad.parquet", "column x", "row 0"}},
		{"int overflow", &Table{Name: "bad", Columns: []Column{{"n", Int}}, Rows: [][]string{{"9223372036854775808"}}},
			[]string{"column n", "row 0"}},
		{"short row", &Table{Name: "bad", Columns: []Column{{"n", Int}, {"m", Int}}, Rows: [][]string{{"1"}}},
			[]string{"row 0"}},
		{"duplicate", &Table{Name: "bad", Columns: []Column{{"n", Int}, {"n", Float}}},
			[]string{"duplicate column"}},
		{"no columns", &Table{Name: "bad"}, []string{"no columns"}},
		{"empty metadata key", &Table{Name: "bad", Columns: []Column{{"n", Int}}, Metadata: map[string]string{"": "x"}},
			[]string{"bad.parquet", "empty key", `"x"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.tab.WriteParquet(new(bytes.Buffer))
			if err == nil {
				t.Fatal("no error")
			}
			for _, s := range tt.want {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not contain %q", err, s)
				}
			}
		})
	}
}

func TestParquetReadBadInput(t *testing.T) {
	var buf bytes.Buffer
	tab := &Table{Name: "t", Columns: []Column{{"x", Float}}, Rows: [][]string{{"1"}, {"2"}}}
	if err := tab.WriteParquet(&buf); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	for _, in := range [][]byte{nil, []byte("not parquet"), data[:len(data)/2]} {
		if _, err := ReadParquet(bytes.NewReader(in), int64(len(in)), "t"); err == nil {
			t.Errorf("ReadParquet of %d bytes: no error", len(in))
		}
	}
}

func FuzzParquetRoundTrip(f *testing.F) {
	f.Add("a", 1.5, int64(1), false)
	f.Add("", math.Copysign(0, -1), int64(math.MinInt64), true)
	f.Add("日本", 5e-324, int64(math.MaxInt64), false)
	f.Add("x\x00y", math.NaN(), int64(0), true)
	f.Fuzz(func(t *testing.T, s string, x float64, n int64, missing bool) {
		tab := &Table{Name: "fuzz", Columns: []Column{{"s", String}, {"x", Float}, {"n", Int}}}
		tab.Add(s, fmtFloat(x), fmtInt(n))
		tab.Add(s+s, fmtFloat(-x), "")
		if missing {
			tab.Add("", "", fmtInt(-n))
		}
		got, _ := parquetRoundTrip(t, tab)
		if !reflect.DeepEqual(got, tab) {
			t.Errorf("round trip:\n got %q\nwant %q", got.Rows, tab.Rows)
		}
	})
}
