package explain

import (
	"strings"
	"testing"

	"github.com/journeysim/journeysim/sim/text"
)

var days = &Translator{Tick: "day", Currency: "USD"}

func TestCondition(t *testing.T) {
	cases := []struct {
		source, want string
	}{
		// The example of the issue.
		{"since_purchase > 30 && loyalty < 0.5", "the customer has not bought for more than 30 days and loyalty is below 0.5"},
		// Comparisons, either way round, and negated.
		{"loyalty > 0.5", "loyalty is above 0.5"},
		{"loyalty >= 0.5", "loyalty is at least 0.5"},
		{"loyalty <= 0.5", "loyalty is at most 0.5"},
		{"loyalty == 0.5", "loyalty is 0.5"},
		{"loyalty != 0.5", "loyalty is not 0.5"},
		{"0.5 > loyalty", "loyalty is below 0.5"},
		{"!(loyalty < 0.5)", "loyalty is at least 0.5"},
		{"not (loyalty > 0.5)", "loyalty is at most 0.5"},
		{"fatigue.email > tolerance", "e-mail fatigue is above tolerance"},
		{"affinity.web >= 0.6", "web affinity is at least 0.6"},
		{"price_sensitivity < 0.3", "price sensitivity is below 0.3"},
		{`fatigue["web-shop"] > 2`, "web shop fatigue is above 2"},
		// Logic: and, or, not, De Morgan, nesting.
		{"cart and loyalty > 0.5", "the customer has an open cart and loyalty is above 0.5"},
		{"cart || event.purchase", "the customer has an open cart or bought yesterday"},
		{"!(cart && event.cart)", "the customer has no open cart or did not open a cart yesterday"},
		{"(loyalty > 0.5 || cart) && purchases == 0", "either loyalty is above 0.5 or the customer has an open cart, and the customer has never bought"},
		{"loyalty > 0.9 || (cart && purchases > 2)", "loyalty is above 0.9, or both the customer has an open cart and has made more than 2 purchases"},
		{"a > 1 && b > 2 && c > 3", "a is above 1, b is above 2 and c is above 3"},
		// The model's variables.
		{"since_purchase >= 14", "the customer has not bought for 14 days or more"},
		{"since_purchase < 7", "the customer bought less than 7 days ago"},
		{"since_purchase <= 1", "the customer bought at most 1 day ago"},
		{"purchases == 0", "the customer has never bought"},
		{"purchases >= 1", "the customer has bought before"},
		{"purchases < 3", "the customer has made fewer than 3 purchases"},
		{"purchases == 1", "the customer has made exactly 1 purchase"},
		{"revenue > 100", "what the customer has paid so far is above 100 USD"},
		{"discount > 0", "the discount on offer is above 0"},
		{"adopters >= 0.5", "at least 50% of customers had bought by yesterday"},
		{"satisfaction <= 2", "the last satisfaction score (CSAT) is at most 2"},
		{"effort > 5", "the last effort score (CES) is above 5"},
		{"cart", "the customer has an open cart"},
		{"!cart", "the customer has no open cart"},
		{"cart == false", "the customer has no open cart"},
		{`stage == "dormant"`, "the customer is in the dormant stage"},
		{`"dormant" != stage`, "the customer is not in the dormant stage"},
		{`stage in ["cart", "checkout"]`, "the customer is in the cart or checkout stage"},
		{`stage not in ["cart", "checkout"]`, "the customer is not in the cart or checkout stage"},
		{`node == "post_stay"`, "the customer is at post_stay"},
		{`channel == "web"`, "the customer is on web"},
		{`channel == ""`, "the customer is at a touchpoint without a channel"},
		{`persona == "fans"`, "the customer belongs to the fans persona"},
		{`persona != "fans" && cart`, "the customer does not belong to the fans persona and has an open cart"},
		{`region == "north"`, "region is north"},
		{`region in ["north", "south"]`, "region is north or south"},
		{`contacts("email", 7) < 2`, "the customer has had fewer than 2 e-mails in the last 7 days"},
		{`contacts("sms", 14) == 0`, "the customer has had no SMS messages in the last 14 days"},
		{`contacts("push", 1) >= 1`, "the customer has had at least one push notification in the last day"},
		{"contacts_all(7) <= 3", "the customer has had at most 3 contacts in the last 7 days on all channels together"},
		{"event.purchase", "the customer bought yesterday"},
		{"!event.response", "the customer did not respond to a message yesterday"},
		{"event.complaint", "the customer complained yesterday (rated an interaction 2 or less)"},
		{"event.leak", "the customer was lost at a channel switch or bought from a competitor yesterday"},
		{"consent.email && !opted_out.email", "the customer consented to e-mail and has not opted out of e-mail"},
		// Time: the run and the week.
		{"tick >= 30", "at least 30 days have passed since the start"},
		{"tick < 30", "it is within the first 30 days of the run"},
		{"tick > 1", "more than 1 day has passed since the start"},
		{"tick % 7 == 0", "it is the 1st day of each week"},
		{"tick % 7 == 6", "it is the 7th day of each week"},
		{"tick % 7 != 6", "it is not the 7th day of each week"},
		{"tick % 7 < 5", "it is one of the first 5 days of each week"},
		{"tick % 7 >= 5", "it is one of the last 2 days of each week"},
		{"tick % 7 > 1 && tick % 7 < 4", "it is one of the last 5 days of each week and it is one of the first 4 days of each week"},
		{"tick % 7 < 9", "always"},
		{"tick % 7 == 0 || tick % 7 == 3", "it is the 1st or 4th day of each week"},
		{"tick % 7 == 0 || tick % 7 == 2 || tick % 7 == 4", "it is the 1st, 3rd or 5th day of each week"},
		{"!(tick % 7 == 0 || tick % 7 == 3)", "it is not the 1st or 4th day of each week"},
		{"tick % 10 == 0", "it is the 1st day of each 10-day cycle"},
		// Constants and ternaries.
		{"true", "always"},
		{"false", "never"},
		{"cart ? loyalty > 0.5 : loyalty > 0.8", "(loyalty is above 0.5 if the customer has an open cart, otherwise loyalty is above 0.8)"},
		// Arithmetic inside a comparison.
		{"0.5 * loyalty + 0.1 > fatigue.email / tolerance", "0.5 × loyalty + 0.1 is above e-mail fatigue ÷ tolerance"},
		// What the translator does not know, it quotes.
		{`upper(persona) == "X" && loyalty > 0.5`, "`upper(persona)` is \"X\" and loyalty is above 0.5"},
		{`persona matches "^f"`, "`persona matches \"^f\"`"},
		{`!(persona startsWith "f")`, "`persona startsWith \"f\"` does not hold"},
		{"let x = 1; x > 0", "`let x = 1; x > 0`"},
		{"loyalty >", "`loyalty >`"},
		{"", "``"},
	}
	for _, tc := range cases {
		if got := days.Condition(tc.source); got != tc.want {
			t.Errorf("Condition(%q)\n got %q\nwant %q", tc.source, got, tc.want)
		}
	}
}

