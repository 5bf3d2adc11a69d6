package web

import (
	"cmp"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/allow"
	"github.com/shortener-dev/shortener/internal/csrf"
)

// Config holds an App's dependencies. Every service is required.
type Config struct {
	Accounts  Accounts
	Sessions  Sessions
	Links     Links
	Summaries Summaries
	QRCodes   QRCodes
	Limiter   Limiter
	// Keys and Webhooks, when set, add /app/keys and /app/webhooks.
	Keys     Keys
	Webhooks Webhooks
	// Domains, when set, adds /app/domains (admins) and the domain choice
	// of the create form.
	Domains Domains
	// Organiser, when set, adds the list's tag filter, the CSV export
	// (/app/export) and import (/app/import).
	Organiser Organiser
	// ClickExports, when set, lets the link page download its clicks as
	// CSV (/app/links/{id}/clicks.csv).
	ClickExports ClickExports
	// MaxImportBytes bounds an imported file (MAX_IMPORT_BYTES); default
	// 10 MiB.
	MaxImportBytes int64
	// RequestTimeout bounds the work of a page or form (begin); 0 takes
	// DefaultRequestTimeout. Downloads and the import have 10 minutes.
	RequestTimeout time.Duration

	// BaseURL is the service's public URL (BASE_URL); cookies are Secure
	// when it is https.
	BaseURL string
	// ClientIP returns the client address of a request, with the API's
	// trusted-proxy rules, so that forms and API calls share rate-limit
	// keys. Default: the socket peer.
	ClientIP func(*http.Request) netip.Addr
	Logger   *slog.Logger    // default: discard
	Clock    shortener.Clock // default: shortener.SystemClock
	// CSRFKey is the server secret CSRF tokens are signed with, at least
	// 32 bytes; every instance behind one BASE_URL must share it.
	CSRFKey []byte
	Version string // shown in the footer
}

// App serves the web app. It is an http.Handler for its routes (see the
// package doc); Mount registers them on a ServeMux.
type App struct {
	accounts  Accounts
	sessions  Sessions
	links     Links
	summaries Summaries
	qr        QRCodes
	limiter   Limiter
	keys      Keys
	webhooks  Webhooks
	domains   Domains
	organiser Organiser
	clicksCSV ClickExports
	maxImport int64
	// requestTimeout bounds a page or form (begin).
	requestTimeout time.Duration
	secure         bool
	clientIP       func(*http.Request) netip.Addr
	logger         *slog.Logger
	clock          shortener.Clock
	csrf           *csrf.Signer
	version        string
	assets         *assets
	pages          map[string]*template.Template
	mux            *http.ServeMux
	handler        http.Handler
}

// New returns an App, or an error when a service is missing, the CSRF
// key is too short or BaseURL is not an http(s) URL.
func New(c Config) (*App, error) {
	if c.Accounts == nil || c.Sessions == nil || c.Links == nil || c.Summaries == nil || c.QRCodes == nil || c.Limiter == nil {
		return nil, errors.New("web: every service of Config is required")
	}
	signer, err := csrf.New(c.CSRFKey)
	if err != nil {
		return nil, fmt.Errorf("web: CSRFKey: %w", err)
	}
	base, err := url.Parse(c.BaseURL)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, errors.New("web: BaseURL must be an absolute http or https URL")
	}
	if c.ClientIP == nil {
		c.ClientIP = peerIP
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Clock == nil {
		c.Clock = shortener.SystemClock
	}
	if c.MaxImportBytes <= 0 {
		c.MaxImportBytes = defaultMaxImport
	}
	a := &App{
		accounts: c.Accounts, sessions: c.Sessions, links: c.Links, summaries: c.Summaries,
		qr: c.QRCodes, limiter: c.Limiter, keys: c.Keys, webhooks: c.Webhooks, domains: c.Domains, organiser: c.Organiser,
		clicksCSV: c.ClickExports, maxImport: c.MaxImportBytes, secure: base.Scheme == "https", clientIP: c.ClientIP,
		logger: c.Logger, clock: c.Clock, csrf: signer, version: c.Version, mux: http.NewServeMux(),
		requestTimeout: cmp.Or(c.RequestTimeout, DefaultRequestTimeout),
	}
	if a.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	if a.pages, err = parsePages(a.templateFuncs()); err != nil {
		return nil, err
	}
	a.routes()
	a.handler = securityHeaders(a.begin(http.HandlerFunc(a.dispatch)))
	return a, nil
}

