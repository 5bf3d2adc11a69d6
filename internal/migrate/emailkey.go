package migrate

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/pressly/goose/v3"

	"github.com/shortener-dev/shortener"
)

// Placeholders rewrites a query written with ? placeholders for an engine;
// PostgreSQL wants $1, $2, ... (see Numbered), SQLite takes ? as it is.
type Placeholders func(query string) string

// Numbered rewrites ? placeholders as $1, $2, ... for PostgreSQL.
func Numbered(query string) string {
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// EmailKeys returns the Go migration, at version, that fills the new
// users.email_key column with shortener.EmailKey of each email. The rule is
// Unicode-aware, which no SQL lower() is on both engines, so it runs in Go.
//
// Accounts made before the rule existed may share a key ("ÄLICE@x" and
// "älice@x" were two accounts on SQLite): the oldest keeps the key, the
// others keep a NULL key and stay usable with their exact address;
// EmailCollisions lists them. The unique index on email_key, created by the
// migration after this one, then refuses new registrations of any form.
func EmailKeys(version int64, bind Placeholders) *goose.Migration {
	return goose.NewGoMigration(version,
		&goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error { return fillEmailKeys(ctx, tx, bind) }},
		&goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE users SET email_key = NULL`)
			return err
		}})
}

func fillEmailKeys(ctx context.Context, tx *sql.Tx, bind Placeholders) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, email FROM users ORDER BY created_at, id`)
	if err != nil {
		return fmt.Errorf("email keys: read users: %w", err)
	}
	type user struct{ id, key string }
	var users []user
	for rows.Next() {
		var id, email string
		if err := rows.Scan(&id, &email); err != nil {
			rows.Close()
			return fmt.Errorf("email keys: read users: %w", err)
		}
		users = append(users, user{id, shortener.EmailKey(email)})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("email keys: read users: %w", err)
	}
	taken := make(map[string]bool, len(users))
	update := bind(`UPDATE users SET email_key = ? WHERE id = ?`)
	for _, u := range users {
		if taken[u.key] {
			continue // a collision: the older account keeps the key
		}
		taken[u.key] = true
		if _, err := tx.ExecContext(ctx, update, u.key, u.id); err != nil {
			return fmt.Errorf("email keys: update user %s: %w", u.id, err)
		}
	}
	return nil
}

// EmailCollision is an account whose email, once normalised, names another
// account too; both were kept by the migration to email keys.
type EmailCollision struct {
	Email   string // the account without a key; it logs in with this exact address
	OwnedBy string // the address of the account that holds the key
}

// EmailCollisions lists the accounts that the email-key migration left
// without a key, oldest first.
func EmailCollisions(ctx context.Context, db *sql.DB, bind Placeholders) ([]EmailCollision, error) {
	rows, err := db.QueryContext(ctx, `SELECT email FROM users WHERE email_key IS NULL ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("email collisions: %w", err)
	}
	var out []EmailCollision
	for rows.Next() {
		var c EmailCollision
		if err := rows.Scan(&c.Email); err != nil {
			rows.Close()
			return nil, fmt.Errorf("email collisions: %w", err)
		}
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("email collisions: %w", err)
	}
	holder := bind(`SELECT email FROM users WHERE email_key = ?`)
	for i := range out {
		err := db.QueryRowContext(ctx, holder, shortener.EmailKey(out[i].Email)).Scan(&out[i].OwnedBy)
		if err != nil && err != sql.ErrNoRows {
			return nil, fmt.Errorf("email collisions: %w", err)
		}
	}
	return out, nil
}
