package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/shortener-dev/shortener"
)

// WebhookStore keeps webhooks, their deliveries log and the outbox in
// PostgreSQL. Several instances' dispatchers share the outbox: claims and
// packing lock rows with FOR UPDATE SKIP LOCKED.
type WebhookStore struct{ db *DB }

var (
	_ shortener.WebhookStore = (*WebhookStore)(nil)
	_ shortener.Outbox       = (*WebhookStore)(nil)
)

// NewWebhookStore returns a WebhookStore on db.
func NewWebhookStore(db *DB) *WebhookStore { return &WebhookStore{db: db} }

const webhookColumns = `id, user_id, url, events, description, secret, is_active, failing_since, created_at, updated_at`

var errWebhookNotFound = shortener.Errorf(shortener.ENOTFOUND, "%s", shortener.MsgWebhookNotFound)

// CreateWebhook inserts w.
func (s *WebhookStore) CreateWebhook(ctx context.Context, w *shortener.Webhook) error {
	_, err := s.db.pool.Exec(ctx, `INSERT INTO webhooks (`+webhookColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		w.ID, w.UserID, w.URL, shortener.JoinEvents(w.Events), w.Description, w.Secret, w.IsActive,
		w.FailingSince, w.CreatedAt, w.UpdatedAt)
	return storeError("create webhook", err, "", "")
}

// WebhookByID returns the webhook, or ENOTFOUND.
func (s *WebhookStore) WebhookByID(ctx context.Context, id string) (*shortener.Webhook, error) {
	if !shortener.IsID(id) {
		return nil, errWebhookNotFound
	}
	w, err := scanWebhook(s.db.pool.QueryRow(ctx, `SELECT `+webhookColumns+` FROM webhooks WHERE id = $1`, id))
	return w, storeError("webhook by id", err, shortener.MsgWebhookNotFound, "")
}

// ListWebhooks returns the user's webhooks, newest first.
func (s *WebhookStore) ListWebhooks(ctx context.Context, userID string) ([]*shortener.Webhook, error) {
	out := []*shortener.Webhook{}
	if !shortener.IsID(userID) {
		return out, nil
	}
	rows, err := s.db.pool.Query(ctx,
		`SELECT `+webhookColumns+` FROM webhooks WHERE user_id = $1 ORDER BY created_at DESC, id DESC`, userID)
	if err != nil {
		return nil, storeError("list webhooks", err, "", "")
	}
	defer rows.Close()
	for rows.Next() {
		w, err := scanWebhook(rows)
		if err != nil {
			return nil, storeError("list webhooks", err, "", "")
		}
		out = append(out, w)
	}
	return out, storeError("list webhooks", rows.Err(), "", "")
}

// UpdateWebhook writes the fields u names, or returns ENOTFOUND. Setting
// is_active clears failing_since.
func (s *WebhookStore) UpdateWebhook(ctx context.Context, id string, u shortener.WebhookUpdate, now time.Time) (*shortener.Webhook, error) {
	if !shortener.IsID(id) {
		return nil, errWebhookNotFound
	}
	var events *string
	if u.Events != nil {
		e := shortener.JoinEvents(*u.Events)
		events = &e
	}
	w, err := scanWebhook(s.db.pool.QueryRow(ctx, `
		UPDATE webhooks SET
			url = COALESCE($2, url),
			events = COALESCE($3, events),
			description = COALESCE($4, description),
			is_active = COALESCE($5, is_active),
			failing_since = CASE WHEN $5::boolean IS NOT NULL THEN NULL ELSE failing_since END,
			updated_at = $6
		WHERE id = $1
		RETURNING `+webhookColumns,
		id, u.URL, events, u.Description, u.IsActive, now))
	return w, storeError("update webhook", err, shortener.MsgWebhookNotFound, "")
}

// DeleteWebhook deletes the webhook; foreign keys cascade to its outbox
// rows, queued clicks and log. Returns ENOTFOUND if there is none.
func (s *WebhookStore) DeleteWebhook(ctx context.Context, id string) error {
	if !shortener.IsID(id) {
		return errWebhookNotFound
	}
	tag, err := s.db.pool.Exec(ctx, `DELETE FROM webhooks WHERE id = $1`, id)
	if err != nil {
		return storeError("delete webhook", err, "", "")
	}
	return requireRow(tag, shortener.MsgWebhookNotFound)
}

// ListDeliveries returns the webhook's last limit attempts, newest first.
func (s *WebhookStore) ListDeliveries(ctx context.Context, webhookID string, limit int) ([]*shortener.DeliveryAttempt, error) {
	out := []*shortener.DeliveryAttempt{}
	if !shortener.IsID(webhookID) {
		return out, nil
	}
	rows, err := s.db.pool.Query(ctx, `
		SELECT id, webhook_id, event_id, event_type, attempt, status_code, error, created_at, delivered_at
		FROM webhook_deliveries WHERE webhook_id = $1
		ORDER BY created_at DESC, id DESC LIMIT $2`, webhookID, limit)
	if err != nil {
		return nil, storeError("list deliveries", err, "", "")
	}
	defer rows.Close()
	for rows.Next() {
		var (
			a         shortener.DeliveryAttempt
			delivered pgtype.Timestamptz
		)
		if err := rows.Scan(&a.ID, &a.WebhookID, &a.EventID, &a.Event, &a.Attempt, &a.StatusCode, &a.Error,
			&a.CreatedAt, &delivered); err != nil {
			return nil, storeError("list deliveries", err, "", "")
		}
		a.CreatedAt, a.DeliveredAt = a.CreatedAt.UTC(), utcPtr(delivered)
		out = append(out, &a)
	}
	return out, storeError("list deliveries", rows.Err(), "", "")
}

// EnqueuePing adds a ping for the webhook, due at at.
func (s *WebhookStore) EnqueuePing(ctx context.Context, webhookID, eventID string, data []byte, at time.Time) error {
	if !shortener.IsID(webhookID) {
		return errWebhookNotFound
	}
	tag, err := s.db.pool.Exec(ctx, `
		INSERT INTO webhook_outbox (event_id, webhook_id, event_type, data, created_at, attempts, next_attempt_at)
		SELECT $1, id, $2, $3, $4, 0, $4 FROM webhooks WHERE id = $5`,
		eventID, shortener.EventPing, string(data), at, webhookID)
	if err != nil {
		return storeError("enqueue ping", err, "", "")
	}
	return requireRow(tag, shortener.MsgWebhookNotFound)
}

func scanWebhook(r pgx.Row) (*shortener.Webhook, error) {
	var (
		w       shortener.Webhook
		events  string
		failing pgtype.Timestamptz
	)
	if err := r.Scan(&w.ID, &w.UserID, &w.URL, &events, &w.Description, &w.Secret, &w.IsActive, &failing,
		&w.CreatedAt, &w.UpdatedAt); err != nil {
		return nil, err
	}
	w.Events = shortener.SplitEvents(events)
	w.FailingSince, w.CreatedAt, w.UpdatedAt = utcPtr(failing), w.CreatedAt.UTC(), w.UpdatedAt.UTC()
	return &w, nil
}
