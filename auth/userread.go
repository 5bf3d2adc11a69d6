package auth

import (
	"context"
	"sync"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/groupcommit"
)

// Every authenticated request reads its user, so that a deactivated user
// is refused at once on every instance. Reads that arrive while one is on
// its way wait and then share one read per user (internal/groupcommit):
// a burst of one user's requests, as from an integration, costs two reads
// instead of one each. A shared read starts after each of its callers
// arrived, so none sees an older user than a read of its own would.
// (BENCHMARKS.md, "The user read of authentication is shared".)

// maxUserReads is the most callers one group of reads serves.
const maxUserReads = 256

// userReadTimeout bounds a group's reads once no single caller does.
const userReadTimeout = 10 * time.Second

// userRead is one caller's read of a user.
type userRead struct {
	ctx  context.Context
	id   string
	user *shortener.User
	err  error
}

// readUser returns the user with the ID, as the store's UserByID, read
// together with the concurrent reads.
func (s *Service) readUser(ctx context.Context, id string) (*shortener.User, error) {
	r := &userRead{ctx: ctx, id: id}
	s.userReads.Do(r)
	return r.user, r.err
}

// readUsers reads each user of the group once, the users in parallel,
// and gives every caller its own copy.
func (s *Service) readUsers(group []*userRead) {
	type result struct {
		user *shortener.User
		err  error
	}
	byID := map[string]*result{}
	var ctx context.Context
	for _, r := range group {
		// A caller who has gone is not served, as the store would not.
		if r.err = r.ctx.Err(); r.err == nil && byID[r.id] == nil {
			byID[r.id] = &result{}
			if ctx == nil {
				ctx = r.ctx
			}
		}
	}
	if ctx == nil {
		return
	}
	ctx, cancel := groupcommit.Context(ctx, userReadTimeout)
	defer cancel()
	if len(byID) == 1 {
		for id, res := range byID {
			res.user, res.err = s.users.UserByID(ctx, id)
		}
	} else {
		var wg sync.WaitGroup
		for id, res := range byID {
			wg.Go(func() { res.user, res.err = s.users.UserByID(ctx, id) })
		}
		wg.Wait()
	}
	for _, r := range group {
		res := byID[r.id]
		if r.err != nil || res == nil {
			continue
		}
		if r.err = res.err; res.user != nil {
			u := *res.user
			r.user = &u
		}
	}
}
