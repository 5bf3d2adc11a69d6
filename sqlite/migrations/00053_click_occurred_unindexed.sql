-- +goose Up
-- click_events_occurred_idx (00021) served only the retention job's
-- "older than the cutoff", yet every click paid a third B-tree insert for
-- it. The job now walks the links and uses (link_id, occurred_at), which
-- the exports need anyway (sqlite/clickexport.go, PruneClicks).
-- BenchmarkWriteClicks/hot-100: about 20 % less per click (BENCHMARKS.md,
-- "The raw clicks' third index").
DROP INDEX click_events_occurred_idx;

-- +goose Down
CREATE INDEX click_events_occurred_idx ON click_events (occurred_at);
