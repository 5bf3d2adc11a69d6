-- +goose Up
-- Organising links (API.md): tags, a JSON array of normalised tags
-- (lower-case, sorted, no duplicates), and an index for the click-count
-- sort of one owner's links.
ALTER TABLE short_urls ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
CREATE INDEX short_urls_owner_clicks_idx ON short_urls (owner_id, click_count DESC, created_at DESC, id DESC);

-- +goose Down
DROP INDEX short_urls_owner_clicks_idx;
ALTER TABLE short_urls DROP COLUMN tags;
