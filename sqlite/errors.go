package sqlite

import (
	"database/sql"
	"errors"
	"fmt"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/shortener-dev/shortener"
)

// isUniqueViolation reports whether err is a UNIQUE or PRIMARY KEY
// constraint failure.
func isUniqueViolation(err error) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	switch e.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return true
	}
	return false
}

// linkWriteError is storeError for a write of links: a foreign key that
// fails there is the link's domain, deleted meanwhile (its owner is the
// caller, who exists), which is shortener.ErrDomainGone.
func linkWriteError(op string, err error, notFoundMsg, conflictMsg string) error {
	if e := (*sqlite.Error)(nil); errors.As(err, &e) && e.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY {
		return shortener.ErrDomainGone
	}
	return storeError(op, err, notFoundMsg, conflictMsg)
}

// storeError translates a driver error at the store boundary: a unique
// violation becomes ECONFLICT with conflictMsg, no rows becomes ENOTFOUND
// with notFoundMsg, anything else is wrapped with the operation name.
func storeError(op string, err error, notFoundMsg, conflictMsg string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows) && notFoundMsg != "":
		return shortener.Errorf(shortener.ENOTFOUND, "%s", notFoundMsg)
	case isUniqueViolation(err) && conflictMsg != "":
		return shortener.Errorf(shortener.ECONFLICT, "%s", conflictMsg)
	case unavailable(err):
		// Both wrapped: clients see "unavailable" (503), logs see the cause.
		return fmt.Errorf("sqlite: %s: %w: %w", op, errUnavailable, err)
	}
	return fmt.Errorf("sqlite: %s: %w", op, err)
}

var errUnavailable = shortener.Errorf(shortener.EUNAVAILABLE, "The database is temporarily unavailable; try again shortly.")

// unavailable reports whether err is the file's or the machine's fault
// rather than the statement's: the disk is full, an I/O error, the file
// cannot be opened, or the lock was not had within the busy timeout. (A
// write on the query-only reader is SQLITE_READONLY: a bug, kept a 500.)
func unavailable(err error) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	switch e.Code() & 0xff { // the primary result code of an extended one
	case sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_BUSY, sqlite3.SQLITE_NOMEM:
		return true
	}
	return false
}

// requireRow returns ENOTFOUND when res affected no row.
func requireRow(res sql.Result, op, notFoundMsg string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", op, err)
	}
	if n == 0 {
		return shortener.Errorf(shortener.ENOTFOUND, "%s", notFoundMsg)
	}
	return nil
}
