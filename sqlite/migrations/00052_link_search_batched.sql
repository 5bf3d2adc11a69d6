-- +goose Up
-- New links enter the search index (00022) in batches instead of one by
-- one: a row per transaction made FTS5 write and merge a one-row segment
-- on every create, half of a create's time (BenchmarkCreateLink). A new
-- link's rowid waits in short_urls_search_pending; the store indexes the
-- waiting links every searchBatch creates and before any search, so a
-- search never misses a link (sqlite/search.go).
--
-- The index must never be told to delete a row it does not hold, so a
-- waiting link is only taken off the list when it is deleted, and its
-- changes need no index update (it is indexed as it is when its turn
-- comes). After a manual VACUUM (see 00022): 'rebuild', then
-- DELETE FROM short_urls_search_pending.
CREATE TABLE short_urls_search_pending (link_rowid INTEGER PRIMARY KEY) STRICT;

DROP TRIGGER short_urls_search_insert;
DROP TRIGGER short_urls_search_delete;
DROP TRIGGER short_urls_search_update;

-- +goose StatementBegin
CREATE TRIGGER short_urls_search_insert AFTER INSERT ON short_urls BEGIN
    INSERT INTO short_urls_search_pending (link_rowid) VALUES (new.rowid);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER short_urls_search_delete AFTER DELETE ON short_urls BEGIN
    INSERT INTO short_urls_search (short_urls_search, rowid, short_code, title, original_url)
    SELECT 'delete', old.rowid, old.short_code, old.title, old.original_url
    WHERE NOT EXISTS (SELECT 1 FROM short_urls_search_pending WHERE link_rowid = old.rowid);
    DELETE FROM short_urls_search_pending WHERE link_rowid = old.rowid;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER short_urls_search_update AFTER UPDATE OF short_code, title, original_url ON short_urls
WHEN NOT EXISTS (SELECT 1 FROM short_urls_search_pending WHERE link_rowid = old.rowid) BEGIN
    INSERT INTO short_urls_search (short_urls_search, rowid, short_code, title, original_url)
    VALUES ('delete', old.rowid, old.short_code, old.title, old.original_url);
    INSERT INTO short_urls_search (rowid, short_code, title, original_url)
    VALUES (new.rowid, new.short_code, new.title, new.original_url);
END;
-- +goose StatementEnd

-- +goose Down
INSERT INTO short_urls_search (rowid, short_code, title, original_url)
SELECT s.rowid, s.short_code, s.title, s.original_url
FROM short_urls_search_pending p JOIN short_urls s ON s.rowid = p.link_rowid;

DROP TRIGGER short_urls_search_update;
DROP TRIGGER short_urls_search_delete;
DROP TRIGGER short_urls_search_insert;
DROP TABLE short_urls_search_pending;

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
