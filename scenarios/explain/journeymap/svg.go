package journeymap

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// Colours. Stage headings run from cool (early) to warm (late) in the
// Okabe–Ito palette of journeysim's charts, which colour-blind viewers
// tell apart.
var stageColors = []struct{ fill, ink string }{
	{"#0072b2", "#ffffff"},
	{"#56b4e9", "#10222e"},
	{"#009e73", "#ffffff"},
	{"#f0e442", "#2b2a0a"},
	{"#e69f00", "#2a1d00"},
	{"#d55e00", "#ffffff"},
	{"#cc79a7", "#2a1020"},
	{"#4d4d4d", "#ffffff"},
}

const (
	inkColor    = "#1a1a1a"
	greyColor   = "#555555"
	moveColor   = "#333333"
	backColor   = "#8c8c8c"
	replyColor  = "#8a3f7a"
	buyColor    = "#1e7b34"
	rivalColor  = "#b3261e"
	painColor   = "#c0392b"
	laneFill    = "#f4f6f8"
	laneFillAlt = "#ffffff"
)

// fontFamily is Liberation Sans first, then the fonts with its metrics,
// then any sans-serif.
const fontFamily = `'Liberation Sans', Arial, Helvetica, sans-serif`

// SVG draws the map as a standalone SVG file: no external fonts, images
// or styles. Every text carries its measured width (textLength), so it
// fits its box whatever sans-serif the viewer falls back to.
func (l *Layout) SVG() []byte {
	var b bytes.Buffer
	w := &svgWriter{b: &b}
	w.printf(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	w.printf(`<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" font-family="%s" role="img">`+"\n",
		f1(l.Width), f1(l.Height), f1(l.Width), f1(l.Height), esc(fontFamily))
	w.printf("<title>%s</title>\n", esc(l.Title.Text))
	w.defs()
	w.printf(`<rect x="0" y="0" width="%s" height="%s" fill="#ffffff"/>`+"\n", f1(l.Width), f1(l.Height))
	w.text(l.Title, inkColor, "")
	w.text(l.Subtitle, greyColor, "")
	// Lanes: bands across the map, their names at the left.
	w.printf("<g class=\"lanes\">\n")
	for k, ln := range l.Lanes {
		fill := laneFill
		if k%2 == 1 {
			fill = laneFillAlt
		}
		w.printf(`<rect x="%s" y="%s" width="%s" height="%s" fill="%s" stroke="#d5dbe1" stroke-width="1"/>`+"\n",
			f1(l.Grid.X), f1(ln.Y), f1(l.Grid.W), f1(ln.H), fill)
		if ln.Off {
			w.printf(`<rect x="%s" y="%s" width="%s" height="%s" fill="url(#off)"/>`+"\n",
				f1(l.Grid.X), f1(ln.Y), f1(l.Grid.W), f1(ln.H))
		}
		w.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#d5dbe1" stroke-width="1"/>`+"\n",
			f1(l.Grid.X+l.LaneLabelW), f1(ln.Y), f1(l.Grid.X+l.LaneLabelW), f1(ln.Y+ln.H))
		style := ""
		if ln.Label.Italic {
			style = "italic"
		}
		w.text(ln.Label, inkColor, style)
		if ln.Empty {
			w.text(ln.Note, greyColor, "italic")
		}
		for _, f := range ln.Figures {
			w.text(f, greyColor, "")
		}
	}
	w.printf("</g>\n")
	// Stage headings.
	w.printf("<g class=\"stages\">\n")
	for c, col := range l.Columns {
		sc := stageColors[c%len(stageColors)]
		h := col.Head
		notch := 12.0
		pts := []Point{{h.X, h.Y}, {h.Right() - notch, h.Y}, {h.Right(), h.Y + h.H/2}, {h.Right() - notch, h.Bottom()}, {h.X, h.Bottom()}}
		if c > 0 {
			pts = append(pts, Point{h.X + notch, h.Y + h.H/2})
		}
		var ps []string
		for _, p := range pts {
			ps = append(ps, f1(p.X)+","+f1(p.Y))
		}
		w.printf(`<polygon points="%s" fill="%s"><title>%s</title></polygon>`+"\n", strings.Join(ps, " "), sc.fill, esc("stage "+col.Title.Text))
		w.text(col.Title, sc.ink, "")
		if col.Figure.Text != "" {
			w.text(col.Figure, greyColor, "")
		}
		if col.Drop.Text != "" {
			w.text(col.Drop, painColor, "")
		}
	}
	w.printf("</g>\n")
	// Arrows, then their labels over them, then the boxes.
	w.printf("<g class=\"moves\" fill=\"none\">\n")
	for _, a := range l.Arrows {
		color, marker, dash, width := moveColor, "move", "", "1.6"
		switch {
		case a.Response:
			color, marker, dash = replyColor, "reply", ` stroke-dasharray="6 4"`
		case a.Back:
			color, marker, width = backColor, "back", "1.3"
		}
		w.printf(`<path d="%s" stroke="%s" stroke-width="%s"%s%s marker-end="url(#%s)"><title>%s</title></path>`+"\n",
			pathData(a.Path), color, width, dash, faded(a.Off), marker, esc(l.arrowTitle(a)))
	}
	w.printf("</g>\n")
	w.printf("<g class=\"labels\">\n")
	for _, a := range l.Arrows {
		color := moveColor
		switch {
		case a.Response:
			color = replyColor
		case a.Back:
			color = "#5e5e5e"
		}
		r := a.LabelRect
		w.printf(`<g%s><title>%s</title><rect x="%s" y="%s" width="%s" height="%s" fill="#ffffff" fill-opacity="0.85"/>`+"\n",
			faded(a.Off), esc(l.arrowTitle(a)), f1(r.X-1), f1(r.Y), f1(r.W+2), f1(r.H))
		for _, ln := range a.Label {
			w.text(ln, color, "")
		}
		w.printf("</g>\n")
	}
	w.printf("</g>\n")
	w.printf("<g class=\"touchpoints\">\n")
	for _, bx := range l.Boxes {
		fill, stroke, sw := "#ffffff", "#5f6b76", "1.2"
		switch {
		case bx.Competitor:
			fill, stroke, sw = "#fdecea", rivalColor, "3"
		case bx.Purchase:
			fill, stroke, sw = "#e6f4ea", buyColor, "3"
		}
		if bx.Fill != "" {
			fill = bx.Fill
		}
		extra := ""
		if bx.Pain {
			stroke, sw, extra = painColor, "3", ` stroke-dasharray="7 3"`
		}
		r := bx.Rect
		w.printf(`<g%s><title>%s</title>`+"\n", faded(bx.Off), esc(bx.Tooltip))
		w.printf(`<rect x="%s" y="%s" width="%s" height="%s" rx="6" fill="%s" stroke="%s" stroke-width="%s"%s/>`+"\n",
			f1(r.X), f1(r.Y), f1(r.W), f1(r.H), fill, stroke, sw, extra)
		for _, ln := range bx.Lines {
			color, style := inkColor, ""
			switch ln.Kind {
			case KindDetail, KindFigure:
				color = greyColor
			case KindLoop:
				color, style = greyColor, "italic"
			case KindPurchase:
				color = buyColor
			case KindRival, KindPain:
				color = rivalColor
			}
			if ln.Kind == KindFigure {
				color = inkColor
			}
			w.text(ln, color, style)
		}
		w.printf("</g>\n")
	}
	w.printf("</g>\n")
	w.legend(l)
	for _, n := range l.Notes {
		w.text(n, greyColor, "")
	}
	w.printf("</svg>\n")
	return b.Bytes()
}

