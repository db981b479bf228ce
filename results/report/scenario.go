package report

import "strings"

// Scenario is what a report says about the scenario of its result folder.
// The report does not read scenario files: its caller, who can, puts the
// scenario into words and hands them over (see Describe).
type Scenario struct {
	// Name is the scenario's name; the explanation's section that only
	// repeats it (and its description) is left out, as the page's title
	// says it.
	Name string
	// Lesson is what the scenario teaches, the page's headline; nil for
	// none.
	Lesson *Lesson
	// Currency names the unit of money; "" is DefaultCurrency.
	Currency string
	// Explanation is the scenario in plain words, in the text layout of
	// journeysim explain: a heading at the margin, then paragraphs and
	// "- " items indented under it.
	Explanation string
	// Strategies counts the scenario's strategies, and Left names those a
	// sweep did not run (see SweepRun); both are zero for a run's folder.
	Strategies int
	Left       []string
	// Applied says whether the explanation has a sweep's fixed settings
	// in it.
	Applied bool
}

// Lesson is what a scenario teaches: the question to ask the class, what
// to vary, and the outcome to expect.
type Lesson struct {
	Title, Question, Vary, Expect string
}

// Setting is a field of the scenario, by its path, and its value as text.
type Setting struct {
	Path, Value string
}

// SweepRun is how a sweep ran its scenario, which is what the report of a
// sweep explains: with the settings the sweep held fixed, the sweep's
// replications and seed, and only the strategies it ran.
type SweepRun struct {
	Fixed        []Setting
	Replications int
	// Seed is the sweep's master seed, as its manifest writes it.
	Seed       string
	Strategies []string
}

// Describe puts the scenario of the result folder dir into words: name is
// the scenario file in the folder (for messages), src its text, and run,
// for a sweep's folder, how the sweep ran it (nil for a run's). Its errors
// are reported as they are, so they should name dir.
type Describe func(dir, name string, src []byte, run *SweepRun) (Scenario, error)

// DefaultCurrency is the currency of a scenario that names none.
const DefaultCurrency = "EUR"

// info turns what the caller said about the scenario into what the page
// shows.
func (sc Scenario) info() scenarioInfo {
	info := scenarioInfo{Currency: sc.Currency}
	if info.Currency == "" {
		info.Currency = DefaultCurrency
	}
	if l := sc.Lesson; l != nil {
		info.Lesson = newLesson(l.Title, l.Question, l.Vary, l.Expect)
	}
	for i, s := range sections(sc.Explanation) {
		switch {
		case i == 0 && s.Heading == "Scenario "+sc.Name:
			// The page's title and description say this already.
		case info.Lesson != nil && strings.HasPrefix(s.Heading, "The lesson"):
			// The page's headline.
		default:
			info.Explanation = append(info.Explanation, s)
		}
	}
	return info
}
