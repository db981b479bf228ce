package report

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"encoding/binary"
	"io"
	"regexp"
	"strings"
	"testing"

	"codeberg.org/go-fonts/liberation/liberationsansregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// outlineSegments returns how many segments the outline of r's glyph in f
// has, and its advance.
func outlineSegments(t *testing.T, f *sfnt.Font, r rune) (int, fixed.Int26_6) {
	t.Helper()
	var buf sfnt.Buffer
	g, err := f.GlyphIndex(&buf, r)
	if err != nil || g == 0 {
		t.Fatalf("%q: glyph %d, %v", r, g, err)
	}
	segs, err := f.LoadGlyph(&buf, g, fixed.I(100), nil)
	if err != nil {
		t.Fatalf("%q: %v", r, err)
	}
	adv, err := f.GlyphAdvance(&buf, g, fixed.I(100), 0)
	if err != nil {
		t.Fatalf("%q: %v", r, err)
	}
	return len(segs), adv
}

// A subset keeps the outlines of the letters asked for, and of the glyphs
// an accented letter is made of, with every glyph's metrics; the others
// are empty.
func TestSubsetFont(t *testing.T) {
	full, err := sfnt.Parse(liberationsansregular.TTF)
	if err != nil {
		t.Fatal(err)
	}
	sub, err := subsetFont(liberationsansregular.TTF, []rune("Aé±"))
	if err != nil {
		t.Fatal(err)
	}
	if len(sub) > len(liberationsansregular.TTF)/4 {
		t.Errorf("the subset is %d bytes of %d", len(sub), len(liberationsansregular.TTF))
	}
	f, err := sfnt.Parse(sub)
	if err != nil {
		t.Fatalf("the subset does not parse: %v", err)
	}
	if f.NumGlyphs() != full.NumGlyphs() {
		t.Errorf("%d glyphs; want %d, numbered as before", f.NumGlyphs(), full.NumGlyphs())
	}
	for _, r := range "Aé±Bж" {
		want, wantAdv := outlineSegments(t, full, r)
		got, adv := outlineSegments(t, f, r)
		kept := strings.ContainsRune("Aé±", r)
		switch {
		case adv != wantAdv:
			t.Errorf("%q: advance %v; want %v", r, adv, wantAdv)
		case kept && (got != want || got == 0):
			t.Errorf("%q: %d segments; want %d, as in the font", r, got, want)
		case !kept && got != 0:
			t.Errorf("%q: %d segments; want none, left out", r, got)
		}
	}
}

// unWOFF reads a WOFF 1.0 font back into its tables.
func unWOFF(t *testing.T, woff []byte) map[string][]byte {
	t.Helper()
	if string(woff[:4]) != "wOFF" || int(binary.BigEndian.Uint32(woff[8:])) != len(woff) {
		t.Fatalf("not a WOFF font of %d bytes: %q", len(woff), woff[:12])
	}
	out := map[string][]byte{}
	n := int(binary.BigEndian.Uint16(woff[12:]))
	for i := range n {
		rec := woff[44+20*i:]
		off, comp, orig := binary.BigEndian.Uint32(rec[4:]), binary.BigEndian.Uint32(rec[8:]), binary.BigEndian.Uint32(rec[12:])
		data := woff[off : off+comp]
		if comp < orig {
			z, err := zlib.NewReader(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if data, err = io.ReadAll(z); err != nil {
				t.Fatal(err)
			}
		}
		if uint32(len(data)) != orig || checksum(data) != binary.BigEndian.Uint32(rec[16:]) {
			t.Errorf("table %q: %d bytes, checksum %x; want %d and %x", rec[:4], len(data), checksum(data), orig, binary.BigEndian.Uint32(rec[16:]))
		}
		out[string(rec[:4])] = data
	}
	return out
}

// The WOFF data holds the subset's tables, compressed; the page carries
// regular and bold, named as the page's styles and charts name them.
func TestFontFaces(t *testing.T) {
	sub, err := subsetFont(liberationsansregular.TTF, []rune("journeysim"))
	if err != nil {
		t.Fatal(err)
	}
	woff, err := toWOFF(sub)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := readTables(sub)
	if err != nil {
		t.Fatal(err)
	}
	got := unWOFF(t, woff)
	if len(got) != len(tables) {
		t.Errorf("%d tables in the WOFF data; want %d", len(got), len(tables))
	}
	for _, tb := range tables {
		if !bytes.Equal(got[tb.tag], tb.data) {
			t.Errorf("table %q differs after WOFF", tb.tag)
		}
	}
	if checksum(sub) != 0xB1B0AFBA {
		t.Errorf("the subset's checksum is %x; want B1B0AFBA", checksum(sub))
	}

	css, err := fontFaces([]byte("<p>Ünïcode · ±</p>"))
	if err != nil {
		t.Fatal(err)
	}
	faces := regexp.MustCompile(`@font-face \{ font-family: "Liberation Sans"; font-style: normal; font-weight: (normal|bold); src: url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\) format\("woff"\); \}`).FindAllStringSubmatch(css, -1)
	if len(faces) != 2 || faces[0][1] != "normal" || faces[1][1] != "bold" {
		t.Fatalf("the @font-face rules are %q", css)
	}
	for _, face := range faces {
		data, err := base64.StdEncoding.DecodeString(face[2])
		if err != nil {
			t.Fatal(err)
		}
		if len(data) > 40_000 {
			t.Errorf("the %s font is %d bytes", face[1], len(data))
		}
		unWOFF(t, data)
	}
	if !strings.Contains(pageSource, `font-family: "Liberation Sans"`) {
		t.Error("the page's styles do not name the embedded font")
	}
}
