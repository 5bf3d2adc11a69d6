package postgres

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/shortener-dev/shortener"
)

// PackClicks turns queued clicks into link.clicked deliveries. Each
// delivery is made in a transaction of its own that takes its clicks with
// FOR UPDATE SKIP LOCKED and deletes them: two instances packing at once
// never put one click into two deliveries.
func (s *WebhookStore) PackClicks(ctx context.Context, now time.Time, window time.Duration, max int) (int, error) {
	rows, err := s.db.pool.Query(ctx, `
		SELECT webhook_id, link_id FROM webhook_pending_clicks
		GROUP BY webhook_id, link_id
		HAVING min(queued_at) <= $1 OR count(*) >= $2`, now.Add(-window), max)
	if err != nil {
		return 0, storeError("pack clicks", err, "", "")
	}
	groups, err := pgx.CollectRows(rows, pgx.RowToStructByPos[clickGroup])
	if err != nil {
		return 0, storeError("pack clicks", err, "", "")
	}
	made := 0
	for _, g := range groups {
		for {
			n, err := s.packClickGroup(ctx, g, now, max)
			if err != nil {
				return made, storeError("pack clicks", err, "", "")
			}
			if n > 0 {
				made++
			}
			if n < max {
				break
			}
		}
	}
	return made, nil
}

type clickGroup struct{ Webhook, Link string }

