package shortener

import "strings"

// formulaStarts are the first characters that make a spreadsheet read a
// CSV cell as a formula.
const formulaStarts = "=+-@\t\r"

// SafeCSVCell defuses formula injection in an exported CSV cell: a cell
// that begins with =, +, -, @, tab or CR gets a leading apostrophe, so a
// spreadsheet shows it instead of running it (API.md, "Organising links").
func SafeCSVCell(c string) string {
	if c != "" && strings.IndexByte(formulaStarts, c[0]) >= 0 {
		return "'" + c
	}
	return c
}

// UnsafeCSVCell undoes SafeCSVCell on an imported cell: one leading
// apostrophe before a formula character is dropped.
func UnsafeCSVCell(c string) string {
	if len(c) >= 2 && c[0] == '\'' && strings.IndexByte(formulaStarts, c[1]) >= 0 {
		return c[1:]
	}
	return c
}
