package httpapi

import (
	"context"
	"net/http"
	"reflect"
	"slices"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/shortener-dev/shortener"
)

// What an operation asks of its caller, declared next to its route by
// registerOp: the rate-limit bucket it counts against and the scope an
// API key needs for it. A key outside its scopes is 403 before anything
// else happens, also where the call would be allowed without credentials.
// Access tokens (people) hold every scope.

// Needs beyond the scopes of shortener.AllScopes.
const (
	// anyCaller: no scope; anyone may call it, keys included (health).
	anyCaller shortener.Scope = ""
	// accessTokenOnly: a person's call; an API key is 403 (the account
	// calls under /auth and key management).
	accessTokenOnly shortener.Scope = "access-token"
)

// Keys of huma.Operation.Metadata, which the OpenAPI document leaves out.
const (
	rateClassKey = "httpapi.rateClass"
	scopeKey     = "httpapi.scope"
)

// The security schemes of the OpenAPI document.
const (
	schemeBearer = "bearer"
	schemeAPIKey = "apiKey"
)

var securitySchemes = map[string]*huma.SecurityScheme{
	schemeBearer: {Type: "http", Scheme: "bearer",
		Description: "An access token from /api/v1/auth/login (a person: every scope), or an API key (shk_...) " +
			"limited to its scopes. The names listed in an operation's security requirement are the scope an API key needs. " +
			"Send one credential: two different ones (Authorization and X-API-Key, or two of either) are a 401."},
	schemeAPIKey: {Type: "apiKey", In: "header", Name: "X-API-Key",
		Description: "An API key (shk_...) from POST /api/v1/keys, limited to its scopes. Not together with a different " +
			"credential in Authorization (401)."},
}

// registerOp registers an operation whose calls count against the bucket of
// class (shortener.RateLimits.Bucket) and need scope of an API key (or
// anyCaller, accessTokenOnly). Every operation states both here, so that
// each call counts against exactly one bucket and no operation is left
// open to every key; a call that matches no operation counts as
// shortener.RateGeneral. The operation's security requirements in the
// OpenAPI document are written from scope: an operation that declared
// bearerSecurity needs a credential, one without takes anonymous calls.
func registerOp[I, O any](api huma.API, class shortener.RateClass, scope shortener.Scope, op huma.Operation, handler func(context.Context, *I) (*O, error)) {
	if op.Metadata == nil {
		op.Metadata = map[string]any{}
	}
	op.Metadata[rateClassKey] = class
	op.Metadata[scopeKey] = scope
	op.Security = securityOf(scope, op.Security != nil)
	if scope != anyCaller && scope != accessTokenOnly {
		op.Description = strings.TrimSpace(op.Description + " API keys need the scope " + string(scope) + ".")
	}
	documentErrors[I](&op, class, scope)
	huma.Register(api, op, handler)
}

// documentErrors adds to op.Errors the statuses that the API's middleware
// and huma answer for it, so that the OpenAPI document lists every status
// a call can get: 400, 413, 415 and 422 for a JSON body (413 and 415 for a
// raw one); 401 and 403 where a credential is looked at (one that fails;
// an API key outside the scope), 403 alone where an API key is refused
// and nothing else is checked (register, login); 429 where the call is
// rate limited; 503 on every call (a dependency down, or the call's
// deadline passed).
func documentErrors[I any](op *huma.Operation, class shortener.RateClass, scope shortener.Scope) {
	add := func(codes ...int) {
		for _, c := range codes {
			if !slices.Contains(op.Errors, c) {
				op.Errors = append(op.Errors, c)
			}
		}
	}
	if in := reflect.TypeFor[I](); in.Kind() == reflect.Struct {
		if _, ok := in.FieldByName("Body"); ok {
			add(http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity)
		}
		if _, ok := in.FieldByName("RawBody"); ok {
			add(http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType)
		}
	}
	switch {
	case scope == anyCaller:
	case scope == accessTokenOnly && op.Security == nil:
		add(http.StatusForbidden)
	default:
		add(http.StatusUnauthorized, http.StatusForbidden)
	}
	if class != shortener.RateNone {
		add(http.StatusTooManyRequests)
	}
	// Every call has a deadline and a database (or Redis) behind it.
	add(http.StatusServiceUnavailable)
	slices.Sort(op.Errors)
}