func TestProbabilityAndNumber(t *testing.T) {
	cases := []struct {
		source, probability, number string
	}{
		{"0.3", "30%", "0.3"},
		{"1", "100%", "1"},
		{"0", "0%", "0"},
		{"1 / 21", "4.8% (1 in 21)", "1 ÷ 21"},
		{"0.0003", "0.03%", "0.0003"},
		{"0.1 * 0.5", "5%", "0.1 × 0.5"},
		{"cart ? 0.6 : 0.25", "60% if the customer has an open cart, otherwise 25%", "0.6 if the customer has an open cart, otherwise 0.25"},
		{"(cart ? 0.6 : 0.25) * (1 - 0.3 * price_sensitivity)",
			"(0.6 if the customer has an open cart, otherwise 0.25) × (1 − 0.3 × price sensitivity)",
			"(0.6 if the customer has an open cart, otherwise 0.25) × (1 − 0.3 × price sensitivity)"},
		{`node == "review" ? (loyalty >= 0.8 ? 0.15 : 0) : 0`,
			"if the customer is at review: 15% if loyalty is at least 0.8, otherwise 0%; otherwise 0%",
			"(0.15 if loyalty is at least 0.8, otherwise 0) if the customer is at review, otherwise 0"},
		{"0.002 + 0.01 * max(0, fatigue.email - tolerance)",
			"0.002 + 0.01 × the larger of 0 and (e-mail fatigue − tolerance)",
			"0.002 + 0.01 × the larger of 0 and (e-mail fatigue − tolerance)"},
		{"max(0, loyalty - 0.5) * 2", "(the larger of 0 and (loyalty − 0.5)) × 2", "(the larger of 0 and (loyalty − 0.5)) × 2"},
		{"min(a, b, c)", "the smallest of a, b and c", "the smallest of a, b and c"},
		{"clamp(direct_pref + 0.4 * loyalty, 0, 1)", "(direct pref + 0.4 × loyalty, kept between 0 and 1)", "(direct pref + 0.4 × loyalty, kept between 0 and 1)"},
		{"0.002 * (1 - loyalty) ** 2", "0.002 × (1 − loyalty)²", "0.002 × (1 − loyalty)²"},
		{"loyalty ^ 0.5", "loyalty^0.5", "loyalty^0.5"},
		{"a - (b - c)", "a − (b − c)", "a − (b − c)"},
		{"a - b - c", "a − b − c", "a − b − c"},
		{"a / (b * c)", "a ÷ (b × c)", "a ÷ (b × c)"},
		{"-(a + b)", "−(a + b)", "−(a + b)"},
		{"tick % 7", "time since the start mod 7", "time since the start mod 7"},
		{"exp(-fatigue.email / tolerance)", "e^(−e-mail fatigue ÷ tolerance)", "e^(−e-mail fatigue ÷ tolerance)"},
		{"sqrt(trips) + log(2) + abs(x) + floor(y) + ceil(z) + round(w)",
			"(the square root of trips) + (the logarithm of 2) + |x| + (y, rounded down) + (z, rounded up) + (w, rounded)",
			"(the square root of trips) + (the logarithm of 2) + |x| + (y, rounded down) + (z, rounded up) + (w, rounded)"},
		{"2 * sqrt(x) - 1", "2 × (the square root of x) − 1", "2 × (the square root of x) − 1"},
		{"1 - sqrt(x)", "1 − the square root of x", "1 − the square root of x"},
		{`contacts("email", 7) * 0.1`, "e-mails in the last 7 days × 0.1", "e-mails in the last 7 days × 0.1"},
		{"since_purchase / 30", "time since the last purchase ÷ 30", "time since the last purchase ÷ 30"},
		{"0.01 + 0.3 * adopters", "0.01 + 0.3 × the share of customers who have bought", "0.01 + 0.3 × the share of customers who have bought"},
		{"len(persona) * 0.1", "`len(persona)` × 0.1", "`len(persona)` × 0.1"},
		{"0.1 +", "`0.1 +`", "`0.1 +`"},
	}
	for _, tc := range cases {
		if got := days.Probability(tc.source); got != tc.probability {
			t.Errorf("Probability(%q)\n got %q\nwant %q", tc.source, got, tc.probability)
		}
		if got := days.Number(tc.source); got != tc.number {
			t.Errorf("Number(%q)\n got %q\nwant %q", tc.source, got, tc.number)
		}
	}
}

