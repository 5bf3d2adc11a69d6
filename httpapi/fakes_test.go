package httpapi_test

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/auth"
	"github.com/shortener-dev/shortener/httpapi"
	"github.com/shortener-dev/shortener/internal/testenv"
	"github.com/shortener-dev/shortener/links"
)

// The fakes below stand in for the services behind httpapi's interfaces:
// these tests are about what the handlers make of their answers.

var (
	testNow = time.Date(2026, 11, 7, 12, 0, 0, 0, time.UTC)
	ada     = &shortener.User{ID: "0190a0f4-0000-7000-8000-000000000001", Email: "ada@example.com", Role: shortener.RoleUser, IsActive: true}
)

// adaToken is the bearer credential fakeAuth knows as ada.
const adaToken = "ada-token"

// fakeAuth authenticates adaToken as ada, and the API keys of keys as
// ada's with their scopes; any other credential is EUNAUTHORIZED, or
// failWith when set. It counts its calls.
type fakeAuth struct {
	mu       sync.Mutex
	calls    int
	failWith error
	profile  *auth.ProfileUpdate // the last profile update, and its bearer
	bearer   string
	keys     map[string][]shortener.Scope // API key → its scopes
	keyCalls fakeKeyCalls
}

func (f *fakeAuth) Authenticate(_ context.Context, bearer string) (*shortener.Caller, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	scopes, isKey := f.keys[bearer]
	switch {
	case bearer == adaToken:
		return shortener.PersonCaller(ada), nil
	case isKey:
		return shortener.KeyCaller(ada, &shortener.APIKey{ID: shortener.NewID(), UserID: ada.ID, Scopes: scopes}), nil
	case f.failWith != nil:
		return nil, f.failWith
	}
	return nil, shortener.Errorf(shortener.EUNAUTHORIZED, "Invalid or expired access token.")
}

func (f *fakeAuth) Register(_ context.Context, email, _, _ string) (*shortener.User, error) {
	return &shortener.User{ID: shortener.NewID(), Email: email, Role: shortener.RoleUser, IsActive: true, CreatedAt: testNow}, nil
}

func (f *fakeAuth) Login(context.Context, string, string, auth.Client) (*auth.TokenPair, error) {
	return &auth.TokenPair{AccessToken: "a", RefreshToken: "r", ExpiresIn: time.Minute}, nil
}

func (f *fakeAuth) Refresh(context.Context, string, auth.Client) (*auth.TokenPair, error) {
	return &auth.TokenPair{AccessToken: "a", RefreshToken: "r", ExpiresIn: time.Minute}, nil
}

func (f *fakeAuth) Logout(context.Context, string) error { return nil }

func (f *fakeAuth) UpdateProfile(_ context.Context, bearer string, in auth.ProfileUpdate) (*shortener.User, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.profile, f.bearer = &in, bearer
	if in.Password != nil && in.CurrentPassword != "Correct7Horse" {
		return nil, shortener.Errorf(shortener.EFORBIDDEN, "The current password is wrong.")
	}
	u := *ada
	if in.FullName != nil {
		u.FullName = *in.FullName
	}
	return &u, nil
}

// fakeLinks answers every call with link or err and keeps the caller and
// the input it was given.
type fakeLinks struct {
	link   *shortener.Link
	err    error
	stall  bool // Get and Create wait until their context ends, as on a stalled database
	caller *shortener.User
	create *links.CreateInput
	update *links.UpdateInput
	list   *links.ListQuery
}

func (f *fakeLinks) answer(caller *shortener.User) (*shortener.Link, error) {
	f.caller = caller
	if f.err != nil {
		return nil, f.err
	}
	return f.link, nil
}

func (f *fakeLinks) Create(ctx context.Context, caller *shortener.User, in links.CreateInput) (*shortener.Link, error) {
	f.create = &in
	if f.stall {
		<-ctx.Done()
		return nil, fmt.Errorf("create link: %w", ctx.Err())
	}
	return f.answer(caller)
}

func (f *fakeLinks) Get(ctx context.Context, caller *shortener.User, _ string) (*shortener.Link, error) {
	if f.stall {
		<-ctx.Done()
		return nil, fmt.Errorf("get link: %w", ctx.Err())
	}
	return f.answer(caller)
}

