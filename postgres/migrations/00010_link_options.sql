-- +goose Up
-- Link options (API.md, "Link options"). rules and variants are JSON in the
-- shape of the API (shortener.EncodeRules); clicks_used is the max_clicks
-- counter, whose truth is this column; target is the URL a click was sent
-- to (a rule's, a variant's or the link's own).
ALTER TABLE short_urls
    ADD COLUMN redirect_type smallint NOT NULL DEFAULT 302 CHECK (redirect_type IN (301, 302, 307, 308)),
    ADD COLUMN forward_query boolean NOT NULL DEFAULT false,
    ADD COLUMN valid_since timestamptz,
    ADD COLUMN max_clicks bigint CHECK (max_clicks >= 1),
    ADD COLUMN clicks_used bigint NOT NULL DEFAULT 0,
    ADD COLUMN password_hash text NOT NULL DEFAULT '',
    ADD COLUMN rules text NOT NULL DEFAULT '[]',
    ADD COLUMN variants text;
ALTER TABLE click_events ADD COLUMN target text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE click_events DROP COLUMN target;
ALTER TABLE short_urls
    DROP COLUMN variants, DROP COLUMN rules, DROP COLUMN password_hash, DROP COLUMN clicks_used,
    DROP COLUMN max_clicks, DROP COLUMN valid_since, DROP COLUMN forward_query, DROP COLUMN redirect_type;
