package auth_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/auth"
	"github.com/shortener-dev/shortener/internal/testdb"
	"github.com/shortener-dev/shortener/storetest"
)

// heldUsers holds the first UserByID until release is closed, so that the
// reads behind it queue; it counts the reads of each user.
type heldUsers struct {
	shortener.UserStore
	entered chan struct{}
	release chan struct{}

	mu    sync.Mutex
	reads map[string]int
}

func (h *heldUsers) UserByID(ctx context.Context, id string) (*shortener.User, error) {
	h.mu.Lock()
	first := len(h.reads) == 0
	h.reads[id]++
	h.mu.Unlock()
	if first {
		close(h.entered)
		<-h.release
	}
	return h.UserStore.UserByID(ctx, id)
}

// TestAuthenticationSharesUserReads: requests that authenticate while a
// user read is on its way share one read per user, which starts after
// they arrived (a change made meanwhile is seen), and each gets its own
// answer: its own copy of an active user, 401 for an inactive or unknown
// one.
func TestAuthenticationSharesUserReads(t *testing.T) {
	testdb.ForEachEngine(t, func(t *testing.T, s storetest.Stores) {
		ctx := context.Background()
		clock := newFakeClock()
		h := &heldUsers{UserStore: s.Users, entered: make(chan struct{}), release: make(chan struct{}), reads: map[string]int{}}
		svc := auth.NewService(auth.Config{Users: h, Tokens: s.Tokens, Secret: secret, BcryptCost: 4, Clock: clock.Now,
			AccessTTL: 30 * time.Minute, RefreshTTL: time.Hour})
		now := time.Now().UTC().Truncate(time.Microsecond)
		active := &shortener.User{ID: shortener.NewID(), Email: "on@example.com", FullName: "Before", Role: shortener.RoleUser,
			IsActive: true, CreatedAt: now, UpdatedAt: now}
		inactive := &shortener.User{ID: shortener.NewID(), Email: "off@example.com", Role: shortener.RoleUser, CreatedAt: now, UpdatedAt: now}
		for _, u := range []*shortener.User{active, inactive} {
			if err := s.Users.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		tokens := auth.NewTokens(secret, 30*time.Minute, clock.Now)
		token := func(id string) string {
			tok, err := tokens.Issue(id)
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}
		unknown := shortener.NewID()
		ids := []string{active.ID}
		for range 10 {
			ids = append(ids, active.ID)
		}
		for range 4 {
			ids = append(ids, inactive.ID, unknown)
		}
		callers := make([]*shortener.Caller, len(ids))
		errs := make([]error, len(ids))
		var wg sync.WaitGroup
		start := func(i int) {
			wg.Go(func() { callers[i], errs[i] = svc.Authenticate(ctx, token(ids[i])) })
		}
		start(0)
		select {
		case <-h.entered:
		case <-time.After(5 * time.Second):
			t.Fatal("the first read never reached the store")
		}
		// Renamed after the first read began, before the others arrive.
		name := "After"
		if _, err := s.Users.UpdateUser(ctx, active.ID, shortener.UserUpdate{FullName: &name}, now); err != nil {
			t.Fatal(err)
		}
		for i := 1; i < len(ids); i++ {
			start(i)
		}
		for deadline := time.Now().Add(5 * time.Second); auth.WaitingUserReads(svc) != len(ids)-1; {
			if time.Now().After(deadline) {
				t.Fatalf("%d reads queued, want %d", auth.WaitingUserReads(svc), len(ids)-1)
			}
			time.Sleep(time.Millisecond)
		}
		close(h.release)
		wg.Wait()

		if h.reads[active.ID] != 2 || h.reads[inactive.ID] != 1 || h.reads[unknown] != 1 {
			t.Errorf("store reads %v, want the active user twice (the first, then the group) and the others once", h.reads)
		}
		seen := map[*shortener.User]bool{}
		for i, id := range ids {
			switch {
			case id != active.ID:
				if shortener.ErrorCode(errs[i]) != shortener.EUNAUTHORIZED {
					t.Errorf("caller %d (inactive or unknown user): %v, want 401", i, errs[i])
				}
			case errs[i] != nil:
				t.Errorf("caller %d: %v", i, errs[i])
			case seen[callers[i].User]:
				t.Errorf("caller %d shares its *User with another caller", i)
			case i > 0 && callers[i].User.FullName != "After":
				t.Errorf("caller %d, who came after the rename, sees %q", i, callers[i].User.FullName)
			default:
				seen[callers[i].User] = true
			}
		}
	})
}
