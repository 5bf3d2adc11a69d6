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

// The outbox writes of the link and click stores: each runs inside the
// transaction of the change it describes, so an event is stored exactly
// when its change is.

// inTx runs fn in a write transaction and commits it, or rolls it back
// when fn fails.
func (db *DB) inTx(ctx context.Context, fn func(tx *writeTx) error) error {
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx := &writeTx{Tx: sqlTx, cache: db.stmts}
	defer tx.prepareMissed(ctx)
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return cancelled(ctx, err)
	}
	return cancelled(ctx, tx.Commit())
}

// cancelled names the cause of a transaction that database/sql rolled back
// because ctx ended (a client that hung up): it reports sql.ErrTxDone,
// which alone reads as a bug and would be logged as an internal error.
func cancelled(ctx context.Context, err error) error {
	if errors.Is(err, sql.ErrTxDone) && ctx.Err() != nil {
		return fmt.Errorf("%w (%w)", ctx.Err(), err)
	}
	return err
}

// subscribedTo is the condition on webhooks w of an endpoint that receives
// event: active and subscribed.
func subscribedTo(event string) string {
	return `w.is_active = 1 AND ' ' || w.events || ' ' LIKE '% ` + event + ` %'`
}

// queueLinkEventSQL is queueLinkEvent's statement for each link event,
// prepared once: parsing it was a third of a link creation's time.
var queueLinkEventSQL = map[string]string{}

func init() {
	for _, event := range []string{shortener.EventLinkCreated, shortener.EventLinkUpdated, shortener.EventLinkDeleted} {
		queueLinkEventSQL[event] = `
		INSERT INTO webhook_outbox (event_id, webhook_id, event_type, data, created_at, attempts, next_attempt_at)
		SELECT ?, w.id, ?, ?, ?, 0, ? FROM webhooks w
		WHERE w.user_id = ? AND ` + subscribedTo(event)
	}
}

// queueLinkEvent adds a delivery of event about l, as it is now, for each
// of its owner's endpoints that receive it. A link without owner has none.
func queueLinkEvent(ctx context.Context, tx *writeTx, event string, l *shortener.Link, at time.Time) error {
	if l.OwnerID == nil {
		return nil
	}
	st, err := tx.stmt(ctx, queueLinkEventSQL[event])
	if err == nil {
		_, err = st.ExecContext(ctx, shortener.NewIDAt(at), event, string(shortener.EncodeLinkSnapshot(l)), micros(at), micros(at),
			strings.ToLower(*l.OwnerID))
	}
	if err != nil {
		return fmt.Errorf("queue %s event: %w", event, err)
	}
	return nil
}

var (
	// clickSubscribers finds, for the links of a batch, the endpoints of
	// their owners that receive link.clicked.
	clickSubscribers = multiRow{
		head: `SELECT u.id, u.short_code, w.id FROM short_urls u JOIN webhooks w ON w.user_id = u.owner_id
			WHERE ` + subscribedTo(shortener.EventLinkClicked) + ` AND u.id IN (`,
		tail:  `)`,
		width: 1,
	}
	insertPendingClicks = multiRow{
		head: `INSERT INTO webhook_pending_clicks (webhook_id, click_id, link_id, short_code, occurred_at, queued_at,
			referrer, country, browser, os, device, is_bot, target)`,
		width: 13,
	}
)

// queueClickEvents queues the stored clicks fresh for the endpoints that
// receive link.clicked; PackClicks makes deliveries of them.
func queueClickEvents(ctx context.Context, tx *writeTx, fresh []shortener.ClickEvent, at time.Time) error {
	var ids []any
	seen := map[string]bool{}
	for _, c := range fresh {
		if !seen[c.LinkID] {
			seen[c.LinkID] = true
			ids = append(ids, c.LinkID)
		}
	}
	type sub struct{ code, webhook string }
	subs := map[string][]sub{}
	err := clickSubscribers.query(ctx, tx, ids, func(r *sql.Rows) error {
		var link string
		var s sub
		err := r.Scan(&link, &s.code, &s.webhook)
		subs[link] = append(subs[link], s)
		return err
	})
	if err != nil || len(subs) == 0 {
		return err
	}
	var args []any
	for _, c := range fresh {
		for _, s := range subs[c.LinkID] {
			args = append(args, s.webhook, c.ID, c.LinkID, s.code, micros(c.OccurredAt), micros(at),
				c.Referrer, c.Country, c.Browser, c.OS, c.Device, c.IsBot, c.Target)
		}
	}
	return insertPendingClicks.exec(ctx, tx, args)
}