// routes lists every route of the web app in one place. Reading pages
// count against the user's rate-limit bucket (admitView); forms check
// their CSRF token before anything else and count themselves, so that a
// refusal can re-render the form with what the user typed.
func (a *App) routes() {
	m := a.mux
	m.HandleFunc("GET /{$}", a.optionalUser(a.home))
	m.HandleFunc("POST /{$}", a.optionalUser(a.checkCSRF(a.shorten)))
	m.HandleFunc("GET /static/{file}", a.assets.serve)
	m.HandleFunc("GET /app/qr/{file}", a.qrImage)

	m.HandleFunc("GET /app/login", a.optionalUser(a.loginPage))
	m.HandleFunc("POST /app/login", a.checkCSRF(a.login))
	m.HandleFunc("GET /app/signup", a.optionalUser(a.signupPage))
	m.HandleFunc("POST /app/signup", a.checkCSRF(a.signup))
	m.HandleFunc("POST /app/logout", a.requireUser(a.checkCSRF(a.logout)))

	m.HandleFunc("GET /app", a.requireUser(a.admitView(a.linkList)))
	m.HandleFunc("GET /app/{$}", a.requireUser(a.redirectTo("/app"))) // without a session to the login, as every page
	m.HandleFunc("POST /app/links", a.requireUser(a.checkCSRF(a.createLink)))
	m.HandleFunc("GET /app/links/{id}", a.requireUser(a.admitView(a.linkPage)))
	m.HandleFunc("POST /app/links/{id}/edit", a.requireUser(a.checkCSRF(a.editLink)))
	m.HandleFunc("POST /app/links/{id}/toggle", a.requireUser(a.checkCSRF(a.toggleLink)))
	m.HandleFunc("POST /app/links/{id}/delete", a.requireUser(a.checkCSRF(a.deleteLink)))
	m.HandleFunc("GET /app/account", a.requireUser(a.admitView(a.accountPage)))
	m.HandleFunc("POST /app/account/name", a.requireUser(a.checkCSRF(a.saveName)))
	m.HandleFunc("POST /app/account/password", a.requireUser(a.checkCSRF(a.changePassword)))
	if a.keys != nil {
		m.HandleFunc("GET /app/keys", a.requireUser(a.admitView(a.keysPage)))
		m.HandleFunc("POST /app/keys", a.requireUser(a.checkCSRF(a.createKey)))
		m.HandleFunc("POST /app/keys/{id}/revoke", a.requireUser(a.checkCSRF(a.revokeKey)))
	}
	if a.clicksCSV != nil {
		m.HandleFunc("GET /app/links/{id}/clicks.csv", a.long(a.requireUser(a.admitView(a.exportClicks))))
	}
	if a.organiser != nil {
		m.HandleFunc("GET /app/export", a.long(a.requireUser(a.admitView(a.exportLinks))))
		m.HandleFunc("GET /app/import", a.requireUser(a.admitView(a.importPage)))
		m.HandleFunc("POST /app/import", a.long(a.requireUser(a.checkUploadCSRF(a.importLinks))))
	}
	if a.webhooks != nil {
		m.HandleFunc("GET /app/webhooks", a.requireUser(a.admitView(a.webhooksPage)))
		m.HandleFunc("POST /app/webhooks", a.requireUser(a.checkCSRF(a.createWebhook)))
		m.HandleFunc("GET /app/webhooks/{id}", a.requireUser(a.admitView(a.webhookPage)))
		m.HandleFunc("POST /app/webhooks/{id}/edit", a.requireUser(a.checkCSRF(a.editWebhook)))
		m.HandleFunc("POST /app/webhooks/{id}/test", a.requireUser(a.checkCSRF(a.pingWebhook)))
		m.HandleFunc("POST /app/webhooks/{id}/delete", a.requireUser(a.checkCSRF(a.deleteWebhook)))
	}

	if a.domains != nil {
		m.HandleFunc("GET /app/domains", a.requireUser(a.admitView(a.domainsPage)))
		m.HandleFunc("POST /app/domains", a.requireUser(a.checkCSRF(a.createDomain)))
		m.HandleFunc("POST /app/domains/{id}/edit", a.requireUser(a.checkCSRF(a.editDomain)))
		m.HandleFunc("POST /app/domains/{id}/delete", a.requireUser(a.checkCSRF(a.deleteDomain)))
	}

	// A path of the app with a method it does not take is a 405 page
	// (PUT /app was redirected to /app/), an unknown one a 404 page.
	for _, method := range otherAppMethods {
		m.HandleFunc(method+" /app", a.requireUser(a.unmatched))
	}
	m.HandleFunc("/app/", a.requireUser(a.unmatched))
	m.HandleFunc("/", a.unmatched)
}

