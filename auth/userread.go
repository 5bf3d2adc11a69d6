package auth

import (
	"context"
	"sync"
	"time"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/internal/groupcommit"
)

// Every authenticated request reads its user, so that a deactivated user
// is refused at once on every instance, and, for an access token, whether
// its login still holds a token that is not revoked, so that a logged-out
// login's tokens are refused at once too. Reads that arrive while one is
// on its way wait and then share one read per user and login
// (internal/groupcommit):
// a burst of one user's requests, as from an integration, costs two reads
// instead of one each. A shared read starts after each of its callers
// arrived, so none sees an older user than a read of its own would.
// (BENCHMARKS.md, "The user read of authentication is shared".)

// maxUserReads is the most callers one group of reads serves.
const maxUserReads = 256

// userReadTimeout bounds a group's reads once no single caller does.
const userReadTimeout = 10 * time.Second

// userRead is one caller's read of a user, and of the login its access
// token was issued for ("" for none).
type userRead struct {
	ctx   context.Context
	id    string
	login string
	user  *shortener.User
	err   error
}

// loginOf names the read of a login: a login of a user (it counts only
// for the user it was made for).
type loginOf struct{ user, login string }

func (r *userRead) loginKey() loginOf { return loginOf{r.id, r.login} }

// readUser returns the user with the ID, as the store's UserByID, read
// together with the concurrent reads; errLoginEnded when login has ended.
func (s *Service) readUser(ctx context.Context, id, login string) (*shortener.User, error) {
	r := &userRead{ctx: ctx, id: id, login: login}
	s.userReads.Do(r)
	return r.user, r.err
}

// readUsers reads each user and each login of the group once, all in
// parallel, and gives every caller its own copy of its user.
func (s *Service) readUsers(group []*userRead) {
	type result struct {
		user *shortener.User
		live bool
		err  error
	}
	users, logins := map[string]*result{}, map[loginOf]*result{}
	var ctx context.Context
	for _, r := range group {
		// A caller who has gone is not served, as the store would not.
		if r.err = r.ctx.Err(); r.err != nil {
			continue
		}
		if users[r.id] == nil {
			users[r.id] = &result{}
		}
		if r.login != "" && logins[r.loginKey()] == nil {
			logins[r.loginKey()] = &result{}
		}
		if ctx == nil {
			ctx = r.ctx
		}
	}
	if ctx == nil {
		return
	}
	ctx, cancel := groupcommit.Context(ctx, userReadTimeout)
	defer cancel()
	reads := make([]func(), 0, len(users)+len(logins))
	for id, res := range users {
		reads = append(reads, func() { res.user, res.err = s.users.UserByID(ctx, id) })
	}
	for key, res := range logins {
		reads = append(reads, func() { res.live, res.err = s.tokens.LoginLive(ctx, key.user, key.login) })
	}
	if len(reads) == 1 {
		reads[0]()
	} else {
		var wg sync.WaitGroup
		for _, read := range reads {
			wg.Go(read)
		}
		wg.Wait()
	}
	// The user first: a token of a user that is not there is a bad token,
	// whatever its login says.
	for _, r := range group {
		if r.err != nil {
			continue
		}
		res := users[r.id]
		if r.err = res.err; r.err != nil {
			continue
		}
		if l := logins[r.loginKey()]; l != nil {
			if r.err = l.err; r.err == nil && !l.live {
				r.err = errLoginEnded
			}
			if r.err != nil {
				continue
			}
		}
		if res.user != nil {
			u := *res.user
			r.user = &u
		}
	}
}
