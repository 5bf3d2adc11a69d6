-- +goose NO TRANSACTION
-- +goose Up
-- Short domains (API.md, "Domains"). The default domain is BASE_URL's host,
-- which no migration can know: its row has a fixed ID and a placeholder host
-- that the service replaces at start. Every existing link stays on it with
-- its code; codes are unique per domain from now on.
--
-- SQLite cannot drop the UNIQUE of short_code in place, so short_urls is
-- rebuilt. That needs foreign keys off (dropping the old table would
-- otherwise cascade to the clicks and rollups), which PRAGMA foreign_keys
-- cannot do inside a transaction: this file runs without goose's
-- transaction, on the writer's single connection, and opens its own. The
-- foreign keys are checked before the commit (a CHECK on a temporary table
-- refuses a nonzero count of violations).
PRAGMA foreign_keys = OFF;

BEGIN IMMEDIATE;

CREATE TABLE domains (
    id            TEXT    NOT NULL PRIMARY KEY,
    host          TEXT    NOT NULL UNIQUE,
    not_found_url TEXT,
    root_url      TEXT,
    created_at    INTEGER NOT NULL
) STRICT;

INSERT INTO domains (id, host, created_at)
    VALUES ('00000000-0000-0000-0000-000000000001', 'default.invalid', CAST(unixepoch('subsec') * 1000000 AS INTEGER));

CREATE TABLE short_urls_new (
    id            TEXT    NOT NULL PRIMARY KEY,
    short_code    TEXT    NOT NULL, -- BINARY collation: case-sensitive
    original_url  TEXT    NOT NULL,
    custom_alias  TEXT,
    title         TEXT,
    owner_id      TEXT    REFERENCES users (id) ON DELETE SET NULL,
    is_active     INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    is_public     INTEGER NOT NULL DEFAULT 1 CHECK (is_public IN (0, 1)),
    expires_at    INTEGER,
    click_count   INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    redirect_type INTEGER NOT NULL DEFAULT 302 CHECK (redirect_type IN (301, 302, 307, 308)),
    forward_query INTEGER NOT NULL DEFAULT 0 CHECK (forward_query IN (0, 1)),
    valid_since   INTEGER,
    max_clicks    INTEGER CHECK (max_clicks >= 1),
    clicks_used   INTEGER NOT NULL DEFAULT 0,
    password_hash TEXT    NOT NULL DEFAULT '',
    rules         TEXT    NOT NULL DEFAULT '[]',
    variants      TEXT,
    tags          TEXT    NOT NULL DEFAULT '[]',
    domain_id     TEXT    NOT NULL DEFAULT '00000000-0000-0000-0000-000000000001' REFERENCES domains (id),
    UNIQUE (domain_id, short_code)
) STRICT;

INSERT INTO short_urls_new (id, short_code, original_url, custom_alias, title, owner_id, is_active, is_public,
    expires_at, click_count, created_at, updated_at, redirect_type, forward_query, valid_since, max_clicks,
    clicks_used, password_hash, rules, variants, tags)
SELECT id, short_code, original_url, custom_alias, title, owner_id, is_active, is_public,
    expires_at, click_count, created_at, updated_at, redirect_type, forward_query, valid_since, max_clicks,
    clicks_used, password_hash, rules, variants, tags FROM short_urls;

DROP TABLE short_urls;

ALTER TABLE short_urls_new RENAME TO short_urls;

CREATE INDEX short_urls_owner_listing_idx ON short_urls (owner_id, created_at DESC, id DESC);

-- What the organising migrations (00020-00023) made on the old table: its
-- indexes, and the search index's triggers; the search index itself maps
-- by rowid, which the copy renumbered, so it is rebuilt.
CREATE INDEX short_urls_owner_clicks_idx ON short_urls (owner_id, click_count DESC, created_at DESC, id DESC);
CREATE INDEX short_urls_owner_tags_idx ON short_urls (owner_id, tags);

-- +goose StatementBegin
CREATE TRIGGER short_urls_search_insert AFTER INSERT ON short_urls BEGIN
    INSERT INTO short_urls_search (rowid, short_code, title, original_url)
    VALUES (new.rowid, new.short_code, new.title, new.original_url);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER short_urls_search_delete AFTER DELETE ON short_urls BEGIN
    INSERT INTO short_urls_search (short_urls_search, rowid, short_code, title, original_url)
    VALUES ('delete', old.rowid, old.short_code, old.title, old.original_url);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER short_urls_search_update AFTER UPDATE OF short_code, title, original_url ON short_urls BEGIN
    INSERT INTO short_urls_search (short_urls_search, rowid, short_code, title, original_url)
    VALUES ('delete', old.rowid, old.short_code, old.title, old.original_url);
    INSERT INTO short_urls_search (rowid, short_code, title, original_url)
    VALUES (new.rowid, new.short_code, new.title, new.original_url);
END;
-- +goose StatementEnd

INSERT INTO short_urls_search (short_urls_search) VALUES ('rebuild');

CREATE TEMP TABLE domains_fk_check (violations INTEGER NOT NULL CHECK (violations = 0));

INSERT INTO domains_fk_check SELECT count(*) FROM pragma_foreign_key_check;

DROP TABLE domains_fk_check;

COMMIT;

PRAGMA foreign_keys = ON;
