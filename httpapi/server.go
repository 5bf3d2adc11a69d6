// Package httpapi is the HTTP face of the service, and speaks HTTP only:
// every route in one place, the JSON API on huma (OpenAPI 3.1 generated from
// the Go types), the redirect as a plain net/http handler, the docs viewer,
// and the middleware around them (security headers, request IDs, access log,
// metrics, panic recovery, CORS, refusals before routing, authentication,
// rate limits, problem+json errors).
//
// It is the edge that hostile and careless clients reach first, so it
// holds the input rules of API.md that no service can: media types, exact
// field names and nulls in bodies (jsonbody.go), one syntax for short codes
// (code.go), bounded metric labels and log fields (methods.go), no
// redirects for unclean paths (guard.go), and bodies encoded before their
// status line (encode.go). The application work is done by services behind
// the small interfaces of services.go; this package imports no storage,
// cache or rendering adapter.
package httpapi

import (
	"cmp"
	"log/slog"
	"maps"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/clientip"
	"github.com/shortener-dev/shortener/internal/csrf"
	"github.com/shortener-dev/shortener/internal/logthrottle"
)

// Config holds a Server's dependencies. The services are the small
// interfaces of services.go; cmd/shortener passes the concrete ones.
type Config struct {
	Logger        *slog.Logger
	Version       string
	Clock         shortener.Clock
	Authenticator Authenticator // tells who calls, once per API request
	Accounts      Accounts      // registration, login, refresh, logout
	Keys          APIKeys       // API keys; nil leaves /api/v1/keys out
	Webhooks      Webhooks      // webhook endpoints; nil leaves /api/v1/webhooks out
	Domains       Domains       // short domains; nil leaves /api/v1/domains out
	Hosts         HostDomains   // which domain a request is for; nil: all the default
	Links         Links
	Organiser     Organiser // tags, bulk, import and export; nil leaves them out
	Summaries     Summaries
	ClickExports  ClickExports // the clicks export; nil leaves it out
	QR            QRCodes
	Resolver      shortener.Resolver      // the redirect's layered lookup
	Clicks        shortener.ClickRecorder // where redirects hand their clicks
	OnHit         func(key string)        // counts hits (by link key) for hot-link detection; may be nil
	Limiter       shortener.RateLimiter
	Limits        shortener.RateLimits
	// Health maps a check name ("database", "cache") to its probe.
	Health         map[string]shortener.HealthChecker
	TrustedProxies []netip.Prefix
	CORSOrigins    []string
	MaxBodyBytes   int64
	MaxImportBytes int64 // largest body of a bulk create or an import
	Registry       *prometheus.Registry
	// MetricsToken, when set, is the bearer credential /metrics asks for.
	MetricsToken string
	// Pages, when set, mounts the web app's routes on the server's mux.
	Pages interface{ Mount(mux *http.ServeMux) }
	// What the redirect needs for link options: the click enrichment's
	// facts (targeting, variants, bots on capped links), the cap counter,
	// and the password checker.
	Enrichment    shortener.Enrichment
	Caps          ClickCaps
	LinkPasswords LinkPasswords
	// SecureCookies marks the password form's cookie Secure (BASE_URL is
	// https).
	SecureCookies bool
	// CSRFKey signs the password form's CSRF tokens (internal/csrf, the
	// web app's scheme), at least 32 bytes, shared by every instance;
	// empty: a random key of this process (tests).
	CSRFKey []byte
	// Stylesheet is the path of the web app's stylesheet, which the pages
	// the redirect answers itself (the password form, the 404 and 410
	// pages) use, as the app's pages do; empty, they are unstyled.
	Stylesheet string
	// RequestTimeout bounds an API call's work, and an export's pause
	// between two rows (deadline.go); 0 takes DefaultRequestTimeout.
	RequestTimeout time.Duration
}

