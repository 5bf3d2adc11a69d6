package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/shortener-dev/shortener"
)

// DomainStore keeps the short domains in SQLite.
type DomainStore struct{ db *DB }

var _ shortener.DomainStore = (*DomainStore)(nil)

// NewDomainStore returns a DomainStore on db.
func NewDomainStore(db *DB) *DomainStore { return &DomainStore{db: db} }

const domainColumns = `id, host, not_found_url, root_url, created_at`

var errDomainNotFound = shortener.Errorf(shortener.ENOTFOUND, "%s", shortener.MsgDomainNotFound)

// CreateDomain inserts d; a taken host is ECONFLICT.
func (s *DomainStore) CreateDomain(ctx context.Context, d *shortener.Domain) error {
	_, err := s.db.write.ExecContext(ctx, `INSERT INTO domains (`+domainColumns+`) VALUES (?, ?, ?, ?, ?)`,
		strings.ToLower(d.ID), d.Host, nullString(d.NotFoundURL), nullString(d.RootURL), micros(d.CreatedAt))
	return storeError("create domain", err, "", shortener.MsgHostTaken)
}

// DomainByID returns the domain with the given ID, or ENOTFOUND.
func (s *DomainStore) DomainByID(ctx context.Context, id string) (*shortener.Domain, error) {
	d, err := scanDomain(s.db.read.QueryRowContext(ctx, `SELECT `+domainColumns+` FROM domains WHERE id = ?`,
		strings.ToLower(id)))
	return d, storeError("domain by id", err, shortener.MsgDomainNotFound, "")
}

// ListDomains returns every domain, the default first.
func (s *DomainStore) ListDomains(ctx context.Context) ([]*shortener.Domain, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT `+domainColumns+` FROM domains
		ORDER BY id <> ?, created_at, id`, shortener.DefaultDomainID)
	if err != nil {
		return nil, storeError("list domains", err, "", "")
	}
	defer rows.Close()
	out := []*shortener.Domain{}
	for rows.Next() {
		d, err := scanDomain(rows)
		if err != nil {
			return nil, storeError("list domains", err, "", "")
		}
		out = append(out, d)
	}
	return out, storeError("list domains", rows.Err(), "", "")
}

// UpdateDomain writes the fields u names.
func (s *DomainStore) UpdateDomain(ctx context.Context, id string, u shortener.DomainUpdate) (*shortener.Domain, error) {
	d, err := scanDomain(s.db.write.QueryRowContext(ctx, `
		UPDATE domains SET
			host = COALESCE(?, host),
			not_found_url = CASE WHEN ? THEN NULL ELSE COALESCE(?, not_found_url) END,
			root_url = CASE WHEN ? THEN NULL ELSE COALESCE(?, root_url) END
		WHERE id = ?
		RETURNING `+domainColumns,
		nullString(u.Host), u.ClearNotFoundURL, nullString(u.NotFoundURL), u.ClearRootURL, nullString(u.RootURL),
		strings.ToLower(id)))
	return d, storeError("update domain", err, shortener.MsgDomainNotFound, shortener.MsgHostTaken)
}

// DeleteDomain deletes a domain that no link uses; the single writer
// keeps a link from arriving between the check and the delete.
func (s *DomainStore) DeleteDomain(ctx context.Context, id string) error {
	id = strings.ToLower(id)
	return s.db.inTx(ctx, func(tx *writeTx) error {
		var used bool
		err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM short_urls WHERE domain_id = ?)`, id).Scan(&used)
		if err != nil {
			return storeError("delete domain", err, "", "")
		}
		if used {
			return shortener.Errorf(shortener.ECONFLICT, "%s", shortener.MsgDomainInUse)
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM domains WHERE id = ?`, id)
		if err != nil {
			return storeError("delete domain", err, "", "")
		}
		return requireRow(res, "delete domain", shortener.MsgDomainNotFound)
	})
}

// SetDefaultDomainHost writes the default domain's host.
func (s *DomainStore) SetDefaultDomainHost(ctx context.Context, host string) (string, error) {
	var previous string
	err := s.db.inTx(ctx, func(tx *writeTx) error {
		if err := tx.QueryRowContext(ctx, `SELECT host FROM domains WHERE id = ?`, shortener.DefaultDomainID).Scan(&previous); err != nil {
			return err
		}
		if previous == host {
			previous = ""
			return nil
		}
		_, err := tx.ExecContext(ctx, `UPDATE domains SET host = ? WHERE id = ?`, host, shortener.DefaultDomainID)
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return "", storeError("set default domain host", err, "", "")
	}
	return previous, storeError("set default domain host", err, "", shortener.MsgHostTaken)
}

func scanDomain(r rowScanner) (*shortener.Domain, error) {
	var (
		d                 shortener.Domain
		notFound, rootURL sql.NullString
		created           int64
	)
	if err := r.Scan(&d.ID, &d.Host, &notFound, &rootURL, &created); err != nil {
		return nil, err
	}
	d.NotFoundURL, d.RootURL, d.CreatedAt = stringPtr(notFound), stringPtr(rootURL), fromMicros(created)
	return &d, nil
}
