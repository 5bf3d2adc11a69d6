-- +goose Up
-- Accounts are unique by email key from now on; lower(email) folded ASCII
-- only. Accounts that collided before (email_key NULL) are kept.
DROP INDEX users_email_lower_key;
CREATE UNIQUE INDEX users_email_key ON users (email_key);

-- +goose Down
DROP INDEX users_email_key;
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));
