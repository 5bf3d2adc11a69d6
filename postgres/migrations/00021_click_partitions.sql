-- +goose Up
-- Raw clicks are partitioned by month of occurred_at (API.md,
-- CLICK_RETENTION_DAYS): deleting old clicks drops whole partitions
-- instead of deleting rows one by one (no table bloat, no long VACUUM).
-- The primary key must hold the partition key; (id, occurred_at) is as
-- unique as id, since a click's time comes with it from the spool and a
-- redelivery repeats both. A DEFAULT partition takes what no monthly one
-- covers; the click store creates the coming months ahead (PruneClicks)
-- and moves rows out of the default when it creates a month.
ALTER TABLE click_events RENAME TO click_events_unpartitioned;
ALTER TABLE click_events_unpartitioned RENAME CONSTRAINT click_events_pkey TO click_events_unpartitioned_pkey;
ALTER INDEX click_events_link_occurred_idx RENAME TO click_events_unpartitioned_link_occurred_idx;
ALTER TABLE click_events_unpartitioned RENAME CONSTRAINT click_events_link_id_fkey TO click_events_unpartitioned_link_id_fkey;

CREATE TABLE click_events (
    id           uuid        NOT NULL,
    link_id      uuid        NOT NULL REFERENCES short_urls (id) ON DELETE CASCADE,
    occurred_at  timestamptz NOT NULL,
    referrer     text        NOT NULL,
    browser      text        NOT NULL,
    os           text        NOT NULL,
    device       text        NOT NULL,
    country      text        NOT NULL,
    is_bot       boolean     NOT NULL,
    visitor_hash text        NOT NULL,
    target       text        NOT NULL DEFAULT '',
    PRIMARY KEY (id, occurred_at)
) PARTITION BY RANGE (occurred_at);

CREATE INDEX click_events_link_occurred_idx ON click_events (link_id, occurred_at);
CREATE TABLE click_events_default PARTITION OF click_events DEFAULT;

-- +goose StatementBegin
DO $$
DECLARE
    m date := date_trunc('month', coalesce((SELECT min(occurred_at) FROM click_events_unpartitioned), now()) AT TIME ZONE 'UTC')::date;
    stop date := (date_trunc('month', now() AT TIME ZONE 'UTC') + interval '3 months')::date;
BEGIN
    WHILE m < stop LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF click_events FOR VALUES FROM (%L) TO (%L)',
            'click_events_' || to_char(m, 'YYYYMM'),
            m::timestamp AT TIME ZONE 'UTC', (m + interval '1 month')::timestamp AT TIME ZONE 'UTC');
        m := (m + interval '1 month')::date;
    END LOOP;
END $$;
-- +goose StatementEnd

INSERT INTO click_events (id, link_id, occurred_at, referrer, browser, os, device, country, is_bot, visitor_hash, target)
SELECT id, link_id, occurred_at, referrer, browser, os, device, country, is_bot, visitor_hash, target
FROM click_events_unpartitioned;
DROP TABLE click_events_unpartitioned;

-- +goose Down
ALTER TABLE click_events RENAME TO click_events_partitioned;
ALTER INDEX click_events_link_occurred_idx RENAME TO click_events_partitioned_link_occurred_idx;
CREATE TABLE click_events (
    id           uuid        PRIMARY KEY,
    link_id      uuid        NOT NULL REFERENCES short_urls (id) ON DELETE CASCADE,
    occurred_at  timestamptz NOT NULL,
    referrer     text        NOT NULL,
    browser      text        NOT NULL,
    os           text        NOT NULL,
    device       text        NOT NULL,
    country      text        NOT NULL,
    is_bot       boolean     NOT NULL,
    visitor_hash text        NOT NULL,
    target       text        NOT NULL DEFAULT ''
);
CREATE INDEX click_events_link_occurred_idx ON click_events (link_id, occurred_at);
INSERT INTO click_events SELECT * FROM click_events_partitioned;
DROP TABLE click_events_partitioned;
