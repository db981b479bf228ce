package serve

import (
	"encoding/json"
	"net/http"

	"github.com/journeysim/journeysim/scenarios"
)

// lessonJSON is what a lesson's page is built from.
type lessonJSON struct {
	Name     string `json:"name"`
	Title    string `json:"title"`
	Question string `json:"question,omitempty"`
	Vary     string `json:"vary,omitempty"`
	Expect   string `json:"expect,omitempty"`
	// Baseline is the strategy every run is compared with: the
	// scenario's first.
	Baseline string `json:"baseline"`
	// Try is the strategy the page starts on.
	Try        string         `json:"try"`
	Strategies []strategyJSON `json:"strategies"`
	Controls   []controlJSON  `json:"controls"`
	Customers  rangeJSON      `json:"customers"`
	Horizon    rangeJSON      `json:"horizon"`
	// Tick names one tick ("day").
	Tick string `json:"tick"`
}

type strategyJSON struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

// controlJSON is a control of the page: a slider or a switch, with each
// strategy's own setting.
type controlJSON struct {
	Label  string  `json:"label"`
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
	Step   float64 `json:"step"`
	Switch bool    `json:"switch,omitempty"`
	// Scenario marks a control of the whole scenario (a survey's sample,
	// say) rather than of the strategy tried.
	Scenario bool               `json:"scenario,omitempty"`
	Values   map[string]float64 `json:"values"`
}

// rangeJSON bounds a whole number the page may ask for: Default is what
// it asks unless told, Full the scenario's own.
type rangeJSON struct {
	Min     int `json:"min"`
	Max     int `json:"max"`
	Default int `json:"default"`
	Full    int `json:"full"`
}

// info is what the page of l is built from, under the server's limits.
func (s *Server) info(l *Lesson) (lessonJSON, error) {
	sc := l.Scenario
	m := sc.Model
	out := lessonJSON{Name: l.Name, Title: l.Title(), Tick: m.TickLabel, Baseline: m.Strategies[0].Name, Try: m.Strategies[0].Name, Controls: []controlJSON{}}
	if len(m.Strategies) > 1 {
		// Trying the baseline compares it with itself: the page starts on
		// the strategy after it.
		out.Try = m.Strategies[1].Name
	}
	if les := sc.Lesson; les != nil {
		out.Question, out.Vary, out.Expect = les.Question, les.Vary, les.Expect
	}
	for _, st := range m.Strategies {
		out.Strategies = append(out.Strategies, strategyJSON{Name: st.Name, Description: st.Description})
	}
	for _, c := range controls(sc) {
		cj := controlJSON{Label: c.Label, Min: c.Min, Max: c.Max, Step: c.Step, Switch: c.Switch, Scenario: !strategyControl(c), Values: map[string]float64{}}
		for _, st := range m.Strategies {
			v, err := c.Value(sc, st.Name)
			if err != nil {
				return lessonJSON{}, err
			}
			cj.Values[st.Name] = v
		}
		out.Controls = append(out.Controls, cj)
	}
	out.Customers = s.customerRange(l)
	out.Horizon = rangeJSON{Min: 1, Max: m.Horizon, Default: m.Horizon, Full: m.Horizon}
	return out, nil
}

// customerRange is the population a run of l may ask for.
func (s *Server) customerRange(l *Lesson) rangeJSON {
	full := l.Scenario.Model.Population.Size
	top := min(full, s.cfg.MaxCustomers)
	lo := min(MinCustomers, top)
	return rangeJSON{Min: lo, Max: top, Default: min(DefaultCustomers, top), Full: top}
}

// controls are the lesson's controls; none for a scenario without a
// lesson.
func controls(sc *scenarios.Scenario) []scenarios.Control {
	if sc.Lesson == nil {
		return nil
	}
	return sc.Lesson.Controls
}

func (s *Server) lessonInfo(w http.ResponseWriter, r *http.Request) {
	l, ok := s.apiLesson(w, r)
	if !ok {
		return
	}
	info, err := s.info(l)
	if err != nil {
		s.cfg.Logf("lesson %s: %v", l.Name, err)
		httpError(w, http.StatusInternalServerError, "the lesson could not be described")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(info)
}
