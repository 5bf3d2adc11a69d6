-- +goose Up
-- Organising links (API.md): tags, and the indexes of the list's filters
-- and sorts. Tags are a text[] (normalised: lower-case, sorted, no
-- duplicates); a GIN index serves "has all of these tags" (@>).
ALTER TABLE short_urls ADD COLUMN tags text[] NOT NULL DEFAULT '{}';
CREATE INDEX short_urls_tags_idx ON short_urls USING gin (tags);
CREATE INDEX short_urls_owner_clicks_idx ON short_urls (owner_id, click_count DESC, created_at DESC, id DESC);

-- +goose Down
DROP INDEX short_urls_owner_clicks_idx;
DROP INDEX short_urls_tags_idx;
ALTER TABLE short_urls DROP COLUMN tags;
