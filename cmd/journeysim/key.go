package main

import (
	"errors"
	"fmt"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/scenarios"
)

// checkKeyOutcomes checks the names of the scenario's key list against
// the outcomes every run of it measures; the error names each bad one
// with its place in the file.
func checkKeyOutcomes(sc *scenarios.Scenario) error {
	var all []error
	for _, k := range sc.Key {
		if err := results.CheckKeyOutcome(k.Name, sc.Model); err != nil {
			all = append(all, fmt.Errorf("%s: %w", k.Where, err))
		}
	}
	if len(all) > 0 {
		return &inputError{errors.Join(all...)}
	}
	return nil
}

// keyNames lists the scenario's key outcomes by name.
func keyNames(sc *scenarios.Scenario) []string {
	var names []string
	for _, k := range sc.Key {
		names = append(names, k.Name)
	}
	return names
}