// otherAppMethods are the known methods that no route of /app takes: the
// app answers them itself, where the mux would redirect to /app/. (POST
// /app is the API's: it may be a password link's form, and is answered
// as such.)
var otherAppMethods = []string{http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions}

// unmatched answers a request that no route of the app takes: 405 with
// Allow where the path is a page for other methods, else 404.
func (a *App) unmatched(w http.ResponseWriter, r *http.Request) {
	methods := allow.Methods(a.mux, r, func(pattern string) bool {
		method, path, _ := strings.Cut(pattern, " ")
		return pattern == "/" || pattern == "/app/" || (path == "/app" && slices.Contains(otherAppMethods, method))
	})
	if len(methods) == 0 {
		a.notFound(w, r)
		return
	}
	w.Header().Set("Allow", strings.Join(methods, ", "))
	a.errorPage(w, r, http.StatusMethodNotAllowed, "This page does not take that kind of request.")
}

// ServeHTTP serves the web app's routes.
func (a *App) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.handler.ServeHTTP(w, r) }

// Mount registers the app on mux beside the API and the redirects. The
// patterns are chosen not to conflict with "GET /{code}" and
// "POST /{code}": the home page is "/" exactly, /app by method.
func (a *App) Mount(mux *http.ServeMux) {
	for _, p := range []string{"GET /{$}", "POST /{$}", "GET /app", "/app/", "/static/"} {
		mux.Handle(p, a)
	}
	for _, method := range otherAppMethods {
		mux.Handle(method+" /app", a)
	}
}

// dispatch answers an unclean path (//app, /app/./links) as not found:
// ServeMux would redirect it to the clean one, which the API never does.
func (a *App) dispatch(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	clean := path.Clean(p)
	if strings.HasSuffix(p, "/") && clean != "/" {
		clean += "/"
	}
	if p != clean {
		a.notFound(w, r)
		return
	}
	a.mux.ServeHTTP(w, r)
}

func (a *App) redirectTo(target string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target, http.StatusMovedPermanently)
	}
}

// seeOther ends a successful form post (POST-redirect-GET).
func seeOther(w http.ResponseWriter, r *http.Request, target string) {
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// peerIP is the socket peer's address, the default ClientIP.
func peerIP(r *http.Request) netip.Addr {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		a, _ := netip.ParseAddr(r.RemoteAddr)
		return a.Unmap()
	}
	return ap.Addr().Unmap()
}
