package scenarios

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/sim"
)

// An attribute may not take the name of any built-in variable or
// function: each is refused where the attribute is declared.
func TestReservedAttributeNames(t *testing.T) {
	base := baseSource(t)
	for _, name := range sim.ReservedNames() {
		src := apply(t, base,
			edit{"income: {uniform: [0, 1]}", name + ": {uniform: [0, 1]}"},
			edit{"income: 0.5", name + ": 0.5"},
		)
		_, err := safeLoad(t, "bad.yaml", []byte(src))
		list := errorList(t, err)
		at := posOfText(t, src, name+": {uniform", 0)
		want := fmt.Sprintf("attribute name %q is taken by a built-in", name)
		if !hasMessageAt(list, at, want) {
			t.Errorf("attribute %s: no %q at %d:%d:\n%v", name, want, at.Line, at.Column, err)
		}
	}
}

// An attribute called lever used to pass the load and make every
// expression that read it fail with a type error about maps.
func TestAttributeNamedLever(t *testing.T) {
	src := strings.ReplaceAll(baseSource(t), "income", "lever")
	_, err := safeLoad(t, "bad.yaml", []byte(src))
	list := errorList(t, err)
	at := posOfText(t, src, "lever: {uniform", 0)
	if !hasMessageAt(list, at, `attribute name "lever" is taken by a built-in variable; reserved: `) {
		t.Fatalf("no reserved-name error at %d:%d:\n%v", at.Line, at.Column, err)
	}
	if list[0].Pos != at {
		t.Errorf("first error at %d:%d, want the reserved name at %d:%d:\n%v", list[0].Line, list[0].Column, at.Line, at.Column, err)
	}
}

func hasMessageAt(list ErrorList, at Pos, msg string) bool {
	for _, e := range list {
		if e.Pos == at && strings.Contains(e.Message, msg) {
			return true
		}
	}
	return false
}

// The scenario guide lists the reserved names as sim does.
func TestGuideListsReservedNames(t *testing.T) {
	b, err := os.ReadFile("../docs/scenarios.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(b), "An attribute may not take the name of a built-in variable or function:")
	start, end := strings.Index(after, "`"), strings.Index(after, "`.")
	if !ok || start < 0 || end < start {
		t.Fatal("docs/scenarios.md no longer lists the reserved names")
	}
	listed := strings.Fields(strings.ReplaceAll(after[start+1:end], ",", " "))
	if want := sim.ReservedNames(); !slices.Equal(listed, want) {
		t.Errorf("docs/scenarios.md lists the reserved names\n%v\nwant\n%v", listed, want)
	}
}