func (f *fakeLinks) List(_ context.Context, caller *shortener.User, q links.ListQuery) (*shortener.LinkPage, error) {
	f.list = &q
	l, err := f.answer(caller)
	if err != nil {
		return nil, err
	}
	return &shortener.LinkPage{Links: []*shortener.Link{l}, Total: 1}, nil
}

func (f *fakeLinks) Update(_ context.Context, caller *shortener.User, _ string, in links.UpdateInput) (*shortener.Link, error) {
	f.update = &in
	return f.answer(caller)
}

func (f *fakeLinks) Delete(_ context.Context, caller *shortener.User, _ string) error {
	_, err := f.answer(caller)
	return err
}

func (f *fakeLinks) ShortURL(l *shortener.Link) string { return "https://sho.rt/" + l.ShortCode }

// fakeSummaries answers sum or err and keeps what it was asked.
type fakeSummaries struct {
	sum    *shortener.ClickSummary
	err    error
	caller *shortener.User
	code   string
	days   int
	first  time.Time
	last   time.Time
}

func (f *fakeSummaries) Summary(_ context.Context, caller *shortener.User, _, code string, days int) (*shortener.ClickSummary, error) {
	f.caller, f.code, f.days = caller, code, days
	return f.sum, f.err
}

func (f *fakeSummaries) SummaryBetween(_ context.Context, caller *shortener.User, _, code string, first, last time.Time) (*shortener.ClickSummary, error) {
	f.caller, f.code, f.first, f.last = caller, code, first, last
	return f.sum, f.err
}

// fakeQR answers img or err and keeps the request.
type fakeQR struct {
	img   *shortener.QRImage
	err   error
	req   shortener.QRRequest
	calls int
}

func (f *fakeQR) QRCode(_ context.Context, req shortener.QRRequest) (*shortener.QRImage, error) {
	f.req = req
	f.calls++
	return f.img, f.err
}

// fakeResolver knows the targets of its map; err fails every lookup.
type fakeResolver struct {
	targets map[string]shortener.Target
	err     error
	calls   int
}

func (f *fakeResolver) Resolve(_ context.Context, code string) (shortener.Target, error) {
	f.calls++
	return f.targets[code], f.err
}

// clickLog records the clicks handed to it.
type clickLog struct {
	mu     sync.Mutex
	clicks []shortener.Click
}

func (c *clickLog) RecordClick(click shortener.Click) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.clicks = append(c.clicks, click)
}

// fakeLimiter records every key it is asked about. It admits everything
// unless deny is set; err fails every check.
type fakeLimiter struct {
	mu     sync.Mutex
	keys   []string
	limits []shortener.RateLimit
	deny   bool
	// denyReset, when set, is the Reset of a refusal (30 s otherwise).
	denyReset time.Duration
	err       error
}

func (l *fakeLimiter) Allow(_ context.Context, key string, limit shortener.RateLimit) (shortener.RateDecision, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.keys = append(l.keys, key)
	l.limits = append(l.limits, limit)
	if l.err != nil {
		return shortener.RateDecision{}, l.err
	}
	if l.deny {
		return shortener.RateDecision{Limit: limit.Limit, Reset: cmp.Or(l.denyReset, 30*time.Second), RetryAfter: 12300 * time.Millisecond}, nil
	}
	return shortener.RateDecision{Allowed: true, Limit: limit.Limit, Remaining: limit.Limit - 1, Reset: limit.Window}, nil
}

