package links_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/testdb"
	"github.com/shortener-dev/shortener/internal/testenv"
	"github.com/shortener-dev/shortener/links"
	"github.com/shortener-dev/shortener/storetest"
)

// heldStore holds the first single create at its gate, so that the
// creates behind it queue; it counts the store calls.
type heldStore struct {
	shortener.LinkStore
	gate *testenv.Gate

	mu      sync.Mutex
	singles int
	groups  []int // sizes of the CreateLinks calls
}

func (h *heldStore) CreateLink(ctx context.Context, l *shortener.Link) error {
	h.mu.Lock()
	h.singles++
	h.mu.Unlock()
	h.gate.Hold()
	return h.LinkStore.CreateLink(ctx, l)
}

func (h *heldStore) CreateLinks(ctx context.Context, ls []*shortener.Link) ([]bool, error) {
	h.mu.Lock()
	h.groups = append(h.groups, len(ls))
	h.mu.Unlock()
	return h.LinkStore.CreateLinks(ctx, ls)
}

// queueBehindOne starts the first create, which the store holds, waits
// until the others queue behind it, then lets the store go on. It returns
// each create's outcome, in the order of inputs (the first is inputs[0]).
func queueBehindOne(t *testing.T, svc *links.Service, h *heldStore, callers []*shortener.User, inputs []links.CreateInput) ([]*shortener.Link, []error) {
	t.Helper()
	out := make([]*shortener.Link, len(inputs))
	errs := make([]error, len(inputs))
	create := func(i int) func() {
		return func() { out[i], errs[i] = svc.Create(context.Background(), callers[i], inputs[i]) }
	}
	var rest []func()
	for i := 1; i < len(inputs); i++ {
		rest = append(rest, create(i))
	}
	h.gate.QueueBehind(t, func() int { return links.WaitingCreates(svc) }, create(0), rest...)
	return out, errs
}

// TestCreatesShareATransaction: creates that arrive while one is being
// stored are stored together, in one CreateLinks, and each still gets its
// own answer: a taken alias is a conflict for all but one, and a link the
// transaction cannot store fails alone while the rest are stored.
func TestCreatesShareATransaction(t *testing.T) {
	testdb.ForEachEngine(t, func(t *testing.T, s storetest.Stores) {
		t.Run("group", func(t *testing.T) {
			h := &heldStore{LinkStore: s.Links, gate: testenv.NewGate()}
			svc := links.NewService(links.Config{Links: h, Invalidator: &recordingInvalidator{}, BaseURL: "https://sho.rt/", OwnHosts: []string{"sho.rt"}, CodeLength: 7})
			owner := user(t, s, shortener.RoleUser)
			var inputs []links.CreateInput
			var callers []*shortener.User
			for i := range 36 {
				in := links.CreateInput{OriginalURL: fmt.Sprintf("https://example.com/%d", i)}
				if i >= 31 {
					in.CustomAlias = ptr("same-alias")
				}
				inputs, callers = append(inputs, in), append(callers, owner)
			}
			got, errs := queueBehindOne(t, svc, h, callers, inputs)

			if h.singles != 1 || len(h.groups) != 1 || h.groups[0] != 35 {
				t.Errorf("store calls: %d single, groups %v; want 1 single and one group of 35", h.singles, h.groups)
			}
			stored, conflicts := 0, 0
			for i, err := range errs {
				switch {
				case err == nil:
					l, lerr := s.Links.LinkByID(context.Background(), got[i].ID)
					if lerr != nil || l.OriginalURL != inputs[i].OriginalURL {
						t.Errorf("create %d: stored as %+v, %v; want its URL %s", i, l, lerr, inputs[i].OriginalURL)
					}
					stored++
				case shortener.ErrorCode(err) == shortener.ECONFLICT && i >= 31:
					conflicts++
				default:
					t.Errorf("create %d: %v", i, err)
				}
			}
			if stored != 32 || conflicts != 4 {
				t.Errorf("%d stored and %d conflicts, want 32 (31 codes and the alias once) and 4", stored, conflicts)
			}
		})

		t.Run("one failure", func(t *testing.T) {
			h := &heldStore{LinkStore: s.Links, gate: testenv.NewGate()}
			svc := links.NewService(links.Config{Links: h, Invalidator: &recordingInvalidator{}, BaseURL: "https://sho.rt/", OwnHosts: []string{"sho.rt"}, CodeLength: 7})
			owner := user(t, s, shortener.RoleUser)
			// Never stored: its links break the owner's foreign key.
			ghost := &shortener.User{ID: shortener.NewID(), Role: shortener.RoleUser, IsActive: true}
			var inputs []links.CreateInput
			callers := []*shortener.User{owner}
			for i := range 11 {
				inputs = append(inputs, links.CreateInput{OriginalURL: fmt.Sprintf("https://example.com/f%d", i)})
				if i > 0 {
					callers = append(callers, owner)
				}
			}
			callers[5] = ghost
			got, errs := queueBehindOne(t, svc, h, callers, inputs)

			if len(h.groups) != 1 || h.groups[0] != 10 || h.singles != 11 {
				t.Errorf("store calls: %d single, groups %v; want the group of 10, then each alone", h.singles, h.groups)
			}
			for i, err := range errs {
				if i == 5 {
					if err == nil || shortener.ErrorCode(err) == shortener.ECONFLICT {
						t.Errorf("the ghost's create: %v, want a failure of its own", err)
					}
					continue
				}
				if err != nil {
					t.Errorf("create %d: %v", i, err)
				} else if _, err := s.Links.LinkByID(context.Background(), got[i].ID); err != nil {
					t.Errorf("create %d not stored: %v", i, err)
				}
			}
		})
	})
}

// panickyStore panics on a create of its URL.
type panickyStore struct {
	shortener.LinkStore
	url string
}

func (p panickyStore) CreateLink(ctx context.Context, l *shortener.Link) error {
	if l.OriginalURL == p.url {
		panic("store failed")
	}
	return p.LinkStore.CreateLink(ctx, l)
}

// TestCreateQueueSurvivesAPanic: a store that panics (the HTTP server
// recovers the request) leaves the queue free for the next create.
func TestCreateQueueSurvivesAPanic(t *testing.T) {
	s := testdb.SQLite(t)
	svc := links.NewService(links.Config{Links: panickyStore{LinkStore: s.Links, url: "https://example.com/boom"},
		Invalidator: &recordingInvalidator{}, BaseURL: "https://sho.rt/", OwnHosts: []string{"sho.rt"}, CodeLength: 7})
	owner := user(t, s, shortener.RoleUser)
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the store's panic did not reach the caller")
			}
		}()
		_, _ = svc.Create(context.Background(), owner, links.CreateInput{OriginalURL: "https://example.com/boom"})
	}()
	done := make(chan error, 1)
	go func() {
		_, err := svc.Create(context.Background(), owner, links.CreateInput{OriginalURL: "https://example.com/next"})
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("the next create: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the next create still waits for the queue after the panic")
	}
}
