package validate

// CellProblem says what is wrong with a sample value for a column of the given type, or "":
// the rule validation applies to sample rows, for docket new to apply as each cell is typed.
func CellProblem(typ string, v any) string { return cellProblem(typ, v) }
