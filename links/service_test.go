package links_test

import (
	"context"
	"errors"
	"github.com/shortener-dev/shortener/auth"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/testdb"
	"github.com/shortener-dev/shortener/links"
	"github.com/shortener-dev/shortener/storetest"
)

// recordingInvalidator remembers which codes were invalidated, and the
// state of the context each call got.
type recordingInvalidator struct {
	mu      sync.Mutex
	codes   []string
	ctxErrs []error
}

func (r *recordingInvalidator) Invalidate(ctx context.Context, codes ...string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, code := range codes {
		r.codes = append(r.codes, code)
		r.ctxErrs = append(r.ctxErrs, ctx.Err())
	}
	return nil
}

// hangUpAfterCreate cancels the request's context as soon as the link is
// stored: a client that went away in between.
type hangUpAfterCreate struct {
	shortener.LinkStore
	cancel context.CancelFunc
}

func (h hangUpAfterCreate) CreateLink(ctx context.Context, l *shortener.Link) error {
	err := h.LinkStore.CreateLink(ctx, l)
	h.cancel()
	return err
}

func TestInvalidationOutlivesTheRequest(t *testing.T) {
	s := testdb.SQLite(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s.Links = hangUpAfterCreate{LinkStore: s.Links, cancel: cancel}
	inv := &recordingInvalidator{}
	svc := newService(s, inv)
	l, err := svc.Create(ctx, user(t, s, shortener.RoleUser), links.CreateInput{OriginalURL: "https://example.com/a"})
	if err != nil {
		t.Fatal(err)
	}
	if ctx.Err() == nil {
		t.Fatal("the request's context was not cancelled: the test proves nothing")
	}
	if !slices.Equal(inv.codes, []string{l.ShortCode}) || inv.ctxErrs[0] != nil {
		t.Fatalf("invalidations %v with context errors %v, want %s with none", inv.codes, inv.ctxErrs, l.ShortCode)
	}
}

func newService(s storetest.Stores, inv shortener.Invalidator) *links.Service {
	return links.NewService(links.Config{
		Links: s.Links, Invalidator: inv, BaseURL: "https://sho.rt/", OwnHosts: []string{"sho.rt"}, CodeLength: 7,
	})
}

func user(t *testing.T, s storetest.Stores, role string) *shortener.User {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Microsecond)
	u := &shortener.User{ID: shortener.NewID(), Email: shortener.NewID() + "@example.com", PasswordHash: "x",
		Role: role, IsActive: true, CreatedAt: now, UpdatedAt: now}
	if err := s.Users.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

func ptr[T any](v T) *T { return &v }

func TestCreate(t *testing.T) {
	testdb.ForEachEngine(t, func(t *testing.T, s storetest.Stores) {
		ctx := context.Background()
		inv := &recordingInvalidator{}
		svc := newService(s, inv)
		owner := user(t, s, shortener.RoleUser)

		l, err := svc.Create(ctx, owner, links.CreateInput{OriginalURL: "https://example.com/a"})
		if err != nil {
			t.Fatal(err)
		}
		if len(l.ShortCode) != 7 || !l.IsPublic || !l.IsActive || *l.OwnerID != owner.ID {
			t.Fatalf("link = %+v", l)
		}
		if svc.ShortURL(l) != "https://sho.rt/"+l.ShortCode {
			t.Fatalf("short URL %q", svc.ShortURL(l))
		}
		if !slices.Contains(inv.codes, l.ShortCode) {
			t.Fatal("a new code was not invalidated (negative cache entries would survive)")
		}

		if _, err := svc.Create(ctx, nil, links.CreateInput{OriginalURL: "https://example.com/b", CustomAlias: ptr("MyLink")}); err != nil {
			t.Fatal(err)
		}
		_, err = svc.Create(ctx, nil, links.CreateInput{OriginalURL: "https://example.com/c", CustomAlias: ptr("MyLink")})
		if shortener.ErrorCode(err) != shortener.ECONFLICT {
			t.Fatalf("taken alias: %v, want ECONFLICT", err)
		}
		if _, err := svc.Create(ctx, nil, links.CreateInput{OriginalURL: "https://example.com/c", CustomAlias: ptr("mylink")}); err != nil {
			t.Fatalf("alias differing in case: %v", err)
		}

		for name, in := range map[string]links.CreateInput{
			"own host":     {OriginalURL: "http://SHO.RT:8080/x"},
			"private":      {OriginalURL: "http://10.0.0.1/"},
			"reserved":     {OriginalURL: "https://example.com", CustomAlias: ptr("Docs")},
			"past expiry":  {OriginalURL: "https://example.com", ExpiresAt: ptr(time.Now().Add(-time.Minute))},
			"long title":   {OriginalURL: "https://example.com", Title: ptr(string(make([]byte, 256)))},
			"empty alias":  {OriginalURL: "https://example.com", CustomAlias: ptr("")},
			"not http(s)":  {OriginalURL: "ftp://example.com/"},
			"credentials":  {OriginalURL: "https://u:p@example.com/"},
			"decimal host": {OriginalURL: "http://2130706433/"},
		} {
			if _, err := svc.Create(ctx, owner, in); shortener.ErrorCode(err) != shortener.EINVALID {
				t.Errorf("%s: %v, want EINVALID", name, err)
			}
		}
	})
}

func TestOwnership(t *testing.T) {
	testdb.ForEachEngine(t, func(t *testing.T, s storetest.Stores) {
		ctx := context.Background()
		inv := &recordingInvalidator{}
		svc := newService(s, inv)
		owner, other, admin := user(t, s, shortener.RoleUser), user(t, s, shortener.RoleUser), user(t, s, shortener.RoleAdmin)

		private, err := svc.Create(ctx, owner, links.CreateInput{OriginalURL: "https://example.com/p", IsPublic: ptr(false)})
		if err != nil {
			t.Fatal(err)
		}
		anon, err := svc.Create(ctx, nil, links.CreateInput{OriginalURL: "https://example.com/anon"})
		if err != nil {
			t.Fatal(err)
		}
		for name, caller := range map[string]*shortener.User{"other": other, "anonymous": nil} {
			if _, err := svc.Get(ctx, caller, private.ID); shortener.ErrorCode(err) != shortener.ENOTFOUND {
				t.Errorf("%s reads a private link: %v, want ENOTFOUND", name, err)
			}
		}
		if _, err := svc.Get(ctx, admin, private.ID); err != nil {
			t.Errorf("admin reads a private link: %v", err)
		}
		if _, err := svc.Get(ctx, nil, "not-a-uuid"); shortener.ErrorCode(err) != shortener.ENOTFOUND {
			t.Errorf("malformed id: %v, want ENOTFOUND", err)
		}
		// Nobody but an admin changes an anonymous link; nobody but the
		// owner or an admin changes an owned one.
		for _, id := range []string{private.ID, anon.ID} {
			if _, err := svc.Update(ctx, other, id, links.UpdateInput{IsActive: ptr(false)}); shortener.ErrorCode(err) != shortener.ENOTFOUND {
				t.Errorf("other updates %s: %v, want ENOTFOUND", id, err)
			}
			if err := svc.Delete(ctx, other, id); shortener.ErrorCode(err) != shortener.ENOTFOUND {
				t.Errorf("other deletes %s: %v, want ENOTFOUND", id, err)
			}
		}
		inv.codes = nil
		l, err := svc.Update(ctx, owner, private.ID, links.UpdateInput{OriginalURL: ptr("https://example.com/new"), ClearExpiry: true})
		if err != nil || l.OriginalURL != "https://example.com/new" {
			t.Fatalf("owner update: %+v, %v", l, err)
		}
		if err := svc.Delete(ctx, admin, anon.ID); err != nil {
			t.Fatalf("admin deletes an anonymous link: %v", err)
		}
		if !slices.Equal(inv.codes, []string{private.ShortCode, anon.ShortCode}) {
			t.Fatalf("invalidated %v, want the updated and the deleted code", inv.codes)
		}
	})
}

// barrierReads makes LinkByID wait until n callers have read the link, so
// that two updates are forced to read the same old state before either
// writes: the interleaving that lost an admin's is_active=false to an
// owner's concurrent title change.
type barrierReads struct {
	shortener.LinkStore
	arrived sync.WaitGroup
}

func (b *barrierReads) LinkByID(ctx context.Context, id string) (*shortener.Link, error) {
	l, err := b.LinkStore.LinkByID(ctx, id)
	b.arrived.Done()
	b.arrived.Wait()
	return l, err
}

func TestConcurrentUpdatesKeepEachField(t *testing.T) {
	testdb.ForEachEngine(t, func(t *testing.T, s storetest.Stores) {
		ctx := context.Background()
		owner, admin := user(t, s, shortener.RoleUser), user(t, s, shortener.RoleAdmin)
		l, err := newService(s, &recordingInvalidator{}).Create(ctx, owner, links.CreateInput{OriginalURL: "https://example.com/a", Title: ptr("old")})
		if err != nil {
			t.Fatal(err)
		}
		store := &barrierReads{LinkStore: s.Links}
		store.arrived.Add(2)
		s.Links = store
		svc := newService(s, &recordingInvalidator{})
		var wg sync.WaitGroup
		errs := make([]error, 2)
		wg.Go(func() { _, errs[0] = svc.Update(ctx, admin, l.ID, links.UpdateInput{IsActive: ptr(false)}) })
		wg.Go(func() { _, errs[1] = svc.Update(ctx, owner, l.ID, links.UpdateInput{Title: ptr("new")}) })
		wg.Wait()
		if errs[0] != nil || errs[1] != nil {
			t.Fatal(errs)
		}
		got, err := store.LinkStore.LinkByID(ctx, l.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.IsActive || got.Title == nil || *got.Title != "new" {
			t.Fatalf("after concurrent updates: active=%v title=%v; want the admin's disable and the owner's title both kept", got.IsActive, got.Title)
		}
	})
}

func TestCreateWithOptions(t *testing.T) {
	testdb.ForEachEngine(t, func(t *testing.T, s storetest.Stores) {
		ctx := context.Background()
		svc := links.NewService(links.Config{
			Links: s.Links, Invalidator: &recordingInvalidator{}, BaseURL: "https://sho.rt", OwnHosts: []string{"sho.rt"},
			CodeLength: 7, Passwords: auth.NewHasher(4),
		})
		owner := user(t, s, shortener.RoleUser)
		since := time.Now().Add(-time.Hour).UTC().Truncate(time.Microsecond)
		rules := []shortener.TargetRule{{URL: "https://example.com/ios", Devices: []string{"iOS"}, Countries: []string{"de"}}}
		variants := []shortener.Variant{{URL: "https://a.example", Weight: 1}, {URL: "https://b.example", Weight: 3}}
		l, err := svc.Create(ctx, owner, links.CreateInput{OriginalURL: "https://example.com/x", Options: links.Options{
			RedirectType: ptr(307), ForwardQuery: ptr(true), ValidSince: &since, MaxClicks: ptr(int64(5)),
			Password: ptr("open sesame"), Rules: &rules, Variants: &variants,
		}})
		if err != nil {
			t.Fatal(err)
		}
		if l.RedirectType != 307 || !l.ForwardQuery || !l.ValidSince.Equal(since) || *l.MaxClicks != 5 ||
			l.PasswordHash == "" || l.PasswordHash == "open sesame" || len(l.Variants) != 2 {
			t.Fatalf("created %+v", l)
		}
		if got := l.Rules[0]; got.Devices[0] != "ios" || got.Countries[0] != "DE" {
			t.Fatalf("rules not normalised: %+v", got)
		}
		if ok, _, _ := auth.NewHasher(4).Check(l.PasswordHash, "open sesame"); !ok {
			t.Fatal("the stored hash does not verify the password")
		}
		plain, err := svc.Create(ctx, owner, links.CreateInput{OriginalURL: "https://example.com/plain"})
		if err != nil || plain.RedirectType != 302 || plain.Rules != nil || plain.Variants != nil || plain.PasswordHash != "" {
			t.Fatalf("a plain link: %+v, %v", plain, err)
		}

		// Every bad option is named at its location, all at once.
		bad := []shortener.TargetRule{{URL: "http://10.0.0.1/"}, {URL: "https://sho.rt/loop", Languages: []string{"german"}}}
		one := []shortener.Variant{{URL: "https://a.example", Weight: 0}}
		_, err = svc.Create(ctx, owner, links.CreateInput{OriginalURL: "https://example.com/y", Options: links.Options{
			RedirectType: ptr(303), MaxClicks: ptr(int64(0)), Password: ptr("abc"), Rules: &bad, Variants: &one,
		}})
		var e *shortener.Error
		if !errors.As(err, &e) || e.Code != shortener.EINVALID {
			t.Fatalf("bad options: %v", err)
		}
		var locations []string
		for _, f := range e.Fields {
			locations = append(locations, f.Location)
		}
		for _, want := range []string{"body.redirect_type", "body.max_clicks", "body.password", "body.rules[0].url",
			"body.rules[0]", "body.rules[1].url", "body.rules[1].language[0]", "body.variants", "body.variants[0].weight"} {
			if !slices.Contains(locations, want) {
				t.Errorf("no error at %s in %v", want, locations)
			}
		}
	})
}

func TestUpdateOptions(t *testing.T) {
	testdb.ForEachEngine(t, func(t *testing.T, s storetest.Stores) {
		ctx := context.Background()
		inv := &recordingInvalidator{}
		svc := links.NewService(links.Config{Links: s.Links, Invalidator: inv, BaseURL: "https://sho.rt", CodeLength: 7,
			Passwords: auth.NewHasher(4)})
		owner := user(t, s, shortener.RoleUser)
		l, err := svc.Create(ctx, owner, links.CreateInput{OriginalURL: "https://example.com/x", Options: links.Options{
			MaxClicks: ptr(int64(3)), Password: ptr("first"),
		}})
		if err != nil {
			t.Fatal(err)
		}
		variants := []shortener.Variant{{URL: "https://a.example", Weight: 1}, {URL: "https://b.example", Weight: 1}}
		got, err := svc.Update(ctx, owner, l.ID, links.UpdateInput{Options: links.Options{
			Password: ptr("second"), RedirectType: ptr(301), Variants: &variants}})
		if err != nil || got.PasswordHash == l.PasswordHash || got.RedirectType != 301 || *got.MaxClicks != 3 || len(got.Variants) != 2 {
			t.Fatalf("update: %+v, %v", got, err)
		}
		got, err = svc.Update(ctx, owner, l.ID, links.UpdateInput{ClearPassword: true, ClearMaxClicks: true, ClearVariants: true})
		if err != nil || got.PasswordHash != "" || got.MaxClicks != nil || got.Variants != nil || got.RedirectType != 301 {
			t.Fatalf("clearing: %+v, %v", got, err)
		}
		if !slices.Contains(inv.codes, l.ShortCode) {
			t.Fatal("an update of options was not invalidated")
		}

		// An update of nothing (PATCH {}) writes nothing: updated_at
		// stays, and no link.updated event is queued.
		events := func() int {
			d, err := s.Webhooks.ClaimDeliveries(ctx, time.Now().Add(time.Hour), 1000, time.Hour, nil)
			if err != nil {
				t.Fatal(err)
			}
			return len(d)
		}
		hook := &shortener.Webhook{ID: shortener.NewID(), UserID: owner.ID, URL: "https://hooks.example/x", Secret: "whsec_x",
			Events: []string{shortener.EventLinkUpdated}, IsActive: true, CreatedAt: time.Now()}
		if err := s.Webhooks.CreateWebhook(ctx, hook); err != nil {
			t.Fatal(err)
		}
		before := events()
		same, err := svc.Update(ctx, owner, l.ID, links.UpdateInput{})
		if err != nil || !same.UpdatedAt.Equal(got.UpdatedAt) {
			t.Fatalf("empty update: %+v, %v; want the link unchanged, updated_at %v", same, err, got.UpdatedAt)
		}
		if n := events(); n != before {
			t.Errorf("an empty update queued %d link.updated events", n-before)
		}
	})
}

// CheckCreate and CheckUpdate name every bad value at once and make or
// change nothing.
func TestCheckCreateAndUpdate(t *testing.T) {
	testdb.ForEachEngine(t, func(t *testing.T, s storetest.Stores) {
		ctx := context.Background()
		svc := newService(s, &recordingInvalidator{})
		owner := user(t, s, shortener.RoleUser)
		alias, title := "api", strings.Repeat("x", 300)
		err := svc.CheckCreate(links.CreateInput{OriginalURL: "http://localhost/", CustomAlias: &alias, Title: &title})
		var e *shortener.Error
		if !errors.As(err, &e) || e.Code != shortener.EINVALID || len(e.Fields) != 3 {
			t.Fatalf("CheckCreate = %v, want EINVALID at three fields", err)
		}
		if err := svc.CheckCreate(links.CreateInput{OriginalURL: "https://example.com/"}); err != nil {
			t.Fatalf("CheckCreate of a good input = %v", err)
		}
		err = svc.CheckUpdate(links.UpdateInput{OriginalURL: ptr("ftp://example.com/"), Title: &title})
		if !errors.As(err, &e) || e.Code != shortener.EINVALID || len(e.Fields) != 2 {
			t.Fatalf("CheckUpdate = %v, want EINVALID at two fields", err)
		}
		page, err := svc.List(ctx, owner, links.ListQuery{})
		if err != nil || page.Total != 0 {
			t.Fatalf("after checks: %d links, %v; want none", page.Total, err)
		}
	})
}