// TestTickUnits checks that time is spoken of in the scenario's tick.
func TestTickUnits(t *testing.T) {
	cases := []struct {
		tick, source, want string
	}{
		{"hour", "since_purchase > 48", "the customer has not bought for more than 48 hours"},
		{"hour", "tick % 24 < 8", "it is one of the first 8 hours of each day"},
		{"hour", "event.purchase", "the customer bought in the previous hour"},
		{"hour", "adopters < 0.1", "less than 10% of customers had bought by the previous hour"},
		{"week", "tick % 52 == 51", "it is the 52nd week of each year"},
		{"week", `contacts("email", 4) > 1`, "the customer has had more than 1 e-mail in the last 4 weeks"},
		{"day", `contacts("email", 1) > 0`, "the customer has had at least one e-mail in the last day"},
		{"day", `contacts("email", 7) < 1`, "the customer has had no e-mails in the last 7 days"},
		{"month", "tick >= 12", "at least 12 months have passed since the start"},
		{"", "tick % 7 == 0", "it is the 1st tick of each 7-tick cycle"},
		{"", "since_purchase > 1", "the customer has not bought for more than 1 tick"},
	}
	for _, tc := range cases {
		tr := &Translator{Tick: tc.tick}
		if got := tr.Condition(tc.source); got != tc.want {
			t.Errorf("tick %q: Condition(%q)\n got %q\nwant %q", tc.tick, tc.source, got, tc.want)
		}
	}
	var zero *Translator
	if got := zero.Condition("since_purchase > 2"); got != "the customer has not bought for more than 2 ticks" {
		t.Errorf("nil Translator: %q", got)
	}
}

