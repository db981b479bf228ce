package scenarios

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Pos is a position in a scenario file: 1-based line and column.
type Pos struct {
	Line, Column int
}

// Error is one problem in a scenario file, at a position.
type Error struct {
	File string
	Pos
	Message string
	// Allowed is the range of numbers the field takes, for a number out
	// of it.
	Allowed Range
}

// Range is a range of numbers, Lo to Hi, either of them infinite for an
// open end; Set is false for no range.
type Range struct {
	Lo, Hi float64
	Set    bool
}

func (e *Error) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Message)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Message)
}

// ErrorList is every problem found in a scenario file, in file order.
// Loading reports all of them at once.
type ErrorList []*Error

func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// sort orders the list by position and drops exact duplicates.
func (l ErrorList) sort() ErrorList {
	slices.SortStableFunc(l, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	return slices.CompactFunc(l, func(a, b *Error) bool { return *a == *b })
}

// errs collects errors while a file is decoded and checked.
type errs struct {
	file string
	list ErrorList
}

func (e *errs) at(p Pos, format string, args ...any) {
	e.list = append(e.list, &Error{File: e.file, Pos: p, Message: fmt.Sprintf(format, args...)})
}

// outOfRange records a number out of the range lo to hi.
func (e *errs) outOfRange(p Pos, lo, hi float64, format string, args ...any) {
	e.at(p, format, args...)
	e.list[len(e.list)-1].Allowed = Range{Lo: lo, Hi: hi, Set: true}
}

func (e *errs) err() error {
	if len(e.list) == 0 {
		return nil
	}
	return e.list.sort()
}