// documentHeaders declares in the OpenAPI document the headers that the
// middleware sends with the answers of every operation: X-Request-ID on
// all, the RateLimit-* trio where the call is rate limited, Retry-After on
// a 429 or 503, WWW-Authenticate on a 401, Content-Disposition on a
// download. Called once every operation is registered.
func documentHeaders(doc *huma.OpenAPI) {
	header := func(typ, description string) *huma.Param {
		return &huma.Param{Description: description, Schema: &huma.Schema{Type: typ}}
	}
	for _, item := range doc.Paths {
		for _, op := range []*huma.Operation{item.Get, item.Head, item.Post, item.Put, item.Patch, item.Delete} {
			if op == nil {
				continue
			}
			limited := op.Metadata[rateClassKey] != shortener.RateNone
			for status, resp := range op.Responses {
				if resp.Headers == nil {
					resp.Headers = map[string]*huma.Param{}
				}
				resp.Headers["X-Request-ID"] = header(huma.TypeString, "The request's ID: the one sent, if 1-128 visible ASCII characters, else a new one.")
				if limited {
					resp.Headers["RateLimit-Limit"] = header(huma.TypeInteger, "Calls allowed in the window of the caller's bucket.")
					resp.Headers["RateLimit-Remaining"] = header(huma.TypeInteger, "Calls left in the window.")
					resp.Headers["RateLimit-Reset"] = header(huma.TypeInteger, "Seconds until the window has room again.")
				}
				switch status {
				case "429", "503":
					resp.Headers["Retry-After"] = header(huma.TypeInteger, "Seconds to wait before calling again.")
				case "401":
					resp.Headers["WWW-Authenticate"] = header(huma.TypeString, "Bearer.")
				case "200":
					if op.Metadata[streamedKey] == true {
						resp.Headers["Content-Disposition"] = header(huma.TypeString, `attachment; filename="…"`)
					}
				}
			}
		}
	}
}

// securityOf is the OpenAPI security requirement of an operation that
// needs scope; required tells whether it takes anonymous calls.
func securityOf(scope shortener.Scope, required bool) []map[string][]string {
	var sec []map[string][]string
	switch scope {
	case anyCaller:
		return nil
	case accessTokenOnly:
		if !required {
			return nil
		}
		return []map[string][]string{{schemeBearer: {}}}
	}
	if !required {
		sec = append(sec, map[string][]string{})
	}
	return append(sec, map[string][]string{schemeBearer: {string(scope)}}, map[string][]string{schemeAPIKey: {string(scope)}})
}

// checkScope is the API's huma middleware after the rate limit: it answers
// 403 to an API key outside the operation's scope, and 401 to a call
// without a good credential where the operation needs one, before the
// parameters and the body are read (a bad page number of a call without
// a token is 401, not 422). Callers that are people and anonymous calls
// pass; where a credential is optional, one that failed is the handler's
// to answer (s.caller).
func (s *Server) checkScope(ctx huma.Context, next func(huma.Context)) {
	op := ctx.Operation()
	scope, _ := op.Metadata[scopeKey].(shortener.Scope)
	r, w := humago.Unwrap(ctx)
	if needsCredential(op) {
		if _, err := s.caller(r.Context(), true); err != nil {
			writeProblem(w, problemOf(r.Context(), s.logger, err))
			return
		}
	}
	c := authFrom(r.Context()).caller
	switch {
	case !c.IsKey() || scope == anyCaller:
	case scope == accessTokenOnly:
		writeProblem(w, problemOf(r.Context(), s.logger, shortener.ErrKeyNotAllowed))
		return
	case !c.Allows(scope):
		writeProblem(w, problemOf(r.Context(), s.logger, shortener.ErrMissingScope(scope)))
		return
	}
	next(ctx)
}

// needsCredential reports whether op takes no anonymous calls: its
// security requirements (securityOf) do not begin with the empty one.
func needsCredential(op *huma.Operation) bool {
	return len(op.Security) > 0 && len(op.Security[0]) > 0
}
