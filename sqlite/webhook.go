package sqlite

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/shortener-dev/shortener"
)

// WebhookStore keeps webhooks, their deliveries log and the outbox in
// SQLite. The single writer connection serialises dispatchers: there is
// one per SQLite file anyway.
type WebhookStore struct{ db *DB }

var (
	_ shortener.WebhookStore = (*WebhookStore)(nil)
	_ shortener.Outbox       = (*WebhookStore)(nil)
)

// NewWebhookStore returns a WebhookStore on db.
func NewWebhookStore(db *DB) *WebhookStore { return &WebhookStore{db: db} }

const webhookColumns = `id, user_id, url, events, description, secret, is_active, failing_since, created_at, updated_at`

// CreateWebhook inserts w.
func (s *WebhookStore) CreateWebhook(ctx context.Context, w *shortener.Webhook) error {
	_, err := s.db.write.ExecContext(ctx, `INSERT INTO webhooks (`+webhookColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		w.ID, strings.ToLower(w.UserID), w.URL, shortener.JoinEvents(w.Events), w.Description, w.Secret, w.IsActive,
		nullMicros(w.FailingSince), micros(w.CreatedAt), micros(w.UpdatedAt))
	return storeError("create webhook", err, "", "")
}

// WebhookByID returns the webhook, or ENOTFOUND.
func (s *WebhookStore) WebhookByID(ctx context.Context, id string) (*shortener.Webhook, error) {
	w, err := scanWebhook(s.db.read.QueryRowContext(ctx,
		`SELECT `+webhookColumns+` FROM webhooks WHERE id = ?`, strings.ToLower(id)))
	return w, storeError("webhook by id", err, shortener.MsgWebhookNotFound, "")
}

// ListWebhooks returns the user's webhooks, newest first.
func (s *WebhookStore) ListWebhooks(ctx context.Context, userID string) ([]*shortener.Webhook, error) {
	rows, err := s.db.read.QueryContext(ctx,
		`SELECT `+webhookColumns+` FROM webhooks WHERE user_id = ? ORDER BY created_at DESC, id DESC`, strings.ToLower(userID))
	if err != nil {
		return nil, storeError("list webhooks", err, "", "")
	}
	out := []*shortener.Webhook{}
	err = scanAll(rows, func(r *sql.Rows) error {
		w, err := scanWebhook(r)
		out = append(out, w)
		return err
	})
	return out, storeError("list webhooks", err, "", "")
}

// UpdateWebhook writes the fields u names, or returns ENOTFOUND. Setting
// is_active clears failing_since.
func (s *WebhookStore) UpdateWebhook(ctx context.Context, id string, u shortener.WebhookUpdate, now time.Time) (*shortener.Webhook, error) {
	var events sql.NullString
	if u.Events != nil {
		events = sql.NullString{String: shortener.JoinEvents(*u.Events), Valid: true}
	}
	w, err := scanWebhook(s.db.write.QueryRowContext(ctx, `
		UPDATE webhooks SET
			url = COALESCE(?, url),
			events = COALESCE(?, events),
			description = COALESCE(?, description),
			is_active = COALESCE(?, is_active),
			failing_since = CASE WHEN ? THEN NULL ELSE failing_since END,
			updated_at = ?
		WHERE id = ?
		RETURNING `+webhookColumns,
		nullString(u.URL), events, nullString(u.Description), nullBool(u.IsActive), u.IsActive != nil,
		micros(now), strings.ToLower(id)))
	return w, storeError("update webhook", err, shortener.MsgWebhookNotFound, "")
}

// DeleteWebhook deletes the webhook; foreign keys cascade to its outbox
// rows, queued clicks and log. Returns ENOTFOUND if there is none.
func (s *WebhookStore) DeleteWebhook(ctx context.Context, id string) error {
	res, err := s.db.write.ExecContext(ctx, `DELETE FROM webhooks WHERE id = ?`, strings.ToLower(id))
	if err != nil {
		return storeError("delete webhook", err, "", "")
	}
	return requireRow(res, "delete webhook", shortener.MsgWebhookNotFound)
}

// ListDeliveries returns the webhook's last limit attempts, newest first.
func (s *WebhookStore) ListDeliveries(ctx context.Context, webhookID string, limit int) ([]*shortener.DeliveryAttempt, error) {
	rows, err := s.db.read.QueryContext(ctx, `
		SELECT id, webhook_id, event_id, event_type, attempt, status_code, error, created_at, delivered_at
		FROM webhook_deliveries WHERE webhook_id = ?
		ORDER BY created_at DESC, id DESC LIMIT ?`, strings.ToLower(webhookID), limit)
	if err != nil {
		return nil, storeError("list deliveries", err, "", "")
	}
	out := []*shortener.DeliveryAttempt{}
	err = scanAll(rows, func(r *sql.Rows) error {
		var (
			a         shortener.DeliveryAttempt
			created   int64
			delivered sql.NullInt64
		)
		err := r.Scan(&a.ID, &a.WebhookID, &a.EventID, &a.Event, &a.Attempt, &a.StatusCode, &a.Error, &created, &delivered)
		a.CreatedAt, a.DeliveredAt = fromMicros(created), timePtr(delivered)
		out = append(out, &a)
		return err
	})
	return out, storeError("list deliveries", err, "", "")
}

// EnqueuePing adds a ping for the webhook, due at at.
func (s *WebhookStore) EnqueuePing(ctx context.Context, webhookID, eventID string, data []byte, at time.Time) error {
	res, err := s.db.write.ExecContext(ctx, `
		INSERT INTO webhook_outbox (event_id, webhook_id, event_type, data, created_at, attempts, next_attempt_at)
		SELECT ?, id, ?, ?, ?, 0, ? FROM webhooks WHERE id = ?`,
		eventID, shortener.EventPing, string(data), micros(at), micros(at), strings.ToLower(webhookID))
	if err != nil {
		return storeError("enqueue ping", err, "", "")
	}
	return requireRow(res, "enqueue ping", shortener.MsgWebhookNotFound)
}

func scanWebhook(r rowScanner) (*shortener.Webhook, error) {
	var (
		w                shortener.Webhook
		events           string
		failing          sql.NullInt64
		created, updated int64
	)
	if err := r.Scan(&w.ID, &w.UserID, &w.URL, &events, &w.Description, &w.Secret, &w.IsActive, &failing,
		&created, &updated); err != nil {
		return nil, err
	}
	w.Events = shortener.SplitEvents(events)
	w.FailingSince, w.CreatedAt, w.UpdatedAt = timePtr(failing), fromMicros(created), fromMicros(updated)
	return &w, nil
}
