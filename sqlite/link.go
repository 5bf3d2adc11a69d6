package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shortener-dev/shortener"
)

// LinkStore keeps links in SQLite. It is also the bottom Resolver of the
// redirect path.
type LinkStore struct{ db *DB }

var (
	_ shortener.LinkStore = (*LinkStore)(nil)
	_ shortener.Resolver  = (*LinkStore)(nil)
)

// NewLinkStore returns a LinkStore on db.
func NewLinkStore(db *DB) *LinkStore { return &LinkStore{db: db} }

const (
	msgLinkNotFound = shortener.LinkNotFoundMessage
	msgCodeTaken    = shortener.MsgCodeTaken
)

const linkColumns = `id, short_code, original_url, custom_alias, title, owner_id,
	is_active, is_public, expires_at, click_count, created_at, updated_at`

// CreateLink inserts l; a taken short code (compared case-sensitively) is
// ECONFLICT.
func (s *LinkStore) CreateLink(ctx context.Context, l *shortener.Link) error {
	_, err := s.db.write.ExecContext(ctx, `
		INSERT INTO short_urls (`+linkColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		l.ID, l.ShortCode, l.OriginalURL, nullString(l.CustomAlias), nullString(l.Title),
		nullString(l.OwnerID), l.IsActive, l.IsPublic, nullMicros(l.ExpiresAt), l.ClickCount,
		micros(l.CreatedAt), micros(l.UpdatedAt))
	return storeError("create link", err, "", msgCodeTaken)
}

// LinkByID returns the link with the given ID, or ENOTFOUND.
func (s *LinkStore) LinkByID(ctx context.Context, id string) (*shortener.Link, error) {
	row := s.db.read.QueryRowContext(ctx, `SELECT `+linkColumns+` FROM short_urls WHERE id = ?`, id)
	l, err := scanLink(row)
	return l, storeError("link by id", err, msgLinkNotFound, "")
}

// LinkByCode returns the link with the given short code, or ENOTFOUND.
func (s *LinkStore) LinkByCode(ctx context.Context, code string) (*shortener.Link, error) {
	row := s.db.read.QueryRowContext(ctx, `SELECT `+linkColumns+` FROM short_urls WHERE short_code = ?`, code)
	l, err := scanLink(row)
	return l, storeError("link by code", err, msgLinkNotFound, "")
}

// Resolve returns the redirect target of code; an unknown code is a Target
// with Found false, not an error.
func (s *LinkStore) Resolve(ctx context.Context, code string) (shortener.Target, error) {
	var (
		t       = shortener.Target{Found: true}
		expires sql.NullInt64
	)
	// Prepared once: parsing it cost as much as running it, on every L1 miss.
	st, err := s.db.reads.get(ctx, `SELECT id, original_url, is_active, expires_at FROM short_urls WHERE short_code = ?`)
	if err != nil {
		return shortener.Target{}, fmt.Errorf("sqlite: resolve: %w", err)
	}
	err = st.QueryRowContext(ctx, code).Scan(&t.LinkID, &t.URL, &t.Active, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return shortener.Target{}, nil
	} else if err != nil {
		return shortener.Target{}, fmt.Errorf("sqlite: resolve: %w", err)
	}
	if expires.Valid {
		t.ExpiresAt = fromMicros(expires.Int64)
	}
	return t, nil
}

// LinksByOwner returns a page of the owner's links, newest first.
func (s *LinkStore) LinksByOwner(ctx context.Context, ownerID string, offset, limit int) (*shortener.LinkPage, error) {
	page := &shortener.LinkPage{Links: []*shortener.Link{}}
	// Both queries read one snapshot so that Total matches the page.
	tx, err := s.db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("sqlite: links by owner: begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	if err := tx.QueryRowContext(ctx,
		`SELECT count(*) FROM short_urls WHERE owner_id = ?`, ownerID).Scan(&page.Total); err != nil {
		return nil, fmt.Errorf("sqlite: links by owner: count: %w", err)
	}
	if limit <= 0 || offset >= page.Total {
		return page, nil
	}
	rows, err := tx.QueryContext(ctx, `
		SELECT `+linkColumns+` FROM short_urls
		WHERE owner_id = ?
		ORDER BY created_at DESC, id DESC
		LIMIT ? OFFSET ?`, ownerID, limit, max(offset, 0))
	if err != nil {
		return nil, fmt.Errorf("sqlite: links by owner: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		l, err := scanLink(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: links by owner: scan: %w", err)
		}
		page.Links = append(page.Links, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: links by owner: %w", err)
	}
	return page, nil
}

// UpdateLink writes the fields u names and updated_at, or returns
// ENOTFOUND.
func (s *LinkStore) UpdateLink(ctx context.Context, id string, u shortener.LinkUpdate, now time.Time) (*shortener.Link, error) {
	row := s.db.write.QueryRowContext(ctx, `
		UPDATE short_urls SET
			original_url = COALESCE(?, original_url),
			title = CASE WHEN ? THEN NULL ELSE COALESCE(?, title) END,
			expires_at = CASE WHEN ? THEN NULL ELSE COALESCE(?, expires_at) END,
			is_active = COALESCE(?, is_active),
			is_public = COALESCE(?, is_public),
			updated_at = ?
		WHERE id = ?
		RETURNING `+linkColumns,
		nullString(u.OriginalURL), u.ClearTitle, nullString(u.Title), u.ClearExpiry, nullMicros(u.ExpiresAt),
		nullBool(u.IsActive), nullBool(u.IsPublic), micros(now), strings.ToLower(id))
	l, err := scanLink(row)
	return l, storeError("update link", err, msgLinkNotFound, "")
}

// DeleteLink deletes the link; foreign keys cascade to its clicks and
// rollups. Returns ENOTFOUND if there is none.
func (s *LinkStore) DeleteLink(ctx context.Context, id string) error {
	res, err := s.db.write.ExecContext(ctx, `DELETE FROM short_urls WHERE id = ?`, id)
	if err != nil {
		return storeError("delete link", err, "", "")
	}
	return requireRow(res, "delete link", msgLinkNotFound)
}

type rowScanner interface{ Scan(dest ...any) error }

func scanLink(r rowScanner) (*shortener.Link, error) {
	var (
		l                   shortener.Link
		alias, title, owner sql.NullString
		expires             sql.NullInt64
		created, updated    int64
	)
	if err := r.Scan(&l.ID, &l.ShortCode, &l.OriginalURL, &alias, &title, &owner,
		&l.IsActive, &l.IsPublic, &expires, &l.ClickCount, &created, &updated); err != nil {
		return nil, err
	}
	l.CustomAlias, l.Title, l.OwnerID = stringPtr(alias), stringPtr(title), stringPtr(owner)
	l.ExpiresAt = timePtr(expires)
	l.CreatedAt, l.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &l, nil
}

// ShortCodes calls fn with every short code.
func (s *LinkStore) ShortCodes(ctx context.Context, fn func(code string) error) error {
	rows, err := s.db.read.QueryContext(ctx, `SELECT short_code FROM short_urls`)
	if err != nil {
		return fmt.Errorf("sqlite: short codes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return fmt.Errorf("sqlite: short codes: %w", err)
		}
		if err := fn(code); err != nil {
			return err
		}
	}
	return rows.Err()
}
