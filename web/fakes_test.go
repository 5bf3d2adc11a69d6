package web

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/auth"
	"github.com/shortener-dev/shortener/links"
)

// The fakes below stand in for the services; each records its calls so
// that a test can say "the service saw nothing".

type calls struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *calls) add(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[name]++
}

func (c *calls) count(name string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[name]
}

type fakeAccounts struct {
	calls
	registerErr error
	updateErr   error
	updates     []ProfileUpdate
}

func (f *fakeAccounts) Register(_ context.Context, email, password, name string) (*shortener.User, error) {
	f.add("Register")
	if f.registerErr != nil {
		return nil, f.registerErr
	}
	return &shortener.User{ID: "u-new", Email: email, FullName: name, Role: shortener.RoleUser, IsActive: true}, nil
}

func (f *fakeAccounts) UpdateProfile(_ context.Context, caller *shortener.User, in ProfileUpdate) (*shortener.User, error) {
	f.add("UpdateProfile")
	f.updates = append(f.updates, in)
	if f.updateErr != nil {
		return nil, f.updateErr
	}
	u := *caller
	if in.FullName != nil {
		u.FullName = *in.FullName
	}
	return &u, nil
}

// fakeSessions knows one password per email and the live tokens.
type fakeSessions struct {
	calls
	mu        sync.Mutex
	passwords map[string]string          // email → password
	users     map[string]*shortener.User // email → user
	tokens    map[string]*shortener.User // live token → user
	rotate    map[string]string          // token due for rotation → its successor
	ended     []string
	clients   []auth.Client
	seq       int
}

func (f *fakeSessions) Start(_ context.Context, email, password string, c auth.Client) (string, error) {
	f.add("Start")
	f.mu.Lock()
	defer f.mu.Unlock()
	f.clients = append(f.clients, c)
	if pw, ok := f.passwords[email]; !ok || pw != password {
		return "", shortener.Errorf(shortener.EUNAUTHORIZED, "Incorrect email or password.")
	}
	f.seq++
	token := fmt.Sprintf("tok-%d", f.seq)
	f.tokens[token] = f.users[email]
	return token, nil
}

func (f *fakeSessions) Resume(_ context.Context, token string, _ auth.Client) (*shortener.User, string, error) {
	f.add("Resume")
	f.mu.Lock()
	defer f.mu.Unlock()
	u, ok := f.tokens[token]
	if !ok {
		return nil, "", shortener.Errorf(shortener.EUNAUTHORIZED, "Invalid or expired refresh token.")
	}
	if next, due := f.rotate[token]; due {
		delete(f.tokens, token)
		delete(f.rotate, token)
		f.tokens[next] = u
		return u, next, nil
	}
	return u, "", nil
}

func (f *fakeSessions) End(_ context.Context, token string) error {
	f.add("End")
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.tokens, token)
	f.ended = append(f.ended, token)
	return nil
}

// fakeLinks keeps links newest first.
type fakeLinks struct {
	calls
	mu        sync.Mutex
	links     []*shortener.Link
	createErr error
	updateErr error
	stall     bool  // Get waits until its context ends, as on a stalled database
	checkErr  error // what CheckCreate and CheckUpdate answer
	created   []links.CreateInput
	updated   []links.UpdateInput
	lists     []ListQuery
}

func (f *fakeLinks) ShortURL(l *shortener.Link) string { return "https://sho.rt/" + l.ShortCode }

func (f *fakeLinks) CheckCreate(links.CreateInput) error { f.add("CheckCreate"); return f.checkErr }
func (f *fakeLinks) CheckUpdate(links.UpdateInput) error { f.add("CheckUpdate"); return f.checkErr }

func canManage(u *shortener.User, l *shortener.Link) bool {
	return u.IsAdmin() || (u != nil && l.OwnerID != nil && *l.OwnerID == u.ID)
}

