-- +goose Up
-- The identity of an account's email (shortener.EmailKey: Unicode case
-- folding, NFC, IDNA domain), filled in Go by migration 3; the address as
-- given stays in email.
ALTER TABLE users ADD COLUMN email_key TEXT;

-- +goose Down
ALTER TABLE users DROP COLUMN email_key;
