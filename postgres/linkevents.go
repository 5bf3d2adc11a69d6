package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/shortener-dev/shortener"
)

// The outbox writes of the link and click stores: each runs inside the
// transaction (or the statement) of the change it describes, so an event
// is stored exactly when its change is.

// subscribedTo is the condition on webhooks w of an endpoint that receives
// event: active and subscribed.
func subscribedTo(event string) string {
	return `w.is_active AND ' ' || w.events || ' ' LIKE '% ` + event + ` %'`
}

// queueLinkEvent adds a delivery of event about l, as it is now, for each
// of its owner's endpoints that receive it. A link without owner has none.
func queueLinkEvent(ctx context.Context, tx pgx.Tx, event string, l *shortener.Link, at time.Time) error {
	if l.OwnerID == nil {
		return nil
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO webhook_outbox (event_id, webhook_id, event_type, data, created_at, attempts, next_attempt_at)
		SELECT $1, w.id, $2, $3, $4, 0, $4 FROM webhooks w
		WHERE w.user_id = $5 AND `+subscribedTo(event),
		shortener.NewIDAt(at), event, string(shortener.EncodeLinkSnapshot(l)), at, *l.OwnerID)
	if err != nil {
		return fmt.Errorf("queue %s event: %w", event, err)
	}
	return nil
}

// createLinkSQL inserts a link and, in the same statement, the
// link.created deliveries for its owner's endpoints ($22 event ID, $23
// the link's snapshot): one round trip, as before there were webhooks. It
// answers how many links it inserted: 0 when the code is taken on its
// domain (no error, so that a bulk create's transaction goes on with the
// next link).
var createLinkSQL = `
	WITH l AS (
		INSERT INTO short_urls (` + linkColumns + `)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
		ON CONFLICT DO NOTHING
		RETURNING owner_id
	), ev AS (
		INSERT INTO webhook_outbox (event_id, webhook_id, event_type, data, created_at, attempts, next_attempt_at)
		SELECT $22, w.id, '` + shortener.EventLinkCreated + `', $23, $11, 0, $11
		FROM l JOIN webhooks w ON w.user_id = l.owner_id
		WHERE ` + subscribedTo(shortener.EventLinkCreated) + `
	)
	SELECT count(*) FROM l`
