// Package output renders what a run produced and reads it back: the text
// tables printed on a terminal, the grids the HTML report shows, the data
// tables written as CSV and Parquet, the summary as JSON, and result
// folders (a manifest, the effective scenario and every table, written
// whole or not at all).
package output