// Release gives nothing back: the fake keeps no events.
func (l *fakeLimiter) Release(context.Context, string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

// pinger is a health check that fails with err.
type pinger struct{ err error }

func (p pinger) Ping(context.Context) error { return p.err }

// Limits that tell the buckets apart by their numbers.
var testLimits = shortener.RateLimits{
	User:     shortener.RateLimit{Limit: 100, Window: time.Minute},
	Anon:     shortener.RateLimit{Limit: 20, Window: time.Minute},
	Register: shortener.RateLimit{Limit: 10, Window: time.Hour},
	Login:    shortener.RateLimit{Limit: 5, Window: 5 * time.Minute},
}

// fakes is one server's set of fakes; tests set their answers.
type fakes struct {
	auth      *fakeAuth
	links     *fakeLinks
	summaries *fakeSummaries
	qr        *fakeQR
	resolver  *fakeResolver
	clicks    *clickLog
	limiter   *fakeLimiter
	health    map[string]shortener.HealthChecker
	limits    shortener.RateLimits
	// registry is the metrics registry of the last server made; logs
	// collects every server's log lines as JSON, debug level included
	// (nil: they are dropped).
	registry *prometheus.Registry
	logs     *testenv.Buffer
	// metricsToken is the server's METRICS_TOKEN.
	metricsToken string
	// What the redirect asks of link options.
	enrichment *fakeEnrichment
	caps       *fakeCaps
	passwords  fakePasswords
	// counting, when set, replaces limiter with one that really limits.
	counting *countingLimiter
	// corsOrigins is the server's CORS_ALLOWED_ORIGINS.
	corsOrigins []string
	webhooks    *fakeWebhooks
	// clickExports, when set, serves the clicks export.
	clickExports httpapi.ClickExports
	// organiser, when set, serves tags, bulk, import and export.
	organiser httpapi.Organiser
	// requestTimeout is the server's RequestTimeout (0: the default).
	requestTimeout time.Duration
}

func newFakes() *fakes {
	return &fakes{
		auth: &fakeAuth{keys: testKeys()}, links: &fakeLinks{}, summaries: &fakeSummaries{}, qr: &fakeQR{},
		resolver: &fakeResolver{targets: map[string]shortener.Target{}}, clicks: &clickLog{},
		limiter: &fakeLimiter{}, health: map[string]shortener.HealthChecker{"database": pinger{}}, limits: testLimits,
		logs: &testenv.Buffer{}, enrichment: &fakeEnrichment{}, caps: &fakeCaps{left: map[string]int{}},
		passwords: fakePasswords{"$hash-of-open-sesame": "open sesame"}, webhooks: &fakeWebhooks{},
	}
}

// server returns a Server on the fakes.
// testStylesheet stands for the web app's fingerprinted stylesheet.
const testStylesheet = "/static/app.0123456789.css"

func (f *fakes) server() *httpapi.Server {
	f.registry = prometheus.NewRegistry()
	logs := io.Writer(io.Discard)
	if f.logs != nil {
		logs = f.logs
	}
	logger := slog.New(httpapi.ContextHandler{Handler: slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})})
	var limiter shortener.RateLimiter = f.limiter
	if f.counting != nil {
		limiter = f.counting
	}
	return httpapi.New(httpapi.Config{
		Logger: logger, Version: "test", Clock: func() time.Time { return testNow },
		Authenticator: f.auth, Accounts: f.auth, Keys: f.auth, Webhooks: f.webhooks,
		Links: f.links, Summaries: f.summaries, QR: f.qr, ClickExports: f.clickExports, Organiser: f.organiser,
		Resolver: f.resolver, Clicks: f.clicks, Limiter: limiter, Limits: f.limits, Health: f.health,
		MaxBodyBytes: 1 << 16, Registry: f.registry, MetricsToken: f.metricsToken,
		Enrichment: f.enrichment, Caps: f.caps, LinkPasswords: f.passwords, CORSOrigins: f.corsOrigins,
		Stylesheet: testStylesheet, RequestTimeout: f.requestTimeout,
	})
}

// serve sends one request; header holds name/value pairs.
func serve(t *testing.T, srv http.Handler, method, target, body string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, r)
	req.RemoteAddr = "203.0.113.7:41000"
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, req)
	return w
}

// bearer is the header pair of an Authorization: Bearer credential.
func bearer(token string) []string { return []string{"Authorization", "Bearer " + token} }

// decodeJSON decodes a 200 answer's JSON body into v.
func decodeJSON(t *testing.T, w *httptest.ResponseRecorder, v any) {
	t.Helper()
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	if err := json.Unmarshal(w.Body.Bytes(), v); err != nil {
		t.Fatal(err)
	}
}
