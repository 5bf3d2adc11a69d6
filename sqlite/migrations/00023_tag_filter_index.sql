-- +goose Up
-- The tag filter tests the JSON text of tags (instr); with tags in an
-- index beside owner_id, SQLite tests them on the index entries and reads
-- only the matching rows (bench/organise, a tag filter sorted by title over
-- 100,000 links of one owner: 173 ms for the page query through the
-- owner's other indexes, 30-47 ms with this one; the count 31 -> 18 ms,
-- from the index alone).
CREATE INDEX short_urls_owner_tags_idx ON short_urls (owner_id, tags);

-- +goose Down
DROP INDEX short_urls_owner_tags_idx;
