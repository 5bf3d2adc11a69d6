// Package web is the browser face of the shortener: server-rendered pages
// (html/template, embedded with go:embed, no build step, no third-party
// script) for shortening a URL without an account, signing up and in,
// managing one's links and reading their analytics.
//
// It reaches the application only through the small interfaces in
// services.go, one per need, so it imports no storage, cache or limiter
// technology; cmd/shortener wires the real services in. App is an
// http.Handler for these routes (Mount registers them on a ServeMux):
//
//	GET  /                       home: shorten without an account
//	POST /                       shorten (anonymous, or as the signed-in user)
//	GET  /static/{file}          fingerprinted CSS, JS and icon
//	GET  /app/qr/{code}.{png|svg} QR code of a short link (no session needed)
//	GET  /app/login, POST        log in (rate-limit class "login")
//	GET  /app/signup, POST       sign up (rate-limit class "register")
//	POST /app/logout             end the session (revokes its refresh tokens)
//	GET  /app                    my links, paged; admins add ?all=1
//	POST /app/links              create a link
//	GET  /app/links/{id}         one link: QR, edit form, analytics (?days=7|30|90)
//	POST /app/links/{id}/edit    change target, title, expiry, visibility, state
//	POST /app/links/{id}/toggle  enable or disable (is_active=true|false)
//	POST /app/links/{id}/delete  delete, after a confirmation page or dialog
//	GET  /app/account            name and password
//	POST /app/account/name, /app/account/password
//
// Security model: every response carries a strict Content-Security-Policy
// (no inline script or style), nosniff and a referrer policy. Signed-in
// pages use a session cookie whose value is a refresh token of the API's
// auth service (rotation and reuse detection apply). Every POST carries a
// CSRF token: an HMAC of a random per-browser cookie and the signed-in
// user (see csrf.go for why not of the session token itself).
package web
