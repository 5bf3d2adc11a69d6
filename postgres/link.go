package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/shortener-dev/shortener"
)

// LinkStore keeps links in PostgreSQL. It is also the bottom Resolver of
// the redirect path.
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
	return id
}

// CreateLink inserts l with its link.created event (createLinkSQL); a
// taken short code (compared case-sensitively) is ECONFLICT.
func (s *LinkStore) CreateLink(ctx context.Context, l *shortener.Link) error {
	var inserted int
	err := s.db.pool.QueryRow(ctx, createLinkSQL, createLinkArgs(l)...).Scan(&inserted)
	if err == nil && inserted == 0 {
		return shortener.Errorf(shortener.ECONFLICT, "%s", msgCodeTaken)
	}
	return linkWriteError("create link", err, "", msgCodeTaken)
}

// createLinkArgs are the arguments of createLinkSQL for l: its columns,
// then the event's ID and the link's snapshot (none for an anonymous link,
// which has no endpoints).
func createLinkArgs(l *shortener.Link) []any {
	snapshot := ""
	if l.OwnerID != nil {
		snapshot = string(shortener.EncodeLinkSnapshot(l))
	}
	return []any{l.ID, l.ShortCode, l.OriginalURL, l.CustomAlias, l.Title, l.OwnerID,
		l.IsActive, l.IsPublic, l.ExpiresAt, l.ClickCount, l.CreatedAt, l.UpdatedAt,
		shortener.RedirectStatusOf(l.RedirectType), l.ForwardQuery, l.ValidSince, l.MaxClicks, l.PasswordHash,
		shortener.EncodeRules(l.Rules), shortener.EncodeVariants(l.Variants), tagsOf(l.Tags), domainOf(l.DomainID),
		shortener.NewIDAt(l.CreatedAt), snapshot}
}

// tagsOf returns tags, never nil: pgx sends a nil slice as NULL.
func tagsOf(tags []string) []string {
	if tags == nil {
		return []string{}
	}
	return tags
}

// LinkByID returns the link with the given ID, or ENOTFOUND.
func (s *LinkStore) LinkByID(ctx context.Context, id string) (*shortener.Link, error) {
	if !shortener.IsID(id) {
		return nil, shortener.Errorf(shortener.ENOTFOUND, "%s", msgLinkNotFound)
	}
	l, err := scanLink(s.db.pool.QueryRow(ctx, `SELECT `+linkSelect+` FROM short_urls WHERE id = $1`, id))
	return l, storeError("link by id", err, msgLinkNotFound, "")
}

// LinkByCode returns the link with the given short code on the domain, or
// ENOTFOUND.
func (s *LinkStore) LinkByCode(ctx context.Context, domainID, code string) (*shortener.Link, error) {
	if !shortener.IsID(domainID) {
		return nil, shortener.Errorf(shortener.ENOTFOUND, "%s", msgLinkNotFound)
	}
	l, err := scanLink(s.db.pool.QueryRow(ctx, linkByCodeSQL, domainID, code))
	return l, storeError("link by code", err, msgLinkNotFound, "")
}

const linkByCodeSQL = `SELECT ` + linkSelect + ` FROM short_urls WHERE domain_id = $1 AND short_code = $2`

// Resolve returns the redirect target of a link key; an unknown code is a
// Target with Found false, not an error.
func (s *LinkStore) Resolve(ctx context.Context, key string) (shortener.Target, error) {
	domainID, code := shortener.SplitLinkKey(key)
	if !shortener.IsID(domainID) {
		return shortener.Target{}, nil
	}
	l, err := scanLink(s.db.pool.QueryRow(ctx, linkByCodeSQL, domainID, code))
	if errors.Is(err, pgx.ErrNoRows) {
		return shortener.Target{}, nil
	} else if err != nil {
		return shortener.Target{}, storeError("resolve", err, "", "")
	}
	return shortener.TargetOf(l), nil
}

