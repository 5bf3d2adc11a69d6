-- +goose Up
-- The bounded dimensions (country, browser, os, device, target: a few
-- hundred values at most; shortener.UnboundedDimension) are counted in one jsonb object per link and
-- day, {"dimension:value": clicks}, beside the day's other counters. A
-- click spread over many links was six dimension rows, each its own
-- index descent and row version; it is now one key of the day's row, which
-- the click's day counters rewrite anyway. The referrer, whose values are
-- unbounded, keeps its rows in link_daily_dimensions: a popular link's
-- thousands of referrers in one object would be rewritten by every batch.
ALTER TABLE link_daily_stats ADD COLUMN dims jsonb NOT NULL DEFAULT '{}';

-- add_counts(a, b) is a with b's counts added, key by key. Only b's keys
-- (a batch's few values) are looked up; a is copied once by ||.
CREATE FUNCTION add_counts(a jsonb, b jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT a || coalesce(
        (SELECT jsonb_object_agg(k, coalesce((a ->> k)::bigint, 0) + v::bigint) FROM jsonb_each_text(b) AS e (k, v)),
        '{}')
$$;

INSERT INTO link_daily_stats AS s (link_id, day, dims)
SELECT link_id, day, jsonb_object_agg(dimension || ':' || value, clicks)
FROM link_daily_dimensions
WHERE dimension <> 'referrer'
GROUP BY link_id, day
ON CONFLICT (link_id, day) DO UPDATE SET dims = EXCLUDED.dims;

DELETE FROM link_daily_dimensions WHERE dimension <> 'referrer';

-- +goose Down
INSERT INTO link_daily_dimensions (link_id, day, dimension, value, clicks)
SELECT s.link_id, s.day, split_part(e.key, ':', 1), substr(e.key, strpos(e.key, ':') + 1), e.value::bigint
FROM link_daily_stats s, jsonb_each_text(s.dims) AS e;

ALTER TABLE link_daily_stats DROP COLUMN dims;
DROP FUNCTION add_counts(jsonb, jsonb);
