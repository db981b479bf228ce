package report

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"html"
	"slices"
	"sort"
	"strings"

	"codeberg.org/go-fonts/liberation/liberationsansbold"
	"codeberg.org/go-fonts/liberation/liberationsansregular"
	"golang.org/x/image/font/sfnt"
)

// The page is measured in Liberation Sans: fit.go estimates its tables'
// widths in it, and the charts are laid out in it (results/charts draws
// with the Liberation fonts gonum/plot carries). A classroom PC may have
// neither it nor Arial, whose letters are as wide (a Linux lab PC often
// has only DejaVu, which is wider), so the page carries the font itself,
// as @font-face data: regular and bold, each cut down to the letters the
// page uses and packed as WOFF, about 20 kB each rather than 400.

// pageFont is the family the page's styles and its charts name.
const pageFont = "Liberation Sans"

// fontFaces returns the page's @font-face rules, for a page whose text
// (its HTML, entities and all) is page: Liberation Sans regular and bold,
// each holding the glyphs of the letters the page uses, as WOFF data.
func fontFaces(page []byte) (string, error) {
	runes := pageRunes(page)
	var b strings.Builder
	for _, f := range []struct {
		weight string
		ttf    []byte
	}{{"normal", liberationsansregular.TTF}, {"bold", liberationsansbold.TTF}} {
		sub, err := subsetFont(f.ttf, runes)
		if err != nil {
			return "", fmt.Errorf("embed the font %s (%s): %w", pageFont, f.weight, err)
		}
		woff, err := toWOFF(sub)
		if err != nil {
			return "", fmt.Errorf("embed the font %s (%s): %w", pageFont, f.weight, err)
		}
		fmt.Fprintf(&b, "@font-face { font-family: %q; font-style: normal; font-weight: %s; src: url(data:font/woff;base64,%s) format(\"woff\"); }\n",
			pageFont, f.weight, base64.StdEncoding.EncodeToString(woff))
	}
	return b.String(), nil
}

// pageRunes returns the letters a page may show, sorted: every rune of
// its text with entities read, every printable ASCII letter and a few
// that styles or a browser may add.
func pageRunes(page []byte) []rune {
	seen := map[rune]bool{}
	for r := rune(0x20); r < 0x7f; r++ {
		seen[r] = true
	}
	for _, r := range "…–—‘’“”•·±−×✓✗€£" {
		seen[r] = true
	}
	for _, r := range html.UnescapeString(string(page)) {
		if r >= 0x20 {
			seen[r] = true
		}
	}
	out := make([]rune, 0, len(seen))
	for r := range seen {
		out = append(out, r)
	}
	slices.Sort(out)
	return out
}

// sfntTable is a table of a TrueType font: its tag and its data.
type sfntTable struct {
	tag  string
	data []byte
}

// readTables reads the tables of the TrueType font ttf.
func readTables(ttf []byte) ([]sfntTable, error) {
	if len(ttf) < 12 {
		return nil, fmt.Errorf("not a TrueType font")
	}
	n := int(binary.BigEndian.Uint16(ttf[4:]))
	if len(ttf) < 12+16*n {
		return nil, fmt.Errorf("not a TrueType font")
	}
	var out []sfntTable
	for i := range n {
		rec := ttf[12+16*i:]
		off, length := binary.BigEndian.Uint32(rec[8:]), binary.BigEndian.Uint32(rec[12:])
		if uint64(off)+uint64(length) > uint64(len(ttf)) {
			return nil, fmt.Errorf("table %q runs past the end of the font", rec[:4])
		}
		out = append(out, sfntTable{tag: string(rec[:4]), data: ttf[off : off+length]})
	}
	return out, nil
}

// keptTables are the tables a subset font keeps: those a browser needs
// (OpenType's required tables and TrueType's outlines), the hinting, and
// the kerning the charts were measured with. The glyph substitutions and
// positions (GSUB, GPOS) go: a substitution could name a glyph the subset
// dropped.
var keptTables = []string{"OS/2", "cmap", "cvt ", "fpgm", "gasp", "glyf", "head", "hhea", "hmtx", "kern", "loca", "maxp", "name", "post", "prep"}

