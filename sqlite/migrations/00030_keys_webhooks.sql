-- +goose Up
-- API keys (API.md, "API keys"): only the SHA-256 of a key is kept, and
-- its first 12 characters to recognise it by. Scopes are space-separated.
-- A revoked key is deleted.
CREATE TABLE api_keys (
    id           TEXT    NOT NULL PRIMARY KEY,
    user_id      TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    prefix       TEXT    NOT NULL,
    key_hash     TEXT    NOT NULL UNIQUE,
    scopes       TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER,
    last_used_at INTEGER
) STRICT;

CREATE INDEX api_keys_user_idx ON api_keys (user_id, created_at DESC);

-- Webhook endpoints. events is space-separated (matched with
-- ' ' || events || ' ' LIKE '% link.created %'); failing_since is when
-- the endpoint's deliveries started failing without a success since.
CREATE TABLE webhooks (
    id            TEXT    NOT NULL PRIMARY KEY,
    user_id       TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    url           TEXT    NOT NULL,
    events        TEXT    NOT NULL,
    description   TEXT    NOT NULL DEFAULT '',
    secret        TEXT    NOT NULL,
    is_active     INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    failing_since INTEGER,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
) STRICT;

CREATE INDEX webhooks_user_idx ON webhooks (user_id, created_at DESC);

-- The outbox: one row per event and endpoint, written in the transaction
-- of the change; deleted once delivered or given up. data is the event's
-- data in its stored form (a link snapshot, or the final JSON).
-- next_attempt_at is also the claim: a dispatcher moves it past its lease.
CREATE TABLE webhook_outbox (
    event_id        TEXT    NOT NULL,
    webhook_id      TEXT    NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_type      TEXT    NOT NULL,
    data            TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    PRIMARY KEY (event_id, webhook_id)
) STRICT;

CREATE INDEX webhook_outbox_due_idx ON webhook_outbox (next_attempt_at);

-- Clicks waiting to be packed into link.clicked deliveries, per endpoint;
-- written in the transaction that stores the clicks. No IP or visitor
-- hash: only what the event shows.
CREATE TABLE webhook_pending_clicks (
    webhook_id    TEXT    NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    click_id      TEXT    NOT NULL,
    link_id       TEXT    NOT NULL,
    short_code    TEXT    NOT NULL,
    occurred_at   INTEGER NOT NULL,
    queued_at     INTEGER NOT NULL,
    referrer      TEXT    NOT NULL,
    country       TEXT    NOT NULL,
    browser       TEXT    NOT NULL,
    os            TEXT    NOT NULL,
    device        TEXT    NOT NULL,
    is_bot        INTEGER NOT NULL CHECK (is_bot IN (0, 1)),
    target        TEXT    NOT NULL,
    PRIMARY KEY (webhook_id, click_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX webhook_pending_clicks_group_idx ON webhook_pending_clicks (webhook_id, link_id, occurred_at);

-- Every delivery attempt; the last 100 per endpoint are kept.
CREATE TABLE webhook_deliveries (
    id           TEXT    NOT NULL PRIMARY KEY,
    webhook_id   TEXT    NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id     TEXT    NOT NULL,
    event_type   TEXT    NOT NULL,
    attempt      INTEGER NOT NULL,
    status_code  INTEGER NOT NULL DEFAULT 0,
    error        TEXT    NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    delivered_at INTEGER
) STRICT;

CREATE INDEX webhook_deliveries_webhook_idx ON webhook_deliveries (webhook_id, created_at DESC, id DESC);

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE webhook_pending_clicks;
DROP TABLE webhook_outbox;
DROP TABLE webhooks;
DROP TABLE api_keys;
