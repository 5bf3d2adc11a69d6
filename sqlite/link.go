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
	is_active, is_public, expires_at, click_count, created_at, updated_at,
	redirect_type, forward_query, valid_since, max_clicks, password_hash, rules, variants, tags, domain_id`

// linkSelect is what scanLink reads: the columns, the clicks a cap has
// used, and the host of the link's domain.
const linkSelect = linkColumns + `, clicks_used, (SELECT host FROM domains WHERE domains.id = short_urls.domain_id)`

// domainOf is the domain ID a link is stored under.
func domainOf(id string) string {
	if id == "" {
		return shortener.DefaultDomainID
	}
	return strings.ToLower(id)
}

// CreateLink inserts l with its link.created event; a taken short code
// (compared case-sensitively) is ECONFLICT.
func (s *LinkStore) CreateLink(ctx context.Context, l *shortener.Link) error {
	err := s.db.inTx(ctx, func(tx *writeTx) error {
		inserted, err := insertLink(ctx, tx, l)
		if err == nil && !inserted {
			return shortener.Errorf(shortener.ECONFLICT, "%s", msgCodeTaken)
		} else if err != nil {
			return err
		}
		return s.db.search.added(ctx, tx, 1)
	})
	return linkWriteError("create link", err, "", msgCodeTaken)
}

// insertLinkSQL inserts a link unless its code is taken on its domain.
const insertLinkSQL = `
	INSERT INTO short_urls (` + linkColumns + `)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT DO NOTHING`

// insertLink inserts l and queues its link.created event in tx; false
// when its code is taken (no error, so that a bulk create's transaction
// goes on with the next link).
func insertLink(ctx context.Context, tx *writeTx, l *shortener.Link) (bool, error) {
	st, err := tx.stmt(ctx, insertLinkSQL)
	if err != nil {
		return false, err
	}
	res, err := st.ExecContext(ctx,
		l.ID, l.ShortCode, l.OriginalURL, nullString(l.CustomAlias), nullString(l.Title),
		nullString(l.OwnerID), l.IsActive, l.IsPublic, nullMicros(l.ExpiresAt), l.ClickCount,
		micros(l.CreatedAt), micros(l.UpdatedAt),
		shortener.RedirectStatusOf(l.RedirectType), l.ForwardQuery, nullMicros(l.ValidSince), nullInt64(l.MaxClicks),
		l.PasswordHash, shortener.EncodeRules(l.Rules), nullString(shortener.EncodeVariants(l.Variants)), encodeTags(l.Tags),
		domainOf(l.DomainID))
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	return true, queueLinkEvent(ctx, tx, shortener.EventLinkCreated, l, l.CreatedAt)
}

// LinkByID returns the link with the given ID, or ENOTFOUND.
func (s *LinkStore) LinkByID(ctx context.Context, id string) (*shortener.Link, error) {
	row := s.db.read.QueryRowContext(ctx, `SELECT `+linkSelect+` FROM short_urls WHERE id = ?`, id)
	l, err := scanLink(row)
	return l, storeError("link by id", err, msgLinkNotFound, "")
}

// LinkByCode returns the link with the given short code on the domain, or
// ENOTFOUND.
func (s *LinkStore) LinkByCode(ctx context.Context, domainID, code string) (*shortener.Link, error) {
	row := s.db.read.QueryRowContext(ctx, linkByCodeSQL, strings.ToLower(domainID), code)
	l, err := scanLink(row)
	return l, storeError("link by code", err, msgLinkNotFound, "")
}

const linkByCodeSQL = `SELECT ` + linkSelect + ` FROM short_urls WHERE domain_id = ? AND short_code = ?`

// Resolve returns the redirect target of a link key; an unknown code is a
// Target with Found false, not an error.
func (s *LinkStore) Resolve(ctx context.Context, key string) (shortener.Target, error) {
	domainID, code := shortener.SplitLinkKey(key)
	// Prepared once: parsing it cost as much as running it, on every L1 miss.
	st, err := s.db.reads.get(ctx, linkByCodeSQL)
	if err != nil {
		return shortener.Target{}, fmt.Errorf("sqlite: resolve: %w", err)
	}
	l, err := scanLink(st.QueryRowContext(ctx, domainID, code))
	if errors.Is(err, sql.ErrNoRows) {
		return shortener.Target{}, nil
	} else if err != nil {
		return shortener.Target{}, fmt.Errorf("sqlite: resolve: %w", err)
	}
	return shortener.TargetOf(l), nil
}

// ListLinks returns a page of the links q selects, in q's order.
func (s *LinkStore) ListLinks(ctx context.Context, q shortener.LinkQuery) (*shortener.LinkPage, error) {
	page := &shortener.LinkPage{Links: []*shortener.Link{}}
	if err := s.readySearch(ctx, q); err != nil {
		return nil, fmt.Errorf("sqlite: list links: %w", err)
	}
	where, args := linkFilter(q)
	// Both queries read one snapshot so that Total matches the page.
	tx, err := s.db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("sqlite: list links: begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM short_urls WHERE `+where, args...).Scan(&page.Total); err != nil {
		return nil, fmt.Errorf("sqlite: list links: count: %w", err)
	}
	if q.Limit <= 0 || q.Offset >= page.Total {
		return page, nil
	}
	rows, err := tx.QueryContext(ctx, `
		SELECT `+linkSelect+` FROM short_urls
		WHERE `+where+`
		ORDER BY `+linkOrder(q.Sort)+`
		LIMIT ? OFFSET ?`, append(args, q.Limit, max(q.Offset, 0))...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list links: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		l, err := scanLink(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list links: scan: %w", err)
		}
		page.Links = append(page.Links, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list links: %w", err)
	}
	return page, nil
}

