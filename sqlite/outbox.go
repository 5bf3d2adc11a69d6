package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/shortener-dev/shortener"
)

// PackClicks turns queued clicks into link.clicked deliveries, in one
// write transaction: the single writer is the only packer. Which groups
// are ready is read first on a reader, so that a round with nothing to
// pack (most of them) never takes the write lock.
func (s *WebhookStore) PackClicks(ctx context.Context, now time.Time, window time.Duration, max int) (int, error) {
	groups, err := readyClickGroups(ctx, s.db.read, now.Add(-window), max)
	if err != nil || len(groups) == 0 {
		return 0, storeError("pack clicks", err, "", "")
	}
	made := 0
	err = s.db.inTx(ctx, func(tx *writeTx) error {
		for _, g := range groups {
			for {
				n, err := packClickGroup(ctx, tx.Tx, g, now, max)
				if err != nil {
					return err
				}
				if n > 0 {
					made++
				}
				if n < max {
					break
				}
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("sqlite: pack clicks: %w", err)
	}
	return made, nil
}

type clickGroup struct{ webhook, link string }

// querier runs a query on a pool or in a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// readyClickGroups lists the (endpoint, link) pairs whose oldest queued
// click was queued by readyBy, or that have max clicks queued.
func readyClickGroups(ctx context.Context, db querier, readyBy time.Time, max int) ([]clickGroup, error) {
	rows, err := db.QueryContext(ctx, `
		SELECT webhook_id, link_id FROM webhook_pending_clicks
		GROUP BY webhook_id, link_id
		HAVING min(queued_at) <= ? OR count(*) >= ?`, micros(readyBy), max)
	if err != nil {
		return nil, err
	}
	var groups []clickGroup
	err = scanAll(rows, func(r *sql.Rows) error {
		var g clickGroup
		err := r.Scan(&g.webhook, &g.link)
		groups = append(groups, g)
		return err
	})
	return groups, err
}

// packClickGroup moves up to max of the group's clicks, oldest first, into
// one delivery, and returns how many it moved.
func packClickGroup(ctx context.Context, tx *sql.Tx, g clickGroup, now time.Time, max int) (int, error) {
	rows, err := tx.QueryContext(ctx, `
		SELECT click_id, short_code, occurred_at, referrer, country, browser, os, device, is_bot, target
		FROM webhook_pending_clicks WHERE webhook_id = ? AND link_id = ?
		ORDER BY occurred_at, click_id LIMIT ?`, g.webhook, g.link, max)
	if err != nil {
		return 0, err
	}
	data := shortener.ClickedData{Link: shortener.EventLinkRef{ID: g.link}, Clicks: []shortener.EventClick{}}
	var ids []string
	err = scanAll(rows, func(r *sql.Rows) error {
		var (
			id string
			c  shortener.EventClick
			at int64
		)
		err := r.Scan(&id, &data.Link.ShortCode, &at, &c.ReferrerHost, &c.Country, &c.Browser, &c.OS, &c.Device, &c.IsBot, &c.Target)
		c.Time = fromMicros(at)
		ids = append(ids, id)
		data.Clicks = append(data.Clicks, c)
		return err
	})
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	_, err = tx.ExecContext(ctx, `
		INSERT INTO webhook_outbox (event_id, webhook_id, event_type, data, created_at, attempts, next_attempt_at)
		VALUES (?, ?, ?, ?, ?, 0, ?)`,
		shortener.NewIDAt(now), g.webhook, shortener.EventLinkClicked, string(shortener.EncodeEventData(data)), micros(now), micros(now))
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, `DELETE FROM webhook_pending_clicks WHERE webhook_id = ? AND click_id = ?`, g.webhook, id); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

// ClaimDeliveries returns up to n due deliveries and moves their next
// attempt past the lease, in one write transaction.
func (s *WebhookStore) ClaimDeliveries(ctx context.Context, now time.Time, n int, lease time.Duration, busy []string) ([]*shortener.Delivery, error) {
	if busy == nil {
		busy = []string{} // json_each of null would be one NULL, which NOT IN refuses everything for
	}
	skip, err := json.Marshal(busy)
	if err != nil {
		return nil, fmt.Errorf("sqlite: claim deliveries: %w", err)
	}
	// Most rounds find nothing due: ask a reader before taking the write
	// lock.
	var due int
	err = s.db.read.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM webhook_outbox
		WHERE next_attempt_at <= ? AND webhook_id NOT IN (SELECT value FROM json_each(?)) LIMIT 1)`,
		micros(now), string(skip)).Scan(&due)
	if err != nil || due == 0 {
		return nil, storeError("claim deliveries", err, "", "")
	}
	var out []*shortener.Delivery
	err = s.db.inTx(ctx, func(tx *writeTx) error {
		rows, err := tx.QueryContext(ctx, `
			SELECT o.event_id, o.webhook_id, o.event_type, o.data, o.created_at, o.attempts, w.url, w.secret
			FROM webhook_outbox o JOIN webhooks w ON w.id = o.webhook_id
			WHERE o.next_attempt_at <= ? AND o.webhook_id NOT IN (SELECT value FROM json_each(?))
				AND (w.is_active = 1 OR o.event_type = ?)
			ORDER BY o.next_attempt_at, o.event_id LIMIT ?`, micros(now), string(skip), shortener.EventPing, n)
		if err != nil {
			return err
		}
		err = scanAll(rows, func(r *sql.Rows) error {
			var (
				d       shortener.Delivery
				data    string
				created int64
			)
			err := r.Scan(&d.EventID, &d.WebhookID, &d.Event, &data, &created, &d.Attempts, &d.URL, &d.Secret)
			d.Data, d.CreatedAt = []byte(data), fromMicros(created)
			out = append(out, &d)
			return err
		})
		if err != nil {
			return err
		}
		for _, d := range out {
			if err := setNextAttempt(ctx, tx.Tx, d, now.Add(lease)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: claim deliveries: %w", err)
	}
	return out, nil
}

func setNextAttempt(ctx context.Context, tx *sql.Tx, d *shortener.Delivery, at time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE webhook_outbox SET next_attempt_at = ? WHERE event_id = ? AND webhook_id = ?`,
		micros(at), d.EventID, d.WebhookID)
	return err
}

// ReleaseDelivery makes a claimed delivery due at at again.
func (s *WebhookStore) ReleaseDelivery(ctx context.Context, d *shortener.Delivery, at time.Time) error {
	err := s.db.inTx(ctx, func(tx *writeTx) error { return setNextAttempt(ctx, tx.Tx, d, at) })
	return storeError("release delivery", err, "", "")
}

// RecordAttempt logs the attempt and applies its consequences in one
// transaction.
func (s *WebhookStore) RecordAttempt(ctx context.Context, d *shortener.Delivery, a *shortener.DeliveryAttempt, retryAt *time.Time, disableAfter time.Duration) error {
	err := s.db.inTx(ctx, func(tx *writeTx) error {
		// The endpoint may have been deleted during the attempt: then
		// there is nothing left to log, and the rest changes no row.
		_, err := tx.ExecContext(ctx, `
			INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_type, attempt, status_code, error, created_at, delivered_at)
			SELECT ?, id, ?, ?, ?, ?, ?, ?, ? FROM webhooks WHERE id = ?`,
			a.ID, d.EventID, d.Event, a.Attempt, a.StatusCode, a.Error, micros(a.CreatedAt), nullMicros(a.DeliveredAt), d.WebhookID)
		if err != nil {
			return err
		}
		if retryAt == nil {
			_, err = tx.ExecContext(ctx, `DELETE FROM webhook_outbox WHERE event_id = ? AND webhook_id = ?`, d.EventID, d.WebhookID)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE webhook_outbox SET attempts = ?, next_attempt_at = ? WHERE event_id = ? AND webhook_id = ?`,
				a.Attempt, micros(*retryAt), d.EventID, d.WebhookID)
		}
		if err != nil {
			return err
		}
		if a.DeliveredAt != nil {
			_, err = tx.ExecContext(ctx, `UPDATE webhooks SET failing_since = NULL WHERE id = ? AND failing_since IS NOT NULL`, d.WebhookID)
		} else {
			_, err = tx.ExecContext(ctx, `
				UPDATE webhooks SET
					failing_since = COALESCE(failing_since, ?),
					is_active = CASE WHEN COALESCE(failing_since, ?) <= ? THEN 0 ELSE is_active END
				WHERE id = ?`,
				micros(a.CreatedAt), micros(a.CreatedAt), micros(a.CreatedAt.Add(-disableAfter)), d.WebhookID)
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `
			DELETE FROM webhook_deliveries WHERE webhook_id = ? AND id NOT IN (
				SELECT id FROM webhook_deliveries WHERE webhook_id = ? ORDER BY created_at DESC, id DESC LIMIT ?)`,
			d.WebhookID, d.WebhookID, shortener.MaxDeliveriesListed)
		return err
	})
	return storeError("record delivery attempt", err, "", "")
}
