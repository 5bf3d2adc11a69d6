-- Times are INTEGER unix microseconds in UTC: they round-trip exactly to the
-- microsecond (as PostgreSQL's timestamptz does) and sort correctly.
-- Rollup days are TEXT 'YYYY-MM-DD' UTC dates. Booleans are INTEGER 0/1.

-- +goose Up
CREATE TABLE users (
    id            TEXT    NOT NULL PRIMARY KEY,
    email         TEXT    NOT NULL,
    full_name     TEXT    NOT NULL DEFAULT '',
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL DEFAULT 'user',
    is_active     INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    is_verified   INTEGER NOT NULL DEFAULT 0 CHECK (is_verified IN (0, 1)),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
) STRICT;

-- The email is stored as given; uniqueness ignores case.
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));

CREATE TABLE refresh_tokens (
    id          TEXT    NOT NULL PRIMARY KEY,
    user_id     TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id   TEXT    NOT NULL,
    token_hash  TEXT    NOT NULL UNIQUE,
    user_agent  TEXT    NOT NULL DEFAULT '',
    ip          TEXT    NOT NULL DEFAULT '',
    expires_at  INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    consumed_at INTEGER,
    revoked_at  INTEGER
) STRICT;

CREATE INDEX refresh_tokens_family_id_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_id_idx ON refresh_tokens (user_id);

CREATE TABLE short_urls (
    id           TEXT    NOT NULL PRIMARY KEY,
    short_code   TEXT    NOT NULL UNIQUE, -- BINARY collation: case-sensitive
    original_url TEXT    NOT NULL,
    custom_alias TEXT,
    title        TEXT,
    owner_id     TEXT    REFERENCES users (id) ON DELETE SET NULL,
    is_active    INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    is_public    INTEGER NOT NULL DEFAULT 1 CHECK (is_public IN (0, 1)),
    expires_at   INTEGER,
    click_count  INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
) STRICT;

CREATE INDEX short_urls_owner_listing_idx ON short_urls (owner_id, created_at DESC, id DESC);

-- UUIDv7 keys arrive in time order, so a clustered (WITHOUT ROWID) table
-- appends at its end and needs no second index for the key.
CREATE TABLE click_events (
    id           TEXT    NOT NULL PRIMARY KEY,
    link_id      TEXT    NOT NULL REFERENCES short_urls (id) ON DELETE CASCADE,
    occurred_at  INTEGER NOT NULL,
    referrer     TEXT    NOT NULL,
    browser      TEXT    NOT NULL,
    os           TEXT    NOT NULL,
    device       TEXT    NOT NULL,
    country      TEXT    NOT NULL,
    is_bot       INTEGER NOT NULL CHECK (is_bot IN (0, 1)),
    visitor_hash TEXT    NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX click_events_link_occurred_idx ON click_events (link_id, occurred_at);

CREATE TABLE link_daily_stats (
    link_id         TEXT    NOT NULL REFERENCES short_urls (id) ON DELETE CASCADE,
    day             TEXT    NOT NULL,
    clicks          INTEGER NOT NULL DEFAULT 0,
    bot_clicks      INTEGER NOT NULL DEFAULT 0,
    unique_visitors INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (link_id, day)
) STRICT, WITHOUT ROWID;

CREATE TABLE link_daily_visitors (
    link_id      TEXT NOT NULL REFERENCES short_urls (id) ON DELETE CASCADE,
    day          TEXT NOT NULL,
    visitor_hash TEXT NOT NULL,
    PRIMARY KEY (link_id, day, visitor_hash)
) STRICT, WITHOUT ROWID;

CREATE TABLE link_daily_dimensions (
    link_id   TEXT    NOT NULL REFERENCES short_urls (id) ON DELETE CASCADE,
    day       TEXT    NOT NULL,
    dimension TEXT    NOT NULL,
    value     TEXT    NOT NULL,
    clicks    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (link_id, day, dimension, value)
) STRICT, WITHOUT ROWID;

-- +goose Down
DROP TABLE link_daily_dimensions;
DROP TABLE link_daily_visitors;
DROP TABLE link_daily_stats;
DROP TABLE click_events;
DROP TABLE short_urls;
DROP TABLE refresh_tokens;
DROP TABLE users;