// UpdateLink writes the fields u names and updated_at (never back: of two
// concurrent PATCHes, the one that commits last may have read the clock
// first), and queues the link.updated event, or returns ENOTFOUND.
func (s *LinkStore) UpdateLink(ctx context.Context, id string, u shortener.LinkUpdate, now time.Time) (l *shortener.Link, err error) {
	err = s.db.inTx(ctx, func(tx *writeTx) error {
		if l, err = updateLink(ctx, tx.Tx, id, u, now); err != nil {
			return err
		}
		return queueLinkEvent(ctx, tx, shortener.EventLinkUpdated, l, now)
	})
	return l, linkWriteError("update link", err, msgLinkNotFound, msgCodeTaken)
}

func updateLink(ctx context.Context, tx *sql.Tx, id string, u shortener.LinkUpdate, now time.Time) (*shortener.Link, error) {
	row := tx.QueryRowContext(ctx, `
		UPDATE short_urls SET
			original_url = COALESCE(?, original_url),
			title = CASE WHEN ? THEN NULL ELSE COALESCE(?, title) END,
			expires_at = CASE WHEN ? THEN NULL ELSE COALESCE(?, expires_at) END,
			is_active = COALESCE(?, is_active),
			is_public = COALESCE(?, is_public),
			redirect_type = COALESCE(?, redirect_type),
			forward_query = COALESCE(?, forward_query),
			valid_since = CASE WHEN ? THEN NULL ELSE COALESCE(?, valid_since) END,
			max_clicks = CASE WHEN ? THEN NULL ELSE COALESCE(?, max_clicks) END,
			clicks_used = CASE WHEN ? IS NULL THEN clicks_used ELSE max(clicks_used, click_count) END,
			password_hash = COALESCE(?, password_hash),
			rules = COALESCE(?, rules),
			variants = CASE WHEN ? THEN NULL ELSE COALESCE(?, variants) END,
			tags = COALESCE(?, tags),
			domain_id = COALESCE(?, domain_id),
			updated_at = max(?, updated_at)
		WHERE id = ?
		RETURNING `+linkSelect,
		nullString(u.OriginalURL), u.ClearTitle, nullString(u.Title), u.ClearExpiry, nullMicros(u.ExpiresAt),
		nullBool(u.IsActive), nullBool(u.IsPublic),
		nullRedirectType(u.RedirectType), nullBool(u.ForwardQuery), u.ClearValidSince, nullMicros(u.ValidSince),
		u.ClearMaxClicks, nullInt64(u.MaxClicks), nullInt64(u.MaxClicks), nullString(u.PasswordHash), nullString(u.StoredRules()),
		u.ClearVariants, nullString(u.StoredVariants()), nullTags(u.Tags), nullString(lowerPtr(u.DomainID)),
		micros(now), strings.ToLower(id))
	return scanLink(row)
}

