package scenarios_test

import (
	"errors"
	"fmt"

	"github.com/journeysim/journeysim/scenarios"
)

// Open loads a built-in scenario by name, or a scenario file by its path.
// The model is what the engine runs; the lesson, checks and currency stay
// beside it.
func ExampleOpen() {
	sc, err := scenarios.Open("email-pressure")
	if err != nil {
		fmt.Println(err)
		return
	}
	m := sc.Model
	fmt.Println(m.Name, "from", sc.Source.Origin)
	fmt.Println(m.Population.Size, "customers over", m.Horizon, m.TickLabel+"s, amounts in", sc.Currency)
	fmt.Println(len(m.Strategies), "strategies, from", m.Strategies[0].Name, "to", m.Strategies[len(m.Strategies)-1].Name)
	fmt.Println("lesson:", sc.Lesson.Title)
	// Output:
	// email-pressure from builtin:email-pressure
	// 20000 customers over 180 days, amounts in EUR
	// 7 strategies, from email_1pw to email_7pw
	// lesson: Contact pressure and fatigue
}

// With changes fields by their path in the scenario, as --set does, and
// loads the scenario again: every value is checked as in a file.
func ExampleScenario_With() {
	sc, err := scenarios.Open("email-pressure")
	if err != nil {
		fmt.Println(err)
		return
	}
	smaller, err := sc.With([]scenarios.Override{
		{Path: "population.size", Value: scenarios.NumberValue(2000)},
		{Path: "strategies.email_7pw.discount", Value: scenarios.NumberValue(0.1)},
	}, scenarios.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	st := smaller.Model.Strategies[smaller.Model.StrategyIndex("email_7pw")]
	fmt.Println(smaller.Model.Population.Size, "customers; email_7pw gives a discount of", st.Discount)

	_, err = sc.With([]scenarios.Override{{Path: "population.size", Value: scenarios.NumberValue(-1)}}, scenarios.Options{})
	var list scenarios.ErrorList
	fmt.Println("refused:", errors.As(err, &list))
	// Output:
	// 2000 customers; email_7pw gives a discount of 0.1
	// refused: true
}
