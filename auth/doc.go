// Package auth implements accounts and tokens once for every storage
// engine: registration and login with bcrypt, HS256 access tokens, and
// opaque refresh tokens that rotate on use, with reuse detection that
// revokes the whole login (token family), and API keys limited to scopes.
// Authenticate is the one check of a caller, for both kinds of
// credential.
package auth
