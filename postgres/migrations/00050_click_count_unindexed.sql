-- +goose Up
-- click_count changes with every batch of clicks. Indexed (00020, for the
-- list's click-count sort), each change was a new row version in every
-- index of short_urls, the trigram and tags GIN indexes among them;
-- unindexed, it is a HOT update on the same page (00001's fillfactor).
-- BenchmarkWriteClicks/100k-links: 8,300 -> 12,700 clicks/s; the
-- click-count sort of an owner's 100,000 links: 6 -> 36 ms
-- (BenchmarkListLinks), a top-N sort like the title's.
DROP INDEX short_urls_owner_clicks_idx;

-- +goose Down
CREATE INDEX short_urls_owner_clicks_idx ON short_urls (owner_id, click_count DESC, created_at DESC, id DESC);