// subsetFont returns the TrueType font ttf with the outlines of only the
// glyphs of runes (and the glyphs they are made of) kept: every other
// glyph is left empty, so that glyph numbers, metrics and the character
// map stay as they are. Glyph names go (post format 3).
func subsetFont(ttf []byte, runes []rune) ([]byte, error) {
	f, err := sfnt.Parse(ttf)
	if err != nil {
		return nil, err
	}
	tables, err := readTables(ttf)
	if err != nil {
		return nil, err
	}
	get := func(tag string) []byte {
		for _, t := range tables {
			if t.tag == tag {
				return t.data
			}
		}
		return nil
	}
	head, loca, glyf := get("head"), get("loca"), get("glyf")
	if len(head) < 54 || loca == nil || glyf == nil {
		return nil, fmt.Errorf("not a TrueType font with outlines")
	}
	long := binary.BigEndian.Uint16(head[50:]) == 1
	glyphs := f.NumGlyphs()
	offset := func(g int) (int, bool) {
		if long {
			if 4*g+4 > len(loca) {
				return 0, false
			}
			return int(binary.BigEndian.Uint32(loca[4*g:])), true
		}
		if 2*g+2 > len(loca) {
			return 0, false
		}
		return 2 * int(binary.BigEndian.Uint16(loca[2*g:])), true
	}
	outline := func(g int) []byte {
		a, ok1 := offset(g)
		b, ok2 := offset(g + 1)
		if !ok1 || !ok2 || a > b || b > len(glyf) {
			return nil
		}
		return glyf[a:b]
	}

	keep := make([]bool, glyphs)
	var todo []int
	add := func(g int) {
		if g >= 0 && g < glyphs && !keep[g] {
			keep[g] = true
			todo = append(todo, g)
		}
	}
	add(0) // .notdef
	var buf sfnt.Buffer
	for _, r := range runes {
		if g, err := f.GlyphIndex(&buf, r); err == nil && g != 0 {
			add(int(g))
		}
	}
	for len(todo) > 0 {
		g := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		for _, c := range components(outline(g)) {
			add(c)
		}
	}

	var newGlyf bytes.Buffer
	newLoca := make([]byte, 0, 4*(glyphs+1))
	for g := range glyphs {
		newLoca = binary.BigEndian.AppendUint32(newLoca, uint32(newGlyf.Len()))
		if keep[g] {
			newGlyf.Write(outline(g))
			for newGlyf.Len()%4 != 0 {
				newGlyf.WriteByte(0)
			}
		}
	}
	newLoca = binary.BigEndian.AppendUint32(newLoca, uint32(newGlyf.Len()))
	newHead := slices.Clone(head)
	binary.BigEndian.PutUint16(newHead[50:], 1) // long offsets
	binary.BigEndian.PutUint32(newHead[8:], 0)  // checkSumAdjustment, set below

	var out []sfntTable
	for _, t := range tables {
		if !slices.Contains(keptTables, t.tag) {
			continue
		}
		switch t.tag {
		case "glyf":
			t.data = newGlyf.Bytes()
		case "loca":
			t.data = newLoca
		case "head":
			t.data = newHead
		case "post":
			if len(t.data) >= 32 {
				p := slices.Clone(t.data[:32])
				binary.BigEndian.PutUint32(p, 0x00030000)
				t.data = p
			}
		}
		out = append(out, t)
	}
	return writeSFNT(out), nil
}

// components returns the glyphs a composite glyph's outline is made of;
// none for a simple glyph.
func components(outline []byte) []int {
	if len(outline) < 10 || int16(binary.BigEndian.Uint16(outline)) >= 0 {
		return nil
	}
	const (
		argsAreWords = 0x0001
		haveScale    = 0x0008
		moreComps    = 0x0020
		haveXYScale  = 0x0040
		have2x2      = 0x0080
	)
	var out []int
	p := 10
	for p+4 <= len(outline) {
		flags := binary.BigEndian.Uint16(outline[p:])
		out = append(out, int(binary.BigEndian.Uint16(outline[p+2:])))
		p += 4
		if flags&argsAreWords != 0 {
			p += 4
		} else {
			p += 2
		}
		switch {
		case flags&haveScale != 0:
			p += 2
		case flags&haveXYScale != 0:
			p += 4
		case flags&have2x2 != 0:
			p += 8
		}
		if flags&moreComps == 0 {
			break
		}
	}
	return out
}

