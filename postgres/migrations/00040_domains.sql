-- +goose Up
-- Short domains (API.md, "Domains"). The default domain is BASE_URL's host,
-- which no migration can know: its row has a fixed ID and a placeholder
-- host that the service replaces at start. Every existing link stays on it
-- with its code; codes are unique per domain from now on.
CREATE TABLE domains (
    id            uuid        PRIMARY KEY,
    host          text        NOT NULL UNIQUE,
    not_found_url text,
    root_url      text,
    created_at    timestamptz NOT NULL
);

INSERT INTO domains (id, host, created_at)
VALUES ('00000000-0000-0000-0000-000000000001', 'default.invalid', now());

ALTER TABLE short_urls
    ADD COLUMN domain_id uuid NOT NULL DEFAULT '00000000-0000-0000-0000-000000000001' REFERENCES domains (id);
ALTER TABLE short_urls DROP CONSTRAINT short_urls_short_code_key;
ALTER TABLE short_urls ADD CONSTRAINT short_urls_domain_code_key UNIQUE (domain_id, short_code);

-- +goose Down
ALTER TABLE short_urls DROP CONSTRAINT short_urls_domain_code_key;
DELETE FROM short_urls WHERE domain_id <> '00000000-0000-0000-0000-000000000001';
ALTER TABLE short_urls ADD CONSTRAINT short_urls_short_code_key UNIQUE (short_code);
ALTER TABLE short_urls DROP COLUMN domain_id;
DROP TABLE domains;