func (f *fakeLinks) Create(_ context.Context, caller *shortener.User, in links.CreateInput) (*shortener.Link, error) {
	f.add("Create")
	f.mu.Lock()
	defer f.mu.Unlock()
	f.created = append(f.created, in)
	if f.createErr != nil {
		return nil, f.createErr
	}
	l := &shortener.Link{ID: fmt.Sprintf("00000000-0000-7000-8000-%012d", len(f.links)+1), ShortCode: "new1234",
		OriginalURL: in.OriginalURL, IsActive: true, IsPublic: true, CreatedAt: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	if caller != nil {
		l.OwnerID = &caller.ID
	}
	l.Domain = "sho.rt"
	if in.Domain != nil {
		l.Domain = *in.Domain
	}
	f.links = append([]*shortener.Link{l}, f.links...)
	return l, nil
}

func (f *fakeLinks) find(id string) *shortener.Link {
	for _, l := range f.links {
		if l.ID == id {
			return l
		}
	}
	return nil
}

func (f *fakeLinks) Get(ctx context.Context, caller *shortener.User, id string) (*shortener.Link, error) {
	f.add("Get")
	if f.stall {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if l := f.find(id); l != nil && (l.IsPublic || canManage(caller, l)) {
		c := *l
		return &c, nil
	}
	return nil, shortener.Errorf(shortener.ENOTFOUND, "Link not found.")
}

func (f *fakeLinks) List(_ context.Context, caller *shortener.User, q ListQuery) (*shortener.LinkPage, error) {
	f.add("List")
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lists = append(f.lists, q)
	mine := f.links
	if !(q.AllOwners && caller.IsAdmin()) {
		mine = nil
		for _, l := range f.links {
			if l.OwnerID != nil && *l.OwnerID == caller.ID {
				mine = append(mine, l)
			}
		}
	}
	if q.Search != "" {
		var found []*shortener.Link
		for _, l := range mine {
			if strings.Contains(strings.ToLower(l.ShortCode+" "+l.OriginalURL), strings.ToLower(q.Search)) { // as the stores: any case
				found = append(found, l)
			}
		}
		mine = found
	}
	from := min((q.Page-1)*q.Size, len(mine))
	to := min(from+q.Size, len(mine))
	return &shortener.LinkPage{Links: mine[from:to], Total: len(mine)}, nil
}

func (f *fakeLinks) Update(_ context.Context, caller *shortener.User, id string, in links.UpdateInput) (*shortener.Link, error) {
	f.add("Update")
	f.mu.Lock()
	defer f.mu.Unlock()
	f.updated = append(f.updated, in)
	if f.updateErr != nil {
		return nil, f.updateErr
	}
	l := f.find(id)
	if l == nil || !canManage(caller, l) {
		return nil, shortener.Errorf(shortener.ENOTFOUND, "Link not found.")
	}
	if in.IsActive != nil {
		l.IsActive = *in.IsActive
	}
	return l, nil
}

func (f *fakeLinks) Delete(_ context.Context, caller *shortener.User, id string) error {
	f.add("Delete")
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, l := range f.links {
		if l.ID == id && canManage(caller, l) {
			f.links = append(f.links[:i], f.links[i+1:]...)
			return nil
		}
	}
	return shortener.Errorf(shortener.ENOTFOUND, "Link not found.")
}

type fakeSummaries struct {
	calls
	summary *ClickSummary
	err     error
	days    []int
}

func (f *fakeSummaries) Summary(_ context.Context, _ *shortener.User, _, code string, days int) (*ClickSummary, error) {
	f.add("Summary")
	f.days = append(f.days, days)
	if f.err != nil {
		return nil, f.err
	}
	if f.summary == nil {
		return &ClickSummary{ShortCode: code, PeriodDays: days}, nil
	}
	return f.summary, nil
}

type fakeQR struct {
	calls
	domains []string // the domain of each request
}

func (f *fakeQR) QRCode(_ context.Context, domain, code, format string, size int) ([]byte, string, error) {
	f.add("QRCode")
	f.domains = append(f.domains, domain)
	if code == "missing" {
		return nil, "", shortener.Errorf(shortener.ENOTFOUND, "Link not found.")
	}
	if format == "svg" {
		return []byte(fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d"/>`, size, size)), "image/svg+xml", nil
	}
	return []byte("\x89PNG fake"), "image/png", nil
}

type limitCall struct {
	Class shortener.RateClass
	User  string // "" when signed out
	IP    netip.Addr
}

// fakeLimiter admits everything except the classes it is told to refuse.
type fakeLimiter struct {
	mu     sync.Mutex
	seen   []limitCall
	refuse map[shortener.RateClass]time.Duration
}

// fakeLimit is the limit the fake counts every class against.
var fakeLimit = shortener.RateLimit{Limit: 10, Window: time.Hour}

func (f *fakeLimiter) Admit(_ context.Context, class shortener.RateClass, u *shortener.User, ip netip.Addr) (shortener.RateDecision, shortener.RateLimit) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := limitCall{Class: class, IP: ip}
	if u != nil {
		c.User = u.ID
	}
	f.seen = append(f.seen, c)
	if wait, ok := f.refuse[class]; ok {
		return shortener.RateDecision{Limit: fakeLimit.Limit, Reset: wait, RetryAfter: wait}, fakeLimit
	}
	return shortener.RateDecision{Allowed: true, Limit: fakeLimit.Limit, Remaining: 7, Reset: time.Minute}, fakeLimit
}

func (f *fakeLimiter) calls() []limitCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]limitCall(nil), f.seen...)
}