// Server serves the API and the redirects.
type Server struct {
	logger        *slog.Logger
	clock         shortener.Clock
	authn         Authenticator
	accounts      Accounts
	keys          APIKeys
	webhooks      Webhooks
	domains       Domains
	hosts         HostDomains
	links         Links
	organiser     Organiser
	clickExports  ClickExports
	resolver      shortener.Resolver
	clicks        shortener.ClickRecorder
	enrichment    shortener.Enrichment
	caps          ClickCaps
	linkPasswords LinkPasswords
	secureCookies bool
	csrf          *csrf.Signer
	stylesheet    string
	onHit         func(string)
	summaries     Summaries
	qr            QRCodes
	limiter       shortener.RateLimiter
	limits        shortener.RateLimits
	health        map[string]shortener.HealthChecker
	clients       clientip.Resolver
	corsOrigins   []string
	// huma's MaxBodyBytes for the operations (humaBodyLimit).
	humaMaxBody   int64
	humaMaxImport int64
	metrics       *httpMetrics
	// outageLog admits one line a minute per failing operation (the rate
	// limiter, a redirect's lookup) while a dependency is down.
	outageLog *logthrottle.Throttle
	// requestTimeout bounds an API call (deadline.go).
	requestTimeout time.Duration
	requestIDs     *requestIDs
	mux            *http.ServeMux
	handler        http.Handler
}

// huma is configured through two package variables; this package holds the
// process's only huma API.
func init() {
	// huma builds its own errors (validation, malformed JSON, 413, 415)
	// through this hook; make them the API's problem+json shape.
	huma.NewErrorWithContext = func(_ huma.Context, status int, msg string, errs ...error) huma.StatusError {
		return humaError(status, msg, errs...)
	}
	// JSON field names are case-sensitive (API.md). By default huma's
	// validator accepts "Original_URL" for original_url, and encoding/json
	// then lets whichever of the two comes last win.
	huma.ValidateStrictCasing = true
}

// humaBodyLimit returns huma's MaxBodyBytes for bodies of up to limit bytes
// (0: huma's default). huma refuses a body of exactly its MaxBodyBytes, and
// API.md allows one of MAX_BODY_BYTES (or MAX_IMPORT_BYTES).
func humaBodyLimit(limit int64) int64 {
	if limit <= 0 {
		return 0
	}
	return limit + 1
}

// New returns a Server with every route registered.
func New(c Config) *Server {
	if c.Clock == nil {
		c.Clock = shortener.SystemClock
	}
	s := &Server{
		logger: c.Logger, clock: c.Clock, authn: c.Authenticator, accounts: c.Accounts, links: c.Links,
		keys: c.Keys, webhooks: c.Webhooks, domains: c.Domains, hosts: c.Hosts,
		organiser: c.Organiser, clickExports: c.ClickExports,
		resolver: c.Resolver, clicks: c.Clicks, onHit: c.OnHit, summaries: c.Summaries, qr: c.QR,
		enrichment: c.Enrichment, caps: c.Caps, linkPasswords: c.LinkPasswords, secureCookies: c.SecureCookies, stylesheet: c.Stylesheet,
		limiter: c.Limiter, limits: c.Limits, health: c.Health, clients: clientip.Resolver{Trusted: c.TrustedProxies},
		corsOrigins: c.CORSOrigins, humaMaxBody: humaBodyLimit(c.MaxBodyBytes), humaMaxImport: humaBodyLimit(c.MaxImportBytes),
		metrics:        newHTTPMetrics(c.Registry),
		outageLog:      logthrottle.New(time.Minute),
		requestTimeout: cmp.Or(c.RequestTimeout, DefaultRequestTimeout),
		requestIDs:     newRequestIDs(),
		mux:            http.NewServeMux(),
	}
	s.csrf = csrfSigner(c.CSRFKey)
	s.routes(c)
	s.handler = sendNosniff(s.observe(s.cors(s.refuseUnroutable(s.domainPages(s.mux)))))
	return s
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// routes registers every route of the service.
func (s *Server) routes(c Config) {
	api := s.newAPI(c.Version)

	s.registerAuth(api)
	s.registerUpdateMe(api)
	s.registerKeys(api)
	s.registerWebhooks(api)
	s.registerDomains(api)
	s.registerLinks(api)
	s.registerOrganising(api) // after the links: bulk items use the create's schema
	s.registerAnalytics(api)
	s.registerClickExport(api)
	s.registerQR(api)
	s.registerHealth(api)
	documentServerRoutes(api.OpenAPI())
	documentHeaders(api.OpenAPI())
	documentWebhooks(api)

	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store") // a cached "ok" would hide a dead process
		_, _ = w.Write([]byte(`{"status":"ok"}`))
	})
	s.mux.Handle("GET /metrics", metricsEndpoint(c.Registry, c.MetricsToken))
	s.mux.HandleFunc(redirectPattern, s.redirect)
	s.mux.HandleFunc(passwordPostPattern, s.postPassword)
	if c.Pages != nil {
		// The web app: /, /app/... and /static/..., behind the same request
		// IDs, access log, metrics and recovery as the API.
		c.Pages.Mount(s.mux)
	}
	s.mux.HandleFunc("/", s.unmatched)
}

