package scenarios

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// inheritedKeys, which --set follows through extends, are the keys of a
// strategy other than name and extends: a key added to strategies must be
// added there too, once resolve in strategies.go merges it.
func TestInheritedKeysAreTheStrategyKeys(t *testing.T) {
	var keys []string
	st := reflect.TypeFor[strategySpec]()
	for i := range st.NumField() {
		tag := strings.Split(st.Field(i).Tag.Get("yaml"), ",")[0]
		if tag != "" && tag != "-" && tag != "name" && tag != "extends" {
			keys = append(keys, tag)
		}
	}
	slices.Sort(keys)
	have := slices.Sorted(slices.Values(inheritedKeys))
	if !slices.Equal(keys, have) {
		t.Errorf("strategy keys %v; inheritedKeys %v", keys, have)
	}
}