// packClickGroup moves up to max of the group's clicks, oldest first, into
// one delivery, and returns how many it moved.
func (s *WebhookStore) packClickGroup(ctx context.Context, g clickGroup, now time.Time, max int) (int, error) {
	n := 0
	err := pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
			WITH picked AS (
				SELECT webhook_id, click_id FROM webhook_pending_clicks
				WHERE webhook_id = $1 AND link_id = $2
				ORDER BY occurred_at, click_id LIMIT $3
				FOR UPDATE SKIP LOCKED
			)
			DELETE FROM webhook_pending_clicks p USING picked
			WHERE p.webhook_id = picked.webhook_id AND p.click_id = picked.click_id
			RETURNING p.click_id, p.short_code, p.occurred_at, p.referrer, p.country, p.browser, p.os, p.device, p.is_bot, p.target`,
			g.Webhook, g.Link, max)
		if err != nil {
			return err
		}
		data := shortener.ClickedData{Link: shortener.EventLinkRef{ID: g.Link}, Clicks: []shortener.EventClick{}}
		var ids []string
		var c shortener.EventClick
		var id string
		_, err = pgx.ForEachRow(rows, []any{&id, &data.Link.ShortCode, &c.Time, &c.ReferrerHost, &c.Country, &c.Browser,
			&c.OS, &c.Device, &c.IsBot, &c.Target}, func() error {
			c.Time = c.Time.UTC()
			ids = append(ids, id)
			data.Clicks = append(data.Clicks, c)
			return nil
		})
		if err != nil || len(ids) == 0 {
			return err
		}
		// RETURNING keeps no order; the event lists clicks oldest first.
		order := make([]int, len(ids))
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(a, b int) int {
			return cmp.Or(data.Clicks[a].Time.Compare(data.Clicks[b].Time), strings.Compare(ids[a], ids[b]))
		})
		sorted := make([]shortener.EventClick, len(order))
		for i, j := range order {
			sorted[i] = data.Clicks[j]
		}
		data.Clicks = sorted
		n = len(ids)
		_, err = tx.Exec(ctx, `
			INSERT INTO webhook_outbox (event_id, webhook_id, event_type, data, created_at, attempts, next_attempt_at)
			VALUES ($1, $2, $3, $4, $5, 0, $5)`,
			shortener.NewIDAt(now), g.Webhook, shortener.EventLinkClicked, string(shortener.EncodeEventData(data)), now)
		return err
	})
	return n, err
}

// claimSQL takes the due deliveries ($1 now, $2 how many), skipping those
// another dispatcher holds locked and those to the endpoints in $4, and
// moves their next attempt to the end of the lease ($3), in one statement.
const claimSQL = `
	WITH due AS (
		SELECT o.event_id, o.webhook_id FROM webhook_outbox o JOIN webhooks w ON w.id = o.webhook_id
		WHERE o.next_attempt_at <= $1 AND o.webhook_id <> ALL ($4::uuid[])
			AND (w.is_active OR o.event_type = '` + shortener.EventPing + `')
		ORDER BY o.next_attempt_at, o.event_id
		LIMIT $2
		FOR UPDATE OF o SKIP LOCKED
	), claimed AS (
		UPDATE webhook_outbox o SET next_attempt_at = $3 FROM due
		WHERE o.event_id = due.event_id AND o.webhook_id = due.webhook_id
		RETURNING o.event_id, o.webhook_id, o.event_type, o.data, o.created_at, o.attempts
	)
	SELECT c.event_id, c.webhook_id, c.event_type, c.data, c.created_at, c.attempts, w.url, w.secret
	FROM claimed c JOIN webhooks w ON w.id = c.webhook_id
	ORDER BY c.created_at, c.event_id`

// ClaimDeliveries returns up to n due deliveries and moves their next
// attempt past the lease.
func (s *WebhookStore) ClaimDeliveries(ctx context.Context, now time.Time, n int, lease time.Duration, busy []string) ([]*shortener.Delivery, error) {
	busy = slices.DeleteFunc(slices.Clone(busy), func(id string) bool { return !shortener.IsID(id) })
	if busy == nil {
		busy = []string{}
	}
	rows, err := s.db.pool.Query(ctx, claimSQL, now, n, now.Add(lease), busy)
	if err != nil {
		return nil, storeError("claim deliveries", err, "", "")
	}
	var out []*shortener.Delivery
	var d shortener.Delivery
	var data string
	_, err = pgx.ForEachRow(rows, []any{&d.EventID, &d.WebhookID, &d.Event, &data, &d.CreatedAt, &d.Attempts, &d.URL, &d.Secret},
		func() error {
			c := d
			c.Data, c.CreatedAt = []byte(data), d.CreatedAt.UTC()
			out = append(out, &c)
			return nil
		})
	if err != nil {
		return nil, storeError("claim deliveries", err, "", "")
	}
	return out, nil
}

// ReleaseDelivery makes a claimed delivery due at at again.
func (s *WebhookStore) ReleaseDelivery(ctx context.Context, d *shortener.Delivery, at time.Time) error {
	_, err := s.db.pool.Exec(ctx, `UPDATE webhook_outbox SET next_attempt_at = $3 WHERE event_id = $1 AND webhook_id = $2`,
		d.EventID, d.WebhookID, at)
	return storeError("release delivery", err, "", "")
}

// RecordAttempt logs the attempt and applies its consequences in one
// transaction.
func (s *WebhookStore) RecordAttempt(ctx context.Context, d *shortener.Delivery, a *shortener.DeliveryAttempt, retryAt *time.Time, disableAfter time.Duration) error {
	err := pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		// The endpoint may have been deleted during the attempt: then
		// there is nothing left to log, and the rest changes no row.
		b.Queue(`
			INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_type, attempt, status_code, error, created_at, delivered_at)
			SELECT $1, id, $3, $4, $5, $6, $7, $8, $9 FROM webhooks WHERE id = $2`,
			a.ID, d.WebhookID, d.EventID, d.Event, a.Attempt, a.StatusCode, a.Error, a.CreatedAt, a.DeliveredAt)
		if retryAt == nil {
			b.Queue(`DELETE FROM webhook_outbox WHERE event_id = $1 AND webhook_id = $2`, d.EventID, d.WebhookID)
		} else {
			b.Queue(`UPDATE webhook_outbox SET attempts = $3, next_attempt_at = $4 WHERE event_id = $1 AND webhook_id = $2`,
				d.EventID, d.WebhookID, a.Attempt, *retryAt)
		}
		if a.DeliveredAt != nil {
			b.Queue(`UPDATE webhooks SET failing_since = NULL WHERE id = $1 AND failing_since IS NOT NULL`, d.WebhookID)
		} else {
			b.Queue(`
				UPDATE webhooks SET
					failing_since = COALESCE(failing_since, $2),
					is_active = CASE WHEN COALESCE(failing_since, $2) <= $3 THEN false ELSE is_active END
				WHERE id = $1`, d.WebhookID, a.CreatedAt, a.CreatedAt.Add(-disableAfter))
		}
		b.Queue(`
			DELETE FROM webhook_deliveries WHERE webhook_id = $1 AND id NOT IN (
				SELECT id FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2)`,
			d.WebhookID, shortener.MaxDeliveriesListed)
		return tx.SendBatch(ctx, b).Close()
	})
	if pgCode(err) == foreignKeyViolation {
		// The endpoint was deleted after the INSERT found it (its foreign
		// key refused the log entry): nothing is left to record.
		return nil
	}
	if err != nil {
		return fmt.Errorf("postgres: record delivery attempt: %w", err)
	}
	return nil
}