// ListLinks returns a page of the links q selects, in q's order.
func (s *LinkStore) ListLinks(ctx context.Context, q shortener.LinkQuery) (*shortener.LinkPage, error) {
	page := &shortener.LinkPage{Links: []*shortener.Link{}}
	where, args, ok := linkFilter(q)
	if !ok {
		return page, ctx.Err()
	}
	// Both queries read one snapshot so that Total matches the page.
	err := pgx.BeginTxFunc(ctx, s.db.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly},
		func(tx pgx.Tx) error {
			err := tx.QueryRow(ctx, `SELECT count(*) FROM short_urls WHERE `+where, args...).Scan(&page.Total)
			if err != nil || q.Limit <= 0 || q.Offset >= page.Total {
				return err
			}
			n := len(args)
			rows, err := tx.Query(ctx, fmt.Sprintf(`
				SELECT `+linkSelect+` FROM short_urls
				WHERE %s
				ORDER BY %s
				LIMIT $%d OFFSET $%d`, where, linkOrder(q.Sort), n+1, n+2), append(args, q.Limit, max(q.Offset, 0))...)
			return eachLinkRow(rows, err, func(l *shortener.Link) error {
				page.Links = append(page.Links, l)
				return nil
			})
		})
	if err != nil {
		return nil, storeError("list links", err, "", "")
	}
	return page, nil
}

// UpdateLink writes the fields u names and updated_at (never back: of two
// concurrent PATCHes, the one that commits last may have read the clock
// first), and queues the link.updated event, or returns ENOTFOUND.
func (s *LinkStore) UpdateLink(ctx context.Context, id string, u shortener.LinkUpdate, now time.Time) (l *shortener.Link, err error) {
	if !shortener.IsID(id) {
		return nil, shortener.Errorf(shortener.ENOTFOUND, "%s", msgLinkNotFound)
	}
	err = pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		if l, err = updateLink(ctx, tx, id, u, now); err != nil {
			return err
		}
		return queueLinkEvent(ctx, tx, shortener.EventLinkUpdated, l, now)
	})
	return l, linkWriteError("update link", err, msgLinkNotFound, msgCodeTaken)
}

func updateLink(ctx context.Context, tx pgx.Tx, id string, u shortener.LinkUpdate, now time.Time) (*shortener.Link, error) {
	row := tx.QueryRow(ctx, `
		UPDATE short_urls SET
			original_url = COALESCE($2, original_url),
			title = CASE WHEN $3 THEN NULL ELSE COALESCE($4, title) END,
			expires_at = CASE WHEN $5 THEN NULL ELSE COALESCE($6, expires_at) END,
			is_active = COALESCE($7, is_active),
			is_public = COALESCE($8, is_public),
			redirect_type = COALESCE($10, redirect_type),
			forward_query = COALESCE($11, forward_query),
			valid_since = CASE WHEN $12 THEN NULL ELSE COALESCE($13, valid_since) END,
			max_clicks = CASE WHEN $14 THEN NULL ELSE COALESCE($15, max_clicks) END,
			clicks_used = CASE WHEN $15 IS NULL THEN clicks_used ELSE GREATEST(clicks_used, click_count) END,
			password_hash = COALESCE($16, password_hash),
			rules = COALESCE($17, rules),
			variants = CASE WHEN $18 THEN NULL ELSE COALESCE($19, variants) END,
			tags = COALESCE($20, tags),
			domain_id = COALESCE($21, domain_id),
			updated_at = GREATEST($9, updated_at)
		WHERE id = $1
		RETURNING `+linkSelect,
		id, u.OriginalURL, u.ClearTitle, u.Title, u.ClearExpiry, u.ExpiresAt, u.IsActive, u.IsPublic, now,
		u.RedirectType, u.ForwardQuery, u.ClearValidSince, u.ValidSince, u.ClearMaxClicks, u.MaxClicks,
		u.PasswordHash, u.StoredRules(), u.ClearVariants, u.StoredVariants(), u.Tags, u.DomainID)
	return scanLink(row)
}

// DeleteLink deletes the link with its clicks and rollups, and queues the
// link.deleted event with the link as it was. Returns ENOTFOUND if there
// is none.
//
// The click tables have no foreign key (migration 00051): deleting the
// link's row first waits for any batch of clicks that locked it
// (insertEventsSQL), and a later batch finds it gone, so the rows deleted
// here are all there will be.
func (s *LinkStore) DeleteLink(ctx context.Context, id string) error {
	if !shortener.IsID(id) {
		return shortener.Errorf(shortener.ENOTFOUND, "%s", msgLinkNotFound)
	}
	err := retryDeadlock(func() error { // with a batch of its clicks (errors.go)
		return pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
			l, err := scanLink(tx.QueryRow(ctx, `DELETE FROM short_urls WHERE id = $1 RETURNING `+linkSelect, id))
			if err != nil {
				return err
			}
			var b pgx.Batch
			for _, table := range clickTables {
				b.Queue(`DELETE FROM `+table+` WHERE link_id = $1`, id)
			}
			if err := tx.SendBatch(ctx, &b).Close(); err != nil {
				return err
			}
			return queueLinkEvent(ctx, tx, shortener.EventLinkDeleted, l, shortener.SystemClock())
		})
	})
	return storeError("delete link", err, msgLinkNotFound, "")
}