// faded is the attribute that fades what a strategy switches off.
func faded(off bool) string {
	if off {
		return ` opacity="0.35"`
	}
	return ""
}

// arrowTitle is an arrow's tooltip: the move in full.
func (l *Layout) arrowTitle(a Arrow) string {
	m := l.model
	s := m.Nodes[a.From].Name + " → " + m.Nodes[a.To].Name
	if a.Response {
		s += ", on a response"
	}
	return s + ": " + a.Full
}

// svgWriter writes SVG.
type svgWriter struct{ b *bytes.Buffer }

func (w *svgWriter) printf(format string, args ...any) { fmt.Fprintf(w.b, format, args...) }

// defs writes the arrowheads and the hatching of a switched-off lane.
func (w *svgWriter) defs() {
	w.printf("<defs>\n")
	for _, m := range []struct{ id, color string }{{"move", moveColor}, {"back", backColor}, {"reply", replyColor}} {
		w.printf(`<marker id="%s" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="%s"/></marker>`+"\n", m.id, m.color)
	}
	w.printf(`<pattern id="off" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="#e9e9e9" fill-opacity="0.6"/><line x1="0" y1="0" x2="0" y2="8" stroke="#bdbdbd" stroke-width="3"/></pattern>` + "\n")
	w.printf("</defs>\n")
}

