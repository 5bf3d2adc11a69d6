-- +goose Up
-- API keys (API.md, "API keys"): only the SHA-256 of a key is kept, and
-- its first 12 characters to recognise it by. Scopes are space-separated.
-- A revoked key is deleted.
CREATE TABLE api_keys (
    id           uuid        PRIMARY KEY,
    user_id      uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         text        NOT NULL,
    prefix       text        NOT NULL,
    key_hash     text        NOT NULL UNIQUE,
    scopes       text        NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz,
    last_used_at timestamptz
);

CREATE INDEX api_keys_user_idx ON api_keys (user_id, created_at DESC);

-- Webhook endpoints. events is space-separated (matched with
-- ' ' || events || ' ' LIKE '% link.created %'); failing_since is when
-- the endpoint's deliveries started failing without a success since.
CREATE TABLE webhooks (
    id            uuid        PRIMARY KEY,
    user_id       uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    url           text        NOT NULL,
    events        text        NOT NULL,
    description   text        NOT NULL DEFAULT '',
    secret        text        NOT NULL,
    is_active     boolean     NOT NULL DEFAULT true,
    failing_since timestamptz,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);

CREATE INDEX webhooks_user_idx ON webhooks (user_id, created_at DESC);

-- The outbox: one row per event and endpoint, written in the transaction
-- of the change; deleted once delivered or given up. data is the event's
-- data in its stored form (a link snapshot, or the final JSON).
-- next_attempt_at is also the claim: a dispatcher moves it past its lease.
CREATE TABLE webhook_outbox (
    event_id        uuid        NOT NULL,
    webhook_id      uuid        NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_type      text        NOT NULL,
    data            text        NOT NULL,
    created_at      timestamptz NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    PRIMARY KEY (event_id, webhook_id)
);

CREATE INDEX webhook_outbox_due_idx ON webhook_outbox (next_attempt_at);

-- Clicks waiting to be packed into link.clicked deliveries, per endpoint;
-- written in the transaction that stores the clicks. No IP or visitor
-- hash: only what the event shows.
CREATE TABLE webhook_pending_clicks (
    webhook_id  uuid        NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    click_id    uuid        NOT NULL,
    link_id     uuid        NOT NULL,
    short_code  text        NOT NULL,
    occurred_at timestamptz NOT NULL,
    queued_at   timestamptz NOT NULL,
    referrer    text        NOT NULL,
    country     text        NOT NULL,
    browser     text        NOT NULL,
    os          text        NOT NULL,
    device      text        NOT NULL,
    is_bot      boolean     NOT NULL,
    target      text        NOT NULL,
    PRIMARY KEY (webhook_id, click_id)
);

CREATE INDEX webhook_pending_clicks_group_idx ON webhook_pending_clicks (webhook_id, link_id, occurred_at);

-- Every delivery attempt; the last 100 per endpoint are kept.
CREATE TABLE webhook_deliveries (
    id           uuid        PRIMARY KEY,
    webhook_id   uuid        NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id     uuid        NOT NULL,
    event_type   text        NOT NULL,
    attempt      integer     NOT NULL,
    status_code  integer     NOT NULL DEFAULT 0,
    error        text        NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL,
    delivered_at timestamptz
);

CREATE INDEX webhook_deliveries_webhook_idx ON webhook_deliveries (webhook_id, created_at DESC, id DESC);

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE webhook_pending_clicks;
DROP TABLE webhook_outbox;
DROP TABLE webhooks;
DROP TABLE api_keys;
