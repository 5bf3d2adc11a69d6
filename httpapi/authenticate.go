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
	present  bool              // a credential was sent (Authorization or X-API-Key)
	bearer   string            // the credential
	caller   *shortener.Caller // who it is, when it checked out
	user     *shortener.User   // the caller's user (a key acts as its user)
	err      error             // why it did not
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
	return bearerOf(h), true
}

// bearerOf returns the credential of an Authorization header's value, or
// "" for another scheme.
func bearerOf(h string) string {
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

var (
	errTwoCredentials = shortener.Errorf(shortener.EUNAUTHORIZED,
		"Send one credential: one Authorization header or one X-API-Key header, not several.")
	errKeyHeaderNotKey = shortener.Errorf(shortener.EUNAUTHORIZED,
		"X-API-Key takes an API key (shk_...); send an access token as Authorization: Bearer <token>.")
)

// credential returns the credential of a request: an "Authorization:
// Bearer" header (an access token or an API key), or an X-API-Key header
// (an API key); and whether either was sent at all. Credentials that could
// name different callers (two headers that differ, a header sent twice)
// are refused rather than one of them picked: a proxy or log that reads
// the other would see someone else. So is an X-API-Key that is no key.
func credential(r *http.Request) (cred string, sent bool, err error) {
	auths, keys := sentValues(r.Header, "Authorization"), sentValues(r.Header, "X-API-Key")
	if len(auths)+len(keys) == 0 {
		return "", false, nil
	}
	if len(auths) > 1 || len(keys) > 1 {
		return "", true, errTwoCredentials
	}
	key := ""
	if len(keys) == 1 {
		key = keys[0]
		if !strings.HasPrefix(key, shortener.APIKeyPrefix) {
			return "", true, errKeyHeaderNotKey
		}
	}
	if len(auths) == 0 {
		return key, true, nil
	}
	bearer := bearerOf(auths[0])
	if key != "" && bearer != key {
		return "", true, errTwoCredentials
	}
	return bearer, true, nil
}

// sentValues returns the header's values that are not blank, trimmed: a
// blank one is no credential, as an absent one is not.
func sentValues(h http.Header, name string) []string {
	var out []string
	for _, v := range h.Values(name) {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// authenticate learns who calls, once per API request: a request that
// carries a credential costs one Authenticate call, whose answer the rate
// limit (it keys on the user, whom a key acts as), the scope check and the
// handlers share. A failure is kept, not answered: whether it matters is
// the operation's business, and those that need no caller (register,
// login, refresh, logout, health) ignore it.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := authState{clientIP: s.clientIP(r)}
		if cred, sent, err := credential(r); err != nil {
			a.present, a.err = true, err
		} else if sent {
			a.present, a.bearer = true, cred
			a.caller, a.err = s.authn.Authenticate(r.Context(), cred)
			a.user = a.caller.UserOf()
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), authKey, a)))
	})
}

var errNeedToken = shortener.Errorf(shortener.EUNAUTHORIZED,
	"Authentication required: send Authorization: Bearer <access token or API key>, or X-API-Key: <API key>.")

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

// callerOf is caller with the credential's kind and scopes: for the calls
// that treat people and API keys apart (key management).
func (s *Server) callerOf(ctx context.Context) (*shortener.Caller, error) {
	if _, err := s.caller(ctx, true); err != nil {
		return nil, err
	}
	return authFrom(ctx).caller, nil
}

// client describes where a login or refresh comes from.
func (s *Server) client(ctx context.Context, userAgent string) auth.Client {
	return auth.Client{UserAgent: userAgent, IP: authFrom(ctx).clientIP.String()}
}
