package web

import (
	"context"
	"net/http"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/csrf"
)

// visit is what one request knows about its browser: the signed-in user,
// the session token and the cookies the response still has to set. It
// lives in the request's context from begin on.
type visit struct {
	user      *shortener.User
	session   string // the session token, rotated if Resume rotated it
	hasCookie bool   // a session cookie came, resumed or not (yet)
	ended     bool   // a session cookie came that the service refused (expired, revoked)
	seed      string // the CSRF cookie's value; "" until one is minted
	seedSent  bool   // the seed came with the request or is already set on the response
	flash     *flash // from the flash cookie, until taken
	flashSeen bool
	deadline  *time.Timer // ends the request's work (begin, long)
}

type visitKey struct{}

// begin reads the cookies every handler may need into the request's
// visit, and gives the request its deadline: a page whose data never
// comes (a stalled database) is a 503 page after requestTimeout, the time
// the server writes answers within, not a browser that spins for minutes.
// long moves it for the downloads and the import.
func (a *App) begin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithCancelCause(r.Context())
		defer cancel(nil)
		v := &visit{deadline: time.AfterFunc(a.requestTimeout, func() { cancel(context.DeadlineExceeded) })}
		defer v.deadline.Stop()
		if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			v.hasCookie = true
		}
		if c, err := r.Cookie(csrfCookie); err == nil && csrf.ValidSeed(c.Value) {
			v.seed, v.seedSent = c.Value, true
		}
		if c, err := r.Cookie(flashCookie); err == nil {
			v.flash = parseFlash(c.Value)
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(ctx, visitKey{}, v)))
	})
}

// DefaultRequestTimeout is the deadline of a page or form when
// Config.RequestTimeout is 0: the server's WriteTimeout.
const DefaultRequestTimeout = 30 * time.Second

// longDeadline is how long a download or an import may take: its work
// grows with the links (an import of up to MAX_IMPORT_BYTES), and the
// server's 30 s would cut a large one off.
const longDeadline = 10 * time.Minute

// long gives h longDeadline, for its work and for the connection's
// reading and writing.
func (a *App) long(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		visitOf(r).deadline.Reset(longDeadline)
		rc := http.NewResponseController(w)
		until := time.Now().Add(longDeadline)
		// Not every writer supports deadlines (httptest's recorder).
		_ = rc.SetReadDeadline(until)
		_ = rc.SetWriteDeadline(until)
		h(w, r)
	}
}

// visitOf returns the visit of a request that went through begin.
func visitOf(r *http.Request) *visit {
	if v, ok := r.Context().Value(visitKey{}).(*visit); ok {
		return v
	}
	return &visit{}
}

// Cookie names. The session cookie's value is a refresh token of the API.
const (
	sessionCookie = "session"
	csrfCookie    = "csrf"
	flashCookie   = "flash"
)

// sessionAge is how long the browser keeps the session and CSRF cookies;
// the refresh token's own expiry decides when the session really ends.
const sessionAge = 30 * 24 * time.Hour

// setCookie sets an HttpOnly, SameSite=Lax cookie for the whole site,
// Secure when BASE_URL is https. maxAge 0 makes it a browser-session
// cookie; a negative one deletes it.
func (a *App) setCookie(w http.ResponseWriter, name, value string, maxAge time.Duration) {
	c := &http.Cookie{
		Name: name, Value: value, Path: "/", HttpOnly: true, Secure: a.secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int(maxAge / time.Second),
	}
	if maxAge < 0 {
		c.MaxAge = -1
	}
	http.SetCookie(w, c)
}

func (a *App) clearCookie(w http.ResponseWriter, name string) { a.setCookie(w, name, "", -1) }