// newAPI sets up huma on a sub-mux for /api/v1 (behind the API middleware)
// and serves the OpenAPI document and docs from the main mux.
func (s *Server) newAPI(version string) huma.API {
	apiMux := http.NewServeMux()
	config := huma.DefaultConfig("shortener", version)
	config.Info.Description = "URL shortener with click analytics. Errors are RFC 9457 problem details " +
		"(application/problem+json). Rate limits answer 429 with Retry-After and RateLimit-* headers."
	config.OpenAPIPath = "/openapi"
	config.DocsPath = "" // docs.go serves them, without a CDN
	config.SchemasPath = "/schemas"
	// Exact names only: huma also looks up the text after a "+", and a
	// "json" entry made "text/html+json" a JSON body. jsonRequestBody
	// matches request media types as API.md says and hands huma the first
	// spelling; the second is how problems are written.
	config.Formats = map[string]huma.Format{
		"application/json":         jsonFormat,
		"application/problem+json": jsonFormat,
	}
	config.Transformers = []huma.Transformer{encodeFirst}
	config.CreateHooks = nil
	config.Components.SecuritySchemes = maps.Clone(securitySchemes) // each server its own document
	api := humago.New(apiMux, config)
	// Before any operation is registered: huma binds the API's middleware
	// at registration. The rate limit comes first, so that refused
	// bodies count too; then an API key's scope; then the call's deadline
	// (deadline.go), before its body is read; answers are not stored by
	// caches unless the operation says otherwise (noStore).
	api.UseMiddleware(s.rateLimit, s.checkScope, s.deadlines, noStore, jsonRequestBody(api))
	// Documentation lives outside /api/v1 but comes from the same API.
	s.mux.Handle("GET /openapi.json", servedAsJSON(apiMux))
	s.mux.Handle("GET /openapi.yaml", apiMux)
	s.mux.Handle("GET /openapi-3.0.json", servedAsJSON(apiMux))
	s.mux.HandleFunc("GET /docs", docsPage)
	s.mux.HandleFunc("GET /docs/{file}", docsAsset)
	s.mux.Handle("GET /schemas/{name}", s.knownSchema(api, apiMux))
	apiHandler := s.authenticate(s.apiFallback(apiMux))
	s.mux.Handle("/api/v1/", apiHandler)
	// Else the mux would redirect /api/v1 to /api/v1/.
	s.mux.Handle("/api/v1", apiHandler)
	return api
}

// knownSchema passes requests for the schemas of the OpenAPI document on to
// huma, which would answer an unknown name with a 200 "null": an unknown
// name is a 404 problem.
func (s *Server) knownSchema(api huma.API, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimSuffix(r.PathValue("name"), ".json")
		if api.OpenAPI().Components.Schemas.Map()[name] == nil {
			writeProblem(w, newProblem(http.StatusNotFound, "There is no schema of this name."))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// apiFallback sends API paths that no operation matches to unmatched,
// counted against the general rate limit like any other API call.
func (s *Server) apiFallback(apiMux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, pattern := apiMux.Handler(r)
		if pattern == "" {
			if s.admitClass(w, r, shortener.RateGeneral) {
				s.unmatchedIn(apiMux, w, r)
			}
			return
		}
		if sw, ok := w.(*exchange); ok {
			sw.route = pattern
		}
		defer s.answerEncodingFailure(w, r)
		apiMux.ServeHTTP(w, r)
	})
}

// noStore marks an API answer Cache-Control: no-store before the
// operation runs, so that one that sets its own (a QR code's public
// max-age) replaces it: tokens, links and analytics are a user's own and
// stay out of shared and browser caches (RFC 6749 5.1 asks it of tokens).
func noStore(ctx huma.Context, next func(huma.Context)) {
	ctx.SetHeader("Cache-Control", "no-store")
	next(ctx)
}
