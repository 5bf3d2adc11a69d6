package sqlite

import (
	"context"
	"database/sql"
	"strings"
)

// maxParams bounds the bound parameters of one statement, well under
// SQLite's SQLITE_MAX_VARIABLE_NUMBER (32766), so that a batch of any size
// is split into a few large statements.
const maxParams = 8000

// multiRow builds and runs "head VALUES (?,..),(?,..) tail" statements over
// rows of width columns, as few statements as maxParams allows.
type multiRow struct {
	head  string // e.g. "INSERT INTO t (a, b)"
	tail  string // e.g. "ON CONFLICT DO NOTHING RETURNING a"
	width int
}

func (m multiRow) chunks(n int) [][2]int {
	per := max(1, maxParams/m.width)
	var out [][2]int
	for lo := 0; lo < n; lo += per {
		out = append(out, [2]int{lo, min(n, lo+per)})
	}
	return out
}

func (m multiRow) statement(rows int) string {
	var b strings.Builder
	b.WriteString(m.head)
	b.WriteString(" VALUES ")
	tuple := "(" + strings.Repeat("?, ", m.width-1) + "?)"
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(tuple)
	}
	b.WriteString(" ")
	b.WriteString(m.tail)
	return b.String()
}

// exec runs the statements for args, a flat list of len(rows)*width values.
func (m multiRow) exec(ctx context.Context, tx *sql.Tx, args []any) error {
	for _, c := range m.chunks(len(args) / m.width) {
		if _, err := tx.ExecContext(ctx, m.statement(c[1]-c[0]), args[c[0]*m.width:c[1]*m.width]...); err != nil {
			return err
		}
	}
	return nil
}

// query runs the statements for args and calls scan for every returned row.
func (m multiRow) query(ctx context.Context, tx *sql.Tx, args []any, scan func(*sql.Rows) error) error {
	for _, c := range m.chunks(len(args) / m.width) {
		rows, err := tx.QueryContext(ctx, m.statement(c[1]-c[0]), args[c[0]*m.width:c[1]*m.width]...)
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := scan(rows); err != nil {
				_ = rows.Close()
				return err
			}
		}
		if err := rows.Err(); err != nil {
			_ = rows.Close()
			return err
		}
		if err := rows.Close(); err != nil {
			return err
		}
	}
	return nil
}

// placeholders returns "?, ?, ..." with n marks.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