// text writes one line of text, held to its measured width.
func (w *svgWriter) text(ln Line, color, style string) {
	if ln.Text == "" {
		return
	}
	attrs := ""
	if ln.Bold {
		attrs += ` font-weight="bold"`
	}
	if style == "italic" || ln.Italic {
		attrs += ` font-style="italic"`
	}
	w.printf(`<text x="%s" y="%s" font-size="%s" fill="%s"%s textLength="%s" lengthAdjust="spacingAndGlyphs">%s</text>`+"\n",
		f1(ln.X), f1(ln.Baseline), f1(ln.Size), color, attrs, f1(ln.Width), esc(ln.Text))
}

// legend writes the legend's samples and words.
func (w *svgWriter) legend(l *Layout) {
	w.printf("<g class=\"legend\">\n")
	for _, it := range l.Legend {
		x, y := it.Rect.X, it.Rect.Y+legendSize*0.65
		switch it.Sample {
		case "box", "purchase", "rival", "pain", "scale", "off":
			fill, stroke, sw, dash := "#ffffff", "#5f6b76", "1.2", ""
			switch it.Sample {
			case "purchase":
				fill, stroke, sw = "#e6f4ea", buyColor, "3"
			case "rival":
				fill, stroke, sw = "#fdecea", rivalColor, "3"
			case "pain":
				stroke, sw, dash = painColor, "3", ` stroke-dasharray="7 3"`
			case "off":
				fill = "url(#off)"
			}
			if it.Sample == "scale" {
				for k := range 5 {
					w.printf(`<rect x="%s" y="%s" width="6.8" height="14" fill="%s"/>`+"\n", f1(x+float64(k)*6.8), f1(y-7), satisfactionColor(1+float64(k)))
				}
				break
			}
			w.printf(`<rect x="%s" y="%s" width="34" height="14" rx="3" fill="%s" stroke="%s" stroke-width="%s"%s/>`+"\n", f1(x+1), f1(y-7), fill, stroke, sw, dash)
		case "move", "back", "reply":
			color, dash := moveColor, ""
			switch it.Sample {
			case "back":
				color = backColor
			case "reply":
				color, dash = replyColor, ` stroke-dasharray="6 4"`
			}
			w.printf(`<path d="M%s,%s L%s,%s" stroke="%s" stroke-width="1.6" fill="none"%s marker-end="url(#%s)"/>`+"\n", f1(x), f1(y), f1(x+32), f1(y), color, dash, it.Sample)
		case "loop":
			w.printf(`<text x="%s" y="%s" font-size="%s" font-style="italic" fill="%s">stays</text>`+"\n", f1(x), f1(y+4), f1(legendSize), greyColor)
		}
		w.text(it.Text, inkColor, "")
	}
	w.printf("</g>\n")
}

// pathData writes a path's segments as SVG path data.
func pathData(segs []Segment) string {
	var b strings.Builder
	for k, s := range segs {
		if k == 0 {
			fmt.Fprintf(&b, "M%s,%s", f1(s.P0.X), f1(s.P0.Y))
		}
		fmt.Fprintf(&b, " C%s,%s %s,%s %s,%s", f1(s.C1.X), f1(s.C1.Y), f1(s.C2.X), f1(s.C2.Y), f1(s.P1.X), f1(s.P1.Y))
	}
	return b.String()
}

// f1 writes a coordinate with at most one decimal.
func f1(v float64) string {
	s := strconv.FormatFloat(v, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	if s == "-0" {
		return "0"
	}
	return s
}

// esc escapes text for XML content and attributes.
var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")

func esc(s string) string {
	return escaper.Replace(strings.Map(func(r rune) rune {
		// Characters XML 1.0 does not allow.
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xfffe || r == 0xffff {
			return -1
		}
		return r
	}, s))
}
