-- +goose Up
CREATE TABLE users (
    id            uuid        PRIMARY KEY,
    email         text        NOT NULL,
    full_name     text        NOT NULL DEFAULT '',
    password_hash text        NOT NULL,
    role          text        NOT NULL DEFAULT 'user',
    is_active     boolean     NOT NULL DEFAULT true,
    is_verified   boolean     NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);

-- The email is stored as given; uniqueness ignores case.
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));

CREATE TABLE refresh_tokens (
    id          uuid        PRIMARY KEY,
    user_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id   uuid        NOT NULL,
    token_hash  text        NOT NULL UNIQUE,
    user_agent  text        NOT NULL DEFAULT '',
    ip          text        NOT NULL DEFAULT '',
    expires_at  timestamptz NOT NULL,
    created_at  timestamptz NOT NULL,
    consumed_at timestamptz,
    revoked_at  timestamptz
);

CREATE INDEX refresh_tokens_family_id_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_id_idx ON refresh_tokens (user_id);

-- Counters (click_count and the rollups) are updated in place all day.
-- Free space on each page (fillfactor) lets PostgreSQL keep the new row
-- version on the same page (a HOT update), skipping index maintenance.
CREATE TABLE short_urls (
    id           uuid        PRIMARY KEY,
    short_code   text        NOT NULL UNIQUE, -- deterministic collation: case-sensitive
    original_url text        NOT NULL,
    custom_alias text,
    title        text,
    owner_id     uuid        REFERENCES users (id) ON DELETE SET NULL,
    is_active    boolean     NOT NULL DEFAULT true,
    is_public    boolean     NOT NULL DEFAULT true,
    expires_at   timestamptz,
    click_count  bigint      NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
) WITH (fillfactor = 80);

CREATE INDEX short_urls_owner_listing_idx ON short_urls (owner_id, created_at DESC, id DESC);

CREATE TABLE click_events (
    id           uuid        PRIMARY KEY,
    link_id      uuid        NOT NULL REFERENCES short_urls (id) ON DELETE CASCADE,
    occurred_at  timestamptz NOT NULL,
    referrer     text        NOT NULL,
    browser      text        NOT NULL,
    os           text        NOT NULL,
    device       text        NOT NULL,
    country      text        NOT NULL,
    is_bot       boolean     NOT NULL,
    visitor_hash text        NOT NULL
);

CREATE INDEX click_events_link_occurred_idx ON click_events (link_id, occurred_at);

CREATE TABLE link_daily_stats (
    link_id         uuid   NOT NULL REFERENCES short_urls (id) ON DELETE CASCADE,
    day             date   NOT NULL,
    clicks          bigint NOT NULL DEFAULT 0,
    bot_clicks      bigint NOT NULL DEFAULT 0,
    unique_visitors bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (link_id, day)
) WITH (fillfactor = 70);

-- Visitor hashes are opaque: compared bytewise (COLLATE "C"), the cheapest.
CREATE TABLE link_daily_visitors (
    link_id      uuid NOT NULL REFERENCES short_urls (id) ON DELETE CASCADE,
    day          date NOT NULL,
    visitor_hash text COLLATE "C" NOT NULL,
    PRIMARY KEY (link_id, day, visitor_hash)
);

-- Values are compared and ordered bytewise (COLLATE "C"), as in SQLite, so
-- top lists break ties identically on both engines; byte comparison is also
-- much cheaper than a locale's for these hot primary keys.
CREATE TABLE link_daily_dimensions (
    link_id   uuid   NOT NULL REFERENCES short_urls (id) ON DELETE CASCADE,
    day       date   NOT NULL,
    dimension text   COLLATE "C" NOT NULL,
    value     text   COLLATE "C" NOT NULL,
    clicks    bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (link_id, day, dimension, value)
) WITH (fillfactor = 70);

-- +goose Down
DROP TABLE link_daily_dimensions;
DROP TABLE link_daily_visitors;
DROP TABLE link_daily_stats;
DROP TABLE click_events;
DROP TABLE short_urls;
DROP TABLE refresh_tokens;
DROP TABLE users;
