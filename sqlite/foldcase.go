package sqlite

import (
	"database/sql/driver"
	"strings"

	"modernc.org/sqlite"
)

// fold_case(text) lower-cases every letter, not only ASCII as SQLite's
// lower() does: the link list's title sort compares titles so, as
// PostgreSQL's lower() does ("Éb" after "éa" on both engines).
func init() {
	sqlite.MustRegisterDeterministicScalarFunction("fold_case", 1, foldCase)
}

func foldCase(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	switch v := args[0].(type) {
	case string:
		return strings.ToLower(v), nil
	case []byte:
		return strings.ToLower(string(v)), nil
	}
	return args[0], nil
}
