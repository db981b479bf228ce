package explain

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/journeysim/journeysim/sim/text"
)

// num writes a number as a person would read it: no exponent, no float
// noise (0.1 + 0.2 is "0.3"), at most six significant digits.
func num(v float64) string {
	switch {
	case math.IsNaN(v):
		return "not a number"
	case math.IsInf(v, 1):
		return "infinity"
	case math.IsInf(v, -1):
		return "minus infinity"
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 6, 64), 64)
	if err != nil {
		r = v
	}
	s := strconv.FormatFloat(r, 'f', -1, 64)
	if s == "-0" {
		s = "0"
	}
	return strings.Replace(grouped(s), "-", "−", 1)
}

// grouped writes a decimal number's whole part in groups of three digits:
// 1095 is "1,095", -12500.5 is "-12,500.5".
func grouped(s string) string {
	sign, whole, frac := "", s, ""
	if strings.HasPrefix(whole, "-") {
		sign, whole = "-", whole[1:]
	}
	if i := strings.IndexAny(whole, ".e"); i >= 0 {
		whole, frac = whole[:i], whole[i:]
	}
	if len(whole) <= 3 || strings.Trim(whole, "0123456789") != "" {
		return s
	}
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return sign + b.String() + frac
}

// about writes an estimate with two or three significant figures: 389.6
// is "390", 3.71 is "3.7", 0.5714 is "0.57".
func about(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) || v == 0 {
		return num(v)
	}
	digits := 2
	if math.Abs(v) >= 100 {
		digits = 3
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', digits, 64), 64)
	if math.Abs(r) >= 1000 {
		return count(int(math.Round(r)))
	}
	return num(r)
}

// pct writes a share as a percentage: 0.3 is "30%", 1/21 is "4.8%", 0.125
// is "12.5%", 0.0003 is "0.03%".
func pct(p float64) string {
	if math.IsNaN(p) || math.IsInf(p, 0) {
		return num(p)
	}
	v := p * 100
	if v == 0 {
		return "0%"
	}
	three, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 3, 64), 64)
	if math.Abs(three-v) <= 1e-9*math.Abs(v) {
		return num(three) + "%"
	}
	two, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 2, 64), 64)
	return num(two) + "%"
}

// count writes a whole number with thousands separators: 15,000.
func count(n int) string {
	digits, neg := strings.CutPrefix(strconv.Itoa(n), "-")
	if neg {
		return "−" + text.GroupThousands(digits)
	}
	return text.GroupThousands(digits)
}

// money writes an amount with its currency: "0.01 USD".
func money(v float64, currency string) string {
	s := num(v)
	if math.Abs(v) >= 1000 && v == math.Trunc(v) && math.Abs(v) < 1e15 {
		s = count(int(v))
	}
	if currency == "" {
		return s
	}
	return s + " " + currency
}

// counted writes n and noun, with the noun in the plural unless n is 1:
// "1 day", "7 days", "0.5 days".
func counted(n float64, noun string) string {
	return num(n) + " " + text.Noun(n, noun)
}

// ordinal writes 1st, 2nd, 3rd, 4th, 11th, 21st, ...
func ordinal(n int) string {
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return strconv.Itoa(n) + suffix
}

// article returns "a" or "an" for the noun phrase that follows it.
func article(phrase string) string {
	r, _ := utf8.DecodeRuneInString(phrase)
	if strings.ContainsRune("aeiouAEIOU", r) {
		return "an"
	}
	for _, silent := range []string{"hour", "honest", "honour", "heir"} {
		if strings.HasPrefix(strings.ToLower(phrase), silent) {
			return "an"
		}
	}
	// An acronym whose first letter is spoken with a vowel: "an SMS".
	word, _, _ := strings.Cut(phrase, " ")
	if len(word) > 1 && strings.ToUpper(word) == word && strings.ContainsRune("FHLMNRSX", r) {
		return "an"
	}
	return "a"
}

// pretty turns a name from a scenario file into words: price_sensitivity
// is "price sensitivity". A name with no letters or digits stays as it is.
func pretty(name string) string {
	words := strings.Fields(strings.NewReplacer("_", " ", "-", " ").Replace(name))
	if len(words) == 0 {
		return name
	}
	return strings.Join(words, " ")
}

// channelWords are the words for the channels people know by another name.
var channelWords = map[string][3]string{
	// name: {the channel in a phrase, one message, its plural}
	"email":      {"e-mail", "e-mail", "e-mails"},
	"e-mail":     {"e-mail", "e-mail", "e-mails"},
	"mail":       {"e-mail", "e-mail", "e-mails"},
	"newsletter": {"the newsletter", "newsletter", "newsletters"},
	"sms":        {"SMS", "SMS", "SMS messages"},
	"text":       {"text messages", "text message", "text messages"},
	"push":       {"push", "push notification", "push notifications"},
	"ads":        {"ads", "ad", "ads"},
	"ad":         {"ads", "ad", "ads"},
	"display":    {"display ads", "display ad", "display ads"},
	"social":     {"social media", "social post", "social posts"},
	"phone":      {"the phone", "phone call", "phone calls"},
	"call":       {"the phone", "phone call", "phone calls"},
	"calls":      {"the phone", "phone call", "phone calls"},
	"letter":     {"letters", "letter", "letters"},
	"post":       {"post", "letter", "letters"},
	"whatsapp":   {"WhatsApp", "WhatsApp message", "WhatsApp messages"},
	"app":        {"the app", "app message", "app messages"},
}

// channelName is how a channel is named in a phrase: "e-mail", "SMS",
// "front desk".
func channelName(name string) string {
	if w, ok := channelWords[strings.ToLower(name)]; ok {
		return w[0]
	}
	return pretty(name)
}

// message is one message sent on a channel, and its plural: "e-mail",
// "e-mails" for email; "ad on ads_light", "ads on ads_light" for a channel
// whose name starts with a known word; "message on kiosk", "messages on
// kiosk" for any other.
func message(name string) (one, many string) {
	if w, ok := channelWords[strings.ToLower(name)]; ok {
		return w[1], w[2]
	}
	first, _, _ := strings.Cut(strings.ReplaceAll(strings.ToLower(name), "-", "_"), "_")
	if w, ok := channelWords[first]; ok {
		return w[1] + " on " + name, w[2] + " on " + name
	}
	return "message on " + name, "messages on " + name
}

// messages writes n messages on a channel: "2 e-mails", "1 e-mail".
func messages(n float64, channel string) string {
	one, many := message(channel)
	if n == 1 {
		return "1 " + one
	}
	return num(n) + " " + many
}

// sentence makes s a sentence: capitalized, ending with a full stop.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "?") && !strings.HasSuffix(s, "!") {
		s += "."
	}
	return text.Capitalize(s)
}

// quote puts code in backticks, as the words do for what they cannot say.
func quote(code string) string {
	code = strings.Join(strings.Fields(code), " ")
	return "`" + strings.ReplaceAll(code, "`", "'") + "`"
}

// ticks names n ticks: "7 days", "1 hour".
func (t *Translator) ticks(n float64) string {
	return counted(n, t.tick())
}

// span names a stretch of n ticks after "in the last": "day" for one,
// "4 days" for more.
func (t *Translator) span(n float64) string {
	if n == 1 {
		return t.tick()
	}
	return t.ticks(n)
}

// every names a recurring span of n ticks: "every week", "every 5 days".
func (t *Translator) every(n float64) string {
	if n == 1 {
		return "every " + t.tick()
	}
	return "every " + t.ticks(n)
}

// fmtInt is strconv.Itoa for messages.
func fmtInt(n int) string { return fmt.Sprint(n) }
