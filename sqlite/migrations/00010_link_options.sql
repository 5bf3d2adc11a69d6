-- +goose Up
-- Link options (API.md, "Link options"). rules and variants are JSON in the
-- shape of the API (shortener.EncodeRules); clicks_used is the max_clicks
-- counter, whose truth is this column; target is the URL a click was sent
-- to (a rule's, a variant's or the link's own).
ALTER TABLE short_urls ADD COLUMN redirect_type INTEGER NOT NULL DEFAULT 302
    CHECK (redirect_type IN (301, 302, 307, 308));
ALTER TABLE short_urls ADD COLUMN forward_query INTEGER NOT NULL DEFAULT 0 CHECK (forward_query IN (0, 1));
ALTER TABLE short_urls ADD COLUMN valid_since INTEGER;
ALTER TABLE short_urls ADD COLUMN max_clicks INTEGER CHECK (max_clicks >= 1);
ALTER TABLE short_urls ADD COLUMN clicks_used INTEGER NOT NULL DEFAULT 0;
ALTER TABLE short_urls ADD COLUMN password_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE short_urls ADD COLUMN rules TEXT NOT NULL DEFAULT '[]';
ALTER TABLE short_urls ADD COLUMN variants TEXT;
ALTER TABLE click_events ADD COLUMN target TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE click_events DROP COLUMN target;
ALTER TABLE short_urls DROP COLUMN variants;
ALTER TABLE short_urls DROP COLUMN rules;
ALTER TABLE short_urls DROP COLUMN password_hash;
ALTER TABLE short_urls DROP COLUMN clicks_used;
ALTER TABLE short_urls DROP COLUMN max_clicks;
ALTER TABLE short_urls DROP COLUMN valid_since;
ALTER TABLE short_urls DROP COLUMN forward_query;
ALTER TABLE short_urls DROP COLUMN redirect_type;
