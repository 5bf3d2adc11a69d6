package storetest

import (
	"context"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/shortener-dev/shortener"
)

func testUsers(t *testing.T, open func(t *testing.T) Stores) {
	ctx := context.Background()

	t.Run("CreateAndRead", func(t *testing.T) {
		s := open(t)
		u := newUser("Ada.Lovelace@Example.com", t0)
		u.IsVerified = true
		u.Role = shortener.RoleAdmin
		noErr(t, s.Users.CreateUser(ctx, u))

		got, err := s.Users.UserByID(ctx, u.ID)
		noErr(t, err)
		if !reflect.DeepEqual(got, u) {
			t.Errorf("UserByID = %+v, want %+v", got, u)
		}
		wantTime(t, "CreatedAt", got.CreatedAt, t0)

		got, err = s.Users.UserByEmail(ctx, "ada.lovelace@EXAMPLE.COM")
		noErr(t, err)
		if got.ID != u.ID || got.Email != "Ada.Lovelace@Example.com" {
			t.Errorf("UserByEmail = %+v, want the user with the email as registered", got)
		}
	})

	t.Run("TimesKeepMicroseconds", func(t *testing.T) {
		s := open(t)
		// Nanoseconds are dropped and any zone becomes UTC.
		at := time.Date(2026, 1, 2, 3, 4, 5, 123456789, time.FixedZone("X", 5*3600))
		u := newUser("times@example.com", at)
		noErr(t, s.Users.CreateUser(ctx, u))
		got, err := s.Users.UserByID(ctx, u.ID)
		noErr(t, err)
		want := time.Date(2026, 1, 1, 22, 4, 5, 123456000, time.UTC)
		wantTime(t, "CreatedAt", got.CreatedAt, want)
		wantTime(t, "UpdatedAt", got.UpdatedAt, want)
	})

	t.Run("DuplicateEmailIgnoringCase", func(t *testing.T) {
		s := open(t)
		mustUser(t, s, "Bob@Example.com")
		err := s.Users.CreateUser(ctx, newUser("bob@example.COM", t0))
		wantCode(t, err, shortener.ECONFLICT)
		// A different address is fine.
		noErr(t, s.Users.CreateUser(ctx, newUser("bob2@example.com", t0)))
	})

	t.Run("DuplicateEmailUnicode", func(t *testing.T) {
		// One account on both engines, although SQLite's lower() folds
		// ASCII only: identity is shortener.EmailKey.
		s := open(t)
		u := mustUser(t, s, "ÄLICE@Example.com")
		for _, email := range []string{"älice@example.com", "a\u0308lice@EXAMPLE.com", "ÄLICE@example.com."} {
			wantCode(t, s.Users.CreateUser(ctx, newUser(email, t0)), shortener.ECONFLICT)
			got, err := s.Users.UserByEmail(ctx, email)
			noErr(t, err)
			if got.ID != u.ID {
				t.Errorf("UserByEmail(%q) found %s, want %s", email, got.ID, u.ID)
			}
		}
	})

	t.Run("ConcurrentRegistrationsOneWins", func(t *testing.T) {
		s := open(t)
		const n = 8
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				email := "Race@Example.com"
				if i%2 == 1 {
					email = "race@example.com"
				}
				errs[i] = s.Users.CreateUser(ctx, newUser(email, t0))
			})
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			if err == nil {
				won++
			} else {
				wantCode(t, err, shortener.ECONFLICT)
			}
		}
		if won != 1 {
			t.Fatalf("%d registrations succeeded, want exactly 1", won)
		}
	})

	t.Run("NotFound", func(t *testing.T) {
		s := open(t)
		mustUser(t, s, "someone@example.com")
		_, err := s.Users.UserByID(ctx, shortener.NewID())
		wantCode(t, err, shortener.ENOTFOUND)
		_, err = s.Users.UserByEmail(ctx, "nobody@example.com")
		wantCode(t, err, shortener.ENOTFOUND)
		err = s.Users.SetUserRole(ctx, "nobody@example.com", shortener.RoleAdmin, t0)
		wantCode(t, err, shortener.ENOTFOUND)
	})

	t.Run("UpdateUserWritesOnlyNamedFields", func(t *testing.T) {
		s := open(t)
		u := mustUser(t, s, "dora@example.com")
		name, hash := "Dora Maar", "$2a$04$newhashnewhashnewhashnewhashnewhashnewhashnewhashnewha"
		later := t0.Add(time.Hour)
		got, err := s.Users.UpdateUser(ctx, u.ID, shortener.UserUpdate{FullName: &name}, later)
		noErr(t, err)
		if got.FullName != name || got.PasswordHash != u.PasswordHash || !got.UpdatedAt.Equal(later) || got.Email != u.Email {
			t.Fatalf("after a name change: %+v", got)
		}
		got, err = s.Users.UpdateUser(ctx, u.ID, shortener.UserUpdate{PasswordHash: &hash}, later)
		noErr(t, err)
		if got.FullName != name || got.PasswordHash != hash {
			t.Fatalf("after a password change: %+v", got)
		}
		_, err = s.Users.UpdateUser(ctx, shortener.NewID(), shortener.UserUpdate{FullName: &name}, later)
		wantCode(t, err, shortener.ENOTFOUND)
	})

	t.Run("SetUserRole", func(t *testing.T) {
		s := open(t)
		u := mustUser(t, s, "Carol@Example.com")
		other := mustUser(t, s, "dave@example.com")
		later := t0.Add(time.Hour)
		noErr(t, s.Users.SetUserRole(ctx, "CAROL@example.com", shortener.RoleAdmin, later))

		got, err := s.Users.UserByID(ctx, u.ID)
		noErr(t, err)
		if got.Role != shortener.RoleAdmin || !got.IsAdmin() {
			t.Errorf("role = %q, want admin", got.Role)
		}
		wantTime(t, "UpdatedAt", got.UpdatedAt, later)
		wantTime(t, "CreatedAt", got.CreatedAt, t0)

		got, err = s.Users.UserByID(ctx, other.ID)
		noErr(t, err)
		if got.Role != shortener.RoleUser {
			t.Errorf("other user's role = %q, want unchanged", got.Role)
		}
	})
}