// checksum is the TrueType checksum of data: the sum of its big-endian
// 32-bit words, the last padded with zeros.
func checksum(data []byte) uint32 {
	var sum uint32
	for i := 0; i < len(data); i += 4 {
		var w [4]byte
		copy(w[:], data[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}

// writeSFNT writes tables as a TrueType font, sorted by tag, with their
// checksums and the head table's checkSumAdjustment.
func writeSFNT(tables []sfntTable) []byte {
	sort.Slice(tables, func(i, j int) bool { return tables[i].tag < tables[j].tag })
	n := len(tables)
	entry, log := 1, 0
	for entry*2 <= n {
		entry, log = entry*2, log+1
	}
	var b bytes.Buffer
	hdr := make([]byte, 12)
	binary.BigEndian.PutUint32(hdr, 0x00010000)
	binary.BigEndian.PutUint16(hdr[4:], uint16(n))
	binary.BigEndian.PutUint16(hdr[6:], uint16(16*entry))
	binary.BigEndian.PutUint16(hdr[8:], uint16(log))
	binary.BigEndian.PutUint16(hdr[10:], uint16(16*(n-entry)))
	b.Write(hdr)
	off := 12 + 16*n
	headAt := -1
	for _, t := range tables {
		rec := make([]byte, 16)
		copy(rec, t.tag)
		binary.BigEndian.PutUint32(rec[4:], checksum(t.data))
		binary.BigEndian.PutUint32(rec[8:], uint32(off))
		binary.BigEndian.PutUint32(rec[12:], uint32(len(t.data)))
		b.Write(rec)
		if t.tag == "head" {
			headAt = off
		}
		off += (len(t.data) + 3) &^ 3
	}
	for _, t := range tables {
		b.Write(t.data)
		for b.Len()%4 != 0 {
			b.WriteByte(0)
		}
	}
	out := b.Bytes()
	if headAt >= 0 {
		binary.BigEndian.PutUint32(out[headAt+8:], 0xB1B0AFBA-checksum(out))
	}
	return out
}

// toWOFF packs the TrueType font ttf as WOFF 1.0: each table compressed
// with zlib where that makes it smaller.
func toWOFF(ttf []byte) ([]byte, error) {
	tables, err := readTables(ttf)
	if err != nil {
		return nil, err
	}
	n := len(tables)
	type packed struct {
		tag        string
		data       []byte
		origLength int
		checksum   uint32
	}
	var ps []packed
	total := 12 + 16*n
	for _, t := range tables {
		var z bytes.Buffer
		w, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
		w.Write(t.data)
		if err := w.Close(); err != nil {
			return nil, err
		}
		data := z.Bytes()
		if len(data) >= len(t.data) {
			data = t.data
		}
		ps = append(ps, packed{t.tag, data, len(t.data), checksum(t.data)})
		total += (len(t.data) + 3) &^ 3
	}
	off := 44 + 20*n
	var dir, body bytes.Buffer
	for _, p := range ps {
		rec := make([]byte, 20)
		copy(rec, p.tag)
		binary.BigEndian.PutUint32(rec[4:], uint32(off+body.Len()))
		binary.BigEndian.PutUint32(rec[8:], uint32(len(p.data)))
		binary.BigEndian.PutUint32(rec[12:], uint32(p.origLength))
		binary.BigEndian.PutUint32(rec[16:], p.checksum)
		dir.Write(rec)
		body.Write(p.data)
		for body.Len()%4 != 0 {
			body.WriteByte(0)
		}
	}
	hdr := make([]byte, 44)
	copy(hdr, "wOFF")
	binary.BigEndian.PutUint32(hdr[4:], 0x00010000)
	binary.BigEndian.PutUint32(hdr[8:], uint32(44+dir.Len()+body.Len()))
	binary.BigEndian.PutUint16(hdr[12:], uint16(n))
	binary.BigEndian.PutUint32(hdr[16:], uint32(total))
	binary.BigEndian.PutUint16(hdr[20:], 1) // version 1.0 of the font
	return slices.Concat(hdr, dir.Bytes(), body.Bytes()), nil
}
