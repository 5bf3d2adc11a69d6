package auth_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/auth"
	"github.com/shortener-dev/shortener/internal/testdb"
	"github.com/shortener-dev/shortener/internal/testenv"
	"github.com/shortener-dev/shortener/storetest"
)

// heldUsers holds the first UserByID at its gate once it has read the
// user, so that the reads behind it queue; afterRead runs then, before
// the others arrive. It counts the reads of each user.
type heldUsers struct {
	shortener.UserStore
	gate      *testenv.Gate
	afterRead func()

	mu    sync.Mutex
	reads map[string]int
}

func (h *heldUsers) UserByID(ctx context.Context, id string) (*shortener.User, error) {
	h.mu.Lock()
	first := len(h.reads) == 0
	h.reads[id]++
	h.mu.Unlock()
	u, err := h.UserStore.UserByID(ctx, id)
	if first {
		h.afterRead()
	}
	h.gate.Hold()
	return u, err
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
		h := &heldUsers{UserStore: s.Users, gate: testenv.NewGate(), reads: map[string]int{}}
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
		h.afterRead = func() { // the first caller's read is done: renamed before the others arrive
			name := "After"
			if _, err := s.Users.UpdateUser(ctx, active.ID, shortener.UserUpdate{FullName: &name}, time.Now()); err != nil {
				t.Error(err)
			}
		}
		// A login for each user, so that only the user decides the answer.
		logins := map[string]string{}
		for _, u := range []*shortener.User{active, inactive} {
			logins[u.ID] = liveLogin(t, s, u.ID, now)
		}
		tokens := auth.NewTokens(secret, 30*time.Minute, clock.Now)
		token := func(id string) string {
			login, ok := logins[id]
			if !ok {
				login = shortener.NewID()
			}
			tok, err := tokens.IssueForSession(id, login)
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
		authenticate := func(i int) func() {
			return func() { callers[i], errs[i] = svc.Authenticate(ctx, token(ids[i])) }
		}
		var rest []func()
		for i := 1; i < len(ids); i++ {
			rest = append(rest, authenticate(i))
		}
		h.gate.QueueBehind(t, func() int { return auth.WaitingUserReads(svc) }, authenticate(0), rest...)

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
			case i == 0 && callers[i].User.FullName != "Before":
				t.Errorf("the first caller, whose read was done before the rename, sees %q", callers[i].User.FullName)
			case i > 0 && callers[i].User.FullName != "After":
				t.Errorf("caller %d, who came after the rename, sees %q", i, callers[i].User.FullName)
			default:
				seen[callers[i].User] = true
			}
		}
	})
}
