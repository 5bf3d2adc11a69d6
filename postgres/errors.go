package postgres

import (
	"errors"
	"fmt"
	"io"
	"net"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/shortener-dev/shortener"
)

// SQLSTATE codes the stores translate.
const (
	uniqueViolation     = "23505"
	foreignKeyViolation = "23503"
)

func pgCode(err error) string {
	var e *pgconn.PgError
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// deadlockRetries is how often a transaction that PostgreSQL chose as a
// deadlock's victim is run again.
const deadlockRetries = 3

// retryDeadlock runs tx, and again (up to deadlockRetries times) when
// PostgreSQL broke a deadlock by aborting it: the transaction was rolled
// back whole, so running it again is safe, and the other side has moved
// on. Batches of clicks and the delete of one of their links lock the
// link's row, the rollup rows and the click rows in different orders; a
// full test run once saw DeleteDuringWrites (storetest) fail on 40P01.
func retryDeadlock(tx func() error) error {
	err := tx()
	for range deadlockRetries {
		if pgCode(err) != deadlockDetected {
			return err
		}
		err = tx()
	}
	return err
}

// deadlockDetected is SQLSTATE deadlock_detected.
const deadlockDetected = "40P01"

// linkWriteError is storeError for a write of links: a link whose domain
// was deleted meanwhile is shortener.ErrDomainGone.
func linkWriteError(op string, err error, notFoundMsg, conflictMsg string) error {
	if e := (*pgconn.PgError)(nil); errors.As(err, &e) && e.Code == foreignKeyViolation &&
		e.ConstraintName == "short_urls_domain_id_fkey" {
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
	case errors.Is(err, pgx.ErrNoRows) && notFoundMsg != "":
		return shortener.Errorf(shortener.ENOTFOUND, "%s", notFoundMsg)
	case pgCode(err) == uniqueViolation && conflictMsg != "":
		return shortener.Errorf(shortener.ECONFLICT, "%s", conflictMsg)
	case unreachable(err):
		// Both wrapped: clients see "unavailable" (503), logs see the cause.
		return fmt.Errorf("postgres: %s: %w: %w", op, errUnavailable, err)
	}
	return fmt.Errorf("postgres: %s: %w", op, err)
}

var errUnavailable = shortener.Errorf(shortener.EUNAVAILABLE, "The database is temporarily unavailable; try again shortly.")

// unreachable reports whether err means the server could not be reached,
// the connection broke, or the server is not serving (shutting down,
// starting, out of connections), as opposed to a query that failed.
func unreachable(err error) bool {
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	if errors.As(err, &connectErr) || errors.As(err, &netErr) || pgconn.Timeout(err) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	// The server said it is not serving: stopping (admin_shutdown at
	// pg_ctl stop -m fast, crash_shutdown), starting (cannot_connect_now),
	// full (too_many_connections), or the connection failed. Not a query's
	// own fault, such as a protocol violation (08P01, a bug), a cancelled
	// statement (57014) or a temp_file_limit reached (53400): those stay
	// internal errors.
	return unavailableCodes[pgCode(err)]
}

var unavailableCodes = map[string]bool{
	"57P01": true, "57P02": true, "57P03": true, "53300": true,
	"08000": true, "08001": true, "08003": true, "08004": true, "08006": true,
}

// requireRow returns ENOTFOUND when tag affected no row.
func requireRow(tag pgconn.CommandTag, notFoundMsg string) error {
	if tag.RowsAffected() == 0 {
		return shortener.Errorf(shortener.ENOTFOUND, "%s", notFoundMsg)
	}
	return nil
}
