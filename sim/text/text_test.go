package text

import "testing"

func TestPlural(t *testing.T) {
	for _, c := range []struct{ noun, want string }{
		{"day", "days"}, {"week", "weeks"}, {"category", "categories"}, {"journey", "journeys"},
		{"touch", "touches"}, {"box", "boxes"}, {"bus", "buses"}, {"push", "pushes"},
		{"SMS", "SMS messages"}, {"promo SMS", "promo SMS messages"}, {"y", "ys"}, {"", ""},
	} {
		if got := Plural(c.noun); got != c.want {
			t.Errorf("Plural(%q) = %q, want %q", c.noun, got, c.want)
		}
	}
}

func TestCount(t *testing.T) {
	for _, c := range []struct {
		got, want string
	}{
		{Count(1, "day"), "1 day"}, {Count(0, "day"), "0 days"}, {Count(2, "strategy"), "2 strategies"},
		{Count(12000, "customer"), "12,000 customers"}, {Count(1234567, "tick"), "1,234,567 ticks"},
		{Count(-1500, "point"), "-1,500 points"}, {Count(999, "point"), "999 points"},
		{Noun(1, "day"), "day"}, {Noun(0.5, "day"), "days"}, {Noun(-1, "day"), "days"},
		{Agree(1, "is", "are"), "is"}, {Agree(0, "is", "are"), "are"}, {Agree(3, "its", "their"), "their"},
		{GroupThousands("1000000000000000000000"), "1,000,000,000,000,000,000,000"}, {GroupThousands("100"), "100"},
		{GroupThousands(""), ""},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"", "abc", 3}, {"abc", "", 3}, {"kitten", "sitting", 3}, {"revenue", "revenue", 0},
		{"revenu", "revenue", 1}, {"nsp", "nps", 2}, {"révenue", "revenue", 1}, {"flaw", "lawn", 2},
	} {
		if got := EditDistance(c.a, c.b); got != c.want {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
		if got := EditDistance(c.b, c.a); got != c.want {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", c.b, c.a, got, c.want)
		}
	}
}

func TestTypoEdits(t *testing.T) {
	for name, want := range map[string]int{"": 1, "abc": 1, "abcd": 2, "abcdefgh": 2, "abcdefghi": 3, "ééé": 1, "éééé": 2} {
		if got := TypoEdits(name); got != want {
			t.Errorf("TypoEdits(%q) = %d, want %d", name, got, want)
		}
	}
}

func TestDidYouMean(t *testing.T) {
	keys := []string{"email", "sms", "store", "revenue", "revenue_per_customer"}
	for _, c := range []struct {
		name string
		want string
	}{
		{"emial", `; did you mean "email"?`},
		{"smss", `; did you mean "sms"?`},
		{"revenu", `; did you mean "revenue"?`},
		{"xyz", ""},   // 3 edits from sms, 1 allowed
		{"email", ""}, // the name itself is no suggestion
		{"revenue_per_custmer", `; did you mean "revenue_per_customer"?`},
		{"stoer", `; did you mean "store"?`},      // two substitutions, within 2
		{"storefront", `; did you mean "store"?`}, // one candidate it begins with
		{"revenue_per", ""},                       // two candidates share the prefix
	} {
		if got := DidYouMean(c.name, keys); got != c.want {
			t.Errorf("DidYouMean(%q) = %q, want %q", c.name, got, c.want)
		}
	}
	// A tie goes to the first candidate.
	if got := Suggest("ab", []string{"xb", "ax"}, 1); got != "xb" {
		t.Errorf("Suggest on a tie = %q, want the first, xb", got)
	}
	if got := DidYouMeanWithin("xyz", keys, 3); got != `; did you mean "sms"?` {
		t.Errorf("DidYouMeanWithin 3 edits = %q", got)
	}
	if got := DidYouMeanWithin("revenue_per_cust", keys, 3); got != "" {
		t.Errorf("DidYouMeanWithin: 4 edits away within 3: %q", got)
	}
}

func TestListAndCapitalize(t *testing.T) {
	for _, tc := range []struct {
		words []string
		want  string
	}{
		{nil, ""},
		{[]string{"a"}, "a"},
		{[]string{"a", "b"}, "a or b"},
		{[]string{"a", "b", "c"}, "a, b or c"},
	} {
		if got := List(tc.words, "or"); got != tc.want {
			t.Errorf("List(%q) = %q, want %q", tc.words, got, tc.want)
		}
	}
	for in, want := range map[string]string{"": "", "churn": "Churn", "élan": "Élan", "NPS": "NPS"} {
		if got := Capitalize(in); got != want {
			t.Errorf("Capitalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWrap(t *testing.T) {
	got := Wrap("one two three `four five six` seven", 14, "- ", "  ")
	want := "- one two\n  three\n  `four five six`\n  seven\n"
	if got != want {
		t.Errorf("Wrap = %q, want %q", got, want)
	}
}

func TestExcerpt(t *testing.T) {
	for in, want := range map[string]string{
		"rate":                       "rate",
		"a\x00b":                     `"a\x00b"`,
		"PATH=/usr/bin:/bin HOME=/r": `"PATH=/usr/bin:/bin H"…`,
		"mo\u202ere":                 `"mo\u202ere"`,
	} {
		if got := Excerpt(in, 20); got != want {
			t.Errorf("Excerpt(%q, 20) = %s, want %s", in, got, want)
		}
	}
}

func TestSpoken(t *testing.T) {
	for in, want := range map[string]string{"front_desk": "front desk", "pre_arrival": "pre arrival", "web": "web", "": ""} {
		if got := Spoken(in); got != want {
			t.Errorf("Spoken(%q) = %q, want %q", in, got, want)
		}
	}
}
