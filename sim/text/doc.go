// Package text holds the small pieces of English that the scenario side
// and the results side both write: plurals and counts, and the
// did-you-mean hints that follow a name typed wrong.
//
// It imports no package of the project, so that every package may use it.
package text
