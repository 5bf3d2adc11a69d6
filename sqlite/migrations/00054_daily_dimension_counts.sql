-- +goose Up
-- The bounded dimensions (all but the referrer, shortener.UnboundedDimension)
-- are counted in one JSON object per link and day, {"dimension:value":
-- clicks}, beside the day's other counters, instead of a row per value: a
-- click spread over many links was six dimension rows, it is now the
-- referrer's row and a key of the day's row, which the click rewrites
-- anyway. PostgreSQL does the same (its migration 00052).
ALTER TABLE link_daily_stats ADD COLUMN dims TEXT NOT NULL DEFAULT '{}';

INSERT INTO link_daily_stats (link_id, day, dims)
SELECT link_id, day, json_group_object(dimension || ':' || value, clicks)
FROM link_daily_dimensions
WHERE dimension <> 'referrer'
GROUP BY link_id, day
ON CONFLICT (link_id, day) DO UPDATE SET dims = excluded.dims;

DELETE FROM link_daily_dimensions WHERE dimension <> 'referrer';

-- +goose Down
INSERT INTO link_daily_dimensions (link_id, day, dimension, value, clicks)
SELECT s.link_id, s.day, substr(e.key, 1, instr(e.key, ':') - 1), substr(e.key, instr(e.key, ':') + 1), e.value
FROM link_daily_stats s, json_each(s.dims) AS e;

ALTER TABLE link_daily_stats DROP COLUMN dims;
