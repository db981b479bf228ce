package journeymap

import (
	"strings"
	"sync"
	"unicode/utf8"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/font/liberation"
)

// The map's text is Liberation Sans, the typeface journeysim's charts
// use: metric compatible with Arial, so the measured widths hold where
// either is installed. Each text element also carries its measured width
// (textLength), so a viewer that falls back to a wider sans-serif squeezes
// the text into the box rather than overflowing it.
var (
	fontsOnce sync.Once
	fonts     *font.Cache
)

// face is the Liberation Sans face of size px, bold or not.
func face(size float64, bold bool) font.Face {
	fontsOnce.Do(func() { fonts = font.NewCache(liberation.Collection()) })
	f := font.Font{Typeface: "Liberation", Variant: "Sans", Size: font.Length(size)}
	if bold {
		f.Weight = xfont.WeightBold
	}
	return fonts.Lookup(f, font.Length(size))
}

// TextWidth is the width, in pixels, of s set in Liberation Sans of size
// px, bold or not.
func TextWidth(s string, size float64, bold bool) (w float64) {
	if s == "" {
		return 0
	}
	defer func() {
		// A glyph the font cannot measure: estimate, never fail.
		if recover() != nil {
			w = 0.6 * size * float64(utf8.RuneCountInString(s))
		}
	}()
	fc := face(size, bold)
	return float64(fc.Width(s))
}

// fitText returns s, or as much of it as fits in width pixels followed by
// an ellipsis, and whether it was cut.
func fitText(s string, size float64, bold bool, width float64) (string, bool) {
	if TextWidth(s, size, bold) <= width {
		return s, false
	}
	r := []rune(s)
	lo, hi := 0, len(r)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if TextWidth(strings.TrimRight(string(r[:mid]), " ,;:·")+"…", size, bold) <= width {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return strings.TrimRight(string(r[:lo]), " ,;:·") + "…", true
}