func TestPhraseGuessesTheKind(t *testing.T) {
	if got := days.Phrase("cart && loyalty > 0.5"); got != "the customer has an open cart and loyalty is above 0.5" {
		t.Errorf("condition: %q", got)
	}
	if got := days.Phrase("0.1 * loyalty"); got != "0.1 × loyalty" {
		t.Errorf("number: %q", got)
	}
}

func TestDeepExpressionsAreQuoted(t *testing.T) {
	deep := strings.Repeat("(", 200) + "loyalty" + strings.Repeat(" + 1)", 200) + " > 0"
	got := days.Condition(deep)
	if !strings.Contains(got, "`") {
		t.Errorf("a very deep expression should be quoted in part, got %.80q…", got)
	}
}

func TestWords(t *testing.T) {
	for _, c := range []struct {
		got, want string
	}{
		{pct(0.3), "30%"}, {pct(1.0 / 21), "4.8%"}, {pct(0.125), "12.5%"}, {pct(0.0003), "0.03%"}, {pct(1.0 / 3), "33%"},
		{num(0.1 + 0.2), "0.3"}, {num(-2), "−2"}, {num(1e21), "1,000,000,000,000,000,000,000"},
		{about(389.6), "390"}, {about(3.714), "3.7"}, {about(0.5714), "0.57"}, {about(1400), "1,400"},
		{count(15000), "15,000"}, {count(999), "999"},
		{ordinal(1), "1st"}, {ordinal(2), "2nd"}, {ordinal(3), "3rd"}, {ordinal(11), "11th"}, {ordinal(22), "22nd"},
		{counted(1, "day"), "1 day"}, {counted(2, "day"), "2 days"}, {counted(2, "category"), "2 categories"},
		{article("e-mail"), "an"}, {article("hour"), "an"}, {article("house"), "a"}, {article("SMS"), "an"}, {article("push notification"), "a"},
		{messages(2, "email"), "2 e-mails"}, {messages(1, "app"), "1 app message"},
		{messages(2, "ads_light"), "2 ads on ads_light"}, {messages(1, "kiosk"), "1 message on kiosk"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	got := text.Wrap("one two `three four five` six", 12, "- ", "  ")
	if want := "- one two\n  `three four five`\n  six\n"; got != want {
		t.Errorf("wrap:\n%s\nwant\n%s", got, want)
	}
}
