package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/shortener-dev/shortener"
)

// DomainStore keeps the short domains in PostgreSQL.
type DomainStore struct{ db *DB }

var _ shortener.DomainStore = (*DomainStore)(nil)

// NewDomainStore returns a DomainStore on db.
func NewDomainStore(db *DB) *DomainStore { return &DomainStore{db: db} }

const domainColumns = `id, host, not_found_url, root_url, created_at`

var errDomainNotFound = shortener.Errorf(shortener.ENOTFOUND, "%s", shortener.MsgDomainNotFound)

// CreateDomain inserts d; a taken host is ECONFLICT.
func (s *DomainStore) CreateDomain(ctx context.Context, d *shortener.Domain) error {
	_, err := s.db.pool.Exec(ctx, `INSERT INTO domains (`+domainColumns+`) VALUES ($1, $2, $3, $4, $5)`,
		d.ID, d.Host, d.NotFoundURL, d.RootURL, d.CreatedAt)
	return storeError("create domain", err, "", shortener.MsgHostTaken)
}

// DomainByID returns the domain with the given ID, or ENOTFOUND.
func (s *DomainStore) DomainByID(ctx context.Context, id string) (*shortener.Domain, error) {
	if !shortener.IsID(id) {
		return nil, errDomainNotFound
	}
	d, err := scanDomain(s.db.pool.QueryRow(ctx, `SELECT `+domainColumns+` FROM domains WHERE id = $1`, id))
	return d, storeError("domain by id", err, shortener.MsgDomainNotFound, "")
}

// ListDomains returns every domain, the default first.
func (s *DomainStore) ListDomains(ctx context.Context) ([]*shortener.Domain, error) {
	rows, err := s.db.pool.Query(ctx, `SELECT `+domainColumns+` FROM domains
		ORDER BY id <> $1, created_at, id`, shortener.DefaultDomainID)
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
	if !shortener.IsID(id) {
		return nil, errDomainNotFound
	}
	d, err := scanDomain(s.db.pool.QueryRow(ctx, `
		UPDATE domains SET
			host = COALESCE($2, host),
			not_found_url = CASE WHEN $3 THEN NULL ELSE COALESCE($4, not_found_url) END,
			root_url = CASE WHEN $5 THEN NULL ELSE COALESCE($6, root_url) END
		WHERE id = $1
		RETURNING `+domainColumns,
		id, u.Host, u.ClearNotFoundURL, u.NotFoundURL, u.ClearRootURL, u.RootURL))
	return d, storeError("update domain", err, shortener.MsgDomainNotFound, shortener.MsgHostTaken)
}

// DeleteDomain deletes a domain that no link uses: the check and the
// delete run in one statement, and the foreign key of short_urls backs it.
func (s *DomainStore) DeleteDomain(ctx context.Context, id string) error {
	if !shortener.IsID(id) {
		return errDomainNotFound
	}
	var deleted, used bool
	err := s.db.pool.QueryRow(ctx, `
		WITH used AS (SELECT EXISTS (SELECT 1 FROM short_urls WHERE domain_id = $1) AS used),
		del AS (DELETE FROM domains WHERE id = $1 AND NOT (SELECT used FROM used) RETURNING 1)
		SELECT EXISTS (SELECT 1 FROM del), (SELECT used FROM used)`, id).Scan(&deleted, &used)
	if pgCode(err) == foreignKeyViolation || (err == nil && used) {
		return shortener.Errorf(shortener.ECONFLICT, "%s", shortener.MsgDomainInUse)
	}
	if err != nil {
		return storeError("delete domain", err, "", "")
	}
	if !deleted {
		return errDomainNotFound
	}
	return nil
}

// SetDefaultDomainHost writes the default domain's host.
func (s *DomainStore) SetDefaultDomainHost(ctx context.Context, host string) (string, error) {
	var previous string
	err := s.db.pool.QueryRow(ctx, `
		WITH old AS (SELECT host FROM domains WHERE id = $1)
		UPDATE domains SET host = $2 WHERE id = $1 AND host <> $2
		RETURNING (SELECT host FROM old)`, shortener.DefaultDomainID, host).Scan(&previous)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil // unchanged
	}
	return previous, storeError("set default domain host", err, "", shortener.MsgHostTaken)
}

func scanDomain(r pgx.Row) (*shortener.Domain, error) {
	var (
		d       shortener.Domain
		created pgtype.Timestamptz
	)
	if err := r.Scan(&d.ID, &d.Host, &d.NotFoundURL, &d.RootURL, &created); err != nil {
		return nil, err
	}
	d.CreatedAt = created.Time.UTC()
	return &d, nil
}
