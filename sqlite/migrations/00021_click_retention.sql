-- +goose Up
-- Raw clicks older than CLICK_RETENTION_DAYS are deleted by time, in
-- batches (PruneClicks); this index finds them without a scan.
CREATE INDEX click_events_occurred_idx ON click_events (occurred_at);

-- +goose Down
DROP INDEX click_events_occurred_idx;
