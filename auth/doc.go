// Package auth implements accounts and tokens once for every storage
// engine: registration and login with bcrypt, HS256 access tokens, and
// opaque refresh tokens that rotate on use, with reuse detection that
// revokes the whole login (token family).
package auth
