package charts

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"math"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
)

// placedText is a piece of text as it lands on the canvas.
type placedText struct {
	text string
	face font.Face
	// width is the text's width in its font, before any rotation.
	width vg.Length
	// block numbers the texts drawn: the lines of one multi-line text
	// share it.
	block int
	// local is where the text was drawn before the canvas's transform,
	// m the transform.
	local vg.Point
	m     affine
	// corners are the corners of the text's box (from the baseline's
	// start, its width wide, from its font's descent below the baseline
	// to its ascent above), on the canvas: bottom left, bottom right,
	// top right, top left.
	corners [4]vg.Point
}

// bounds is the smallest upright rectangle holding the text's box.
func (t placedText) bounds() vg.Rectangle {
	r := vg.Rectangle{Min: t.corners[0], Max: t.corners[0]}
	for _, p := range t.corners[1:] {
		r.Min.X, r.Min.Y = min(r.Min.X, p.X), min(r.Min.Y, p.Y)
		r.Max.X, r.Max.Y = max(r.Max.X, p.X), max(r.Max.Y, p.Y)
	}
	return r
}

// affine is a transform of the plane: (x, y) goes to (a x + c y + e,
// b x + d y + f).
type affine struct{ a, b, c, d, e, f float64 }

var identity = affine{a: 1, d: 1}

// then is the transform that applies o first and m after it, as a
// canvas's Rotate, Translate and Scale do to what is drawn next.
func (m affine) then(o affine) affine {
	return affine{
		a: m.a*o.a + m.c*o.b, b: m.b*o.a + m.d*o.b,
		c: m.a*o.c + m.c*o.d, d: m.b*o.c + m.d*o.d,
		e: m.a*o.e + m.c*o.f + m.e, f: m.b*o.e + m.d*o.f + m.f,
	}
}

func (m affine) apply(p vg.Point) vg.Point {
	x, y := float64(p.X), float64(p.Y)
	return vg.Point{X: vg.Length(m.a*x + m.c*y + m.e), Y: vg.Length(m.b*x + m.d*y + m.f)}
}

// textRecorder passes everything drawn on to its canvas, and records
// where each piece of text lands (with the canvas's rotations and
// translations applied), in the order drawn.
type textRecorder struct {
	vg.CanvasSizer
	m     affine
	stack []affine
	texts []placedText
}

func newTextRecorder(c vg.CanvasSizer) *textRecorder {
	return &textRecorder{CanvasSizer: c, m: identity}
}

// Rotate implements vg.Canvas.
func (r *textRecorder) Rotate(rad float64) {
	sin, cos := math.Sincos(rad)
	r.m = r.m.then(affine{a: cos, b: sin, c: -sin, d: cos})
	r.CanvasSizer.Rotate(rad)
}

// Translate implements vg.Canvas.
func (r *textRecorder) Translate(pt vg.Point) {
	r.m = r.m.then(affine{a: 1, d: 1, e: float64(pt.X), f: float64(pt.Y)})
	r.CanvasSizer.Translate(pt)
}

// Scale implements vg.Canvas.
func (r *textRecorder) Scale(x, y float64) {
	r.m = r.m.then(affine{a: x, d: y})
	r.CanvasSizer.Scale(x, y)
}

// Push implements vg.Canvas.
func (r *textRecorder) Push() {
	r.stack = append(r.stack, r.m)
	r.CanvasSizer.Push()
}

// Pop implements vg.Canvas.
func (r *textRecorder) Pop() {
	if n := len(r.stack); n > 0 {
		r.m, r.stack = r.stack[n-1], r.stack[:n-1]
	}
	r.CanvasSizer.Pop()
}

// FillString implements vg.Canvas.
func (r *textRecorder) FillString(f font.Face, pt vg.Point, text string) {
	w := f.Width(text)
	ext := f.Extents()
	lo, hi := pt.Y-ext.Descent, pt.Y+ext.Ascent
	// A multi-line text comes as one line after another, a font size
	// apart, in the same font and place.
	block := len(r.texts)
	if n := len(r.texts); n > 0 {
		prev := r.texts[n-1]
		if prev.face.Font == f.Font && prev.m == r.m && math.Abs(float64(prev.local.Y-pt.Y-f.Font.Size)) < 0.01 {
			block = prev.block
		}
	}
	r.texts = append(r.texts, placedText{text: text, face: f, width: w, block: block, local: pt, m: r.m, corners: [4]vg.Point{
		r.m.apply(vg.Point{X: pt.X, Y: lo}), r.m.apply(vg.Point{X: pt.X + w, Y: lo}),
		r.m.apply(vg.Point{X: pt.X + w, Y: hi}), r.m.apply(vg.Point{X: pt.X, Y: hi}),
	}})
	r.CanvasSizer.FillString(f, pt, text)
}

// fixTextLengths gives each text element of svg, drawn in the order of
// texts, the width it was measured at (textLength, squeezing or
// stretching letters and spaces to it), so that a viewer that has not
// the chart's font, and draws its text in a wider one, keeps every text
// where it was laid out: nothing runs off the canvas or into its
// neighbours. svg is returned as it is if its text elements and texts
// do not pair up.
func fixTextLengths(svg []byte, texts []placedText) []byte {
	open := []byte("<text ")
	parts := bytes.Split(svg, open)
	if len(parts)-1 != len(texts) {
		return svg
	}
	var out bytes.Buffer
	out.Grow(len(svg) + 48*len(texts))
	out.Write(parts[0])
	for k, p := range parts[1:] {
		out.Write(open)
		fmt.Fprintf(&out, `textLength="%.2f" lengthAdjust="spacingAndGlyphs" `, texts[k].width.Points())
		out.Write(p)
	}
	return out.Bytes()
}

// nullCanvas is a canvas of a size that draws nothing: on a text
// recorder, it tries a layout.
type nullCanvas struct{ w, h vg.Length }

// SetLineWidth implements vg.Canvas: it does nothing.
func (nullCanvas) SetLineWidth(vg.Length) {}

// SetLineDash implements vg.Canvas: it does nothing.
func (nullCanvas) SetLineDash([]vg.Length, vg.Length) {}

// SetColor implements vg.Canvas: it does nothing.
func (nullCanvas) SetColor(color.Color) {}

// Rotate implements vg.Canvas: it does nothing.
func (nullCanvas) Rotate(float64) {}

// Translate implements vg.Canvas: it does nothing.
func (nullCanvas) Translate(vg.Point) {}

// Scale implements vg.Canvas: it does nothing.
func (nullCanvas) Scale(float64, float64) {}

// Push implements vg.Canvas: it does nothing.
func (nullCanvas) Push() {}

// Pop implements vg.Canvas: it does nothing.
func (nullCanvas) Pop() {}

// Stroke implements vg.Canvas: it does nothing.
func (nullCanvas) Stroke(vg.Path) {}

// Fill implements vg.Canvas: it does nothing.
func (nullCanvas) Fill(vg.Path) {}

// FillString implements vg.Canvas: it does nothing.
func (nullCanvas) FillString(font.Face, vg.Point, string) {}

// DrawImage implements vg.Canvas: it does nothing.
func (nullCanvas) DrawImage(vg.Rectangle, image.Image) {}

// Size implements vg.CanvasSizer.
func (n nullCanvas) Size() (vg.Length, vg.Length) { return n.w, n.h }