// DeleteLink deletes the link, and queues the link.deleted event with the
// link as it was; foreign keys cascade to its clicks and rollups. Returns
// ENOTFOUND if there is none.
func (s *LinkStore) DeleteLink(ctx context.Context, id string) error {
	err := s.db.inTx(ctx, func(tx *writeTx) error {
		l, err := scanLink(tx.QueryRowContext(ctx, `DELETE FROM short_urls WHERE id = ? RETURNING `+linkSelect, id))
		if err != nil {
			return err
		}
		return queueLinkEvent(ctx, tx, shortener.EventLinkDeleted, l, shortener.SystemClock())
	})
	return storeError("delete link", err, msgLinkNotFound, "")
}

type rowScanner interface{ Scan(dest ...any) error }

func scanLink(r rowScanner) (*shortener.Link, error) {
	var (
		l                             shortener.Link
		alias, title, owner, variants sql.NullString
		expires, validSince, maxClks  sql.NullInt64
		created, updated              int64
		rules, tags                   string
		domain                        sql.NullString
	)
	if err := r.Scan(&l.ID, &l.ShortCode, &l.OriginalURL, &alias, &title, &owner,
		&l.IsActive, &l.IsPublic, &expires, &l.ClickCount, &created, &updated,
		&l.RedirectType, &l.ForwardQuery, &validSince, &maxClks, &l.PasswordHash, &rules, &variants, &tags,
		&l.DomainID, &l.ClicksUsed, &domain); err != nil {
		return nil, err
	}
	l.CustomAlias, l.Title, l.OwnerID = stringPtr(alias), stringPtr(title), stringPtr(owner)
	l.Domain = domain.String
	l.ExpiresAt, l.ValidSince = timePtr(expires), timePtr(validSince)
	l.CreatedAt, l.UpdatedAt = fromMicros(created), fromMicros(updated)
	if maxClks.Valid {
		l.MaxClicks = &maxClks.Int64
	}
	var err error
	if l.Rules, err = shortener.DecodeRules(rules); err != nil {
		return nil, err
	}
	if l.Variants, err = shortener.DecodeVariants(stringPtr(variants)); err != nil {
		return nil, err
	}
	if l.Tags, err = decodeTags(tags); err != nil {
		return nil, err
	}
	return &l, nil
}

// TakeLinkClick uses one of a capped link's clicks, in one statement that
// the single writer serialises: true when one was left or the link is
// uncapped.
func (s *LinkStore) TakeLinkClick(ctx context.Context, id string) (bool, error) {
	var taken int
	err := s.db.write.QueryRowContext(ctx, `
		UPDATE short_urls SET clicks_used = clicks_used + 1
		WHERE id = ? AND max_clicks IS NOT NULL AND clicks_used < max_clicks
		RETURNING 1`, strings.ToLower(id)).Scan(&taken)
	if errors.Is(err, sql.ErrNoRows) {
		// Used up, uncapped or unknown: tell them apart.
		return s.LinkClicksLeft(ctx, id)
	} else if err != nil {
		return false, storeError("take link click", err, "", "")
	}
	return true, nil
}

// LinkClicksLeft reports whether a capped link has clicks left.
func (s *LinkStore) LinkClicksLeft(ctx context.Context, id string) (bool, error) {
	var left bool
	err := s.db.read.QueryRowContext(ctx,
		`SELECT max_clicks IS NULL OR clicks_used < max_clicks FROM short_urls WHERE id = ?`,
		strings.ToLower(id)).Scan(&left)
	return left, storeError("link clicks left", err, msgLinkNotFound, "")
}

// LinkKeys calls fn with the LinkKey of every link.
func (s *LinkStore) LinkKeys(ctx context.Context, fn func(key string) error) error {
	rows, err := s.db.read.QueryContext(ctx, `SELECT domain_id, short_code FROM short_urls`)
	if err != nil {
		return fmt.Errorf("sqlite: link keys: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var domainID, code string
		if err := rows.Scan(&domainID, &code); err != nil {
			return fmt.Errorf("sqlite: link keys: %w", err)
		}
		if err := fn(shortener.LinkKey(domainID, code)); err != nil {
			return err
		}
	}
	return rows.Err()
}
