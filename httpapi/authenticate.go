package httpapi

import (
	"context"
	"net/http"
	"net/netip"
	"strings"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/auth"
)

// authState is what the authentication middleware learned about the caller,
// kept in the request context for the rate limit and the handlers.
type authState struct {
	present  bool            // an Authorization header was sent
	bearer   string          // its credential
	user     *shortener.User // the authenticated caller, when it checked out
	err      error           // why it did not
	clientIP netip.Addr
}

func authFrom(ctx context.Context) authState {
	a, _ := ctx.Value(authKey).(authState)
	return a
}

// bearerToken returns the credential of an "Authorization: Bearer" header,
// and whether an Authorization header was sent at all. Another scheme gives
// an empty credential, which fails authentication like a bad one.
func bearerToken(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return "", false
	}
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", true
	}
	return strings.TrimSpace(token), true
}

// authenticate learns who calls, once per API request: a request that
// carries Authorization costs one Authenticate call, whose answer the rate
// limit (it keys on the user) and the handlers share. A failure is kept, not
// answered: whether it matters is the operation's business, and those that
// need no caller (register, login, refresh, logout, health) ignore it.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := authState{clientIP: s.clientIP(r)}
		if bearer, ok := bearerToken(r); ok {
			a.present, a.bearer = true, bearer
			a.user, a.err = s.authn.Authenticate(r.Context(), bearer)
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), authKey, a)))
	})
}

var errNeedToken = shortener.Errorf(shortener.EUNAUTHORIZED, "Authentication required: send Authorization: Bearer <access token>.")

// caller returns the authenticated user of the request, or nil when no
// credential was sent and required is false. A credential that was sent but
// failed is always an error: EUNAUTHORIZED, or why the check itself failed.
func (s *Server) caller(ctx context.Context, required bool) (*shortener.User, error) {
	a := authFrom(ctx)
	switch {
	case !a.present && required:
		return nil, errNeedToken
	case !a.present:
		return nil, nil
	case a.err != nil:
		return nil, a.err
	}
	return a.user, nil
}

// client describes where a login or refresh comes from.
func (s *Server) client(ctx context.Context, userAgent string) auth.Client {
	return auth.Client{UserAgent: userAgent, IP: authFrom(ctx).clientIP.String()}
}