// clickTables hold a link's clicks and rollups, keyed by link_id.
var clickTables = []string{"click_events", "link_daily_stats", "link_daily_visitors", "link_daily_dimensions"}

func scanLink(r pgx.Row) (*shortener.Link, error) {
	var (
		l                   shortener.Link
		expires, validSince pgtype.Timestamptz
		created, updated    pgtype.Timestamptz
		redirect            int16
		rules               string
		variants            *string
	)
	if err := r.Scan(&l.ID, &l.ShortCode, &l.OriginalURL, &l.CustomAlias, &l.Title, &l.OwnerID,
		&l.IsActive, &l.IsPublic, &expires, &l.ClickCount, &created, &updated,
		&redirect, &l.ForwardQuery, &validSince, &l.MaxClicks, &l.PasswordHash, &rules, &variants, &l.Tags,
		&l.DomainID, &l.ClicksUsed, &l.Domain); err != nil {
		return nil, err
	}
	l.RedirectType = int(redirect)
	if len(l.Tags) == 0 {
		l.Tags = nil // none, as the other engine and the services say it
	}
	l.ExpiresAt, l.ValidSince = utcPtr(expires), utcPtr(validSince)
	l.CreatedAt, l.UpdatedAt = created.Time.UTC(), updated.Time.UTC()
	var err error
	if l.Rules, err = shortener.DecodeRules(rules); err != nil {
		return nil, err
	}
	if l.Variants, err = shortener.DecodeVariants(variants); err != nil {
		return nil, err
	}
	return &l, nil
}

// TakeLinkClick uses one of a capped link's clicks: the row lock of the
// UPDATE serialises concurrent takes on every instance, and the column is
// the counter's truth, so the cap is exact across restarts of anything.
func (s *LinkStore) TakeLinkClick(ctx context.Context, id string) (bool, error) {
	if !shortener.IsID(id) {
		return false, shortener.Errorf(shortener.ENOTFOUND, "%s", msgLinkNotFound)
	}
	tag, err := s.db.pool.Exec(ctx, `
		UPDATE short_urls SET clicks_used = clicks_used + 1
		WHERE id = $1 AND max_clicks IS NOT NULL AND clicks_used < max_clicks`, id)
	if err != nil {
		return false, storeError("take link click", err, "", "")
	}
	if tag.RowsAffected() == 1 {
		return true, nil
	}
	return s.LinkClicksLeft(ctx, id) // used up, uncapped or unknown
}

// LinkClicksLeft reports whether a capped link has clicks left.
func (s *LinkStore) LinkClicksLeft(ctx context.Context, id string) (bool, error) {
	if !shortener.IsID(id) {
		return false, shortener.Errorf(shortener.ENOTFOUND, "%s", msgLinkNotFound)
	}
	var left bool
	err := s.db.pool.QueryRow(ctx,
		`SELECT max_clicks IS NULL OR clicks_used < max_clicks FROM short_urls WHERE id = $1`, id).Scan(&left)
	return left, storeError("link clicks left", err, msgLinkNotFound, "")
}

// LinkKeys calls fn with the LinkKey of every link.
func (s *LinkStore) LinkKeys(ctx context.Context, fn func(key string) error) error {
	rows, err := s.db.pool.Query(ctx, `SELECT domain_id, short_code FROM short_urls`)
	if err != nil {
		return storeError("link keys", err, "", "")
	}
	defer rows.Close()
	for rows.Next() {
		var domainID, code string
		if err := rows.Scan(&domainID, &code); err != nil {
			return storeError("link keys", err, "", "")
		}
		if err := fn(shortener.LinkKey(domainID, code)); err != nil {
			return err
		}
	}
	return storeError("link keys", rows.Err(), "", "")
}
